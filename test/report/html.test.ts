// Shows the HTML report is one self-contained, deterministic page with every section, and renders scenario strings as text.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { causalChain, findCrash } from "../../src/checks/index.js";
import { runWorld } from "../../src/explore/run.js";
import { CollectSink } from "../../src/kernel/index.js";
import { escapeHtml, inlineScript, jsonForScript } from "../../src/report/html/escape.js";
import { labelRows, tickStepMs } from "../../src/report/html/lanes.js";
import { markersOf, poisonPaths } from "../../src/report/html/model.js";
import { HTML_SIGNATURE, type HtmlRun, renderHtmlReport } from "../../src/report/html.js";
import type { RunReport } from "../../src/report/run-report.js";
import { smallWorldConfig } from "../world/helpers.js";

const require = createRequire(import.meta.url);
const uplotJs = require.resolve("uplot/dist/uPlot.iife.min.js");
const ASSETS = {
  chartJs: readFileSync(uplotJs, "utf8"),
  chartCss: readFileSync(join(dirname(uplotJs), "uPlot.min.css"), "utf8"),
};

const XSS = "<script>alert(1)</script>";

function run(fixes: string[]): HtmlRun {
  const collect = new CollectSink();
  const { report } = runWorld(
    {
      config: smallWorldConfig({ fixes, durationMs: 15 * 60_000 }),
      variantName: fixes.length ? "fixed" : "buggy",
    },
    { sinks: [collect] },
  );
  const crash = findCrash(
    collect.events,
    String(collect.events.find((e) => e.type === "worker.crashed")?.worker ?? "none"),
  );
  return { report, chain: crash ? causalChain(collect.events, crash.seq) : null };
}

describe("the HTML report", () => {
  let buggy: HtmlRun;
  let fixed: HtmlRun;
  let page: string;
  beforeAll(() => {
    buggy = run([]);
    fixed = run(["early-return", "panic-recovery"]);
    page = renderHtmlReport({
      runs: [buggy, fixed],
      divergence: null,
      assets: ASSETS,
      generator: "aftershock test",
    });
  });

  it("is self-contained: no external script, style, image or link, and a policy that forbids fetching", () => {
    expect(page).toMatch(HTML_SIGNATURE);
    expect(page).not.toMatch(/<script[^>]+src=/i);
    expect(page).not.toMatch(/<link[^>]+href=/i);
    expect(page).not.toMatch(/<img[^>]+src=/i);
    expect(page).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(page).toContain("default-src 'none'");
    // The library is inlined whole.
    expect(page).toContain("uPlot");
    expect(page.length).toBeGreaterThan(ASSETS.chartJs.length);
  });

  it("gives each element its own id: the key events' section and their table are two", () => {
    // The markup's ids, not what the inline scripts and styles hold.
    const markup = page.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, "");
    const ids = [...markup.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(ids).toContain("events");
    expect(ids).toContain("event-table");
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("has every section, a lane per worker per variant and the data for the charts", () => {
    for (const id of ["workers", "lag", "lanes", "chain", "summary", "divergence", "events"])
      expect(page).toContain(`<section id="${id}">`);
    expect(page.match(/<g class="lane" /g)).toHaveLength(
      buggy.report.lanes.length + fixed.report.lanes.length,
    );
    expect(page).toContain('id="workers-chart-0"');
    expect(page).toContain('id="workers-chart-1"');
    expect(page).toContain('id="lag-chart"');
    const json = /<script type="application\/json" id="aftershock-data">([^<]*)<\/script>/.exec(page);
    const data = JSON.parse(json![1]);
    expect(data.runs).toHaveLength(2);
    // Within one day: the charts write times of day (the page's script dates them otherwise).
    expect(data.window.multiDay).toBe(false);
    expect(data.runs[0].series.t.length).toBe(buggy.report.series!.t.length);
    expect(page).toContain("Public facts this scenario rests on");
    expect(page).toContain("Assumptions (ours, not public facts)");
  });

  it("draws the poison task's path across the lanes and the causal chain of the first crash", () => {
    expect(buggy.report.metrics.cascade).toBe(true);
    const paths = poisonPaths([buggy.report]);
    expect(paths.length).toBeGreaterThan(0);
    const workers = new Set(paths.flatMap((p) => p.stops.map((s) => s.worker)));
    expect(workers.size).toBe(buggy.report.metrics.cascadeDepth);
    expect(page).toContain(`class="poison-path" data-schedule="${paths[0].schedule}"`);
    expect(buggy.chain!.at(-1)!.type).toBe("worker.crashed");
    expect(page).toContain('<ol class="chain">');
    expect(page).toContain("No worker crashed.");
  });

  it("marks the story's moments: deletion, first panic, alert, recovery", () => {
    const kinds = markersOf([buggy.report]).map((m) => m.kind);
    for (const k of ["deletion", "panic", "alert"]) expect(kinds).toContain(k);
    // A moment only one variant has says whose it is.
    const both = markersOf([buggy.report, fixed.report]);
    expect(both.find((m) => m.kind === "alert")?.label).toBe("alert (buggy)");
    expect(both.find((m) => m.kind === "deletion")?.label).toBe("account deleted");
  });

  it("is deterministic: the same runs give the same bytes", () => {
    const again = renderHtmlReport({
      runs: [buggy, fixed],
      divergence: null,
      assets: ASSETS,
      generator: "aftershock test",
    });
    expect(again).toBe(page);
  });

  it("renders markup from a scenario as text, in the page and in its inline JSON", () => {
    const report: RunReport = {
      ...buggy.report,
      scenario: XSS,
      description: `</script><script>alert(2)</script>`,
      sources: [`<img src=x onerror=alert(3)>`],
      assumptions: ["\u2028</style>"],
      variant: { ...buggy.report.variant, name: `"><svg onload=alert(4)>` },
    };
    const html = renderHtmlReport({ runs: [{ report }], assets: ASSETS });
    expect(html).not.toContain(XSS);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<svg onload");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const json = /<script type="application\/json" id="aftershock-data">([^<]*)<\/script>/.exec(html);
    expect(json).not.toBeNull();
    expect(JSON.parse(json![1]).runs[0].name).toBe(`"><svg onload=alert(4)>`);
    // Only our three scripts open in the page.
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it("keeps the comment naming its scenario on its one line, where the seal's line follows it", () => {
    const report: RunReport = { ...buggy.report, scenario: "x\n\n<b>y</b>\n-->" };
    const lines = renderHtmlReport({ runs: [{ report }], assets: ASSETS }).split("\n");
    expect(lines[1]).toBe("<!-- aftershock report: x\\u000a\\u000a&lt;b&gt;y&lt;/b&gt;\\u000a- -&gt; -->");
    expect(lines[2]).toBe('<html lang="en">');
  });

  it("escapes by the rules", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(jsonForScript({ s: "</script>\u2028" })).toBe('{"s":"\\u003c/script\\u003e\\u2028"}');
    expect(JSON.parse(jsonForScript({ s: "</script>&" }))).toEqual({ s: "</script>&" });
    expect(inlineScript('x("</script>")')).toBe('x("<\\/script>")');
  });

  it("spaces ticks and stacks labels that would overlap", () => {
    expect(tickStepMs(50 * 60_000)).toBe(5 * 60_000);
    expect(tickStepMs(60_000)).toBe(10_000);
    expect(
      labelRows([
        { x: 0, width: 50 },
        { x: 20, width: 50 },
        { x: 200, width: 10 },
      ]),
    ).toEqual([0, 1, 0]);
  });
});

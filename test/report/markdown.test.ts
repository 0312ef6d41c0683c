// Shows the Markdown summary holds the measured values in a table, the verdicts and key events, and escapes scenario text.
import { beforeAll, describe, expect, it } from "vitest";
import { runWorld } from "../../src/explore/run.js";
import { escapeMarkdown, MARKDOWN_SIGNATURE, renderMarkdown } from "../../src/report/markdown.js";
import type { RunReport } from "../../src/report/run-report.js";
import { smallWorldConfig } from "../world/helpers.js";

/** The table row whose first cell is `label`, split into its cells. */
function row(md: string, label: string): string[] {
  const line = md
    .split("\n")
    .find((l) => l.startsWith(`| ${label} |`) || l.startsWith(`| &nbsp;&nbsp;${label} |`));
  expect(line, `row ${label}`).toBeDefined();
  return line!
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe("the Markdown report", () => {
  let buggy: RunReport;
  let fixed: RunReport;
  let md: string;
  beforeAll(() => {
    const config = smallWorldConfig({ durationMs: 15 * 60_000 });
    buggy = runWorld({ config, variantName: "buggy" }).report;
    fixed = runWorld({
      config: { ...config, scheduler: { name: "v2", fixes: ["early-return", "panic-recovery"] } },
      variantName: "fixed",
    }).report;
    md = renderMarkdown([{ report: buggy }, { report: fixed }], { reproduce: "aftershock compare x.yaml" });
  });

  it("starts with its signature and a header naming the variants", () => {
    expect(md).toMatch(MARKDOWN_SIGNATURE);
    expect(md).toContain("## aftershock · small-may8");
    expect(md).toContain("\n| | buggy | fixed |\n|---|---:|---:|\n");
  });

  it("has the summary table with the measured values, one column per variant", () => {
    expect(buggy.metrics.panicDeaths).toBeGreaterThan(0);
    expect(row(md, "panic deaths")).toEqual([
      "panic deaths",
      String(buggy.metrics.panicDeaths),
      String(fixed.metrics.panicDeaths),
    ]);
    expect(row(md, "deliveries due")[1]).toBe(buggy.metrics.deliveries.due.toLocaleString("en-US"));
    expect(row(md, "late")[1]).toBe(buggy.metrics.deliveries.late.toLocaleString("en-US"));
    expect(row(md, "late")[2]).toBe("0");
    expect(row(md, "cascade")[1]).toContain(`depth ${buggy.metrics.cascadeDepth}`);
    expect(row(md, "first alert")[1]).toBe(buggy.metrics.alertAt!.slice(11, 19));
    expect(row(md, "first alert")[2]).toBe("never");
    expect(row(md, "trace hash")).toEqual(["trace hash", buggy.traceHash, fixed.traceHash]);
  });

  it("has the verdicts and the key events of the run that crashed", () => {
    expect(row(md, "`no-cascade`")).toEqual(["`no-cascade`", "✗ fails", "✓ holds"]);
    expect(md).toContain("**Key events** (buggy):");
    const first = buggy.timeline[0];
    expect(md).toContain(`| ${first.t.slice(11, 19)} | ${escapeMarkdown(first.text)} |`);
    expect(md).toContain("Reproduce: `aftershock compare x.yaml`");
  });

  it("keeps a backtick of the Reproduce command, in a longer code span (CommonMark)", () => {
    const command = "aftershock run 'a`b.yaml' --seed 1";
    const out = renderMarkdown([{ report: buggy }], { reproduce: command });
    expect(out).toContain(`Reproduce: \`\`${command}\`\``);
    const edge = renderMarkdown([{ report: buggy }], { reproduce: "`x``" });
    expect(edge).toContain("Reproduce: ``` `x`` ```");
  });

  it("keeps the key events short", () => {
    const long = renderMarkdown([{ report: buggy }], { eventsMax: 6 });
    const rows = long.split("\n").filter((l) => /^\| \d\d:\d\d:\d\d \|/.test(l));
    expect(buggy.timeline.length).toBeGreaterThan(6);
    expect(rows).toHaveLength(6);
    expect(long).toContain(`| … | ${buggy.timeline.length - 6} more |`);
  });

  it("renders markup and table syntax from a scenario as text", () => {
    const hostile: RunReport = {
      ...buggy,
      scenario: "<script>alert(1)</script>",
      assumptions: ["a | pipe, *stars*, [a](link) and <b>tags</b>"],
    };
    const out = renderMarkdown([{ report: hostile }]);
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<b>");
    expect(out).toContain("## aftershock · &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("a \\| pipe, \\*stars\\*, \\[a\\](link) and &lt;b&gt;tags&lt;/b&gt;");
  });

  it("breaks the links GFM makes of bare URLs, www. and e-mail addresses in scenario text", () => {
    const hostile: RunReport = {
      ...buggy,
      scenario: "see-www.example.com",
      assumptions: [
        "see http://evil.example/i.png, ftp://x.example and www.example.com",
        "WWW.Example.com (mailto:ops@example.com, https://a.example/?q=1)",
      ],
    };
    const out = renderMarkdown([{ report: hostile }]);
    // What GFM's autolink extension links: a scheme's ://, www. and an e-mail address (its spec, 6.9).
    const autolinks = /(?:[a-z][a-z0-9+.-]*:\/\/|\bwww\.|[\w.+-]+@[\w-]+\.[\w-])/gi;
    expect(out.match(autolinks)).toBeNull();
    const zws = "\u200B";
    expect(out).toContain(
      `see http${zws}://evil.example/i.png, ftp${zws}://x.example and www${zws}.example.com`,
    );
    expect(out).toContain(
      `WWW${zws}.Example.com (mailto:ops@${zws}example.com, https${zws}://a.example/?q=1)`,
    );
    expect(out).toContain(`## aftershock · see-www${zws}.example.com`);
    // Controls and bidirectional overrides are written as the terminal writes them, never raw.
    expect(escapeMarkdown("bad\u0001thing\u001b[31m red\u0000 \u202eevil\rx\ty")).toBe(
      "bad\\\\u0001thing\\\\u001b\\[31m red\\\\u0000 \\\\u202eevil\\\\u000dx y",
    );
    // After `_` too, a word character that GFM still links a www. after.
    expect(escapeMarkdown("docs_www.evil.example")).toBe(`docs\\_www${zws}.evil.example`);
    // A task id names its due time after an @, which GFM links to nothing: it is left as it is.
    expect(escapeMarkdown("sched-x@2026-05-08T09:45:00Z")).toBe("sched-x@2026-05-08T09:45:00Z");
  });

  it("always has the assumptions section: the list, none listed, or not in a trace", () => {
    const heading = "Assumptions (ours, not public facts):\n\n";
    const listed = renderMarkdown([{ report: { ...buggy, assumptions: ["Lease 30 s"] } }]);
    expect(listed).toContain(`${heading}- Lease 30 s\n`);
    const none = renderMarkdown([{ report: { ...buggy, assumptions: [] } }]);
    expect(none).toContain(`${heading}No assumptions listed by the scenario.`);
    const traced = renderMarkdown([{ report: { ...buggy, assumptions: [] }, fromTrace: "o.jsonl" }]);
    expect(traced).toContain(
      `${heading}Not known: the assumptions are in the scenario file, not in a trace (o.jsonl)`,
    );
  });

  it("writes the SLO as the run set it, never rounded to a number of seconds it was not", () => {
    expect(fixed.metrics.deliveries.late + fixed.metrics.deliveries.missed).toBe(0);
    const sloOf = (sloMs: number) => renderMarkdown([{ report: { ...fixed, run: { ...fixed.run, sloMs } } }]);
    const subSecond = sloOf(400);
    expect(subSecond).toContain(" · SLO 400ms · ");
    expect(subSecond).toContain("on time (SLO 400ms).");
    expect(subSecond).not.toContain("SLO 0 s");
    const oddSeconds = sloOf(1500);
    expect(oddSeconds).toContain(" · SLO 1500ms · ");
    expect(oddSeconds).toContain("on time (SLO 1500ms).");
    expect(sloOf(60_000)).toContain(" · SLO 1m · ");
    expect(sloOf(90_000)).toContain(" · SLO 90s · ");
  });
});

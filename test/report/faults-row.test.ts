// Shows the faults row of the metrics counting faults that fired, not faults planned, and saying which never fired by the end.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { faultsRow, renderMetrics } from "../../src/report/terminal.js";
import { cli } from "../gate/helpers.js";

/** The tiny report world with a clock skew eight minutes in. */
const SKEW_AT_8M = `${readFileSync(join(import.meta.dirname, "fixtures", "tiny.yaml"), "utf8")}
faults:
  - { at: "+8m", fault: clock-skew, worker: w2, skew: "-15m" }
`;

/** The Markdown summary `report` rebuilds from a trace of `lines`. */
async function markdownOfTrace(lines: readonly string[]): Promise<string> {
  const trace = join(mkdtempSync(join(tmpdir(), "aftershock-faults-row-")), "t.jsonl");
  writeFileSync(trace, `${lines.join("\n")}\n`);
  const fromTrace = await cli(["report", trace, "--format", "markdown", "-o", "-"]);
  expect(fromTrace.code).toBe(0);
  return fromTrace.out;
}

describe("the faults row", () => {
  it("counts a fault due after the end as not fired, not as fired", () => {
    const { report } = runScenario(SKEW_AT_8M, {
      variant: "fixed",
      untilMs: Date.parse("2026-05-08T09:45:00Z"),
    });
    expect(report.faults.fired).toEqual({});
    expect(renderMetrics(report, plainPaint)).toMatch(
      /\n {2}faults +1 planned: 0 fired, 0 skipped, 1 not fired by the end$/,
    );
    const { report: whole } = runScenario(SKEW_AT_8M, { variant: "fixed" });
    expect(renderMetrics(whole, plainPaint)).toMatch(/\n {2}faults +1 planned: 1 fired, 0 skipped$/);
  });

  it("counts a fault that fired many times (an armed panic) once", () => {
    const row = faultsRow(
      {
        fired: { "inject-panic": 5 },
        probes: {},
        skipped: {},
        planned: { "inject-panic": 1, "kill-worker": 1 },
      },
      plainPaint,
    );
    expect(row).toBe("2 planned: 1 fired, 0 skipped, 1 not fired by the end");
    expect(
      faultsRow(
        {
          fired: { "kill-worker": 1 },
          probes: {},
          skipped: { "kill-worker": 1 },
          planned: { "kill-worker": 2 },
        },
        plainPaint,
      ),
    ).toBe("2 planned: 1 fired, 1 skipped (nothing to act on: see key events)");
  });

  it("tells the fault that threw three times from the one whose task never came, in a run and from its trace", async () => {
    const text = readFileSync(
      join(import.meta.dirname, "fixtures", "inject-three-and-one-never.yaml"),
      "utf8",
    );
    const { report } = runScenario(text, { variant: "fixed" });
    // Three panics of one fault; the other fault's hourly task never came in the 15 minutes.
    expect(report.faults.fired).toEqual({ "inject-panic": 3 });
    expect(report.faults.firedFaults).toEqual({ "inject-panic": 1 });
    expect(report.faults.planned).toEqual({ "inject-panic": 2 });
    expect(renderMetrics(report, plainPaint)).toMatch(
      /\n {2}faults +2 planned: 1 fired, 0 skipped, 1 not fired by the end$/,
    );
    // Read back from its trace, which does not say what was planned: one fault fired, not three,
    // and the other, armed (the trace holds its arming), never struck.
    const lines: string[] = [];
    runScenario(text, { variant: "fixed", sinks: [{ onEvent: (e) => lines.push(JSON.stringify(e)) }] });
    expect(await markdownOfTrace(lines)).toContain(
      "| faults | 1 fired, 0 skipped, 1 armed, not fired by the end (how many were planned is not in the trace) |",
    );
  });

  it("from a trace, says the faults still armed at the end beside those that fired", () => {
    // `armed` holds only the faults still armed at the end: one that struck is counted as fired alone.
    const faults = {
      fired: { "inject-panic": 3 },
      firedFaults: { "inject-panic": 1 },
      probes: {},
      skipped: {},
      armed: { "inject-panic": 1, hang: 1 },
    };
    expect(faultsRow(faults, plainPaint)).toBe(
      "1 fired, 0 skipped, 2 armed, not fired by the end (how many were planned is not in the trace)",
    );
    expect(faultsRow({ ...faults, armed: {} }, plainPaint)).toBe(
      "1 fired, 0 skipped (how many were planned is not in the trace)",
    );
    // Nothing fired, but armed: said, not `none`.
    expect(faultsRow({ fired: {}, probes: {}, skipped: {}, armed: { hang: 1 } }, plainPaint)).toBe(
      "0 fired, 0 skipped, 1 armed, not fired by the end (how many were planned is not in the trace)",
    );
  });

  it("from a trace, says an HTTP fault whose window is open at the end as armed, and one skipped at its window's end once", async () => {
    const text = readFileSync(join(import.meta.dirname, "fixtures", "http-window-open-at-end.yaml"), "utf8");
    const lines: string[] = [];
    const { report } = runScenario(text, {
      variant: "fixed",
      sinks: [{ onEvent: (e) => lines.push(JSON.stringify(e)) }],
    });
    // One fires; one window ends having failed nothing and one has a rate of 0 (skipped both,
    // the second never armed); the last is still open at the end.
    expect(report.faults.firedFaults).toEqual({ "http-errors": 1 });
    expect(report.faults.skipped).toEqual({ "http-timeouts": 2 });
    expect(faultsRow(report.faults, plainPaint, false)).toBe(
      "4 planned: 1 fired, 2 skipped, 1 not fired by the end",
    );
    expect(await markdownOfTrace(lines)).toContain(
      "| faults | 1 fired, 2 skipped, 1 armed, not fired by the end (nothing to act on: see key events) (how many were planned is not in the trace) |",
    );
  });

  it("is in the Markdown and HTML tables too, as the terminal writes it, and says none for a run without faults", () => {
    const { report: cut } = runScenario(SKEW_AT_8M, {
      variant: "fixed",
      untilMs: Date.parse("2026-05-08T09:45:00Z"),
    });
    const { report: whole } = runScenario(SKEW_AT_8M, { variant: "fixed" });
    const md = renderMarkdown([{ report: cut }, { report: whole }]);
    expect(md).toContain(
      "\n| faults | 1 planned: 0 fired, 0 skipped, 1 not fired by the end | 1 planned: 1 fired, 0 skipped |\n",
    );
    const html = renderHtmlReport({ runs: [{ report: cut }], assets: { chartJs: "", chartCss: "" } });
    expect(html).toMatch(
      /<td>faults<\/td><td class="num[^"]*">1 planned: 0 fired, 0 skipped, 1 not fired by the end<\/td>/,
    );
    const plain = readFileSync(join(import.meta.dirname, "fixtures", "tiny.yaml"), "utf8");
    const { report: none } = runScenario(plain, { variant: "fixed" });
    expect(renderMarkdown([{ report: none }])).toContain("\n| faults | none |\n");
  });

  it("says what fired in a report read back from a trace, which does not say what was planned", () => {
    const fromTrace = { fired: { "kill-worker": 1 }, probes: {}, skipped: {} };
    expect(faultsRow(fromTrace, plainPaint)).toBe(
      "1 fired, 0 skipped (how many were planned is not in the trace)",
    );
    expect(faultsRow({ fired: {}, probes: {}, skipped: {} }, plainPaint)).toBeNull();
  });
});

// Shows how verdicts are marked: a run stopped by a limit says `stopped early` and marks its verdicts and expectations not judged, in every report; an unexercised verdict says so once.
import { beforeAll, describe, expect, it } from "vitest";
import { renderComparison } from "../../src/cli/commands/compare.js";
import { parseSavedReport } from "../../src/cli/commands/report-schema.js";
import { renderExpectations } from "../../src/cli/commands/verdict.js";
import { comparisonOf } from "../../src/explore/compare.js";
import type { ExpectationResult } from "../../src/explore/expectations.js";
import { judgeExpectations } from "../../src/explore/expectations.js";
import { runWorld } from "../../src/explore/run.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import type { RunReport } from "../../src/report/run-report.js";
import { renderRun, renderVerdicts } from "../../src/report/terminal.js";
import { smallWorldConfig } from "../world/helpers.js";

const ASSETS = { chartJs: "", chartCss: "" };

describe("a run stopped by a limit", () => {
  let stopped: RunReport;
  let finished: RunReport;
  let expectations: ExpectationResult[];
  beforeAll(() => {
    const config = smallWorldConfig({ durationMs: 15 * 60_000 });
    finished = runWorld({ config, variantName: "buggy" }).report;
    stopped = runWorld({ config: { ...config, limits: { maxEvents: 4000 } }, variantName: "buggy" }).report;
    expectations = judgeExpectations(
      [{ kind: "property", variant: "buggy", property: "no-cascade", holds: false }],
      "buggy",
      stopped.metrics,
      stopped.verdicts,
    );
  });

  it("has run.judged false in its RunReport, and a run that reached its horizon true", () => {
    expect(stopped.run.stopReason).toBe("max-events");
    expect(stopped.run.judged).toBe(false);
    expect(finished.run.judged).toBe(true);
  });

  it("says `stopped early at` in the terminal header and marks every verdict and expectation not judged", () => {
    const text = renderRun(stopped, plainPaint);
    expect(text).toContain(
      `  stopped early at ${stopped.run.end.slice(11, 19)}: hit the event limit (4000 events)`,
    );
    expect(text).not.toContain("ended early");
    expect(text).toMatch(/^Properties not judged: the run stopped early/m);
    const verdictLines = text.split("\n").filter((l) => /^ {2}[✓✗] /.test(l));
    expect(verdictLines).toHaveLength(stopped.verdicts.length);
    for (const line of verdictLines) expect(line).toContain("(not judged)");
    expect(renderExpectations(expectations, plainPaint, false)).toContain("no-cascade fails");
    expect(renderExpectations(expectations, plainPaint, false)).toContain("(not judged)");
    expect(renderRun(finished, plainPaint)).not.toContain("not judged");
  });

  it("marks its verdicts and expectations not judged in the Markdown and HTML reports", () => {
    const md = renderMarkdown([{ report: stopped, expectations }]);
    expect(md).toContain(`**buggy** stopped early at ${stopped.run.end.slice(11, 19)}`);
    expect(md).toMatch(/\| `no-cascade` \| [✓✗] (holds|fails) \(not judged\) \|/);
    expect(md).toMatch(/- [✓✗] buggy: no-cascade fails \(not judged\)/);
    const html = renderHtmlReport({ runs: [{ report: stopped, expectations }], assets: ASSETS });
    expect(html).toContain("buggy stopped early at");
    expect(html).toContain("not judged (stopped early at");
    expect(html).toMatch(/(holds|fails) \(not judged\)<\/span>/);
    expect(renderMarkdown([{ report: finished }])).not.toContain("not judged");
  });

  it("is read back from a RunReport saved before `run.judged` existed as not judged", () => {
    const { judged: _, ...oldRun } = stopped.run;
    const old = JSON.parse(JSON.stringify({ ...stopped, run: oldRun }));
    const parsed = parseSavedReport(old, "old.json", JSON.stringify(old));
    expect(parsed.ok && parsed.report?.run.judged).toBe(false);
    const { judged: __, ...finishedRun } = finished.run;
    const done = JSON.parse(JSON.stringify({ ...finished, run: finishedRun }));
    const parsedDone = parseSavedReport(done, "done.json", JSON.stringify(done));
    expect(parsedDone.ok && parsedDone.report?.run.judged).toBe(true);
  });
});

describe("a comparison whose later variant alone is stopped by a limit", () => {
  let fixed: RunReport;
  let buggy: RunReport;
  beforeAll(() => {
    const config = smallWorldConfig({ durationMs: 15 * 60_000 });
    const fixes = ["early-return", "panic-recovery"];
    fixed = runWorld({
      config: { ...config, scheduler: { name: "v2", fixes } },
      variantName: "fixed",
    }).report;
    buggy = runWorld({ config: { ...config, limits: { maxEvents: 4000 } }, variantName: "buggy" }).report;
  });

  it("names that variant's stop in the terminal header, and the window runs to the latest end", () => {
    expect(fixed.run.judged).toBe(true);
    expect(buggy.run.judged).toBe(false);
    const stop = `stopped early at ${buggy.run.end.slice(11, 19)}: hit the event limit (4000 events)`;
    const header = (reports: RunReport[]) =>
      renderComparison(comparisonOf(reports, []), [[], []], plainPaint).split("\n\n")[0];
    for (const order of [
      [fixed, buggy],
      [buggy, fixed],
    ]) {
      const text = header(order);
      expect(text).toContain(`  buggy: ${stop}`);
      expect(text).not.toContain("fixed: stopped early");
      expect(text).toContain(`→ ${fixed.run.end.slice(11, 16)} UTC`);
    }
    expect(header([fixed, fixed])).not.toContain("stopped early");
  });

  it("names it in the Markdown and HTML reports too", () => {
    for (const order of [
      [fixed, buggy],
      [buggy, fixed],
    ]) {
      const runs = order.map((report) => ({ report }));
      const md = renderMarkdown(runs);
      expect(md).toContain(`**buggy** stopped early at ${buggy.run.end.slice(11, 19)}`);
      expect(md).toContain(`→ ${fixed.run.end.slice(11, 16)} UTC`);
      expect(md).not.toContain("**fixed** stopped early");
      const html = renderHtmlReport({ runs, assets: ASSETS });
      expect(html).toContain("buggy stopped early at");
      expect(html).toContain(`→ ${fixed.run.end.slice(11, 16)} UTC`);
    }
  });
});

describe("an unexercised verdict", () => {
  it("says `not exercised` once in the terminal", () => {
    const verdict = {
      property: "no-delivery-after-deletion" as const,
      ok: true,
      exercised: false,
      detail: "not exercised: no account was deleted",
      events: [],
    };
    const line = renderVerdicts([verdict], plainPaint).split("\n")[1];
    expect(line).toMatch(/\(not exercised\) no account was deleted$/);
  });
});

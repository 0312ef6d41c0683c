// Shows an expectation on a time metric reads its measured time as the run's other times do, in the terminal, Markdown and HTML reports, and that the report's extras (first panic, deletion, fix deploy, worst lag, unexpected dues) can be expected.
import { beforeAll, describe, expect, it } from "vitest";
import { renderExpectations } from "../../src/cli/commands/verdict.js";
import type { ExpectationResult } from "../../src/explore/expectations.js";
import { judgeExpectations } from "../../src/explore/expectations.js";
import { runWorld } from "../../src/explore/run.js";
import { clockOf, DAY_MS, formatDuration } from "../../src/kernel/time.js";
import { expectationMessageShown } from "../../src/report/expectation-words.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { clockOfRuns } from "../../src/report/judged.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import type { RunReport } from "../../src/report/run-report.js";
import { parseScenario } from "../../src/scenario/index.js";
import type { Expectation } from "../../src/scenario/types.js";
import { smallWorldConfig } from "../world/helpers.js";

const ASSETS = { chartJs: "", chartCss: "" };

function alertAtExpectations(report: RunReport): ExpectationResult[] {
  const start = Date.parse(report.run.start);
  const end = Date.parse(report.run.end);
  const bound = (op: "<=" | ">=", t: number): Expectation => ({
    kind: "metric",
    variant: "buggy",
    metric: "alertAt",
    op,
    value: t,
    valueText: clockOf(t),
  });
  // The first holds and the second fails: one shows its measured value, the other its message.
  return judgeExpectations([bound("<=", end), bound("<=", start)], "buggy", report.metrics, report.verdicts);
}

describe("an expectation on a time metric", () => {
  let report: RunReport;
  let alertAt: number;
  beforeAll(() => {
    report = runWorld({ config: smallWorldConfig({ durationMs: 15 * 60_000 }), variantName: "buggy" }).report;
    expect(report.metrics.alertAt).not.toBeNull();
    alertAt = Date.parse(report.metrics.alertAt as string);
  });

  it("writes it so in the gate's terminal lines and summary too, the message kept as JSON and JUnit give it", () => {
    const clock = clockOfRuns([report]);
    const [held, failed] = alertAtExpectations(report);
    const time = clock.precise(alertAt);
    const iso = report.metrics.alertAt as string;
    expect(held.message).toContain(iso);
    expect(expectationMessageShown(held, clock)).toBe(
      `alertAt = ${time} (<= ${held.expectation.kind === "metric" ? held.expectation.valueText : ""})`,
    );
    expect(expectationMessageShown(failed, clock)).toContain(`measured ${time}`);
    expect(expectationMessageShown(failed, clock)).not.toContain(iso);
    // A duration bound written in ms: the measure stays in ms beside it, as run writes it.
    const outage: Expectation = {
      kind: "metric",
      variant: "buggy",
      metric: "fullOutageMs",
      op: ">=",
      value: 60_000,
      valueText: null,
    };
    const metrics = { ...report.metrics, fullOutageMs: 884_896 };
    const judged = judgeExpectations([outage], "buggy", metrics, report.verdicts);
    expect(judged[0].message).toBe("fullOutageMs = 884896 (>= 60000)");
    expect(expectationMessageShown(judged[0], clock)).toBe("fullOutageMs = 884896 (>= 60000)");
    expect(renderExpectations(judged, plainPaint, true, clock)).toMatch(
      /fullOutageMs >= 60000 +measured 884896$/,
    );
  });

  it("writes the measured time as a time of day in a run within one day", () => {
    const results = alertAtExpectations(report);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    const time = clockOfRuns([report]).precise(alertAt);
    const iso = report.metrics.alertAt as string;
    const terminal = renderExpectations(results, plainPaint, true, clockOfRuns([report]));
    expect(terminal).toContain(`measured ${time}`);
    expect(terminal).not.toContain(iso);
    const md = renderMarkdown([{ report, expectations: results }]);
    expect(md).toContain(`(measured ${time})`);
    expect(md).toContain(`, measured ${time})`);
    expect(md).not.toContain(iso);
    const html = renderHtmlReport({ runs: [{ report, expectations: results }], assets: ASSETS });
    expect(html).toContain(`<td>${time}</td>`);
    expect(html).toContain(`, measured ${time}</td>`);
    expect(html).not.toContain(`measured ${iso}`);
  });

  it("dates it in a run over more than one day, as the run's other times", () => {
    const end = new Date(Date.parse(report.run.end) + DAY_MS).toISOString();
    const long = { ...report, run: { ...report.run, end } };
    const results = alertAtExpectations(long);
    const time = clockOfRuns([long]).precise(alertAt);
    expect(time).toMatch(/^\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(renderMarkdown([{ report: long, expectations: results }])).toContain(`(measured ${time})`);
    expect(renderExpectations(results, plainPaint, true, clockOfRuns([long]))).toContain(`measured ${time}`);
  });
});

describe("a failed expectation on a time metric that never came", () => {
  it("says what null means for that metric", () => {
    const report = runWorld({
      config: smallWorldConfig({ durationMs: 10 * 60_000, deleteAtMs: null }),
      variantName: "fixed",
    }).report;
    expect(report.metrics.alertAt).toBeNull();
    expect(report.metrics.recoveredAt).toBeNull();
    const bound = (metric: "alertAt" | "recoveredAt"): Expectation => ({
      kind: "metric",
      variant: "fixed",
      metric,
      op: "<=",
      value: Date.parse(report.run.end),
      valueText: clockOf(Date.parse(report.run.end)),
    });
    const [alert, recovered] = judgeExpectations(
      [bound("alertAt"), bound("recoveredAt")],
      "fixed",
      report.metrics,
      report.verdicts,
    );
    expect(alert.ok).toBe(false);
    expect(alert.message).toMatch(/, measured null \(no alert fired\)$/);
    expect(recovered.message).toMatch(
      /, measured null \(no fix deploy, or the lag never came back within the SLO for good\)$/,
    );
  });
});

describe("expectations on the report's other extras", () => {
  it("parse from a scenario and judge the first panic, the deletion, the fix deploy, the worst lag and unexpected dues", () => {
    const parsed = parseScenario(
      `name: extras
description: The report's extras, expected.
start: 2026-05-08T09:30:00Z
duration: 20m
expect:
  - { variant: buggy, metric: firstPanicAt, op: "<=", value: "09:50" }
  - { variant: buggy, metric: deletionAt, op: "==", value: "09:35:30" }
  - { variant: buggy, metric: fixDeployAt, op: "!=", value: null }
  - { variant: buggy, metric: lagP99MsMax, op: ">", value: 0s }
  - { variant: buggy, metric: unexpectedDues, op: "==", value: 0 }
`,
      "extras.yaml",
    );
    if (!parsed.ok)
      throw new Error(parsed.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join("\n"));
    const expectations = parsed.scenario.expect;
    expect(expectations.map((e) => (e.kind === "metric" ? e.metric : e.property))).toEqual([
      "firstPanicAt",
      "deletionAt",
      "fixDeployAt",
      "lagP99MsMax",
      "unexpectedDues",
    ]);
    const report = runWorld({
      config: smallWorldConfig({ durationMs: 20 * 60_000 }),
      variantName: "buggy",
    }).report;
    expect(report.metrics.firstPanicAt).not.toBeNull();
    expect(report.metrics.deletionAt).not.toBeNull();
    expect(report.metrics.fixDeployAt).toBeNull();
    const results = judgeExpectations(expectations, "buggy", report.metrics, report.verdicts);
    // The small world has a panic and a deletion but no fix deploy: all hold but that one.
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      [results[0].name, true],
      [results[1].name, true],
      [results[2].name, false],
      [results[3].name, report.metrics.lagP99MsMax > 0],
      [results[4].name, report.metrics.unexpectedDues === 0],
    ]);
    expect(results[2].message).toMatch(/, measured null \(no deploy brought the fleet a fix\)$/);
  });
});

describe("an expectation on a duration metric written as a duration", () => {
  it("writes the measure as a duration in the terminal, Markdown and HTML reports, and keeps ms in the report", () => {
    const report = runWorld({
      config: smallWorldConfig({ durationMs: 15 * 60_000 }),
      variantName: "buggy",
    }).report;
    const lagMs = report.metrics.lagP99MsMax;
    expect(lagMs).toBeGreaterThan(60_000);
    const bound = (value: number, valueText: string): Expectation => ({
      kind: "metric",
      variant: "buggy",
      metric: "lagP99MsMax",
      op: "<",
      value,
      valueText,
    });
    const results = judgeExpectations(
      [bound(24 * 3_600_000, "24h"), bound(1_000, "1s")],
      "buggy",
      report.metrics,
      report.verdicts,
    );
    const shown = formatDuration(lagMs);
    const terminal = renderExpectations(results, plainPaint, true, clockOfRuns([report]));
    expect(terminal).toContain(`lagP99MsMax < 24h`);
    expect(terminal).toContain(`measured ${shown}`);
    expect(terminal).toContain(`expected lagP99MsMax < 1s, measured ${shown}`);
    expect(terminal).not.toContain(String(lagMs));
    const md = renderMarkdown([{ report, expectations: results }]);
    expect(md).toContain(`(measured ${shown})`);
    const html = renderHtmlReport({ runs: [{ report, expectations: results }], assets: ASSETS });
    expect(html).toContain(`measured ${shown}</td>`);
    expect(report.metrics.lagP99MsMax).toBe(lagMs);
  });
});

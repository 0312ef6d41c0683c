// Shows that the missed dues whose message failed at the destination at every attempt, refused or timed out (dead-lettered), are counted as such under missed, in the metrics, the terminal, Markdown, HTML and compare; that a scenario may expect none; and that a run with none shows no such row.
import { describe, expect, it } from "vitest";
import { compareVariants, runScenario } from "../../src/index.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderMetrics } from "../../src/report/terminal.js";

const WORLD = `
name: refused
description: every delivery refused for five minutes, with no retries
seed: 3
start: 2026-05-08T09:00:00Z
duration: 30m
fleet: { workers: 2, partitions: 8 }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 10
  schedulesPerAccount: { min: 1, max: 1 }
  cron: [{ expr: "* * * * *" }]
  destination: { latency: 100ms, jitter: 0, failureRate: 0 }
  retries: 0
`;
const REFUSED = `faults:\n  - { at: "09:05:30", fault: http-errors, rate: 1, status: 500, duration: 5m }\n`;

describe("dead-lettered deliveries", () => {
  it("are counted under missed, and shown there, where the destination refused every attempt", () => {
    const { report } = runScenario(`${WORLD}${REFUSED}`);
    const d = report.metrics.deliveries;
    // The dues of 09:06 to 09:10, ten schedules each, each refused once and dead-lettered (no retries).
    expect(d.missed).toBe(50);
    expect(d.deadLettered).toBe(50);
    expect(renderMetrics(report, plainPaint)).toContain(
      "50 missed (50 dead-lettered: every attempt failed at the destination, answered with an error or not in time)",
    );
    expect(renderMarkdown([{ report }])).toMatch(
      /\| &nbsp;&nbsp;missed \| 50 \|\n\| &nbsp;&nbsp;dead-lettered \| 50 \|/,
    );
    const html = renderHtmlReport({ runs: [{ report }], assets: { chartJs: "", chartCss: "" } });
    expect(html).toContain("&nbsp;dead-lettered</td>");
  });

  it("are said to have failed, not to have been refused, when no attempt got an answer", () => {
    const timedOut = `faults:\n  - { at: "09:05:30", fault: http-timeouts, rate: 1, duration: 5m }\n`;
    const { report } = runScenario(`${WORLD}${timedOut}`);
    expect(report.metrics.deliveries.deadLettered).toBe(50);
    const metrics = renderMetrics(report, plainPaint);
    expect(metrics).toContain(
      "(50 dead-lettered: every attempt failed at the destination, answered with an error or not in time)",
    );
    expect(metrics).not.toContain("refused");
    const missed = report.verdicts.find((v) => v.property === "no-missed-delivery")!;
    expect(missed.detail).toContain(
      "50 dead-lettered after every attempt failed at the destination (each sent, and answered with an error or not in time; reported in the dead-letter queue)",
    );
  });

  it("may be expected by a scenario", () => {
    const expecting = `${WORLD}${REFUSED}expect:\n  - { variant: fixed, metric: deliveries.deadLettered, op: "==", value: 0 }\n`;
    const { expectations } = runScenario(expecting, { variant: "fixed" });
    expect(expectations.map((e) => [e.name, e.ok, e.actual])).toEqual([
      ["deliveries.deadLettered == 0", false, "50"],
    ]);
  });

  it("are not shown where none was dead-lettered", () => {
    const { report } = runScenario(WORLD);
    expect(report.metrics.deliveries.deadLettered).toBe(0);
    expect(renderMetrics(report, plainPaint)).not.toContain("dead-lettered");
    expect(renderMarkdown([{ report }])).not.toContain("dead-lettered");
    const comparison = compareVariants(`${WORLD}${REFUSED}`, ["buggy", "fixed"]);
    expect(comparison.reports.map((r) => r.metrics.deliveries.deadLettered)).toEqual([50, 50]);
  });
});

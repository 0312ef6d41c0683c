// Shows that an alert's threshold on a metric in milliseconds (lagP50Ms, lagP99Ms) may be a duration, read in ms as an expectation's value is, and that a duration on a count metric, or one without a unit, is refused where it stands.
import { describe, expect, it } from "vitest";
import { formatIssues, parseScenario } from "../../src/scenario/index.js";

const TEXT = `name: alert-threshold
description: a lag rule with its threshold as a duration
start: 2026-05-08T09:30:00Z
duration: 5m
fleet: { workers: 2 }
workload: { accounts: 4 }
alerts:
  - { name: crash-rate, metric: crashesLastMinute, op: ">=", threshold: 3 }
  - { name: lag, metric: lagP99Ms, op: ">", threshold: 60s, for: 1m }
  - { name: median, metric: lagP50Ms, op: ">", threshold: 1m30s }
`;

describe("an alert's threshold", () => {
  it("is read in milliseconds when it is a duration on a metric in ms", () => {
    const parsed = parseScenario(TEXT, "alert-threshold.yaml");
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(parsed.scenario.alerts.map((a) => [a.name, a.threshold])).toEqual([
      ["crash-rate", 3],
      ["lag", 60_000],
      ["median", 90_000],
    ]);
  });

  it("refuses a duration on a count metric, saying why, at the threshold", () => {
    const parsed = parseScenario(TEXT.replace("threshold: 3 }", "threshold: 3s }"), "alert-threshold.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ line: 8, path: ["alerts", 0, "threshold"], found: '"3s"' });
    expect(parsed.issues[0].message).toContain(
      "crashesLastMinute is a count, not a time: its threshold is a number",
    );
  });

  it("refuses a duration without a unit on a metric in ms, suggesting one", () => {
    const parsed = parseScenario(TEXT.replace("threshold: 60s", 'threshold: "60"'), "alert-threshold.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]).toMatchObject({ line: 9, path: ["alerts", 1, "threshold"], suggestion: "60s" });
  });
});

// The HTML report's story counts its nouns: one worker, one panic death, one poison task.
import { describe, expect, it } from "vitest";
import { runClock } from "../../src/kernel/time.js";
import { storyOf } from "../../src/report/html/summary.js";
import type { RunReport } from "../../src/report/run-report.js";
import { runDocument, smallDocument } from "../explore/helpers.js";

const base = smallDocument();
const { report } = runDocument(smallDocument({ fleet: { ...base.fleet, workers: 1 } }));
const clock = runClock(Date.parse(report.run.start), Date.parse(report.run.end));

/**
 * The story of `report` with `metrics`; its `no-cascade` exercised, as in a run whose panic deaths
 * it judged (one it could not judge is told apart: see cascade-not-judged.test.ts).
 */
function story(metrics: Partial<RunReport["metrics"]>): string {
  const verdicts = report.verdicts.map((v) => (v.property === "no-cascade" ? { ...v, exercised: true } : v));
  return storyOf({ ...report, metrics: { ...report.metrics, ...metrics }, verdicts }, clock).join(" ");
}

describe("storyOf", () => {
  it("says one worker, not one workers", () => {
    expect(report.run.workers).toBe(1);
    expect(story({ fullOutageMs: 0, workersMinUp: 1 })).toContain("At least 1 of 1 worker served");
  });

  it("says one panic death, one panic recovered, one poison task", () => {
    expect(story({ cascade: false, panicDeaths: 1 })).toContain("No cascade, but 1 panic death.");
    expect(story({ cascade: false, panicDeaths: 0, panicsRecovered: 1, tasksQuarantined: 1 })).toContain(
      "1 panic recovered, 1 poison task quarantined.",
    );
    expect(story({ cascade: false, panicDeaths: 3 })).toContain("No cascade, but 3 panic deaths.");
  });

  it("says no delivery came due rather than that all 0 were on time, and one delivery or account, not one deliveries or accounts", () => {
    const deliveries = (due: number) => ({
      deliveries: { due, onTime: due, late: 0, missed: 0, duplicate: 0, afterDeletion: 0 },
    });
    const none = story(deliveries(0));
    expect(none).not.toContain("All 0 deliveries");
    expect(none).toContain("No delivery came due within the run.");
    expect(story(deliveries(1))).toContain("The 1 delivery due was on time (SLO ");
    expect(story(deliveries(1234))).toContain("All 1,234 deliveries on time (SLO ");
    const oneLate = { due: 5, onTime: 4, late: 1, missed: 0, duplicate: 0, afterDeletion: 0 };
    expect(story({ deliveries: oneLate, affectedAccounts: 1 })).toContain(
      "late and 0 missed, for 1 account;",
    );
  });
});

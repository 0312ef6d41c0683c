// Shows the May 8 replay matches the public timeline: alert near 09:46, recovery near 10:08, and the fix holds.
import { describe, expect, it } from "vitest";
import { runWorld } from "../../src/explore/run.js";
import { applyVariant } from "../../src/scenario/compile.js";
import { at, loadMay8 } from "./may8-scenario.js";

const MIN = 60_000;
const { compiled } = loadMay8();

describe("May 8 replay against the status page", () => {
  it("buggy: deletion before 09:46, alert within 2 min of 09:46, the fleet crash-loops, recovery within 3 min of 10:08", () => {
    const { report } = runWorld(applyVariant(compiled, "buggy")!);
    const m = report.metrics;
    expect(m.deletionAt).not.toBeNull();
    expect(Date.parse(m.deletionAt!)).toBeLessThan(at("09:46:00"));
    expect(m.alertAt).not.toBeNull();
    expect(Math.abs(Date.parse(m.alertAt!) - at("09:46:00"))).toBeLessThanOrEqual(2 * MIN);
    expect(m.recoveredAt).not.toBeNull();
    expect(Math.abs(Date.parse(m.recoveredAt!) - at("10:08:00"))).toBeLessThanOrEqual(3 * MIN);
    // The poison task went from worker to worker until every worker was down at some point.
    expect(m.cascade).toBe(true);
    expect(m.cascadeDepth).toBeGreaterThanOrEqual(report.run.workers - 2);
    expect(report.lanes).toHaveLength(report.run.workers);
    for (const lane of report.lanes) expect(lane.marks.length, lane.worker).toBeGreaterThan(0);
    expect(m.workersMinUp).toBe(0);
    expect(m.fullOutageMs).toBeGreaterThan(MIN);
    // Deliveries for many other accounts were late, none lost for good.
    expect(m.deliveries.late).toBeGreaterThan(1000);
    expect(m.affectedAccounts).toBeGreaterThan(100);
    expect(m.deliveries.afterDeletion).toBe(0);
    // Hand-offs of the poison task appear in the story.
    expect(report.timeline.some((e) => /took over partition .* poison schedule/.test(e.text))).toBe(true);
  });

  it("fixed: no alert, no crash, every delivery on time, the deleted account cleaned up", () => {
    const { report } = runWorld(applyVariant(compiled, "fixed")!);
    const m = report.metrics;
    expect(m.alertAt).toBeNull();
    expect(m.crashes).toBe(0);
    expect(m.deliveries.late).toBe(0);
    expect(m.deliveries.missed).toBe(0);
    expect(m.deliveries.onTime).toBe(m.deliveries.due);
    expect(m.deliveries.due).toBeGreaterThan(10_000);
    expect(m.deletedSchedulesLeft).toBe(0);
    expect(report.verdicts.every((v) => v.ok)).toBe(true);
  });
});

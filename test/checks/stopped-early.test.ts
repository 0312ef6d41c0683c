// Shows that a run stopped by a limit is measured up to the time it reached, not its horizon.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { stuckWithoutYielding } from "../../src/checks/run-info.js";
import { LaneRecorder } from "../../src/checks/worker-lanes.js";
import { at, TraceBuilder } from "./trace-builder.js";

const EVERY_5 = "*/5 * * * *";

/** A schedule due every 5 minutes, delivered on time up to minute 10, then the run stops. */
function stoppedAt(minutes: number, reason: string): TraceBuilder {
  const b = new TraceBuilder();
  b.start({ horizonMin: 60 });
  b.ready("w1");
  b.schedule("s1", "a", { cron: EVERY_5 });
  b.at(at(5, 10)).ack("s1", "a", at(5));
  b.at(at(10, 10)).ack("s1", "a", at(10));
  b.at(at(minutes)).emit("run.finished", { reason, events: 100 });
  return b;
}

describe("a run stopped early", () => {
  it("counts no due after the time reached as missed, at the event limit or the wall-clock budget", () => {
    for (const reason of ["max-events", "wall-budget"]) {
      const { metrics, verdicts } = computeReport(stoppedAt(12, reason).events);
      expect(metrics.deliveries, reason).toMatchObject({ due: 2, onTime: 2, missed: 0 });
      expect(verdicts.every((v) => v.ok)).toBe(true);
    }
  });

  it("still counts undelivered dues up to the horizon for a run that reached it", () => {
    const { metrics } = computeReport(stoppedAt(60, "horizon").events);
    expect(metrics.deliveries).toMatchObject({ onTime: 2, missed: 9 });
  });

  it("ends the worker lanes where the run stopped", () => {
    const lanes = new LaneRecorder();
    for (const e of stoppedAt(12, "wall-budget").events) lanes.onEvent(e);
    expect(lanes.finish(at(60))[0].segments.at(-1)?.to).toBe(at(12));
  });
});

describe("a wall-budget stop from a goroutine that never yielded", () => {
  it("is told apart from a run that was only slow, so the advice is not a bigger budget", () => {
    expect(
      stuckWithoutYielding(
        "hit the wall-clock budget (5000 ms): goroutine scheduler on w1#1 ran 5.0 s without yielding",
      ),
    ).toBe(true);
    expect(
      stuckWithoutYielding(
        "hit the wall-clock budget (50 ms): its thread was still busy 10.1 s after the run began and was stopped: a goroutine step never returned (a loop)",
      ),
    ).toBe(true);
    expect(stuckWithoutYielding("hit the wall-clock budget (5000 ms)")).toBe(false);
    expect(stuckWithoutYielding(undefined)).toBe(false);
  });
});

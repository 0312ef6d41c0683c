// Shows that a run stopped by a limit is measured up to the time it reached, not its horizon.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { CLOCK_ADVICE, loopAdvice, stuckWithoutYielding, YIELD_ADVICE } from "../../src/checks/run-info.js";
import { LaneRecorder } from "../../src/checks/worker-lanes.js";
import { limitAdviceText } from "../../src/cli/commands/stopped.js";
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

describe("an event-limit stop from a goroutine looping without the clock moving", () => {
  const looping =
    "hit the event limit (50000000 events): a goroutine is looping without the clock moving: goroutine scheduler on w1#1, the clock has not moved for the last 49999359 events";

  it("advises making the loop wait, not raising limits.maxEvents", () => {
    expect(loopAdvice(looping)).toBe(CLOCK_ADVICE);
    expect(limitAdviceText("maxEvents", looping, "neg.yaml")).toMatch(
      /^A bigger limit will not help: a scheduler goroutine yields over and over without the clock moving \(yield rt\.sleep\(0\), or a negative time, which returns at once as in Go\); make it wait/,
    );
  });

  it("is told apart from a world too big for its limit, and from a goroutine that never yields", () => {
    expect(loopAdvice("hit the event limit (50000000 events)")).toBeNull();
    expect(limitAdviceText("maxEvents", "hit the event limit (50000000 events)", "neg.yaml")).toBe(
      "Raise limits.maxEvents in neg.yaml to let it finish, or make the scenario smaller",
    );
    expect(
      loopAdvice(
        "hit the wall-clock budget (5000 ms): goroutine scheduler on w1#1 ran 5.0 s without yielding",
      ),
    ).toBe(YIELD_ADVICE);
  });
});

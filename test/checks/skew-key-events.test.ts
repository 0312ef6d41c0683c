// Shows how the key events tell clock skews: one of 0 sets the clock right whatever its duration, and one a later skew of the same worker replaced, or whose worker left the fleet, says when.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { clockSkewDetail } from "../../src/world/events.js";
import { at, TraceBuilder } from "./trace-builder.js";

function skew(b: TraceBuilder, worker: string, skewMs: number, how: string, durationMs?: number): void {
  b.emit("fault.injected", {
    fault: "clock-skew",
    worker,
    detail: clockSkewDetail(worker, skewMs, how),
    probe: 1,
    durationMs,
  });
}

function keyEvents(b: TraceBuilder): string[] {
  return computeReport(b.events).timeline.map((entry) => entry.text);
}

describe("clock skews in the key events", () => {
  it("say a skew was set right, or replaced, while it was on, and when", () => {
    const b = new TraceBuilder();
    b.start({ workers: 3, horizonMin: 30 });
    b.at(at(5));
    skew(b, "w1", -180_000, " to the end of the run", 25 * 60_000);
    skew(b, "w2", 60_000, " for 60000 ms", 60_000);
    skew(b, "w3", 5_000, " to the end of the run", 25 * 60_000);
    b.at(at(6));
    skew(b, "w1", 0, " for 30000 ms", 30_000);
    skew(b, "w3", -5_000, " to the end of the run", 24 * 60_000);
    b.at(at(7));
    skew(b, "w2", 0, ""); // w2's skew was over by then: it ends nothing
    expect(keyEvents(b)).toEqual([
      "fault clock-skew: w1 clock -3m to the end of the run (set right at 09:06:00)",
      "fault clock-skew: w2 clock +1m for 1m",
      "fault clock-skew: w3 clock +5s to the end of the run (replaced by another skew at 09:06:00)",
      "fault clock-skew: w1's clock set right",
      "fault clock-skew: w3 clock -5s to the end of the run",
      "fault clock-skew: w2's clock set right",
    ]);
  });

  it("say a skew on a worker that left the fleet while it was on ended then", () => {
    const b = new TraceBuilder();
    b.start({ workers: 3, horizonMin: 30 });
    b.at(at(5));
    skew(b, "w3", -180_000, " to the end of the run", 25 * 60_000);
    skew(b, "w2", 60_000, " for 60000 ms", 60_000);
    b.at(at(10));
    b.emit("worker.stopped", { worker: "w3", incarnation: 1, why: "scale-down" });
    b.emit("worker.removed", { worker: "w3" });
    // w2's skew was over: its removal ends nothing.
    b.emit("worker.stopped", { worker: "w2", incarnation: 1, why: "scale-down" });
    b.emit("worker.removed", { worker: "w2" });
    expect(keyEvents(b)).toEqual([
      "fault clock-skew: w3 clock -3m to the end of the run (w3 removed at 09:10:00)",
      "fault clock-skew: w2 clock +1m for 1m",
    ]);
  });
});

// Shows that every fault kind a scenario may name acts in a world where it has something to act on: each is applied (`applyFault`), fires (`fault.injected`) and is counted in the chaos state's tallies, so that a kind added to the vocabulary but left out of the faults' code fails here rather than doing nothing.
import { describe, expect, it } from "vitest";
import { scheduleFaults, type TimedFault } from "../../src/faults/schedule.js";
import type { FaultName } from "../../src/scenario/vocabulary.js";
import { FAULT_NAMES } from "../../src/scenario/vocabulary.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "../world/helpers.js";

const AT = START + 2 * MIN + 30_000;

/** One fault of each kind, with something to act on in the small world (sched-poison-1 fires each minute). */
const ONE_OF_EACH: Record<FaultName, TimedFault> = {
  "kill-worker": { atMs: AT, fault: "kill-worker", worker: "w1" },
  "pause-worker": { atMs: AT, fault: "pause-worker", worker: "w1", durationMs: 20_000 },
  "store-latency": { atMs: AT, fault: "store-latency", durationMs: 60_000, latencyMs: 50 },
  "store-outage": { atMs: AT, fault: "store-outage", durationMs: 10_000 },
  "clock-skew": { atMs: AT, fault: "clock-skew", worker: "w1", skewMs: 10_000, durationMs: 60_000 },
  "inject-panic": { atMs: AT, fault: "inject-panic", point: "before-delivery", schedule: "sched-poison-1" },
  hang: { atMs: AT, fault: "hang", schedule: "sched-poison-1", durationMs: 5_000 },
  "http-errors": { atMs: AT, fault: "http-errors", durationMs: 2 * MIN, rate: 1 },
  "http-timeouts": { atMs: AT, fault: "http-timeouts", durationMs: 2 * MIN, rate: 1 },
};

/** Two workers, four accounts and sched-poison-1, six minutes, the fixed scheduler. */
function smallWorld() {
  return smallWorldConfig({ fixes: FIXED, workers: 2, accounts: 4, deleteAtMs: null, durationMs: 6 * MIN });
}

describe("every fault kind", () => {
  it.each([...FAULT_NAMES])("%s fires where it has something to act on, and is counted", (name) => {
    const fault = ONE_OF_EACH[name];
    expect(fault.fault).toBe(name);
    const config = smallWorld();
    const { world, events } = runWorld(config, (w) => scheduleFaults(w, [fault]));
    const fired = eventsOf(events, "fault.injected").filter((e) => e.fault === name);
    expect(fired.length, `${name}: no fault.injected`).toBeGreaterThan(0);
    expect(fired[0].t).toBeGreaterThanOrEqual(AT);
    expect(eventsOf(events, "fault.skipped").filter((e) => e.fault === name)).toEqual([]);
    expect(world.chaos.fired.faults.get(name), name).toBe(1);
  });
});

describe("an HTTP fault's rate in its trace text", () => {
  it("is written to the precision given, so a rate under half a percent is not said to be 0%", () => {
    const config = smallWorld();
    const { events } = runWorld(config, (w) =>
      scheduleFaults(w, [{ atMs: AT, fault: "http-errors", durationMs: MIN, rate: 0.001 }]),
    );
    const armed = eventsOf(events, "operator.action").find((e) => e.action === "arm-http-errors")!;
    expect(armed.detail).toBe("0.1% of deliveries answer 503 for 60000 ms");
    const skipped = eventsOf(events, "fault.skipped").find((e) => e.fault === "http-errors")!;
    expect(skipped.reason).toMatch(/\(rate 0\.1%\)$/);
  });
});

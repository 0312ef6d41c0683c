// Shows that a store-latency fault's effect lasts its window plus its latency: a call made at the window's end lands that much later, and the quiet point waits for it.
import { describe, expect, it } from "vitest";
import { scheduleFaults } from "../../src/faults/schedule.js";
import { eventsOf, FIXED, MIN, reportOf, runWorld, START, smallWorldConfig } from "../world/helpers.js";

const AT = START + 2 * MIN;
const CONFIG = smallWorldConfig({
  fixes: FIXED,
  workers: 2,
  accounts: 4,
  deleteAtMs: null,
  durationMs: 12 * MIN,
});

describe("store-latency", () => {
  it("traces its window plus its latency as its duration, and the quiet point is its end", () => {
    const { events } = runWorld(CONFIG, (w) =>
      scheduleFaults(w, [{ atMs: AT, fault: "store-latency", durationMs: 10_000, latencyMs: 2 * MIN }]),
    );
    const [fault] = eventsOf(events, "fault.injected");
    expect(fault).toMatchObject({ fault: "store-latency", durationMs: 10_000 + 2 * MIN });
    expect(fault.detail).toBe("store calls +120000 ms for 10000 ms");
    // The effect outlasts the window: a due after the window's end, before its latency was over, was late.
    const late = eventsOf(events, "delivery.acked").filter((e) => e.due > AT + 10_000 && e.t - e.due > MIN);
    expect(late.length).toBeGreaterThan(0);
    const quiet = reportOf(events).verdicts.find((v) => v.property === "deliveries-on-time-after-quiet")!;
    expect(quiet.detail).toContain(
      "quiet point: the end at 09:34:10 of the store-latency fault at 09:32:00 (2m10s)",
    );
  });

  it("traces overlapping faults with the total latency in force, so the quiet point waits for the slowest call", () => {
    const { events } = runWorld(CONFIG, (w) =>
      scheduleFaults(w, [
        { atMs: AT, fault: "store-latency", durationMs: 10_000, latencyMs: 2 * MIN },
        { atMs: AT, fault: "store-latency", durationMs: 10_000, latencyMs: 2 * MIN },
      ]),
    );
    const [first, second] = eventsOf(events, "fault.injected");
    // The first traced alone; the second with both: a call made in the window lands 4 minutes later.
    expect(first).toMatchObject({ fault: "store-latency", durationMs: 10_000 + 2 * MIN });
    expect(second).toMatchObject({ fault: "store-latency", durationMs: 10_000 + 4 * MIN });
    const slowest = Math.max(
      ...eventsOf(events, "delivery.acked")
        .filter((e) => e.due <= AT + 10_000)
        .map((e) => e.t),
    );
    expect(slowest).toBeGreaterThan(AT + 10_000 + 2 * MIN);
    expect(slowest).toBeLessThanOrEqual(AT + 10_000 + 4 * MIN + MIN);
    const quiet = reportOf(events).verdicts.find((v) => v.property === "deliveries-on-time-after-quiet")!;
    expect(quiet.detail).toContain(
      "quiet point: the end at 09:36:10 of the store-latency fault at 09:32:00 (4m10s)",
    );
  });
});

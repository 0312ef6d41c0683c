// Shows that a failed delivery is traced with the destination's own answer: its HTTP status, or 0 when it did not answer in time.
import { describe, expect, it } from "vitest";
import { eventsOf, FIXED, MIN, runWorld, type SmallWorldOptions, smallWorldConfig } from "./helpers.js";

function failedStatuses(destination: SmallWorldOptions["destination"]): Map<number, number> {
  const { events } = runWorld(
    smallWorldConfig({ fixes: FIXED, deleteAtMs: null, durationMs: 10 * MIN, destination }),
  );
  const counts = new Map<number, number>();
  for (const e of eventsOf(events, "delivery.failed")) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  return counts;
}

describe("delivery.failed", () => {
  it("carries the destination's HTTP status when it answered with an error", () => {
    const counts = failedStatuses({ failureRate: 0.05 });
    expect([...counts.keys()]).toEqual([500]);
    expect(counts.get(500)).toBeGreaterThan(20);
  });

  it("carries status 0 when the destination did not answer before the timeout", () => {
    const counts = failedStatuses({ latencyMs: 200, jitter: 0, timeoutMs: 100 });
    expect([...counts.keys()]).toEqual([0]);
    expect(counts.get(0)).toBeGreaterThan(20);
  });
});

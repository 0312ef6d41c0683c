// Shows that a failed delivery is traced with the destination's own answer: its HTTP status, or 0 when it did not answer in time (an answer exactly at the timeout is in time).
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

  it("is not traced for an answer that arrives exactly at the timeout: only a slower one times out", () => {
    const { events } = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        deleteAtMs: null,
        durationMs: 5 * MIN,
        destination: { latencyMs: 100, jitter: 0, timeoutMs: 100 },
      }),
    );
    expect(eventsOf(events, "delivery.failed")).toEqual([]);
    const sent = new Map(eventsOf(events, "delivery.sent").map((e) => [e.message, e.t]));
    const acked = eventsOf(events, "delivery.acked");
    expect(acked.length).toBeGreaterThan(20);
    for (const e of acked) expect([e.status, e.t - sent.get(e.message)!]).toEqual([200, 100]);
  });
});

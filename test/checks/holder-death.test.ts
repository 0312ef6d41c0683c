// Shows the one predicate the key events and the causal chain share for a stop that ends a worker's leases like a death: a crash, a frozen worker killed, a stop that gave no lease back in a store outage.
import { describe, expect, it } from "vitest";
import { isHolderDeath } from "../../src/checks/holder-death.js";
import type { TraceEvent } from "../../src/kernel/trace.js";

function event(type: string, fields: Record<string, unknown> = {}): TraceEvent {
  return { t: 0, seq: 1, type, cause: null, ...fields } as TraceEvent;
}

const stop = { worker: "w1", incarnation: 1, why: "deploy" };

describe("a holder's death", () => {
  it("is a crash, a kill of a frozen worker, or a stop that left leases unreleased", () => {
    expect(isHolderDeath(event("worker.crashed", { worker: "w1", reason: "panic" }))).toBe(true);
    expect(isHolderDeath(event("worker.stopped", { ...stop, graceful: false }))).toBe(true);
    expect(isHolderDeath(event("worker.stopped", { ...stop, unreleased: 3 }))).toBe(true);
  });

  it("is not a graceful stop that gave its leases back, another event, or none", () => {
    expect(isHolderDeath(event("worker.stopped", stop))).toBe(false);
    expect(isHolderDeath(event("worker.stopped", { ...stop, abandoned: 2 }))).toBe(false);
    expect(isHolderDeath(event("worker.stopping", { ...stop, inFlight: 1 }))).toBe(false);
    expect(isHolderDeath(event("lease.expired", { worker: "w1", partition: 0 }))).toBe(false);
    expect(isHolderDeath(undefined)).toBe(false);
  });
});

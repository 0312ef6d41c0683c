// Shows how a lease taken is worded: from the worker that held it, or again by the worker whose own lease had expired (after a restart, or a stall of the store), never "w3 from w3".
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { describeEvent } from "../../src/report/event-words.js";

function acquired(worker: string, previous: string | null): TraceEvent {
  return { t: 0, seq: 1, type: "lease.acquired", cause: null, worker, partition: 90, token: 4, previous };
}

describe("a lease acquired", () => {
  it("names the worker it came from", () => {
    expect(describeEvent(acquired("w5", "w3"))).toBe("w5 acquired partition 90 from w3");
  });

  it("says a worker took back its own expired lease", () => {
    expect(describeEvent(acquired("w3", "w3"))).toBe(
      "w3 acquired partition 90 again (its own lease had expired)",
    );
  });

  it("names nobody for a free partition", () => {
    expect(describeEvent(acquired("w1", null))).toBe("w1 acquired partition 90");
  });
});

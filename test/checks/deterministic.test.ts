// Shows the deterministic verdict: equal hashes hold; different ones name the first divergence.
import { describe, expect, it } from "vitest";
import { deterministicVerdict } from "../../src/checks/index.js";

describe("deterministic verdict", () => {
  it("holds on equal hashes", () => {
    expect(deterministicVerdict("00ff", "00ff")).toEqual({
      property: "deterministic",
      ok: true,
      detail: "two runs produced the same trace (hash 00ff)",
      events: [],
    });
  });

  it("fails on different hashes and shows where the traces part", () => {
    const a = { t: 5, seq: 7, type: "lease.acquired", cause: 3, worker: "w1" };
    const v = deterministicVerdict("00ff", "0100", { seq: 7, a, b: undefined });
    expect(v.ok).toBe(false);
    expect(v.events).toEqual([7]);
    expect(v.detail).toContain("hash 00ff vs 0100");
    expect(v.detail).toContain(
      'first divergence at seq 7: {"t":5,"seq":7,"type":"lease.acquired","cause":3,"worker":"w1"} vs (no event: the run had ended)',
    );
  });
});

describe("deterministic verdict of two events cut short alike", () => {
  it("names the fields that differ, which a long event's shortened text may hide", () => {
    // A module that reads Date.now() for a retry time: the events differ only in their last field.
    const event = {
      t: 1778233200242,
      seq: 4431,
      type: "delivery.failed",
      cause: 4376,
      worker: "w3",
      schedule: "sched-000111",
      account: "acct-00060",
      partition: 2,
      due: 1778233200000,
      task: "sched-000111@1778233200000",
      message: "sched-000111@1778233200000/m1",
      attempt: 0,
      status: 503,
    };
    const v = deterministicVerdict("00ff", "0100", {
      seq: 4431,
      a: { ...event, retryAt: 1795950643247 },
      b: { ...event, retryAt: 1795950643250 },
    });
    expect(v.detail).toMatch(/; differs: retryAt \(1795950643247 vs 1795950643250\)$/);
  });
});

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

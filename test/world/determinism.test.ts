// Shows that a world is a function of its config and seed: same inputs, same trace hash (run whole or in steps); another seed or variant, another trace.
import { describe, expect, it } from "vitest";
import { FIXED, MIN, runWorld, START, smallWorldConfig, stepWorld } from "./helpers.js";

describe("determinism", () => {
  const chaotic = {
    durationMs: 12 * MIN,
    store: { failureRate: 0.01 },
    destination: { failureRate: 0.05 },
    timeline: [
      { action: "kill-worker" as const, worker: "random", atMs: START + 3 * MIN + 123 },
      { action: "pause-worker" as const, worker: "w2", durationMs: 40_000, atMs: START + 7 * MIN },
    ],
  };

  it("gives the same trace for the same config and seed", () => {
    const a = runWorld(smallWorldConfig(chaotic));
    const b = runWorld(smallWorldConfig(chaotic));
    expect(a.events.length).toBeGreaterThan(1000);
    expect(b.hash).toBe(a.hash);
    expect(b.events).toEqual(a.events);
    expect(b.world.sim.events).toBe(a.world.sim.events);
  });

  it("gives the same trace whether run at once or stepped with runUntil", () => {
    const whole = runWorld(smallWorldConfig(chaotic));
    const stepped = stepWorld(smallWorldConfig(chaotic), 7_919, () => {});
    expect(stepped.hash).toBe(whole.hash);
  });

  it("gives another trace for another seed, and for another variant of the same world", () => {
    const hashes = new Set([
      runWorld(smallWorldConfig({ ...chaotic, seed: 1 })).hash,
      runWorld(smallWorldConfig({ ...chaotic, seed: 2 })).hash,
      runWorld(smallWorldConfig({ ...chaotic, seed: 1, fixes: FIXED })).hash,
    ]);
    expect(hashes.size).toBe(3);
  });
});

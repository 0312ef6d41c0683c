// Shows that after the fleet grows, leases converge to a fair share: every worker holds the floor or the ceiling of partitions per worker, and none is left idle.
import { describe, expect, it } from "vitest";
import type { World } from "../../src/world/world.js";
import { expectExclusiveOwnership, FIXED, MIN, START, smallWorldConfig, stepWorld } from "./helpers.js";

/** Valid leases held by each worker with a live process, in worker order. */
function leasesHeld(world: World): Map<string, number> {
  const held = new Map<string, number>();
  for (const slot of world.slots) if (slot.process !== null) held.set(slot.id, 0);
  for (let p = 0; p < world.store.partitionCount; p++) {
    const lease = world.store.lease(p);
    if (lease.owner === null || lease.expiresAt <= world.sim.now) continue;
    held.set(lease.owner, (held.get(lease.owner) ?? 0) + 1);
  }
  return held;
}

describe("fair share after a scale-up", () => {
  it.each([
    { partitions: 12, from: 3, to: 5 },
    { partitions: 16, from: 4, to: 6 },
    { partitions: 8, from: 2, to: 3 },
    { partitions: 16, from: 4, to: 7 },
    { partitions: 32, from: 4, to: 8 },
  ])("$partitions partitions, $from -> $to workers: each ends with the floor or the ceiling", (c) => {
    const scaleAt = START + 2 * MIN;
    const settledAt = scaleAt + 2 * MIN;
    const config = smallWorldConfig({
      fixes: FIXED,
      workers: c.from,
      accounts: 10,
      deleteAtMs: null,
      durationMs: 6 * MIN,
      fleet: { partitions: c.partitions },
      timeline: [{ action: "scale", workers: c.to, atMs: scaleAt }],
    });
    const shareMin = Math.floor(c.partitions / c.to);
    const shareMax = Math.ceil(c.partitions / c.to);
    let settledScans = 0;
    let releasesAtSettle = -1;
    const { events } = stepWorld(config, 10_000, (world, now, trace) => {
      if (now < settledAt) return;
      const held = leasesHeld(world);
      expect(held.size).toBe(c.to);
      for (const [worker, n] of held) {
        expect(n, `${worker} at +${(now - START) / 1000}s`).toBeGreaterThanOrEqual(shareMin);
        expect(n, `${worker} at +${(now - START) / 1000}s`).toBeLessThanOrEqual(shareMax);
      }
      expect([...held.values()].reduce((a, b) => a + b, 0)).toBe(c.partitions);
      // Once converged, nobody hands leases back and forth.
      const releases = trace.filter((e) => e.type === "lease.released").length;
      if (releasesAtSettle < 0) releasesAtSettle = releases;
      expect(releases).toBe(releasesAtSettle);
      settledScans++;
    });
    expect(settledScans).toBeGreaterThan(10);
    expectExclusiveOwnership(events);
  });
});

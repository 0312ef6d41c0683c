// Shows that after the fleet grows, leases converge to a fair share: every worker holds the floor or the ceiling of partitions per worker, none is left idle, no member at or above the floor takes what a newcomer needs, and a stopped worker releases the partitions it was draining.
import { describe, expect, it } from "vitest";
import type { World } from "../../src/world/world.js";
import {
  eventsOf,
  expectExclusiveOwnership,
  FIXED,
  MIN,
  START,
  smallWorldConfig,
  stepWorld,
} from "./helpers.js";

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

interface ScaleUp {
  partitions: number;
  from: number;
  to: number;
  seed?: number;
}

/** The fixed scheduler on `from` workers, scaled up to `to` at `scaleAt`. */
function scaleUpConfig(c: ScaleUp, scaleAt: number, durationMs: number) {
  return smallWorldConfig({
    seed: c.seed ?? 1,
    fixes: FIXED,
    workers: c.from,
    accounts: 10,
    deleteAtMs: null,
    durationMs,
    fleet: { partitions: c.partitions },
    timeline: [{ action: "scale", workers: c.to, atMs: scaleAt }],
  });
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
    const config = scaleUpConfig(c, scaleAt, 6 * MIN);
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

describe("a worker stopped while it drains partitions it gave back", () => {
  it("releases the draining leases as it stops, as it does those it owns, once its tasks under way are done", () => {
    // Long deliveries keep tasks in flight, so a partition given back drains for a while.
    const config = smallWorldConfig({
      fixes: FIXED,
      workers: 4,
      accounts: 30,
      deleteAtMs: null,
      durationMs: 6 * MIN,
      destination: { latencyMs: 20_000, jitter: 0 },
      timeline: [{ action: "scale", workers: 8, atMs: START + MIN }],
    });
    let stopped: { worker: string; at: number; draining: [number, number][] } | null = null;
    const { events } = stepWorld(config, 500, (world, now) => {
      if (stopped !== null) return;
      const slot = world.slots.find((s) => s.process !== null && s.draining.size > 0);
      if (slot === undefined) return;
      const draining = [...slot.draining].map(([partition, [token]]): [number, number] => [partition, token]);
      stopped = { worker: slot.id, at: now, draining };
      world.perform({ action: "restart-worker", worker: slot.id });
    });
    expect(stopped, "no worker was ever draining").not.toBeNull();
    const { worker, at, draining } = stopped!;
    // Its 20 s deliveries under way are waited for (a graceful stop), within the 30 s grace.
    const stopping = eventsOf(events, "worker.stopping").find((e) => e.worker === worker && e.t === at);
    expect(stopping?.inFlight).toBeGreaterThan(0);
    const end = eventsOf(events, "worker.stopped").find((e) => e.worker === worker && e.t >= at)!;
    expect(end.t).toBeGreaterThan(at);
    expect(end.t - at).toBeLessThanOrEqual(30_000);
    const released = eventsOf(events, "lease.released")
      .filter((e) => e.worker === worker && e.t >= at && e.t <= end.t)
      .map((e): [number, number] => [e.partition, e.token]);
    for (const lease of draining) expect(released).toContainEqual(lease);
    const expired = eventsOf(events, "lease.expired").filter((e) => e.worker === worker && e.t >= at);
    expect(expired).toEqual([]);
    expectExclusiveOwnership(events);
  });
});

describe("taking partitions while a newcomer is short", () => {
  it.each([
    { partitions: 12, from: 3, to: 5, seed: 1 },
    { partitions: 12, from: 3, to: 5, seed: 2 },
    { partitions: 16, from: 4, to: 7, seed: 3 },
    { partitions: 7, from: 2, to: 3, seed: 2 },
  ])(
    "$partitions partitions, $from -> $to workers, seed $seed: a member at or above the floor leaves free partitions to those below it",
    (c) => {
      const scaleAt = START + 2 * MIN;
      const config = scaleUpConfig(c, scaleAt, 5 * MIN);
      const greedy: string[] = [];
      let acquired = 0;
      const { world } = stepWorld(
        config,
        config.durationMs,
        () => {},
        (w) => {
          const store = w.store;
          const acquire = store.acquire.bind(store);
          // One rebalance tick takes its partitions at one instant: count them to know what the
          // taker held when its tick began.
          let tick = "";
          let takenInTick = 0;
          store.acquire = (worker, partition) => {
            const now = w.sim.now;
            if (`${worker}@${now}` !== tick) [tick, takenInTick] = [`${worker}@${now}`, 0];
            const held = store.leasesByMember(worker);
            const shareMin = Math.floor(store.partitionCount / held.size);
            if (now > scaleAt && held.get(worker)! - takenInTick >= shareMin) {
              let othersShort = 0;
              for (const [other, n] of held) if (other !== worker) othersShort += Math.max(0, shareMin - n);
              let freeLeft = 0;
              for (let p = 0; p < store.partitionCount; p++) {
                const lease = store.lease(p);
                if (p !== partition && (lease.owner === null || lease.expiresAt <= now)) freeLeft++;
              }
              if (freeLeft < othersShort) greedy.push(`${worker} took ${partition} at +${now - scaleAt} ms`);
            }
            const token = acquire(worker, partition);
            if (token >= 0) [takenInTick, acquired] = [takenInTick + 1, acquired + 1];
            return token;
          };
        },
      );
      expect(acquired).toBeGreaterThan(0);
      expect(greedy).toEqual([]);
      const held = leasesHeld(world);
      expect(held.size).toBe(c.to);
      for (const n of held.values()) {
        expect(n).toBeGreaterThanOrEqual(Math.floor(c.partitions / c.to));
        expect(n).toBeLessThanOrEqual(Math.ceil(c.partitions / c.to));
      }
    },
  );
});

// Shows that a dead owner's partitions pass to another worker within lease TTL + one rebalance interval (while the fleet changes in other ways too), that no partition ever has two live owners, that a lease is free to a rebalance tick at its very expiry, and that a schedule quarantined meanwhile is not handed over.
import { describe, expect, it } from "vitest";
import { injectPanic } from "../../src/faults/index.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { DEFAULT_FLEET, type TimedAction } from "../../src/world/config.js";
import type { World } from "../../src/world/world.js";
import {
  type Crash,
  eventsOf,
  expectExclusiveOwnership,
  FIXED,
  leaseGrants,
  MIN,
  panicDeaths,
  runWorld,
  START,
  smallWorldConfig,
  stepWorld,
} from "./helpers.js";

const STEP_MS = 1_000;
/** Store calls take 2 ms ± 50 %; a second of slack covers them and the step of the scans. */
const SLACK_MS = 1_000;
/** A lease runs out TTL after its last renewal, and someone's rebalance tick (±10 % jitter) follows. */
const HANDOFF_BOUND_MS = DEFAULT_FLEET.leaseTtlMs + DEFAULT_FLEET.rebalanceIntervalMs * 1.1 + SLACK_MS;

/**
 * For each partition the crashed process still held, the next grant goes to another process
 * within `boundMs` of the crash. Returns the number of partitions handed off.
 */
function expectHandoff(events: readonly TraceEvent[], crash: Crash, boundMs: number): number {
  const grants = leaseGrants(events);
  const held = grants.filter(
    (g) =>
      g.worker === crash.worker &&
      g.incarnation === crash.incarnation &&
      g.liveUntil === crash.t &&
      g.validUntil > crash.t,
  );
  for (const g of held) {
    const next = grants.find((n) => n.partition === g.partition && n.token > g.token);
    expect(next, `partition ${g.partition} of ${crash.worker} never taken over`).toBeDefined();
    expect(`${next!.worker}#${next!.incarnation}`).not.toBe(`${crash.worker}#${crash.incarnation}`);
    expect(next!.previous, "the taker names the dead owner").toBe(crash.worker);
    expect(next!.from - crash.t, `partition ${g.partition} taken over late`).toBeLessThanOrEqual(boundMs);
  }
  return held.length;
}

/**
 * Scans the live state every step: the store passes its own state checker, every live worker
 * holds exactly the leases it believes it holds, and no partition stays without a live owner
 * longer than `boundMs`. Returns the longest time a partition went without a live owner.
 */
function leaseScanner(boundMs: number) {
  const orphanSince = new Map<number, number>();
  let longestOrphanMs = 0;
  let scans = 0;
  const onStep = (world: World, now: number, events: readonly TraceEvent[]): void => {
    world.store.verify();
    scans++;
    // The lease table itself: a valid lease belongs to a live process that knows it holds it
    // (serving or draining it), or to a dead incarnation whose lease has not run out yet.
    for (let p = 0; p < world.store.partitionCount; p++) {
      const lease = world.store.lease(p);
      if (lease.owner === null || lease.expiresAt <= now) continue;
      expect(lease.expiresAt - now).toBeLessThanOrEqual(world.store.leaseTtlMs);
      const slot = world.slot(lease.owner)!;
      const known = slot.owned.get(p) === lease.token || slot.draining.get(p)?.[0] === lease.token;
      if (slot.process !== null && known) continue;
      const granted = events[lease.acquiredSeq!];
      expect(granted).toMatchObject({ type: "lease.acquired", partition: p, token: lease.token });
      expect(granted.t, `partition ${p}: ${lease.owner}'s live process does not know its lease`).toBeLessThan(
        slot.process === null ? Number.POSITIVE_INFINITY : slot.startedAt,
      );
    }
    const liveOwners = new Map<number, string[]>();
    for (const slot of world.slots) {
      if (slot.process === null || slot.paused) continue;
      for (const [partition, token] of slot.owned) {
        expect(
          world.store.holds(slot.id, partition, token),
          `${slot.id} believes it holds ${partition}`,
        ).toBe(true);
        liveOwners.set(partition, [...(liveOwners.get(partition) ?? []), slot.id]);
      }
    }
    for (let p = 0; p < world.store.partitionCount; p++) {
      const owners = liveOwners.get(p) ?? [];
      expect(owners.length, `partition ${p} owned by ${owners.join(" and ")}`).toBeLessThanOrEqual(1);
      if (owners.length === 1) {
        orphanSince.delete(p);
        continue;
      }
      const since = orphanSince.get(p) ?? now - STEP_MS;
      orphanSince.set(p, since);
      longestOrphanMs = Math.max(longestOrphanMs, now - since);
      expect(
        now - since,
        `partition ${p} without a live owner since ${since - START} ms`,
      ).toBeLessThanOrEqual(boundMs + STEP_MS);
    }
  };
  return { onStep, result: () => ({ longestOrphanMs, scans }) };
}

describe("lease handoff after a kill", () => {
  const killAt = START + 3 * MIN + 17;
  it.each([
    { name: "the restarted worker takes its partitions back", workers: 4, backoffInitialMs: 10_000 },
    { name: "the others take over while it waits in back-off", workers: 4, backoffInitialMs: 120_000 },
    // 16 partitions over 5 workers leave room under the fair share: takers wait for nothing but expiry.
    {
      name: "survivors with room take over as soon as the leases expire",
      workers: 5,
      backoffInitialMs: 60_000,
    },
  ])("$name", ({ workers, backoffInitialMs }) => {
    const scanner = leaseScanner(HANDOFF_BOUND_MS);
    const config = smallWorldConfig({
      fixes: FIXED,
      workers,
      deleteAtMs: null,
      durationMs: 8 * MIN,
      fleet: { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs } },
      timeline: [{ action: "kill-worker", worker: "w2", atMs: killAt }],
    });
    const { events } = stepWorld(config, STEP_MS, scanner.onStep);
    const crashes = eventsOf(events, "worker.crashed");
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({ worker: "w2", reason: "killed", t: killAt });
    expect(expectHandoff(events, crashes[0], HANDOFF_BOUND_MS)).toBeGreaterThanOrEqual(3);
    expect(expectExclusiveOwnership(events)).toBeGreaterThan(100);
    const { longestOrphanMs, scans } = scanner.result();
    expect(scans).toBe(8 * 60);
    // The kill really orphaned partitions for a while (at least until the leases ran out).
    expect(longestOrphanMs).toBeGreaterThanOrEqual(DEFAULT_FLEET.leaseTtlMs - DEFAULT_FLEET.heartbeatMs);
    const takers = new Set(
      leaseGrants(events)
        .filter((g) => g.previous === "w2" && g.from > killAt)
        .map((g) => g.worker),
    );
    if (backoffInitialMs > HANDOFF_BOUND_MS) expect(takers.has("w2")).toBe(false);
    else expect([...takers]).toEqual(["w2"]);
  });
});

describe("a rebalance tick at the very time a lease runs out", () => {
  it("sees the partition free, as the store does when it grants it", () => {
    // w2 is killed and stays down; w1's first rebalance tick after w2's leases ran out is made
    // to fall exactly on their expiry by moving the expiry to that tick.
    const killAt = START + MIN;
    const config = smallWorldConfig({
      fixes: FIXED,
      workers: 2,
      accounts: 10,
      deleteAtMs: null,
      durationMs: 3 * MIN,
      fleet: { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 10 * MIN } },
      timeline: [{ action: "kill-worker", worker: "w2", atMs: killAt }],
    });
    let tickAt = -1;
    const moved: number[] = [];
    const { events } = runWorld(config, (world) => {
      const store = world.store;
      const fleetView = store.fleetView.bind(store);
      store.fleetView = (self) => {
        const now = world.sim.now;
        if (self === "w1" && tickAt < 0 && now > killAt) {
          const leases = Array.from({ length: store.partitionCount }, (_, p) => [p, store.lease(p)] as const);
          const w2 = leases.filter(([, lease]) => lease.owner === "w2");
          if (w2.length > 0 && w2.every(([, lease]) => lease.expiresAt <= now)) {
            tickAt = now;
            for (const [p, lease] of w2) {
              (lease as { expiresAt: number }).expiresAt = now;
              moved.push(p);
            }
          }
        }
        return fleetView(self);
      };
    });
    expect(moved.length).toBeGreaterThan(0);
    const taken = eventsOf(events, "lease.acquired").filter((e) => e.previous === "w2" && e.t === tickAt);
    expect(taken.every((e) => e.worker === "w1")).toBe(true);
    expect(taken.map((e) => e.partition).sort((a, b) => a - b)).toEqual(moved);
    const expired = eventsOf(events, "lease.expired").filter((e) => e.worker === "w2");
    expect(expired.map((e) => [e.t, e.expiredAt])).toEqual(moved.map(() => [tickAt, tickAt]));
  });
});

describe("lease handoff after a quick restart", () => {
  // The dead worker's new process registers when it is ready, so the survivors, already at the
  // smaller share, leave the expired leases to it: the handoff then waits for its first rebalance.
  const fleet = {
    workers: 3,
    partitions: 8,
    leaseTtlMs: 20_000,
    heartbeatMs: 5_000,
    rebalanceIntervalMs: 10_000,
    supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 10_000 },
  };
  const boundMs = fleet.leaseTtlMs + fleet.rebalanceIntervalMs * 1.1 + SLACK_MS;
  const killAt = START + 3 * MIN;
  it.each([0, 5_000, 10_000, 12_500, 15_000, 17_500, 20_000, 30_000])(
    "hands over within lease TTL plus one rebalance interval with a start-up of %i ms",
    (startupTimeMs) => {
      for (const seed of [1, 2, 3]) {
        const scanner = leaseScanner(boundMs);
        const config = smallWorldConfig({
          fixes: FIXED,
          seed,
          accounts: 10,
          deleteAtMs: null,
          durationMs: 4 * MIN,
          fleet: { ...fleet, startupTimeMs },
          timeline: [{ action: "kill-worker", worker: "w1", atMs: killAt }],
        });
        const { events } = stepWorld(config, STEP_MS, scanner.onStep);
        const crashes = eventsOf(events, "worker.crashed");
        expect(crashes).toHaveLength(1);
        expect(expectHandoff(events, crashes[0], boundMs), `seed ${seed}`).toBeGreaterThan(0);
        expectExclusiveOwnership(events);
      }
    },
  );
});

describe("lease handoff after a panic", () => {
  it("hands the dead worker's partitions over, and the poison task with them", () => {
    const scanner = leaseScanner(HANDOFF_BOUND_MS);
    const config = smallWorldConfig({ deleteAtMs: null, durationMs: 8 * MIN });
    const { events } = stepWorld(config, STEP_MS, scanner.onStep, (world) =>
      world.at(START + 2 * MIN + 30_000, () =>
        injectPanic(world, { point: "before-delivery", schedule: "sched-000001" }),
      ),
    );
    const deaths = panicDeaths(events);
    expect(deaths).toHaveLength(1);
    expect(deaths[0].schedule).toBe("sched-000001");
    expect(expectHandoff(events, deaths[0], HANDOFF_BOUND_MS)).toBeGreaterThan(0);
    expectExclusiveOwnership(events);
    // The task that panicked is fired again by the next owner of its partition.
    const again = eventsOf(events, "schedule.fired").filter(
      (e) => e.task === deaths[0].task && e.t > deaths[0].t,
    );
    expect(again.length).toBeGreaterThan(0);
    const first = eventsOf(events, "schedule.fired").find((e) => e.task === deaths[0].task)!;
    expect(again[0].attempt).toBeGreaterThan(first.attempt);
    expect(again[0].t - deaths[0].t).toBeLessThanOrEqual(HANDOFF_BOUND_MS + 2 * STEP_MS);
  });

  it("does not hand over a poison task whose schedule was quarantined while it was in flight", () => {
    // The task panics wherever it runs; the operator quarantines its schedule while the dead
    // worker's lease still holds it in flight, before anyone else can take the partition.
    const config = smallWorldConfig({ deleteAtMs: null, durationMs: 8 * MIN });
    const { events } = runWorld(config, (world) => {
      world.at(START + 2 * MIN + 30_000, () =>
        injectPanic(world, { point: "before-delivery", schedule: "sched-000001", count: 10 }),
      );
      // It is due at 09:35 (every 5 minutes) and kills its worker then.
      world.at(START + 5 * MIN + 5_000, () =>
        world.perform({ action: "quarantine-schedule", schedule: "sched-000001" }),
      );
    });
    const deaths = panicDeaths(events);
    expect(deaths.map((d) => [d.schedule, d.t < START + 5 * MIN + 5_000])).toEqual([["sched-000001", true]]);
    const quarantined = eventsOf(events, "schedule.quarantined").find((e) => e.schedule === "sched-000001")!;
    expect(quarantined.t).toBe(START + 5 * MIN + 5_000);
    // The dead worker's partition did pass to another worker after the quarantine.
    const taken = leaseGrants(events).find(
      (g) => g.previous === deaths[0].worker && g.partition === deaths[0].partition && g.from > quarantined.t,
    );
    expect(taken, "the poison task's partition was never handed over").toBeDefined();
    const after = events.filter((e) => e.t > quarantined.t);
    expect(eventsOf(after, "schedule.fired").filter((e) => e.schedule === "sched-000001")).toEqual([]);
    expect(eventsOf(after, "worker.crashed")).toEqual([]);
  });

  it("keeps ownership exclusive through the whole May 8 cascade", () => {
    const { events } = runWorld(smallWorldConfig());
    expect(panicDeaths(events).length).toBeGreaterThan(5);
    expect(expectExclusiveOwnership(events)).toBeGreaterThan(100);
  });
});

describe("a frozen owner", () => {
  it("loses its leases while paused, and its late commits are fenced", () => {
    const pausedAt = START + 3 * MIN + 2_000;
    const config = smallWorldConfig({
      fixes: FIXED,
      deleteAtMs: null,
      durationMs: 8 * MIN,
      // Long deliveries, so the worker is frozen with tasks in flight.
      destination: { latencyMs: 5_000 },
      timeline: [{ action: "pause-worker", worker: "w3", durationMs: 45_000, atMs: pausedAt }],
    });
    let staleSeen = 0;
    const { events } = stepWorld(config, STEP_MS, (world) => {
      world.store.verify();
      // Two live workers may both believe they own a partition only while one is frozen or
      // has just woken (it learns at its next heartbeat); the store lets only one hold it.
      for (let p = 0; p < world.store.partitionCount; p++) {
        const holders = world.slots.filter((s) => {
          const token = s.owned.get(p);
          return s.process !== null && token !== undefined && world.store.holds(s.id, p, token);
        });
        expect(holders.length).toBeLessThanOrEqual(1);
        const believers = world.slots.filter((s) => s.process !== null && s.owned.has(p));
        if (believers.length > 1) staleSeen++;
      }
    });
    expect(staleSeen, "the frozen worker kept believing in leases it lost").toBeGreaterThan(0);
    expectExclusiveOwnership(events);
    const fenced = eventsOf(events, "task.fenced").filter((e) => e.worker === "w3");
    expect(fenced.length).toBeGreaterThan(0);
    expect(fenced.every((e) => e.t >= pausedAt + 45_000)).toBe(true);
    const lost = eventsOf(events, "lease.lost").filter((e) => e.worker === "w3");
    expect(lost.length).toBeGreaterThan(0);
    // Its leases were granted to others while it was frozen: after TTL, not before.
    const taken = leaseGrants(events).filter((g) => g.previous === "w3" && g.worker !== "w3");
    expect(taken.length).toBeGreaterThan(0);
    for (const g of taken) expect(g.from).toBeGreaterThan(pausedAt + DEFAULT_FLEET.leaseTtlMs - 5_000);
  });
});

describe("lease handoff while the fleet changes", () => {
  // w2 dies; around its death, by up to 40 s either way, the fleet changes another way: a rolling
  // deploy, a restart, a scale down or up, or a second death. Whatever the change, every lease
  // that runs out passes to a live worker by the first rebalance tick after its expiry (a tick
  // comes every interval, ±10 %): an orphan is not left for a member that lacks partitions (that
  // member may be the next to go), and takers take the longest orphaned first. In this fleet of
  // four the survivors' share has room even while a second dead worker still counts in it (with
  // five, that worker can hold an orphan back until its own leases run out, as the README says).
  const killAt = START + 3 * MIN + 17;
  const changes: Record<string, (atMs: number) => TimedAction> = {
    deploy: (atMs) => ({ action: "deploy", scheduler: "v2", fixes: FIXED, stepDelayMs: 5_000, atMs }),
    restart: (atMs) => ({ action: "restart-worker", worker: "w3", atMs }),
    "scale down": (atMs) => ({ action: "scale", workers: 3, atMs }),
    "scale up": (atMs) => ({ action: "scale", workers: 6, atMs }),
    "second death": (atMs) => ({ action: "kill-worker", worker: "w3", atMs }),
  };
  const boundMs = DEFAULT_FLEET.rebalanceIntervalMs * 1.1 + SLACK_MS;

  it.each(Object.keys(changes))(
    "takes every expired lease over within one rebalance interval: %s",
    (change) => {
      let expiries = 0;
      let slowest = 0;
      for (const seed of [1, 2, 5])
        for (let offsetMs = -40_000; offsetMs <= 40_000; offsetMs += 2_500) {
          const config = smallWorldConfig({
            fixes: FIXED,
            seed,
            accounts: 10,
            deleteAtMs: null,
            durationMs: 6 * MIN,
            fleet: { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 120_000 } },
            timeline: [
              { action: "kill-worker", worker: "w2", atMs: killAt } as TimedAction,
              changes[change](killAt + offsetMs),
            ].sort((a, b) => a.atMs - b.atMs),
          });
          const { events } = runWorld(config);
          const grants = leaseGrants(events);
          for (const e of eventsOf(events, "lease.expired")) {
            expiries++;
            const next = grants.find((g) => g.partition === e.partition && g.token > e.token);
            const where = `seed ${seed}, ${change} ${offsetMs / 1000} s after the death: partition ${e.partition} of ${e.worker}`;
            expect(next, `${where} never taken over`).toBeDefined();
            expect(next!.from - e.expiredAt, `${where} taken over late`).toBeLessThanOrEqual(boundMs);
            slowest = Math.max(slowest, next!.from - e.expiredAt);
          }
          expectExclusiveOwnership(events);
        }
      // Leases ran out (all of w2's, in the runs where it held any when it died), and some waited
      // for a tick well into the interval.
      expect(expiries).toBeGreaterThanOrEqual(3 * 33);
      expect(slowest).toBeGreaterThan(DEFAULT_FLEET.rebalanceIntervalMs / 2);
    },
  );
});

// Builds small worlds for the world and scheduler tests, and reads their traces back.
import { expect } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import type { CheckReport } from "../../src/checks/types.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { DEFAULT_ALERTS, DEFAULT_FLEET, type TimedAction, type WorldConfig } from "../../src/world/config.js";
import type { EventFields, EventType, WorldEvent } from "../../src/world/events.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";
import { World } from "../../src/world/world.js";

export const START = Date.UTC(2026, 4, 8, 9, 30, 0);
export const MIN = 60_000;
export const FIXED = ["early-return", "panic-recovery"];

/**
 * A scenario's workload of one schedule that matters, sched-t of acct-a at 09:45 each day, beside
 * one account whose schedules fire at midnight: for worlds that follow one task.
 */
export const ONE_TASK_WORKLOAD = `workload:
  accounts: 1
  cron:
    - { expr: "0 0 * * *", weight: 1 }
  named:
    - id: acct-a
      schedules:
        - { id: sched-t, cron: "45 9 * * *" }
`;

export interface SmallWorldOptions {
  workers?: number;
  accounts?: number;
  fixes?: string[];
  scheduler?: string;
  seed?: number;
  durationMs?: number;
  deleteAtMs?: number | null;
  leaseTtlMs?: number;
  timeline?: TimedAction[];
  fleet?: Partial<WorldConfig["fleet"]>;
  store?: Partial<WorldConfig["store"]>;
  destination?: Partial<WorldConfig["workload"]["destination"]>;
  schedulerOptions?: WorldConfig["schedulerOptions"];
}

/** The May 8 mechanics on a small world: 4 workers, 50 accounts, one deleted with schedules. */
export function smallWorldConfig(o: SmallWorldOptions = {}): WorldConfig {
  const deleteAt = o.deleteAtMs === undefined ? START + 5 * MIN + 30_000 : o.deleteAtMs;
  const timeline: TimedAction[] = [...(o.timeline ?? [])];
  if (deleteAt !== null)
    timeline.unshift({ action: "delete-account", account: "acct-deleted", atMs: deleteAt });
  return {
    name: "small-may8",
    seed: o.seed ?? 1,
    startMs: START,
    durationMs: o.durationMs ?? 30 * MIN,
    fleet: {
      ...DEFAULT_FLEET,
      workers: o.workers ?? 4,
      partitions: 16,
      leaseTtlMs: o.leaseTtlMs ?? DEFAULT_FLEET.leaseTtlMs,
      ...o.fleet,
    },
    scheduler: { name: o.scheduler ?? "v2", fixes: o.fixes ?? [] },
    schedulerOptions: o.schedulerOptions ?? {},
    store: { latencyMs: 2, failureRate: 0, ...o.store },
    workload: {
      accounts: o.accounts ?? 50,
      schedulesPerAccount: { min: 1, max: 3 },
      cron: [
        { expr: "* * * * *", weight: 3 },
        { expr: "*/5 * * * *", weight: 1 },
      ],
      destination: { latencyMs: 80, jitter: 0.5, failureRate: 0, timeoutMs: 30_000, ...o.destination },
      retries: 3,
      named: [
        {
          id: "acct-deleted",
          schedules: [
            { id: "sched-poison-1", cron: "* * * * *" },
            { id: "sched-poison-2", cron: "*/2 * * * *" },
          ],
        },
      ],
    },
    timeline,
    sloMs: 60_000,
    sampleIntervalMs: 10_000,
    alerts: DEFAULT_ALERTS,
    limits: { maxEvents: 5_000_000 },
  };
}

export interface RunResult {
  world: World;
  events: TraceEvent[];
  hash: string;
}

/**
 * Builds a world, lets `setup` arm faults before it starts, and runs it to the horizon.
 * `schedulers` adds scheduler modules (a user's own) to the bundled ones.
 */
export function runWorld(
  config: WorldConfig,
  setup?: (world: World) => void,
  schedulers: readonly SchedulerFactory[] = [],
): RunResult {
  const registry = bundledSchedulers();
  for (const factory of schedulers) registry.set(factory.name, factory);
  const world = new World(config, { schedulers: registry });
  const sink = new CollectSink();
  world.sim.trace.addSink(sink);
  setup?.(world);
  const outcome = world.run();
  expect(outcome.reason, outcome.detail).toBe("horizon");
  return { world, events: sink.events, hash: world.sim.trace.hash };
}

/**
 * Runs a world in steps of `stepMs` with `world.runUntil`, calling `onStep` after each one:
 * for checks that look at live state (the lease table, the store) as the run goes.
 */
export function stepWorld(
  config: WorldConfig,
  stepMs: number,
  onStep: (world: World, now: number, events: readonly TraceEvent[]) => void,
  setup?: (world: World) => void,
): RunResult {
  const world = new World(config, { schedulers: bundledSchedulers() });
  const sink = new CollectSink();
  world.sim.trace.addSink(sink);
  setup?.(world);
  const horizon = config.startMs + config.durationMs;
  for (let t = config.startMs; t < horizon; ) {
    t = Math.min(horizon, t + stepMs);
    const outcome = world.runUntil(t);
    expect(outcome.reason, outcome.detail).not.toBe("halted");
    onStep(world, world.sim.now, sink.events);
  }
  world.finish(world.runUntil(horizon));
  return { world, events: sink.events, hash: world.sim.trace.hash };
}

export function ofType(events: TraceEvent[], type: string): TraceEvent[] {
  return events.filter((e) => e.type === type);
}

/** Events of one catalogued type, typed by its fields. */
export function eventsOf<K extends EventType>(events: readonly TraceEvent[], type: K): WorldEvent<K>[] {
  return events.filter((e) => e.type === type) as unknown as WorldEvent<K>[];
}

/** The metrics, verdicts and timeline computed from a trace by `src/checks`. */
export function reportOf(events: readonly TraceEvent[]): CheckReport {
  return computeReport(events);
}

export type Crash = WorldEvent<"worker.crashed">;

/** Panic deaths (processes terminated by an exception escaping a goroutine). */
export function panicDeaths(events: readonly TraceEvent[]): Crash[] {
  return eventsOf(events, "worker.crashed").filter((e) => e.reason === "panic");
}

/** `(schedule, due)` as one key. */
export function dueKey(e: { readonly schedule: string; readonly due: number }): string {
  return `${e.schedule}@${e.due}`;
}

/** How many `delivery.acked` each (schedule, due) received. */
export function acksByDue(events: readonly TraceEvent[]): Map<string, number> {
  const acks = new Map<string, number>();
  for (const e of eventsOf(events, "delivery.acked")) acks.set(dueKey(e), (acks.get(dueKey(e)) ?? 0) + 1);
  return acks;
}

// ---------------------------------------------------------------- lease ownership from the trace

/**
 * One grant of a partition's lease, read back from the trace: who (worker and process
 * incarnation), when it began, until when the store considered it valid (released, or
 * expired at `expiredAt`; Infinity if the trace never says it ended), and until when its owner
 * was alive to use it.
 */
export interface Grant {
  readonly partition: number;
  readonly worker: string;
  readonly incarnation: number;
  readonly token: number;
  readonly previous: string | null;
  readonly from: number;
  readonly seq: number;
  validUntil: number;
  liveUntil: number;
  /** The seq of its `lease.released`, if its holder released it: what came before in that ms was its. */
  releasedSeq?: number;
}

/** Every lease grant of the run, in trace order, with the incarnation that held it. */
export function leaseGrants(events: readonly TraceEvent[]): Grant[] {
  const incarnation = new Map<string, number>();
  const byToken = new Map<number, Grant>();
  const grants: Grant[] = [];
  // A worker's grants held by its current process, to end them when that process dies.
  const heldBy = new Map<string, Grant[]>();
  const die = (worker: string, inc: number, t: number): void => {
    for (const g of heldBy.get(`${worker}#${inc}`) ?? []) g.liveUntil = Math.min(g.liveUntil, t);
    heldBy.delete(`${worker}#${inc}`);
  };
  for (const e of events) {
    switch (e.type) {
      case "worker.started": {
        const ev = e as unknown as WorldEvent<"worker.started">;
        incarnation.set(ev.worker, ev.incarnation);
        break;
      }
      case "lease.acquired": {
        const ev = e as unknown as WorldEvent<"lease.acquired">;
        // The initial fleet's leases are granted just before its processes are traced as started.
        const inc = incarnation.get(ev.worker) ?? 1;
        const g: Grant = {
          partition: ev.partition,
          worker: ev.worker,
          incarnation: inc,
          token: ev.token,
          previous: ev.previous,
          from: ev.t,
          seq: ev.seq,
          validUntil: Number.POSITIVE_INFINITY,
          liveUntil: Number.POSITIVE_INFINITY,
        };
        expect(byToken.has(ev.token), `token ${ev.token} granted twice`).toBe(false);
        byToken.set(ev.token, g);
        grants.push(g);
        const key = `${ev.worker}#${inc}`;
        heldBy.set(key, [...(heldBy.get(key) ?? []), g]);
        break;
      }
      case "lease.expired": {
        const ev = e as unknown as WorldEvent<"lease.expired">;
        const g = byToken.get(ev.token);
        expect(g, `lease.expired for unknown token ${ev.token}`).toBeDefined();
        expect(ev.expiredAt, "a lease is noticed expired only after it expired").toBeLessThanOrEqual(ev.t);
        g!.validUntil = Math.min(g!.validUntil, ev.expiredAt);
        g!.liveUntil = Math.min(g!.liveUntil, ev.expiredAt);
        break;
      }
      case "lease.released": {
        const ev = e as unknown as WorldEvent<"lease.released">;
        const g = byToken.get(ev.token)!;
        g.validUntil = Math.min(g.validUntil, ev.t);
        g.liveUntil = Math.min(g.liveUntil, ev.t);
        g.releasedSeq = ev.seq;
        break;
      }
      case "worker.crashed":
      case "worker.stopped": {
        const ev = e as unknown as WorldEvent<"worker.crashed">;
        die(ev.worker, ev.incarnation, ev.t);
        break;
      }
    }
  }
  return grants;
}

/**
 * Checks from the trace that a partition never had two valid leases at once (each grant starts
 * after the previous one ended) and that every commit came from the holder of the partition's
 * lease at that moment (fencing). Returns how many commits it checked.
 */
export function expectExclusiveOwnership(events: readonly TraceEvent[]): number {
  const grants = leaseGrants(events);
  const byPartition = new Map<number, Grant[]>();
  for (const g of grants) byPartition.set(g.partition, [...(byPartition.get(g.partition) ?? []), g]);
  for (const [partition, list] of byPartition) {
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1];
      const after = list[i];
      expect(
        after.from,
        `partition ${partition}: ${after.worker}#${after.incarnation} acquired while ${before.worker}#${before.incarnation} still held it`,
      ).toBeGreaterThanOrEqual(before.validUntil);
    }
  }
  let commits = 0;
  for (const c of eventsOf(events, "task.committed")) {
    const g = grantAt(grants, c.partition, c.t, c.seq);
    expect(g?.worker, `${c.worker} committed ${c.task} without holding partition ${c.partition}`).toBe(
      c.worker,
    );
    expect(g!.liveUntil > c.t || (g!.liveUntil === c.t && c.seq < g!.releasedSeq!)).toBe(true);
    commits++;
  }
  return commits;
}

/**
 * The grant of `partition` its holder held for an event at `t` with `seq`: in the millisecond its
 * holder released it, a grant still holds for the events before its release (a heartbeat
 * releases a drained partition right after its last task committed, at the same time).
 */
export function grantAt(
  grants: readonly Grant[],
  partition: number,
  t: number,
  seq: number,
): Grant | undefined {
  return grants.find(
    (g) =>
      g.partition === partition &&
      g.from <= t &&
      (t < g.validUntil || (t === g.validUntil && g.releasedSeq !== undefined && seq < g.releasedSeq)),
  );
}

/** Fields of an event of type K, for building expectations. */
export type FieldsOf<K extends EventType> = EventFields[K];

// Builds small worlds for the world and scheduler tests.
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { DEFAULT_ALERTS, DEFAULT_FLEET, type TimedAction, type WorldConfig } from "../../src/world/config.js";
import { World } from "../../src/world/world.js";

export const START = Date.UTC(2026, 4, 8, 9, 30, 0);
export const MIN = 60_000;

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
    schedulerOptions: {},
    store: { latencyMs: 2, failureRate: 0 },
    workload: {
      accounts: o.accounts ?? 50,
      schedulesPerAccount: { min: 1, max: 3 },
      cron: [
        { expr: "* * * * *", weight: 3 },
        { expr: "*/5 * * * *", weight: 1 },
      ],
      destination: { latencyMs: 80, jitter: 0.5, failureRate: 0, timeoutMs: 30_000 },
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

export function runWorld(config: WorldConfig): RunResult {
  const world = new World(config, { schedulers: bundledSchedulers() });
  const sink = new CollectSink();
  world.sim.trace.addSink(sink);
  world.run();
  return { world, events: sink.events, hash: world.sim.trace.hash };
}

export function ofType(events: TraceEvent[], type: string): TraceEvent[] {
  return events.filter((e) => e.type === type);
}

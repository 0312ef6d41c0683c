/**
 * Bench rows for the simulated region, end to end: build the world, run one hour of virtual
 * time with the trace hashed (always on in the kernel) and every metric computed by the checks'
 * streaming `MetricsCollector` as a sink, as `aftershock run` does, with the V8 tuning it applies
 * to its process (`src/cli/heap.ts`; V8's flags are the process's, so the rows after these in
 * this process run with it too: the gate, CLI and explore rows start processes of their own).
 *
 * - `world/region-20k/buggy` and `world/region-20k/fixed`: 8 workers, 20,000 schedules, one
 *   account deleted 10 minutes in. Target: 1 M kernel events per second.
 * - `world/region-100k/fixed`: 100,000 schedules, run in a child process so that its peak RSS
 *   is its own, with the heap tuning the CLI applies (`src/cli/heap.ts`). Target: under 300 MB.
 * - `world/region-20k/fixed/no-checks`: no target, a guide to where the time goes. The fixed
 *   region without the collector (world, kernel and trace hash only), in rounds alternating with
 *   the full run; `eventsPerSec` is the best round's, `ratio` its speed over the best full run's.
 *   Each world-only round must give the full run's trace hash (a sink changes nothing).
 * - `world/region-20k/fixed/destination-down`: no target, a guard on another shape of traffic.
 *   The fixed region with every delivery failing from 09:10 to 09:40 (`http-errors`, rate 1):
 *   a retry and a `delivery.failed` per send, and past 50,000 messages in flight for the checks
 *   to follow, which once cost 20 µs a send. It must end with no panic death, and deliveries late.
 *
 * `events` is the number of kernel events executed (`world.sim.events`). Each row checks the
 * world did what the variant should (the buggy one cascades, the fixed one does not) so that a
 * broken world never posts a fast time. Needs the build (`npm run bench` builds first).
 */

import { MetricsCollector } from "../../src/checks/index.js";
import type { CheckReport } from "../../src/checks/types.js";
import { tuneV8 } from "../../src/cli/heap.js";
import type { TimedFault } from "../../src/faults/schedule.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { DEFAULT_ALERTS, DEFAULT_FLEET, type WorldConfig } from "../../src/world/config.js";
import { World } from "../../src/world/world.js";
import { type Probe, runInChild } from "../child.js";
import type { BenchRow } from "../harness.js";

const START_MS = Date.UTC(2026, 4, 8, 9, 0, 0);
const HOUR_MS = 3_600_000;
const SCHEDULES_PER_ACCOUNT = 5;
const DELETED_SCHEDULES = 10;
const FIXED = ["early-return", "panic-recovery"];

/**
 * A realistic cron mix: mostly every 1 to 5 minutes, some every 15 minutes, hourly and daily,
 * a few in a local time zone (`CRON_TZ`).
 */
const CRON_MIX: WorldConfig["workload"]["cron"] = [
  { expr: "* * * * *", weight: 30 },
  { expr: "*/2 * * * *", weight: 20 },
  { expr: "*/5 * * * *", weight: 25 },
  { expr: "*/15 * * * *", weight: 10 },
  { expr: "0 * * * *", weight: 8 },
  { expr: "30 2 * * *", weight: 4 },
  { expr: "CRON_TZ=America/New_York 0 9 * * 1-5", weight: 2 },
  { expr: "CRON_TZ=Europe/Berlin */10 * * * *", weight: 1 },
];

/** One region: 8 workers, `schedules` schedules (ten of them the deleted account's), one hour. */
export function regionConfig(schedules: number, fixes: readonly string[]): WorldConfig {
  const generated = schedules - DELETED_SCHEDULES;
  return {
    name: `region-${schedules}`,
    seed: 20260508,
    startMs: START_MS,
    durationMs: HOUR_MS,
    fleet: { ...DEFAULT_FLEET, workers: 8, partitions: 64, concurrency: 200 },
    scheduler: { name: "v2", fixes: [...fixes] },
    schedulerOptions: {},
    store: { latencyMs: 2, failureRate: 0 },
    workload: {
      accounts: Math.floor(generated / SCHEDULES_PER_ACCOUNT),
      schedulesPerAccount: { min: SCHEDULES_PER_ACCOUNT, max: SCHEDULES_PER_ACCOUNT },
      cron: CRON_MIX,
      destination: { latencyMs: 120, jitter: 0.5, failureRate: 0.005, timeoutMs: 30_000 },
      retries: 3,
      named: [
        {
          id: "acct-deleted",
          schedules: Array.from({ length: DELETED_SCHEDULES }, (_, i) => ({
            id: `sched-deleted-${i}`,
            cron: i % 2 === 0 ? "* * * * *" : "*/5 * * * *",
          })),
        },
      ],
    },
    timeline: [{ action: "delete-account", account: "acct-deleted", atMs: START_MS + 10 * 60_000 }],
    sloMs: 60_000,
    sampleIntervalMs: 10_000,
    alerts: DEFAULT_ALERTS,
    limits: { maxEvents: 200_000_000 },
  };
}

export interface RegionRun {
  readonly events: number;
  readonly wallMs: number;
  readonly traceHash: string;
  readonly report: CheckReport;
}

/** Builds and runs one region with the collector as a sink; the wall time covers both. */
export function runRegion(config: WorldConfig): RegionRun {
  const started = performance.now();
  const world = new World(config, { schedulers: bundledSchedulers() });
  const collector = new MetricsCollector();
  world.sim.trace.addSink(collector);
  const outcome = world.run();
  const report = collector.finish();
  const wallMs = performance.now() - started;
  if (outcome.reason !== "horizon") throw new Error(`${config.name}: stopped early: ${outcome.detail}`);
  return { events: world.sim.events, wallMs, traceHash: world.sim.trace.hash, report };
}

/** Builds and runs one region with no sink: the world, the kernel and the trace hash alone. */
export function runRegionWorldOnly(config: WorldConfig): Omit<RegionRun, "report"> {
  const started = performance.now();
  const world = new World(config, { schedulers: bundledSchedulers() });
  const outcome = world.run();
  const wallMs = performance.now() - started;
  if (outcome.reason !== "horizon") throw new Error(`${config.name}: stopped early: ${outcome.detail}`);
  return { events: world.sim.events, wallMs, traceHash: world.sim.trace.hash };
}

/** Throws unless the run looks like its variant: a broken world must not post a time. */
function expectVariant(name: string, fixed: boolean, report: CheckReport): void {
  const m = report.metrics;
  const ok = fixed
    ? m.panicDeaths === 0 && m.deletedSchedulesLeft === 0 && m.deliveries.onTime > 0
    : m.cascade && m.panicDeaths > 0;
  if (!ok) throw new Error(`${name}: the world did not behave as its variant: ${JSON.stringify(m)}`);
}

/** Kernel events per second of a run, end to end (world, trace hash and, if run, the checks). */
function rateOf(run: Pick<RegionRun, "events" | "wallMs">): number {
  return Math.round(run.events / (run.wallMs / 1000));
}

function regionRow(name: string, schedules: number, fixed: boolean): BenchRow {
  return {
    name,
    targets: [{ field: "eventsPerSec", min: 1_000_000 }],
    run: () => {
      tuneV8();
      const run = runRegion(regionConfig(schedules, fixed ? FIXED : []));
      expectVariant(name, fixed, run.report);
      return { name, events: run.events, eventsPerSec: rateOf(run), wallMs: Math.round(run.wallMs) };
    },
  };
}

/** Rounds of the `no-checks` row: each a full run and a world-only run. */
const SPLIT_ROUNDS = 2;

/** `world/region-20k/fixed/no-checks`: the fixed region without its checks, against with them. */
function noChecksRow(): BenchRow {
  const name = "world/region-20k/fixed/no-checks";
  return {
    name,
    run: () => {
      tuneV8();
      const config = regionConfig(20_000, FIXED);
      let full: RegionRun | null = null;
      let alone: Omit<RegionRun, "report"> | null = null;
      for (let round = 0; round < SPLIT_ROUNDS; round++) {
        const withChecks = runRegion(config);
        expectVariant(name, true, withChecks.report);
        const worldOnly = runRegionWorldOnly(config);
        if (worldOnly.traceHash !== withChecks.traceHash || worldOnly.events !== withChecks.events)
          throw new Error(
            `${name}: the world alone ran differently (trace ${worldOnly.traceHash}, ${worldOnly.events} events) from the world with its checks (${withChecks.traceHash}, ${withChecks.events})`,
          );
        if (full === null || withChecks.wallMs < full.wallMs) full = withChecks;
        if (alone === null || worldOnly.wallMs < alone.wallMs) alone = worldOnly;
      }
      const eventsPerSec = rateOf(alone!);
      return {
        name,
        events: alone!.events,
        eventsPerSec,
        ratio: Math.round((eventsPerSec / rateOf(full!)) * 100) / 100,
        wallMs: Math.round(alone!.wallMs),
      };
    },
  };
}

/** `world/region-20k/fixed/destination-down`: the fixed region with its destination down for half an hour. */
function destinationDownRow(): BenchRow {
  const name = "world/region-20k/fixed/destination-down";
  return {
    name,
    run: async () => {
      // Imported here, not with the module: the 100k row's child process loads this module, and
      // its peak memory is the world's, not that of code it never runs.
      const { runWorld } = await import("../../src/explore/run.js");
      tuneV8();
      const config = regionConfig(20_000, FIXED);
      const outage: TimedFault = {
        atMs: START_MS + 10 * 60_000,
        fault: "http-errors",
        durationMs: 30 * 60_000,
        rate: 1,
        status: 503,
      };
      const started = performance.now();
      const { report, outcome } = runWorld({ config, faults: [outage] }, { judgeOnly: true });
      const wallMs = performance.now() - started;
      const m = report.metrics;
      if (outcome.reason !== "horizon" || m.panicDeaths !== 0 || m.deliveries.late === 0)
        throw new Error(
          `${name}: the world did not behave as a fixed one with its destination down: ${JSON.stringify(m)}`,
        );
      const events = outcome.events;
      return { name, events, eventsPerSec: rateOf({ events, wallMs }), wallMs: Math.round(wallMs) };
    },
  };
}

/** Work a child process runs by name (see `bench/child.ts`): the fixed region of `args[0]` schedules. */
export const probes: Readonly<Record<string, Probe>> = {
  fixedRegion: (args) => {
    // The peak is measured as the CLI would run this world: with its heap tuning.
    tuneV8();
    const schedules = Number(args[0]);
    const name = `world/region-${schedules / 1000}k/fixed`;
    const run = runRegion(regionConfig(schedules, FIXED));
    expectVariant(name, true, run.report);
    return { name, events: run.events, eventsPerSec: rateOf(run), wallMs: Math.round(run.wallMs) };
  },
};

export const rows: readonly BenchRow[] = [
  regionRow("world/region-20k/buggy", 20_000, false),
  regionRow("world/region-20k/fixed", 20_000, true),
  noChecksRow(),
  destinationDownRow(),
  {
    // In a child process, so that the peak RSS is this run's alone.
    name: "world/region-100k/fixed",
    targets: [{ field: "peakRssMb", max: 300 }],
    run: () => runInChild(import.meta.url, "fixedRegion", ["100000"]),
  },
];

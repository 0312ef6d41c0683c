/**
 * Bench rows for the kernel alone, on the standard periodic model (see `models/periodic.ts`).
 *
 * - `kernel/periodic/N=1000` and `kernel/periodic/N=100000`: events per second through the
 *   kernel, against a bare typed-array heap loop doing the same work in the same process
 *   (`ratio` = kernel / bare). Each is warmed up, then measured in alternating rounds and the
 *   best round of each kept (the machine is shared: the best is the least disturbed). The peak
 *   RSS is a kernel-only run of the same size in a child process.
 *   Targets on this 2-core machine: N=1000 at least 4 M events/s; N=100000 at least 1.2 M
 *   events/s and a ratio of at least 0.5.
 * - `kernel/periodic-distinct/N=1000` and `.../N=100000`: the same with firing times that
 *   almost never coincide (see `periodMsOf`), the event queue's other extreme; no target, a
 *   guard against trading one shape of time for the other.
 * - `kernel/periodic-memory/events=5M` and `.../events=20M`: the same model (N=1000) run for 5 M
 *   and for 20 M events, each in its own child process. The 20 M row's `ratio` is its peak RSS
 *   over the 5 M row's: memory follows the live state, not the number of events, so it stays
 *   close to 1.
 */
import { type Probe, runInChild } from "../child.js";
import type { BenchResult, BenchRow } from "../harness.js";
import { type PeriodicRun, runBarePeriodic, runKernelPeriodic } from "../models/periodic.js";

const MEASURED_EVENTS = 5_000_000;
const WARMUP_EVENTS = 1_000_000;
const ROUNDS = 3;

function eventsPerSec(run: PeriodicRun): number {
  return Math.round(run.events / (run.wallMs / 1000));
}

/** The fastest of `runs` (least disturbed by the rest of the machine). */
function fastest(runs: readonly PeriodicRun[]): PeriodicRun {
  return runs.reduce((best, run) => (run.wallMs < best.wallMs ? run : best));
}

function periodicRow(timers: number, targets: BenchRow["targets"], distinct = false): BenchRow {
  const name = `kernel/periodic${distinct ? "-distinct" : ""}/N=${timers}`;
  return {
    name,
    targets,
    run: async () => {
      const warm = runKernelPeriodic(timers, WARMUP_EVENTS, distinct);
      const warmBare = runBarePeriodic(timers, WARMUP_EVENTS, distinct);
      if (warm.checksum !== warmBare.checksum) {
        throw new Error(`${name}: the kernel fired timers in another order than the bare heap`);
      }
      const kernelRuns: PeriodicRun[] = [];
      const bareRuns: PeriodicRun[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        kernelRuns.push(runKernelPeriodic(timers, MEASURED_EVENTS, distinct));
        bareRuns.push(runBarePeriodic(timers, MEASURED_EVENTS, distinct));
      }
      const kernel = fastest(kernelRuns);
      const bare = fastest(bareRuns);
      if (kernel.checksum !== bare.checksum) {
        throw new Error(`${name}: the kernel fired timers in another order than the bare heap`);
      }
      const memory = await runInChild(import.meta.url, "periodic", [
        String(timers),
        String(MEASURED_EVENTS),
        distinct ? "distinct" : "",
      ]);
      const kernelRate = eventsPerSec(kernel);
      const bareRate = eventsPerSec(bare);
      return {
        name,
        events: kernel.events,
        eventsPerSec: kernelRate,
        baselineEventsPerSec: bareRate,
        ratio: Math.round((kernelRate / bareRate) * 100) / 100,
        peakRssMb: memory.peakRssMb,
        wallMs: Math.round(kernel.wallMs),
      };
    },
  };
}

/** Child runs of the memory rows, shared so that the 20 M row can compare with the 5 M one. */
const memoryRuns = new Map<number, Promise<BenchResult>>();

function memoryRun(events: number): Promise<BenchResult> {
  let run = memoryRuns.get(events);
  if (!run) {
    run = runInChild(import.meta.url, "periodic", [String(MEMORY_TIMERS), String(events)]);
    memoryRuns.set(events, run);
  }
  return run;
}

const MEMORY_TIMERS = 1000;
const MEMORY_EVENTS_SHORT = 5_000_000;
const MEMORY_EVENTS_LONG = 20_000_000;

function memoryRow(events: number): BenchRow {
  const name = `kernel/periodic-memory/events=${events / 1_000_000}M`;
  const long = events === MEMORY_EVENTS_LONG;
  return {
    name,
    targets: long ? [{ field: "ratio", max: 1.2 }] : undefined,
    run: async () => {
      const result = await memoryRun(events);
      const base = { name, events: result.events, peakRssMb: result.peakRssMb, wallMs: result.wallMs };
      if (!long) return base;
      const short = await memoryRun(MEMORY_EVENTS_SHORT);
      const ratio = (result.peakRssMb ?? Number.NaN) / (short.peakRssMb ?? Number.NaN);
      return { ...base, ratio: Math.round(ratio * 100) / 100 };
    },
  };
}

export const rows: readonly BenchRow[] = [
  periodicRow(1000, [{ field: "eventsPerSec", min: 4_000_000 }]),
  periodicRow(100_000, [
    { field: "eventsPerSec", min: 1_200_000 },
    { field: "ratio", min: 0.5 },
  ]),
  periodicRow(1000, undefined, true),
  periodicRow(100_000, undefined, true),
  memoryRow(MEMORY_EVENTS_SHORT),
  memoryRow(MEMORY_EVENTS_LONG),
];

/** Work run in child processes (see `child.ts`). */
export const probes: Readonly<Record<string, Probe>> = {
  /** `periodic <timers> <events> [distinct]`: the kernel periodic model alone. */
  periodic: ([timers, events, distinct]) => {
    const run = runKernelPeriodic(Number(timers), Number(events), distinct === "distinct");
    return {
      name: `kernel/periodic${distinct === "distinct" ? "-distinct" : ""}/N=${timers}`,
      events: run.events,
      eventsPerSec: eventsPerSec(run),
      wallMs: Math.round(run.wallMs),
    };
  },
};

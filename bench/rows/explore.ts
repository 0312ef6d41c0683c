/**
 * Bench rows `explore/generated/jobs=1` and `explore/generated/jobs=2`: how many property-sized
 * generated worlds (3 to 8 workers, up to 200 schedules, 30 to 60 virtual minutes, the fixed
 * scheduler under the default fault schedules) `explore` runs per second, on one core and on two
 * worker threads (pool start-up excluded); the second row's `ratio` is its speed over the
 * first's. Targets: 200 runs/s on one core, and a ratio of at least 1.7.
 *
 * A round is 1,000 runs, as in the first example of `explore --help`: an exploration worth
 * spreading over threads. Shorter rounds measure mostly the start: every thread compiles the
 * simulator for itself, and V8's compiler threads then want the cores the runs want (a round of
 * 160 runs went 81.7 runs/s on one job and 1.05 times that on two; of 1,000, 95 and 1.56 times).
 * The rows `explore/generated/cold/jobs=1` and `cold/jobs=2`, without targets, keep that start
 * in sight: rounds of 100 runs, `explore`'s default.
 *
 * A further row, `explore/generated/procs=2`, has no target: it is what this machine gives two
 * explorations that share nothing (two processes of one job each, at once, each doing half the
 * runs, so that together they do the work of the `jobs=2` round), over one alone. No pool can
 * beat that, so it is the ceiling of the `jobs=2` ratio here: each process, like each worker
 * thread, warms its code up on its own share of the runs, and on a 2-core VM whose cores slow
 * each other (shared caches, a host's hyperthreads) it is well under 2.
 *
 * Each round is an exploration as a user starts one: a fresh process (`runInChild`), so both
 * job counts start with cold code, as `aftershock explore` does; a round in a warm process
 * against fresh threads would measure the threads' warm-up, not the pool. The machine is
 * shared, so the rounds alternate and the best of each is kept (the least disturbed).
 * Needs the build: worker threads load `dist/src/explore/pool-worker.js`.
 */

import { explore } from "../../src/explore/explore.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { DEFAULT_PROPERTIES, type RunPlan } from "../../src/explore/run-one.js";
import { type Probe, runInChild } from "../child.js";
import type { BenchResult, BenchRow } from "../harness.js";

/** Runs per round; `BENCH_EXPLORE_RUNS` overrides. */
const RUNS = Number(process.env.BENCH_EXPLORE_RUNS ?? 1000);
/** Runs per round of the `cold` rows: an exploration with `explore`'s default `--runs`. */
const COLD_RUNS = 100;
const ROUNDS = 3;

const plan: Extract<RunPlan, { mode: "generated" }> = {
  mode: "generated",
  variant: "fixed",
  properties: DEFAULT_PROPERTIES,
  constraints: sized(PROPERTY_SIZED),
  seed: 20260508,
};

interface Round {
  readonly runsPerSec: number;
  readonly runs: number;
  readonly wallMs: number;
}

async function round(jobs: number, runs: number): Promise<Round> {
  const outcome = await explore({
    plan,
    runs,
    jobs,
    keepGoing: true,
    shrinkRunsMax: 0,
    wallClock: () => performance.now(),
  });
  if (outcome.pool.note !== null) throw new Error(`explore/generated: ${outcome.pool.note}`);
  return {
    runsPerSec: Math.round((outcome.completed / (outcome.searchMs / 1000)) * 100) / 100,
    runs: outcome.completed,
    wallMs: Math.round(outcome.searchMs),
  };
}

const best = (rounds: readonly Round[]): Round =>
  rounds.reduce((a, b) => (b.runsPerSec > a.runsPerSec ? b : a));

/** One round in a fresh process: its runs per second, as `BenchResult` fields. */
async function roundInChild(jobs: number, runs: number): Promise<Round> {
  const r = await runInChild(import.meta.url, "round", [String(jobs), String(runs)]);
  const runsPerSec = Number(r.runsPerSec);
  const wallMs = Number(r.wallMs);
  return { runsPerSec, runs: Math.round((runsPerSec * wallMs) / 1000), wallMs };
}

/**
 * Two one-job rounds in two processes at once, `runs` between them: their runs per second added
 * up. Each measures its own search, and the two searches overlap for all but the processes'
 * start-up.
 */
async function twoProcessRound(runs: number): Promise<Round> {
  const half = Math.ceil(runs / 2);
  const [a, b] = await Promise.all([roundInChild(1, half), roundInChild(1, runs - half)]);
  return {
    runsPerSec: Math.round((a.runsPerSec + b.runsPerSec) * 100) / 100,
    runs: a.runs + b.runs,
    wallMs: Math.max(a.wallMs, b.wallMs),
  };
}

interface Measured {
  readonly one: Round;
  readonly two: Round;
  /** Null when not measured (the cold rows). */
  readonly procs: Round | null;
}

let measured: Promise<Measured> | null = null;

/** Rounds of `runs` runs on one job and on two (and in two processes, with `procs`), alternating. */
async function measure(runs: number, withProcs: boolean): Promise<Measured> {
  const ones: Round[] = [];
  const twos: Round[] = [];
  const procs: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ones.push(await roundInChild(1, runs));
    twos.push(await roundInChild(2, runs));
    if (withProcs) procs.push(await twoProcessRound(runs));
  }
  return { one: best(ones), two: best(twos), procs: withProcs ? best(procs) : null };
}

const measureAll = (): Promise<Measured> => measure(RUNS, true);

/** A row's result: `round`, with its speed over `base`'s when given. */
function result(name: string, round: Round, base?: Round): BenchResult {
  if (base === undefined) return { name, ...round };
  return { name, ...round, ratio: Math.round((round.runsPerSec / base.runsPerSec) * 100) / 100 };
}

/** `explore/generated/jobs=1`: runs per second on this thread. */
export async function benchExploreOneJob(): Promise<BenchResult> {
  measured ??= measureAll();
  return result("explore/generated/jobs=1", (await measured).one);
}

/** `explore/generated/jobs=2`: runs per second on two worker threads, and the ratio to one job. */
export async function benchExploreTwoJobs(): Promise<BenchResult> {
  measured ??= measureAll();
  const { one, two } = await measured;
  return result("explore/generated/jobs=2", two, one);
}

/** `explore/generated/procs=2`: two one-job processes at once, and the ratio to one alone. */
export async function benchExploreTwoProcesses(): Promise<BenchResult> {
  measured ??= measureAll();
  const { one, procs } = await measured;
  return result("explore/generated/procs=2", procs!, one);
}

let measuredCold: Promise<Measured> | null = null;

/** `explore/generated/cold/jobs=1`: runs per second of a default-sized exploration, start included. */
export async function benchColdOneJob(): Promise<BenchResult> {
  measuredCold ??= measure(COLD_RUNS, false);
  return result("explore/generated/cold/jobs=1", (await measuredCold).one);
}

/** `explore/generated/cold/jobs=2`: the same on two worker threads, and the ratio to one job. */
export async function benchColdTwoJobs(): Promise<BenchResult> {
  measuredCold ??= measure(COLD_RUNS, false);
  const { one, two } = await measuredCold;
  return result("explore/generated/cold/jobs=2", two, one);
}

export const rows: readonly BenchRow[] = [
  {
    name: "explore/generated/jobs=1",
    run: benchExploreOneJob,
    targets: [{ field: "runsPerSec", min: 200 }],
    note: "rounds of both job counts, alternating",
  },
  {
    name: "explore/generated/jobs=2",
    run: benchExploreTwoJobs,
    targets: [{ field: "ratio", min: 1.7 }],
    note: "measured with jobs=1",
  },
  {
    name: "explore/generated/procs=2",
    run: benchExploreTwoProcesses,
    note: "measured with jobs=1; the machine's ceiling for the jobs=2 ratio",
  },
  {
    name: "explore/generated/cold/jobs=1",
    run: benchColdOneJob,
    note: "rounds of 100 runs (explore's default), alternating with jobs=2",
  },
  {
    name: "explore/generated/cold/jobs=2",
    run: benchColdTwoJobs,
    note: "rounds of 100 runs; ratio over cold/jobs=1",
  },
];

/** In the child: one round, `round <jobs> <runs>`. */
export const probes: Readonly<Record<string, Probe>> = {
  round: async ([jobs, runs]) => ({
    name: `explore/round/jobs=${jobs}`,
    ...(await round(Number(jobs), Number(runs))),
  }),
};

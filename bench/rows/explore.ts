/**
 * Bench rows `explore/generated/jobs=1` and `explore/generated/jobs=2`: how many property-sized
 * generated worlds (3 to 8 workers, up to 200 schedules, 30 to 60 virtual minutes, the fixed
 * scheduler under the default fault schedules) `explore` runs per second, on this thread and on
 * two worker threads (pool start-up excluded); the second row's `ratio` is its speed over the
 * first's. Targets: 200 runs/s on one core, and a ratio of at least 1.7.
 *
 * The machine is shared, so both are measured in alternating rounds on the same worlds and the
 * best round of each is kept (the least disturbed); the first row runs them all, the second
 * reports what was measured. Needs the build: worker threads load `dist/src/explore/pool-worker.js`.
 */
import { explore } from "../../src/explore/explore.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { DEFAULT_PROPERTIES, type RunPlan } from "../../src/explore/run-one.js";
import type { BenchResult, BenchRow } from "../harness.js";

/** Runs per round; `BENCH_EXPLORE_RUNS` overrides. */
const RUNS = Number(process.env.BENCH_EXPLORE_RUNS ?? 40);
const ROUNDS = 3;
const WARMUP_RUNS = 6;

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

async function round(jobs: number, runs: number, seed = plan.seed): Promise<Round> {
  const outcome = await explore({
    plan: { ...plan, seed },
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

let measured: Promise<{ one: Round; two: Round }> | null = null;

async function measureBoth(): Promise<{ one: Round; two: Round }> {
  await round(1, WARMUP_RUNS, plan.seed + 1);
  await round(2, WARMUP_RUNS, plan.seed + 1);
  const ones: Round[] = [];
  const twos: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ones.push(await round(1, RUNS));
    twos.push(await round(2, RUNS));
  }
  return { one: best(ones), two: best(twos) };
}

/** `explore/generated/jobs=1`: runs per second on this thread. */
export async function benchExploreOneJob(): Promise<BenchResult> {
  measured ??= measureBoth();
  const { one } = await measured;
  return { name: "explore/generated/jobs=1", ...one };
}

/** `explore/generated/jobs=2`: runs per second on two worker threads, and the ratio to one job. */
export async function benchExploreTwoJobs(): Promise<BenchResult> {
  measured ??= measureBoth();
  const { one, two } = await measured;
  return {
    name: "explore/generated/jobs=2",
    ...two,
    ratio: Math.round((two.runsPerSec / one.runsPerSec) * 100) / 100,
  };
}

export const rows: readonly BenchRow[] = [
  { name: "explore/generated/jobs=1", run: benchExploreOneJob, targets: [{ field: "runsPerSec", min: 200 }] },
  { name: "explore/generated/jobs=2", run: benchExploreTwoJobs, targets: [{ field: "ratio", min: 1.7 }] },
];

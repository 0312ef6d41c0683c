/**
 * Bench rows `explore/generated/jobs=1` and `explore/generated/jobs=2`: how many property-sized
 * generated worlds (3 to 8 workers, up to 200 schedules, 30 to 60 virtual minutes, the fixed
 * scheduler under the default fault schedules) `explore` runs per second, on one thread and on
 * two worker threads; the second row's `ratio` is its speed over the first's. Targets: 200
 * runs/s on one core, and a ratio of at least 1.7. Both rows run the same worlds (same seed).
 * Needs the build: worker threads load `dist/src/explore/pool-worker.js`.
 */
import { explore } from "../../src/explore/explore.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { DEFAULT_PROPERTIES, type RunPlan } from "../../src/explore/run-one.js";

export interface ExploreBenchRow {
  readonly name: "explore/generated/jobs=1" | "explore/generated/jobs=2";
  readonly runsPerSec: number;
  /** For jobs=2: its runs per second over jobs=1's. */
  readonly ratio?: number;
  readonly runs: number;
  readonly wallMs: number;
  /** Mean kernel events per run (how big the generated worlds were). */
  readonly kernelEventsPerRun: number;
  /**
   * Runs per second of CPU time (user + system, all threads): what one core would do alone.
   * On a shared machine wall-clock `runsPerSec` also measures the neighbours; this does not.
   */
  readonly runsPerCpuSec: number;
  readonly pool: string;
}

/** Runs per row; `BENCH_EXPLORE_RUNS` overrides (the default keeps a row under a minute here). */
const RUNS = Number(process.env.BENCH_EXPLORE_RUNS ?? 120);
const WARMUP_RUNS = 10;

const plan: Extract<RunPlan, { mode: "generated" }> = {
  mode: "generated",
  variant: "fixed",
  properties: DEFAULT_PROPERTIES,
  constraints: sized(PROPERTY_SIZED),
  seed: 20260508,
};

async function measure(jobs: number): Promise<Omit<ExploreBenchRow, "name" | "ratio">> {
  // Warm-up on other worlds (JIT, module loading), then the measured runs.
  await explore({
    plan: { ...plan, seed: plan.seed + 1 },
    runs: WARMUP_RUNS,
    jobs,
    keepGoing: true,
    shrinkRunsMax: 0,
  });
  const cpu = process.cpuUsage();
  const outcome = await explore({
    plan,
    runs: RUNS,
    jobs,
    keepGoing: true,
    shrinkRunsMax: 0,
    wallClock: () => performance.now(),
  });
  const used = process.cpuUsage(cpu);
  const cpuSec = (used.user + used.system) / 1e6;
  return {
    runsPerSec: Math.round((outcome.completed / (outcome.searchMs / 1000)) * 10) / 10,
    runsPerCpuSec: Math.round((outcome.completed / cpuSec) * 10) / 10,
    runs: outcome.completed,
    wallMs: Math.round(outcome.searchMs),
    kernelEventsPerRun: Math.round(outcome.kernelEvents / Math.max(1, outcome.completed)),
    pool: outcome.pool.note ?? `${outcome.pool.kind} ×${outcome.pool.threads}`,
  };
}

let oneJob: Promise<Omit<ExploreBenchRow, "name" | "ratio">> | null = null;

/** `explore/generated/jobs=1`: runs per second on this thread. */
export async function benchExploreOneJob(): Promise<ExploreBenchRow> {
  oneJob ??= measure(1);
  return { name: "explore/generated/jobs=1", ...(await oneJob) };
}

/** `explore/generated/jobs=2`: runs per second on two worker threads, and the ratio to one job. */
export async function benchExploreTwoJobs(): Promise<ExploreBenchRow> {
  const one = await benchExploreOneJob();
  const two = await measure(2);
  return {
    name: "explore/generated/jobs=2",
    ...two,
    ratio: Math.round((two.runsPerSec / one.runsPerSec) * 100) / 100,
  };
}

export const rows = [
  { name: "explore/generated/jobs=1", run: benchExploreOneJob },
  { name: "explore/generated/jobs=2", run: benchExploreTwoJobs },
];

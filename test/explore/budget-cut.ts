// What the tests of a scheduler module's run cut short at the end of the time budget share: the plans, a clock that counts from the pool's start, and the budgeted exploration.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { defaultWorkerFile } from "../../src/explore/pool.js";
import type { RunPlan } from "../../src/explore/run-one.js";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { ROOT } from "../gate/helpers.js";
import { type GoroutineModule, registryWith } from "./goroutine-modules.js";

/** Generated worlds (seed 1) run by `m` in v2's place. */
export function generated(m: GoroutineModule): RunPlan {
  return {
    mode: "generated",
    variant: "fixed",
    properties: ["no-cascade"],
    constraints: sized(PROPERTY_SIZED),
    seed: 1,
    module: { path: m.file, fixes: [] },
    schedulerModules: [m.ref],
  };
}

/** The seeds of the tiny scenario, run by `m`. */
export function scenario(m: GoroutineModule): RunPlan {
  const parsed = parseScenario(readFileSync(join(ROOT, "test/cli/fixtures/tiny.yaml"), "utf8"), "tiny.yaml");
  if (!parsed.ok) throw new Error("tiny.yaml does not parse");
  const base = compileScenario(parsed.scenario);
  return {
    mode: "scenario",
    variant: null,
    properties: ["no-cascade"],
    base: { ...base, config: { ...base.config, scheduler: { name: m.ref.name, fixes: [] } } },
    baseSeed: 1,
    schedulerModules: [m.ref],
  };
}

/**
 * A wall clock for the exploration that stands at 0 until its pool is up (`onPool`), then counts
 * from there: the threads' start, seconds on a loaded machine, takes nothing from the time
 * budget, and a run is under way when it ends, however long they took.
 */
export function fromPoolUp() {
  let upAt: number | undefined;
  return {
    wallClock: () => (upAt === undefined ? 0 : performance.now() - upAt),
    onPool: () => {
      upAt = performance.now();
    },
    /** Real time since the pool was up. */
    sinceUp: () => performance.now() - (upAt ?? Number.NaN),
  };
}

/**
 * Explores `plan` with a 300 ms grace past a time budget of 2 s, counted from when the pool is
 * up (`fromPoolUp`): it ends within seconds, not at the 10-minute wall budget. A module's runs go
 * to a worker thread even with one job (`openPool`).
 */
export async function budgeted(
  plan: RunPlan,
  m: GoroutineModule,
  jobs: number,
  workerFile = defaultWorkerFile(),
) {
  const budgetMs = 2_000;
  const clock = fromPoolUp();
  const started = performance.now();
  const outcome = await explore({
    plan,
    runs: 4,
    jobs,
    wallClock: clock.wallClock,
    onPool: clock.onPool,
    timeBudgetMs: budgetMs,
    runCutGraceMs: 300,
    schedulers: await registryWith(m),
    workerFile,
  });
  // Not sooner: a run was under way until it was cut.
  expect(performance.now() - started).toBeGreaterThanOrEqual(budgetMs + 300);
  // Not at the run's own 10-minute wall budget: the cut, the guard's second, a stuck thread's 5 s.
  expect(clock.sinceUp()).toBeLessThan(20_000);
  expect(outcome.stoppedBy).toBe("time-budget");
  // Fewer runs than asked: the cut ended the exploration, not the runs running out.
  expect(outcome.completed).toBeLessThan(4);
  const threads = workerFile === defaultWorkerFile();
  expect(outcome.pool).toMatchObject({ kind: threads ? "worker-threads" : "in-process", threads: jobs });
  return outcome;
}

/**
 * Each test's own time: a worker thread's start alone may take 20 s on a loaded machine. What is
 * timed, the cut, is asserted from when the pool was up or the search was over.
 */
export const TIMEOUT_MS = 120_000;

/** How a run cut short in its step, blocked for good, is said, its guard stopping it. */
export const STOPPED =
  /^was still under way 0\.3 s after the exploration's time budget ended and was cut short: goroutine scheduler on w\d+#\d+ was stopped after [\d.]+ s: a goroutine step never returned \(a loop in the scheduler that never yields\)$/;

/**
 * A generated world's exploration of `m` with `jobs` threads, its budget over while each thread's
 * run is stuck: one run a thread under way, none queued behind them, each not judged by the wall
 * budget, the first naming the goroutine.
 */
export async function expectGeneratedWorldCut(m: GoroutineModule, jobs: number): Promise<void> {
  const outcome = await budgeted(generated(m), m, jobs);
  expect(outcome.completed).toBe(jobs);
  expect(outcome.notJudged?.runs).toBe(jobs);
  expect(outcome.notJudged?.first).toMatchObject({ run: 0, limit: "wallBudget" });
  expect(outcome.notJudged?.first.detail).toMatch(STOPPED);
}

/** A scenario's seeds explored with `m` on `jobs` threads, its budget over: each seed under way not judged. */
export async function expectScenarioSeedCut(m: GoroutineModule, jobs: number): Promise<void> {
  const outcome = await budgeted(scenario(m), m, jobs);
  expect(outcome.notJudged?.runs).toBe(jobs);
  expect(outcome.notJudged?.first.detail).toMatch(STOPPED);
}

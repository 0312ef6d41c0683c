// Shows that the time budget bounds an exploration of a scheduler module whose step never returns: its run under way is cut short a grace after the budget ends (by its own lowered wall budget and guard, on any thread; a thread blocked past the guard is stopped), rather than hold the exploration to the run's own 10-minute wall-clock budget. A generated world's cut run, or one whose step never returned, is not judged and names the goroutine, so the module's loop is not taken for a clean exploration; a scenario's seed that was busy but yielding, which may take that long, is left out as the time budget leaves a run not begun. A shrink's run of the module is cut alike, on the pool's thread.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { defaultWorkerFile, THREAD_CUT_AFTER_MS } from "../../src/explore/pool.js";
import { generatedDocument, type RunPlan } from "../../src/explore/run-one.js";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { BUILT, ROOT } from "../gate/helpers.js";
import { goroutineModule, registryWith, stuckInSecondWorld } from "./goroutine-modules.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-time-budget-cut-"));

/** A module whose scheduler goroutine runs `body` (source text), written beside the others. */
const module = (name: string, body: string) => goroutineModule(dir, name, body);

/**
 * A step that never returns (blocked in Atomics.wait, which the guard stops as it would a spinning
 * loop, without a core held meanwhile); one blocked in a native call no guard reaches; a loop
 * that yields but never lets time pass.
 */
const FOREVER = module("forever", "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);");
const BLOCKED = module(
  "blocked",
  'process.getBuiltinModule("node:child_process").execFileSync("sleep", ["10"]);',
);
const BUSY = module("busy", "for (;;) yield rt.sleep(0);");
const STUCK_IN_SHRINK = module("stuck-in-shrink", stuckInSecondWorld("stuckInShrink"));

const schedulers = (m: typeof FOREVER) => registryWith(m);

function generated(m: typeof FOREVER): RunPlan {
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

function scenario(m: typeof FOREVER): RunPlan {
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
 * Explores `plan` with a 300 ms grace past a time budget of 2 s (the worker threads' start takes
 * part of it): it ends within seconds, not at the 10-minute wall budget. A module's runs go to a
 * worker thread even with one job (`openPool`).
 */
async function budgeted(plan: RunPlan, m: typeof FOREVER, jobs: number, workerFile = defaultWorkerFile()) {
  const budgetMs = 2_000;
  const started = performance.now();
  const outcome = await explore({
    plan,
    runs: 4,
    jobs,
    wallClock: () => performance.now(),
    timeBudgetMs: budgetMs,
    runCutGraceMs: 300,
    schedulers: await schedulers(m),
    workerFile,
  });
  const tookMs = performance.now() - started;
  // Not sooner: a run was under way until it was cut.
  expect(tookMs).toBeGreaterThanOrEqual(budgetMs + 300);
  expect(tookMs).toBeLessThan(20_000);
  expect(outcome.stoppedBy).toBe("time-budget");
  const threads = workerFile === defaultWorkerFile();
  expect(outcome.pool).toMatchObject({ kind: threads ? "worker-threads" : "in-process", threads: jobs });
  return outcome;
}

/**
 * How a shrink says the world its run was stuck in did not end: the run's guard names the
 * goroutine; on a machine so loaded that the guard has not stopped it 5 s on, its thread is stopped.
 */
const STUCK_IN_SHRINK_SAID =
  /^a world it tried did not end: (goroutine scheduler on w\d+#\d+ was stopped after [\d.]+ s|its thread was still busy 5 s later and was stopped): a goroutine step never returned/;

const STOPPED =
  /^was still under way 0\.3 s after the exploration's time budget ended and was cut short: goroutine scheduler on w\d+#\d+ was stopped after [\d.]+ s: a goroutine step never returned \(a loop in the scheduler that never yields\)$/;

describe.skipIf(!BUILT)("a scheduler module's run still under way when the time budget has ended", () => {
  // Side by side: each waits out its budget blocked (Atomics.wait, a sleep), not on a core.
  describe.concurrent("with its step blocked for good", () => {
    it.each([1, 2])(
      "with --jobs %i, is cut short, and a generated world's is not judged, naming the goroutine",
      async (jobs) => {
        const outcome = await budgeted(generated(FOREVER), FOREVER, jobs);
        // One run a thread under way, none queued behind them.
        expect(outcome.completed).toBe(jobs);
        expect(outcome.notJudged?.runs).toBe(jobs);
        expect(outcome.notJudged?.first).toMatchObject({ run: 0, limit: "wallBudget" });
        expect(outcome.notJudged?.first.detail).toMatch(STOPPED);
      },
      30_000,
    );

    it.each([1, 2])(
      "with --jobs %i, a scenario's seed is not judged when its step never returned",
      async (jobs) => {
        const outcome = await budgeted(scenario(FOREVER), FOREVER, jobs);
        expect(outcome.notJudged?.runs).toBe(jobs);
        expect(outcome.notJudged?.first.detail).toMatch(STOPPED);
      },
      30_000,
    );

    it("in a shrink, on the pool's thread, is cut short too, and the failure is written in its world", async () => {
      const started = performance.now();
      const plan = { ...generated(STUCK_IN_SHRINK), properties: ["no-panic-death"] } as RunPlan;
      const outcome = await explore({
        plan,
        runs: 4,
        jobs: 1,
        wallClock: () => performance.now(),
        // Longer than the others': the search's failing run must end first, however loaded the machine.
        timeBudgetMs: 4_000,
        runCutGraceMs: 300,
        schedulers: await schedulers(STUCK_IN_SHRINK),
      });
      // Not at the shrink run's own 10-minute wall budget.
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(outcome.stoppedBy).toBe("failure");
      expect(outcome.shrinkMs).toBeGreaterThan(1_000);
      const [failure] = outcome.failures;
      // Cut in the first world it tried, the failing one: nothing was shrunk; the hang is said.
      expect(failure.shrink).toMatchObject({ runs: 0, steps: 0, exhausted: true, cutBy: "time-budget" });
      expect(failure.shrink?.stuck).toMatch(STUCK_IN_SHRINK_SAID);
      // Its world is the reproducer, not run again under its name: it would hang again.
      expect(failure.document).toEqual(generatedDocument(plan as Extract<RunPlan, { mode: "generated" }>, 0));
      expect(failure.documentRun?.failed).toEqual(["no-panic-death"]);
    }, 30_000);

    it("in a shrink, is cut at the shrink's own deadline (--shrink-time) with no time budget, and said", async () => {
      const started = performance.now();
      const outcome = await explore({
        plan: { ...generated(STUCK_IN_SHRINK), properties: ["no-panic-death"] } as RunPlan,
        runs: 4,
        jobs: 1,
        wallClock: () => performance.now(),
        shrinkTimeMsMax: 1_500,
        runCutGraceMs: 300,
        schedulers: await schedulers(STUCK_IN_SHRINK),
      });
      // Not at the run's own 10-minute wall budget.
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(outcome.stoppedBy).toBe("failure");
      const [failure] = outcome.failures;
      // The shrink's own limit, not a cut from outside.
      expect(failure.shrink).toMatchObject({ exhausted: true, cutBy: null });
      expect(failure.shrink?.stuck).toMatch(STUCK_IN_SHRINK_SAID);
    }, 30_000);

    it("on a worker thread blocked where its guard cannot stop it, has its thread stopped", async () => {
      const outcome = await budgeted(generated(BLOCKED), BLOCKED, 2);
      expect(outcome.notJudged?.runs).toBe(2);
      expect(outcome.notJudged?.first.detail).toBe(
        `was still under way 0.3 s after the exploration's time budget ended and was cut short: its thread was still busy ${THREAD_CUT_AFTER_MS / 1000} s later and was stopped: a goroutine step never returned (a step blocked where nothing could stop it)`,
      );
    }, 30_000);
  });

  it("in this thread, where no worker thread could load (the pool's fallback), is cut short alike", async () => {
    const outcome = await budgeted(generated(FOREVER), FOREVER, 1, join(dir, "no-such-worker.js"));
    expect(outcome.pool.note).toMatch(/^worker threads unavailable \(.*\); running in this thread$/);
    expect(outcome.completed).toBe(1);
    expect(outcome.notJudged?.first.detail).toMatch(STOPPED);
  }, 30_000);

  it("is left out of a scenario's seeds when it was busy but yielding, as a run not begun", async () => {
    const outcome = await budgeted(scenario(BUSY), BUSY, 1);
    expect(outcome.completed).toBe(0);
    expect(outcome.notJudged).toBeNull();
  }, 30_000);

  it("is cut at the same moment in the deterministic check's second run, which does not get a budget of its own", async () => {
    const plan = { ...scenario(BUSY), properties: ["no-cascade", "deterministic"] } as RunPlan;
    const started = performance.now();
    const outcome = await explore({
      plan,
      runs: 2,
      jobs: 1,
      wallClock: () => performance.now(),
      timeBudgetMs: 200,
      runCutGraceMs: 1_500,
      schedulers: await schedulers(BUSY),
    });
    // The first run is cut at 1.7 s; a second run given the first's budget anew would end near 3.2 s.
    expect(performance.now() - started).toBeLessThan(2_800);
    expect(outcome.completed).toBe(0);
  }, 30_000);
});

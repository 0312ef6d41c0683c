// Shows that the time budget bounds an exploration of a scheduler module whose step never returns: its run under way is cut short a grace after the budget ends (by its own lowered wall budget and guard, on any thread; a thread blocked past the guard is stopped), rather than hold the exploration to the run's own 10-minute wall-clock budget. A generated world's cut run, or one whose step never returned, is not judged and names the goroutine, so the module's loop is not taken for a clean exploration; a scenario's seed that was busy but yielding, which may take that long, is left out as the time budget leaves a run not begun. A shrink's run of the module is cut alike, on the pool's thread. The cut falls where the budget ends on the clock the exploration is given: these tests' clocks leave out what a loaded machine makes slow (the threads' start, the search), so a run is under way when it comes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { THREAD_CUT_AFTER_MS } from "../../src/explore/pool.js";
import {
  epochNowMs,
  generatedDocument,
  type RunPlan,
  runOne,
  TimeBudgetCut,
} from "../../src/explore/run-one.js";
import { BUILT } from "../gate/helpers.js";
import {
  budgeted,
  expectGeneratedWorldCut,
  expectScenarioSeedCut,
  fromPoolUp,
  generated,
  STOPPED,
  scenario,
  TIMEOUT_MS,
} from "./budget-cut.js";
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
/** `FOREVER`, held 1.2 s as it loads on a worker thread: its pool is slow to come up. */
const SLOW_TO_LOAD = goroutineModule(
  dir,
  "slow-to-load",
  "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);",
  `import { isMainThread } from "node:worker_threads";
if (!isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_200);
`,
);

/**
 * A wall clock for the exploration that leaves `leftMs` of its time budget when the search is
 * over (`onSearched`): the shrink that follows is cut by the budget, however long the pool's
 * start and the search took on a loaded machine. The budget given must be far above either.
 */
function budgetEndsInShrink(budgetMs: number, leftMs: number) {
  let startedAt: number | undefined;
  let skewMs = 0;
  let searchedAt = Number.NaN;
  return {
    wallClock: () => {
      const now = performance.now() + skewMs;
      startedAt ??= now;
      return now;
    },
    onSearched: () => {
      searchedAt = performance.now();
      skewMs = (startedAt ?? searchedAt) + budgetMs - leftMs - searchedAt;
    },
    /** Real time since the search was over. */
    sinceSearched: () => performance.now() - searchedAt,
  };
}

/**
 * How a shrink says the world its run was stuck in did not end: the run's guard names the
 * goroutine; on a machine so loaded that the guard has not stopped it 5 s on, its thread is stopped.
 */
const STUCK_IN_SHRINK_SAID =
  /^a world it tried did not end: (goroutine scheduler on w\d+#\d+ was stopped after [\d.]+ s|its thread was still busy 5 s later and was stopped): a goroutine step never returned/;

describe.skipIf(!BUILT)("a scheduler module's run still under way when the time budget has ended", () => {
  // Side by side: each waits out its budget blocked (Atomics.wait, a sleep), not on a core.
  describe.concurrent("with its step blocked for good", () => {
    // A generated world on one thread, a scenario's seeds on two: the other arrangement of each is
    // in the long tier (time-budget-cut.long.test.ts).
    it.each([1])(
      "with --jobs %i, is cut short, and a generated world's is not judged, naming the goroutine",
      (jobs) => expectGeneratedWorldCut(FOREVER, jobs),
      TIMEOUT_MS,
    );

    it.each([2])(
      "with --jobs %i, a scenario's seed is not judged when its step never returned",
      (jobs) => expectScenarioSeedCut(FOREVER, jobs),
      TIMEOUT_MS,
    );

    it(
      "in a shrink, on the pool's thread, is cut short too, and the failure is written in its world",
      async () => {
        const plan = { ...generated(STUCK_IN_SHRINK), properties: ["no-panic-death"] } as RunPlan;
        // A budget the search's failing run ends well within, however loaded the machine, of which
        // 2 s are left when the shrink begins.
        const clock = budgetEndsInShrink(60_000, 2_000);
        const outcome = await explore({
          plan,
          runs: 4,
          jobs: 1,
          wallClock: clock.wallClock,
          onSearched: clock.onSearched,
          timeBudgetMs: 60_000,
          runCutGraceMs: 300,
          schedulers: await registryWith(STUCK_IN_SHRINK),
        });
        // Not at the shrink run's own 10-minute wall budget, nor at the budget's end on the real clock.
        expect(clock.sinceSearched()).toBeLessThan(20_000);
        expect(outcome.stoppedBy).toBe("failure");
        expect(outcome.shrinkMs).toBeGreaterThan(1_000);
        const [failure] = outcome.failures;
        // Cut in the first world it tried, the failing one: nothing was shrunk; the hang is said.
        expect(failure.shrink).toMatchObject({ runs: 0, steps: 0, exhausted: true, cutBy: "time-budget" });
        expect(failure.shrink?.stuck).toMatch(STUCK_IN_SHRINK_SAID);
        // Its world is the reproducer, not run again under its name: it would hang again.
        expect(failure.document).toEqual(
          generatedDocument(plan as Extract<RunPlan, { mode: "generated" }>, 0),
        );
        expect(failure.documentRun?.failed).toEqual(["no-panic-death"]);
      },
      TIMEOUT_MS,
    );

    it(
      "in a shrink, is cut at the shrink's own deadline (--shrink-time) with no time budget, and said",
      async () => {
        let searchedAt = Number.NaN;
        const outcome = await explore({
          plan: { ...generated(STUCK_IN_SHRINK), properties: ["no-panic-death"] } as RunPlan,
          runs: 4,
          jobs: 1,
          wallClock: () => performance.now(),
          onSearched: () => {
            searchedAt = performance.now();
          },
          shrinkTimeMsMax: 1_500,
          runCutGraceMs: 300,
          schedulers: await registryWith(STUCK_IN_SHRINK),
        });
        // Not at the run's own 10-minute wall budget (counted from the shrink: the pool's start and
        // the search may take seconds on a loaded machine).
        expect(performance.now() - searchedAt).toBeLessThan(20_000);
        expect(outcome.stoppedBy).toBe("failure");
        const [failure] = outcome.failures;
        // The shrink's own limit, not a cut from outside.
        expect(failure.shrink).toMatchObject({ exhausted: true, cutBy: null });
        expect(failure.shrink?.stuck).toMatch(STUCK_IN_SHRINK_SAID);
      },
      TIMEOUT_MS,
    );

    it(
      "is cut by the clock it is given: a pool's start that clock leaves out does not bring the cut sooner",
      async () => {
        // The pool is up past where a budget of 0.1 s and a grace of 1 s would end on the real
        // clock from the exploration's start: counted from the pool instead, the run is under way.
        const clock = fromPoolUp();
        const outcome = await explore({
          plan: generated(SLOW_TO_LOAD),
          runs: 4,
          jobs: 1,
          wallClock: clock.wallClock,
          onPool: clock.onPool,
          timeBudgetMs: 100,
          runCutGraceMs: 1_000,
          schedulers: await registryWith(SLOW_TO_LOAD),
        });
        // Cut 1.1 s after the pool was up, its step stopped by its guard a second on; a run begun
        // past its cut would be stopped a second after it began.
        expect(clock.sinceUp()).toBeGreaterThanOrEqual(2_000);
        expect(clock.sinceUp()).toBeLessThan(20_000);
        expect(outcome.stoppedBy).toBe("time-budget");
        expect(outcome.notJudged?.first.detail).toMatch(
          /^was still under way 1 s after the exploration's time budget ended and was cut short: goroutine scheduler on w\d+#\d+ was stopped after [\d.]+ s/,
        );
      },
      TIMEOUT_MS,
    );

    it(
      "on a worker thread blocked where its guard cannot stop it, has its thread stopped",
      async () => {
        const outcome = await budgeted(generated(BLOCKED), BLOCKED, 2);
        expect(outcome.notJudged?.runs).toBe(2);
        expect(outcome.notJudged?.first.detail).toBe(
          `was still under way 0.3 s after the exploration's time budget ended and was cut short: its thread was still busy ${THREAD_CUT_AFTER_MS / 1000} s later and was stopped: a goroutine step never returned (a step blocked where nothing could stop it)`,
        );
      },
      TIMEOUT_MS,
    );
  });

  it(
    "in this thread, where no worker thread could load (the pool's fallback), is cut short alike",
    async () => {
      const outcome = await budgeted(generated(FOREVER), FOREVER, 1, join(dir, "no-such-worker.js"));
      expect(outcome.pool.note).toMatch(/^worker threads unavailable \(.*\); running in this thread$/);
      expect(outcome.completed).toBe(1);
      expect(outcome.notJudged?.first.detail).toMatch(STOPPED);
    },
    TIMEOUT_MS,
  );

  it(
    "is left out of a scenario's seeds when it was busy but yielding, as a run not begun",
    async () => {
      const outcome = await budgeted(scenario(BUSY), BUSY, 1);
      expect(outcome.completed).toBe(0);
      expect(outcome.notJudged).toBeNull();
    },
    TIMEOUT_MS,
  );

  it(
    "is cut at the same moment in the deterministic check's second run, which does not get a budget of its own",
    async () => {
      // Run in this thread as a pool's thread runs it (`runOne` with its cut), so that no thread's
      // start, seconds on a loaded machine, comes between the cut's reading and the run.
      const plan = { ...scenario(BUSY), properties: ["no-cascade", "deterministic"] } as RunPlan;
      const registry = await registryWith(BUSY);
      const started = performance.now();
      expect(() => runOne(plan, 0, registry, epochNowMs() + 1_000)).toThrow(TimeBudgetCut);
      const tookMs = performance.now() - started;
      // Cut at 1 s; a second run given the first's budget anew would end past 2 s.
      expect(tookMs).toBeGreaterThanOrEqual(1_000);
      expect(tookMs).toBeLessThan(1_900);
    },
    TIMEOUT_MS,
  );
});

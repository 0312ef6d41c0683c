/**
 * The worker-thread side of the exploration pool (piscina loads this file from `dist/`): it
 * receives the plan once, as `workerData`, then run indices, and answers with run summaries; a
 * user's scheduler module's plan also sends the worlds its failures' shrinks try (`FailingTask`).
 * Index -1 is a ping, answered with null, that proves the worker loaded.
 *
 * A thread that runs a scenario's seeds starts with the run and the checks alone: generated
 * worlds (run-one.ts: fast-check, the scenario schema) load as the thread starts when the plan
 * generates them, and a shrink's runs (shrink.ts) with the first world one sends.
 */
import { workerData } from "node:worker_threads";
import type { SchedulerRegistry } from "../world/world.js";
import {
  exploredVariantOf,
  hasModules,
  judgeRun,
  type PreparedRun,
  prepareScenarioRun,
  type RunAnswer,
  type RunPlan,
  type RunTask,
  TimeBudgetCut,
} from "./judge-run.js";
import { threadRegistry } from "./module-registry.js";
import { answerMayGo, forwardStrayErrors, forwardStrayExits } from "./thread-strays.js";

const plan = workerData as RunPlan;
// A module's process.exit, from its top-level code on, is the main thread's to say.
forwardStrayExits();
/**
 * The schedulers, or why a module would not load here: a module that loads in the main thread
 * (the CLI's check imports it there first) but throws on a worker thread (`process.chdir` at its
 * top level, a native addon that is not context-aware) answers every task, the ping included, with
 * that error, so that the pool runs in the main thread and says why. Uncaught, it would end the
 * thread by an exit the main thread takes for the module's own (`forwardStrayExits`).
 */
interface Loaded {
  readonly registry: SchedulerRegistry | null;
  readonly error: unknown;
  /** How the plan's worlds are made: a scenario's seed here, a generated world by run-one.ts. */
  readonly prepare: (index: number) => PreparedRun;
}
let loaded: Loaded | null = null;
/**
 * Loading, without a top-level await: Node 20 aborts the whole process (a V8 check in
 * `ExecuteAsyncModule`, nodejs/node#43182) when a thread is terminated while its entry module
 * waits at one, and the pool terminates threads still loading when another could not load.
 * Tasks that come first wait for it.
 */
const loading: Promise<Loaded> = Promise.all([
  threadRegistry(plan.schedulerModules ?? [])
    .then(
      (registry) => ({ registry, error: null }),
      (error: unknown) => ({ registry: null, error }),
    )
    .then((schedulers) => {
      // A module's promise or timer that throws outside the simulation is the main thread's to
      // say, from the moment the module is loaded: not after what generated worlds need loads.
      forwardStrayErrors();
      return schedulers;
    }),
  preparer(plan),
])
  .then(([schedulers, prepare]): Loaded => ({ ...schedulers, prepare }))
  .then((done) => {
    loaded = done;
    return done;
  });

/** How the plan's run `index` gets its world, with what that needs loaded. */
async function preparer(plan: RunPlan): Promise<Loaded["prepare"]> {
  if (plan.mode === "scenario") return (index) => prepareScenarioRun(plan, index);
  const { prepareRun } = await import("./run-one.js");
  return (index) => prepareRun(plan, index);
}

/** The shrink's run of a world (`FailingTask`), loaded with the first such task. */
let shrink: typeof import("./shrink.js") | null = null;

/** Whether the runs execute a user's scheduler module, whose strays hold an answer back (`answerMayGo`). */
const runsModules = hasModules(plan);

export default function runIndex(task: RunTask): RunAnswer | null | Promise<RunAnswer | null> {
  if (loaded === null) return loading.then(() => runIndex(task));
  return runLoaded(task, loaded);
}

function runLoaded(task: RunTask, loaded: Loaded): RunAnswer | null | Promise<RunAnswer | null> {
  const { index, cutAtEpochMs } = typeof task === "number" ? { index: task, cutAtEpochMs: undefined } : task;
  if (loaded.registry === null) throw loaded.error;
  if (index < 0) return null;
  const failing = typeof task === "object" && "failing" in task;
  if (failing && shrink === null)
    return import("./shrink.js").then((loadedShrink) => {
      shrink = loadedShrink;
      return runLoaded(task, loaded);
    });
  let summary: RunAnswer | null;
  try {
    summary =
      failing && shrink !== null
        ? shrink.shrinkRunSummary(
            task.failing,
            exploredVariantOf(plan),
            task.kind,
            index,
            loaded.registry,
            undefined,
            cutAtEpochMs,
          )
        : judgeRun(loaded.prepare(index), plan.properties, index, loaded.registry, undefined, cutAtEpochMs);
  } catch (error) {
    // An error's class does not cross to the main thread: the cut goes as data (see `RunAnswer`).
    if (!(error instanceof TimeBudgetCut)) throw error;
    summary = { cut: error.message, overrun: error.overrun };
  }
  if (!runsModules) return summary;
  // Not while a stray of the run's module is on its way to the main thread: never, then.
  return answerMayGo().then((go) => (go ? summary : new Promise<never>(() => {})));
}

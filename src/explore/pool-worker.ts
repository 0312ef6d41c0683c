/**
 * The worker-thread side of the exploration pool (piscina loads this file from `dist/`): it
 * receives the plan once, as `workerData`, then run indices, and answers with run summaries; a
 * user's scheduler module's plan also sends the worlds its failures' shrinks try (`FailingTask`).
 * Index -1 is a ping, answered with null, that proves the worker loaded.
 */
import { workerData } from "node:worker_threads";
import type { SchedulerRegistry } from "../world/world.js";
import { threadRegistry } from "./module-registry.js";
import {
  exploredVariantOf,
  hasModules,
  type RunAnswer,
  type RunPlan,
  type RunTask,
  runOne,
  TimeBudgetCut,
} from "./run-one.js";
import { shrinkRunSummary } from "./shrink.js";
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
}
let loaded: Loaded | null = null;
/**
 * Loading, without a top-level await: Node 20 aborts the whole process (a V8 check in
 * `ExecuteAsyncModule`, nodejs/node#43182) when a thread is terminated while its entry module
 * waits at one, and the pool terminates threads still loading when another could not load.
 * Tasks that come first wait for it.
 */
const loading: Promise<Loaded> = threadRegistry(plan.schedulerModules ?? [])
  .then(
    (registry): Loaded => ({ registry, error: null }),
    (error: unknown): Loaded => ({ registry: null, error }),
  )
  .then((done) => {
    loaded = done;
    // A module's promise or timer that throws outside the simulation is the main thread's to say.
    forwardStrayErrors();
    return done;
  });

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
  let summary: RunAnswer | null;
  try {
    summary =
      typeof task === "object" && "failing" in task
        ? shrinkRunSummary(
            task.failing,
            exploredVariantOf(plan),
            task.kind,
            index,
            loaded.registry,
            undefined,
            cutAtEpochMs,
          )
        : runOne(plan, index, loaded.registry, cutAtEpochMs);
  } catch (error) {
    // An error's class does not cross to the main thread: the cut goes as data (see `RunAnswer`).
    if (!(error instanceof TimeBudgetCut)) throw error;
    summary = { cut: error.message, overrun: error.overrun };
  }
  if (!runsModules) return summary;
  // Not while a stray of the run's module is on its way to the main thread: never, then.
  return answerMayGo().then((go) => (go ? summary : new Promise<never>(() => {})));
}

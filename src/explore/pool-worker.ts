/**
 * The worker-thread side of the exploration pool (piscina loads this file from `dist/`): it
 * receives the plan once, as `workerData`, then run indices, and answers with run summaries.
 * Index -1 is a ping, answered with null, that proves the worker loaded.
 */
import { workerData } from "node:worker_threads";
import { threadRegistry } from "./module-registry.js";
import { hasModules, type RunAnswer, type RunPlan, type RunTask, runOne, TimeBudgetCut } from "./run-one.js";
import { answerMayGo, forwardStrayErrors, forwardStrayExits } from "./thread-strays.js";

const plan = workerData as RunPlan;
// A module's process.exit, from its top-level code on, is the main thread's to say.
forwardStrayExits();
const registry = await threadRegistry(plan.schedulerModules ?? []);
// A module's promise or timer that throws outside the simulation is the main thread's to say.
forwardStrayErrors();

/** Whether the runs execute a user's scheduler module, whose strays hold an answer back (`answerMayGo`). */
const runsModules = hasModules(plan);

export default function runIndex(task: RunTask): RunAnswer | null | Promise<RunAnswer | null> {
  const { index, cutAtEpochMs } = typeof task === "number" ? { index: task, cutAtEpochMs: undefined } : task;
  if (index < 0) return null;
  let summary: RunAnswer;
  try {
    summary = runOne(plan, index, registry, cutAtEpochMs);
  } catch (error) {
    // An error's class does not cross to the main thread: the cut goes as data (see `RunAnswer`).
    if (!(error instanceof TimeBudgetCut)) throw error;
    summary = { cut: error.message, overrun: error.overrun };
  }
  if (!runsModules) return summary;
  // Not while a stray of the run's module is on its way to the main thread: never, then.
  return answerMayGo().then((go) => (go ? summary : new Promise<never>(() => {})));
}

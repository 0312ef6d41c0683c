/**
 * The worker-thread side of the exploration pool (piscina loads this file from `dist/`): it
 * receives the plan once, as `workerData`, then run indices, and answers with run summaries.
 * Index -1 is a ping, answered with null, that proves the worker loaded.
 */
import { workerData } from "node:worker_threads";
import { threadRegistry } from "./module-registry.js";
import { type RunPlan, type RunSummary, runOne } from "./run-one.js";
import { forwardStrayErrors, forwardStrayExits } from "./thread-strays.js";

const plan = workerData as RunPlan;
// A module's process.exit, from its top-level code on, is the main thread's to say.
forwardStrayExits();
const registry = await threadRegistry(plan.schedulerModules ?? []);
// A module's promise or timer that throws outside the simulation is the main thread's to say.
forwardStrayErrors();

export default function runIndex(index: number): RunSummary | null {
  if (index < 0) return null;
  return runOne(plan, index, registry);
}

/**
 * The worker-thread side of the exploration pool (piscina loads this file from `dist/`): it
 * receives the plan once, as `workerData`, then run indices, and answers with run summaries.
 * Index -1 is a ping, answered with null, that proves the worker loaded.
 */
import { workerData } from "node:worker_threads";
import { bundledSchedulers, moduleFactory } from "../schedulers/index.js";
import type { SchedulerFactory } from "../world/runtime.js";
import type { SchedulerRegistry } from "../world/world.js";
import { type RunPlan, type RunSummary, runOne } from "./run-one.js";

const plan = workerData as RunPlan;
const registry: SchedulerRegistry = await loadRegistry(plan);

async function loadRegistry(p: RunPlan): Promise<SchedulerRegistry> {
  const registry = bundledSchedulers();
  for (const ref of p.schedulerModules ?? []) {
    if (ref.preload !== undefined) await import(ref.preload);
    const loaded = (await import(ref.url)) as { scheduler?: SchedulerFactory; default?: SchedulerFactory };
    const factory = loaded.scheduler ?? loaded.default;
    if (factory === undefined) throw new Error(`${ref.url}: no scheduler exported`);
    // As the CLI registers it on the main thread, so a run traces alike on any thread.
    registry.set(ref.name, moduleFactory(factory, `user scheduler ${ref.name}`));
  }
  return registry;
}

export default function runIndex(index: number): RunSummary | null {
  if (index < 0) return null;
  return runOne(plan, index, registry);
}

import type { SchedulerFactory } from "../world/runtime.js";
import { v1 } from "./v1.js";
import { v2 } from "./v2.js";

export { v1 } from "./v1.js";
export { V2_FIXES, v2 } from "./v2.js";

/** The bundled schedulers, by name. */
export function bundledSchedulers(): Map<string, SchedulerFactory> {
  return new Map<string, SchedulerFactory>([
    [v1.name, v1],
    [v2.name, v2],
  ]);
}

/** Whether `registry` holds a scheduler other than the bundled ones (a user's module). */
export function holdsOwnModule(registry: ReadonlyMap<string, unknown>): boolean {
  const bundled = bundledSchedulers();
  return [...registry.keys()].some((name) => !bundled.has(name));
}

/**
 * A user's factory as every thread registers it: its fields read once, `create` called on it,
 * and never `bundled`, whatever it says (the port of a module is always guarded). The CLI, which
 * checks the export first, and the worker threads of `explore` register the same object, so a
 * run traces alike on any thread.
 */
export function moduleFactory(factory: SchedulerFactory, description: string): SchedulerFactory {
  return {
    name: factory.name,
    description: typeof factory.description === "string" ? factory.description : description,
    fixes: [...(factory.fixes ?? [])],
    create: (fixes) => factory.create(fixes),
  };
}

/**
 * The factory a scheduler module exports, read from its namespace as `import` gives it: its
 * `scheduler` export, else the `scheduler` of its default export, else its default export. A
 * CommonJS module's namespace has its `module.exports` as the default, and a `scheduler` export
 * only where Node's scan of the source finds one (`exports.scheduler = ...`, not
 * `module.exports = { scheduler: {...} }`): so, for CommonJS, the rule reads `module.exports.scheduler`,
 * else `module.exports`, however they were written. Every thread reads a module by this rule.
 */
export function exportedSchedulerFactory(namespace: Readonly<Record<string, unknown>>): unknown {
  if (namespace.scheduler !== undefined) return namespace.scheduler;
  const fallback = namespace.default;
  if ((typeof fallback === "object" && fallback !== null) || typeof fallback === "function") {
    const inner = (fallback as { scheduler?: unknown }).scheduler;
    if (inner !== undefined) return inner;
  }
  return fallback;
}

/**
 * The fixes `create` is called with when a module is checked, before any run (none, each alone,
 * all): the CLI checks what each call returns, and a worker thread that imports the module makes
 * the same calls, so that a module keeping state from one `create` to the next starts its runs
 * there as it does on the thread that checked it.
 */
export function checkedFixSets(fixes: readonly string[]): string[][] {
  if (fixes.length === 0) return [[]];
  return [[], ...(fixes.length > 1 ? fixes.map((fix) => [fix]) : []), [...fixes]];
}

/**
 * What a SchedulerFactory must be, checked where one comes in: a module the CLI loads, and each
 * entry of the `schedulers` a library caller passes to `runScenario`, `compareVariants` or
 * `explore`. Without it a wrong object (a module's namespace in place of its `scheduler` export,
 * say) fails inside the world, where `create` is called in each worker process, and a run traces
 * the TypeError as the scheduler's own panic: a wrong verdict against the scheduler.
 */
import { describeValue, jsValueText } from "../scenario/issue.js";
import type { SchedulerRegistry } from "../world/world.js";

/**
 * What is wrong with `factory` as a SchedulerFactory (`{ name, description?, fixes?, create(fixes) }`),
 * none when nothing is. The CLI reports them as `not a scheduler: …`. A `description` that is not
 * text is no problem: the scheduler is described by its module instead (`moduleFactory`).
 */
export function schedulerFactoryProblems(factory: unknown, what = "the export"): string[] {
  if (typeof factory === "function")
    return [
      `${what} is a function, expected an object { name, fixes, create(fixes) }: export the factory itself, not a function that makes one`,
    ];
  if (typeof factory !== "object" || factory === null)
    return [`${what} is ${kindText(factory)}, expected an object { name, fixes, create(fixes) }`];
  const f = factory as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof f.name !== "string") problems.push("`name` must be a string");
  if (typeof f.create !== "function") problems.push("`create(fixes)` must be a function");
  const fixesProblem = fixListProblem(f.fixes);
  if (fixesProblem !== null) problems.push(fixesProblem);
  // Neither field: most often the factory sits under another name (a CommonJS `module.exports = { sched }`).
  if (typeof f.name !== "string" && typeof f.create !== "function") {
    const names = Object.keys(f).map((n) => `\`${n}\``);
    problems.push(names.length === 0 ? `${what} is empty` : `${what} holds ${names.join(", ")}`);
  }
  return problems;
}

/**
 * What is wrong with the `fixes` a factory declares, or null: a list of distinct names.
 * `--fix` and a scenario's `fixes` name them as text, and a fix named twice counts once, so a
 * number could never be asked for, and a name listed twice would be switched on twice.
 */
function fixListProblem(fixes: unknown): string | null {
  if (fixes === undefined) return null;
  if (!Array.isArray(fixes)) return `\`fixes\` must be a list of names: it is ${kindText(fixes)}`;
  const seen = new Set<string>();
  for (const fix of fixes as unknown[]) {
    if (typeof fix !== "string" || fix === "")
      return `\`fixes\` must be a list of names: ${describeValue(fix)} is not a string`;
    if (seen.has(fix)) return `\`fixes\` names ${JSON.stringify(fix)} twice`;
    seen.add(fix);
  }
  return null;
}

/** What `value` is, and for a primitive its value: `a string ("early-return")`, `a function`, `null`. */
function kindText(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return `a ${typeof value} (${jsValueText(value)})`;
}

/** A module's namespace, as `await import(…)` gives it. */
function isModuleNamespace(value: unknown): boolean {
  return Object.prototype.toString.call(value) === "[object Module]";
}

/**
 * Throws a TypeError unless `registry` is a map of names to SchedulerFactory (`bundledSchedulers()`
 * with `set(name, factory)`), naming the entry that is not one and what is wrong with it. Run
 * where a library call starts, before any world: entries are read, never called.
 */
export function checkSchedulerRegistry(registry: unknown, field = "schedulers"): void {
  if (registry === undefined) return;
  const map = registry as Partial<SchedulerRegistry> | null;
  if (
    map === null ||
    typeof map !== "object" ||
    typeof map.get !== "function" ||
    typeof map.entries !== "function"
  )
    throw new TypeError(
      `${field}: expected a Map of scheduler names to SchedulerFactory (bundledSchedulers() and its set(name, factory)), found ${jsValueText(registry)}`,
    );
  for (const [name, factory] of map.entries()) {
    if (typeof name !== "string")
      throw new TypeError(`${field}: expected scheduler names as keys, found ${jsValueText(name)}`);
    const entry = `${field}.get(${JSON.stringify(name)})`;
    const problems = schedulerFactoryProblems(factory, "the entry");
    if (problems.length === 0) continue;
    // Not a factory itself (a module whose namespace is one, exporting `name` and `create`, is):
    // most often the namespace of a module whose factory is one of its exports.
    const holdsOne =
      factory !== null && typeof factory === "object" && ("scheduler" in factory || "default" in factory);
    if (isModuleNamespace(factory) || holdsOne)
      throw new TypeError(
        `${entry}: a module's namespace, not a scheduler: register its \`scheduler\` export (const { scheduler } = await import(…)), or its default export when it has none`,
      );
    throw new TypeError(`${entry}: not a scheduler: ${problems.join("; ")}`);
  }
}

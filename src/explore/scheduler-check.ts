/**
 * What a SchedulerFactory must be, checked where one comes in: a module the CLI loads, and each
 * entry of the `schedulers` a library caller passes to `runScenario`, `compareVariants` or
 * `explore`. Without it a wrong object (a module's namespace in place of its `scheduler` export,
 * say) fails inside the world, where `create` is called in each worker process, and a run traces
 * the TypeError as the scheduler's own panic: a wrong verdict against the scheduler.
 */
import { thrownMessage, thrownText } from "../kernel/index.js";
import { describeValue, jsValueText } from "../scenario/issue.js";
import { checkedFixSets } from "../schedulers/index.js";
import type { SchedulerFactory } from "../world/runtime.js";
import type { SchedulerRegistry } from "../world/world.js";
import { thrownObjectText } from "./thrown-object.js";

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
  // A factory an async function makes, not awaited: no keys of its own, which would read as empty.
  if (factory instanceof Promise)
    return [
      `${what} is a Promise, expected an object { name, fixes, create(fixes) }: await it, and export or register what it resolves to (\`export const scheduler = await makeScheduler()\`)`,
    ];
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

/** What went wrong calling `create` for one set of fixes: `text` follows `create([…]) `. */
export interface CreateProblem {
  readonly text: string;
  /** Whether `create` itself threw (`error` is what it threw), rather than returning a wrong scheduler. */
  readonly createThrew: boolean;
  readonly error: unknown;
}

/**
 * Calls `factory.create(fixes)` and checks what it returns, or null when it is a scheduler: a
 * `create` that throws, or returns no object with a generator `main(rt)`, would otherwise throw
 * in every worker process a world starts, traced as the scheduler's panics. `main` is not called.
 * The CLI makes these calls for a module it loads (`checkCreate`), a library call for each entry
 * of its `schedulers` (`checkSchedulerRegistry`).
 */
export function createProblem(factory: SchedulerFactory, fixes: readonly string[]): CreateProblem | null {
  let made: unknown;
  try {
    made = factory.create(fixes);
  } catch (error) {
    return { text: `threw: ${thrownObjectText(error) ?? thrownMessage(error)}`, createThrew: true, error };
  }
  try {
    const wrong = schedulerProblem(made);
    return wrong === null ? null : { text: wrong, createThrew: false, error: undefined };
  } catch (error) {
    // A getter or a Proxy trap of what it returned: the scheduler's code too.
    return {
      text: `returned a scheduler that threw as it was read: ${thrownText(error)}`,
      createThrew: false,
      error,
    };
  }
}

/**
 * Whether `fn` is an async function or async generator function. Such a `main` never returns a
 * generator, and its `await` loop runs on the microtask queue, outside any goroutine step: the
 * simulation could neither drive nor stop it, and a run would never end.
 */
function isAsync(fn: unknown): boolean {
  const tag = Object.prototype.toString.call(fn);
  return tag === "[object AsyncFunction]" || tag === "[object AsyncGeneratorFunction]";
}

/** What is wrong with what `create` returned, or null: a Scheduler is `{ name, fixes, main(rt) }`. */
function schedulerProblem(made: unknown): string | null {
  if (made instanceof Promise) {
    // An async `create`: what it threw would reject this promise later, unhandled, and end the
    // command as a module's stray rejection; said here as what `create` returned instead.
    made.catch(() => {});
    return "returned a Promise (is create async?), expected a scheduler { name, fixes, main(rt) }: create returns the scheduler itself";
  }
  if (typeof made !== "object" || made === null || Array.isArray(made))
    return `returned ${describeValue(made)}, expected a scheduler { name, fixes, main(rt) }`;
  const scheduler = made as Record<string, unknown>;
  const wrong: string[] = [];
  if (typeof scheduler.main !== "function")
    wrong.push(`\`main\` is ${describeValue(scheduler.main)}, expected a function main(rt) (a generator)`);
  else if (isAsync(scheduler.main))
    wrong.push(
      "`main` is an async function, expected a generator function main(rt) (function*: a blocking call is `yield*`, not `await`)",
    );
  if (scheduler.name !== undefined && typeof scheduler.name !== "string")
    wrong.push(`\`name\` is ${describeValue(scheduler.name)}, expected a string`);
  if (scheduler.fixes !== undefined && !Array.isArray(scheduler.fixes))
    wrong.push(`\`fixes\` is ${describeValue(scheduler.fixes)}, expected a list of names`);
  return wrong.length === 0 ? null : `returned a scheduler whose ${wrong.join(", and whose ")}`;
}

/** A module's namespace, as `await import(…)` gives it. */
function isModuleNamespace(value: unknown): boolean {
  return Object.prototype.toString.call(value) === "[object Module]";
}

/**
 * Throws a TypeError unless `registry` is a map of names to SchedulerFactory (`bundledSchedulers()`
 * with `set(name, factory)`), naming the entry that is not one and what is wrong with it. Run
 * where a library call starts, before any world. As the CLI checks a module it loads, each
 * entry's `create` is called once for each set of fixes worth trying (none, each alone, all) and
 * what it returns is checked; no scheduler is run (`main` is not called).
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
  for (const [name, factory] of map.entries())
    checkCreateCalls(factory, `${field}.get(${JSON.stringify(name)})`);
}

/** Throws a TypeError naming `entry` when `create` throws, or returns no scheduler, for a set of fixes the CLI tries. */
function checkCreateCalls(factory: SchedulerFactory, entry: string): void {
  for (const set of checkedFixSets(factory.fixes ?? [])) {
    const problem = createProblem(factory, set);
    if (problem !== null)
      throw new TypeError(`${entry}: not a scheduler: create(${JSON.stringify(set)}) ${problem.text}`);
  }
}

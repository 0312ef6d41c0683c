import {
  fixesNotListed,
  moduleFixesFor,
  REPLACED_SCHEDULER,
  substituteScheduler,
} from "../explore/gate-scheduler.js";
import { escapeControls, runClock } from "../kernel/time.js";
import { applyVariant, asOwnVariant, type CompiledScenario } from "../scenario/compile.js";
import { isVariantName, namedVariant, type Scenario, VARIANT_NAMES } from "../scenario/index.js";
import { builtinFixes, inDeclaredOrder, knownFixesText } from "../scenario/scheduler-fixes.js";
import { closest } from "../scenario/suggest.js";
import { variantSuggestion } from "../scenario/variants.js";
import { bundledSchedulers } from "../schedulers/index.js";
import type { SchedulerRegistry } from "../world/world.js";
import { CliError, emptyArgumentError, type InputProblem, optionError, type ProblemPlace } from "./errors.js";
import { commandLineModuleName, isScenarioModule, type LoadedScenario, ownModulePath } from "./load.js";

/** Options that choose what scheduler a run starts with. */
export interface VariantOptions {
  readonly variant?: string;
  readonly scheduler?: string;
  readonly fix?: string;
}

/** The fixes of a comma-separated `--fix` list, as written (checked against the scheduler later). */
export function parseFixList(text: string | undefined): string[] {
  if (text === undefined || text.trim() === "" || text === "none") return [];
  return text.split(",").map((f) => f.trim());
}

/**
 * `fixes`, the value of the command-line option `flag` (`--fix`), de-duplicated and in the order
 * the scheduler declares its fixes, so that the same fixes give the same run (and trace hash)
 * however they were written; a fix the scheduler does not have is a usage error of that option
 * (`optionError`) that names the ones it has.
 */
export function declaredFixes(
  fixes: readonly string[],
  scheduler: string,
  declared: readonly string[],
  flag: string,
): string[] {
  const unknown = [...new Set(fixes.filter((f) => !declared.includes(f)))];
  if (unknown.length > 0) {
    const names = unknown.map((f) => JSON.stringify(f)).join(", ");
    // One misspelt fix is told the one meant, as a misspelt --variant is.
    const meant = unknown.length === 1 ? closest(unknown[0], declared) : undefined;
    throw optionError(
      flag,
      `${scheduler} has no fix${unknown.length > 1 ? "es" : ""} ${names} (${knownFixesText(scheduler, declared)})${meant === undefined ? "" : ` — did you mean ${meant}?`}`,
    );
  }
  return inDeclaredOrder(fixes, declared);
}

/** Checks a variant name, with the list of names on error. */
export function checkVariant(name: string, flag = "--variant"): string {
  if (isVariantName(name)) return name;
  throw optionError(
    flag,
    `unknown variant "${name}" (known: ${VARIANT_NAMES.join(", ")})${variantSuggestion(name)}`,
  );
}

/** Extra scheduler modules named with --scheduler (paths), to load before running. */
export function schedulerModulesFromOptions(o: VariantOptions): string[] {
  return o.scheduler !== undefined && builtinFixes(o.scheduler) === null ? [o.scheduler] : [];
}

/**
 * The compiled scenario with the scheduler the options ask for. A module path is from the working
 * folder; it is named by its path from `scenarioFile`'s folder (`commandLineModuleName`).
 */
export function chooseVariant(
  compiled: CompiledScenario,
  o: VariantOptions,
  scenarioFile: string,
): CompiledScenario {
  if (o.variant !== undefined && o.scheduler !== undefined)
    throw new CliError("--variant and --scheduler are exclusive: pick one");
  if (o.variant !== undefined && o.fix !== undefined)
    throw new CliError("--fix goes with --scheduler: a --variant has its own fixes");
  if (o.variant !== undefined) return applyVariant(compiled, checkVariant(o.variant))!;
  if (o.scheduler !== undefined) {
    const builtin = builtinFixes(o.scheduler);
    if (builtin === null) checkModuleArgument(o.scheduler);
    const name = builtin !== null ? o.scheduler : commandLineModuleName(o.scheduler, scenarioFile);
    // A module's fixes are known once it is loaded: `withLoadedModule` orders and checks them then.
    const written = [...new Set(parseFixList(o.fix))];
    const fixes = builtin !== null ? declaredFixes(written, o.scheduler, builtin, "--fix") : written;
    const variantName = builtin !== null ? namedVariant(o.scheduler, fixes) : null;
    return { ...compiled, config: { ...compiled.config, scheduler: { name, fixes } }, variantName };
  }
  if (o.fix !== undefined) throw new CliError("--fix goes with --scheduler (or use --variant)");
  return asOwnVariant(compiled);
}

/**
 * `--scheduler ""` (`--scheduler "$MODULE"` with the variable unset): said as such, not as a name
 * or as the working folder. `modulesOnly` for the gate's, which takes a module alone.
 */
export function emptySchedulerError(modulesOnly = false): CliError {
  const expected = modulesOnly
    ? "a scheduler module's path"
    : `a bundled scheduler (${[...bundledSchedulers().keys()].join(", ")}) or a module's path`;
  return emptyArgumentError(expected, "--scheduler");
}

/**
 * Refuses a `--scheduler` that is neither a bundled scheduler nor a path: a bare word is a
 * scheduler name, not a file (`v9` is a typo of v1 or v2).
 */
export function checkModuleArgument(scheduler: string): void {
  if (scheduler === "") throw emptySchedulerError();
  if (/[\\/]|\.[A-Za-z0-9]+$/.test(scheduler)) return;
  throw optionError(
    "--scheduler",
    `unknown scheduler ${JSON.stringify(scheduler)} (bundled: ${[...bundledSchedulers().keys()].join(", ")}; or a path to a module)`,
  );
}

/**
 * Without `--scheduler` or `--variant`, for a scenario whose scheduler is a module: the warnings
 * of its v2 deploys that ask for fixes the module does not list (it stands for v2 in them).
 * With `--scheduler MODULE`, once the module is loaded: `--fix` in the module's order, and the
 * module in place of v2 in the timeline's deploys too, exactly as `gate --scheduler` runs it, so
 * that a run replays what the gate judged (same trace hash). A deploy of v2 whose fixes the
 * module does not list deploys the module without them, as the gate does (a module that lists
 * no fixes is the scheduler you mean to ship): `warn` is told, so that it is not a surprise.
 */
export function withLoadedModule(
  compiled: CompiledScenario,
  o: VariantOptions,
  schedulers: SchedulerRegistry,
  scenario: Scenario,
  warn: (line: string) => void,
): CompiledScenario {
  if (o.scheduler === undefined) {
    if (o.variant === undefined) warnOwnModuleDeploys(compiled, schedulers, scenario, warn);
    return compiled;
  }
  if (builtinFixes(o.scheduler) !== null) return compiled;
  const choice = compiled.config.scheduler;
  const factory = schedulers.get(choice.name);
  if (factory === undefined) return compiled;
  const fixes = declaredFixes(choice.fixes, o.scheduler, factory.fixes, "--fix");
  const chosen = { ...compiled, config: { ...compiled.config, scheduler: { name: choice.name, fixes } } };
  const endMs = compiled.config.startMs + compiled.config.durationMs;
  for (const line of droppedDeployFixes(scenario, endMs, o.scheduler, factory.fixes)) warn(`${line}\n`);
  return substituteScheduler(chosen, { name: choice.name, fixes: factory.fixes });
}

/**
 * A scenario's own module stands for v2 in its timeline's deploys as a `--scheduler` module does
 * (`moduleStandsForV2`, in every run): `warn` is told of each deploy of v2 whose fixes it does not
 * list, naming the module by its path from the working folder, as the gate names it.
 */
export function warnOwnModuleDeploys(
  compiled: CompiledScenario,
  schedulers: SchedulerRegistry,
  scenario: Scenario,
  warn: (line: string) => void,
): void {
  const own = scenario.scheduler;
  const factory = schedulers.get(compiled.config.scheduler.name);
  if (own.kind !== "module" || factory === undefined) return;
  const path = ownModulePath(own.module, scenario.source.file);
  const endMs = compiled.config.startMs + compiled.config.durationMs;
  for (const line of droppedDeployFixes(scenario, endMs, path, factory.fixes)) warn(`${line}\n`);
}

/**
 * One warning for each deploy of v2 the run reaches (at or before `endMs`, as the world applies it) that asks for fixes the
 * module does not list, at the deploy's line and column: `aftershock: FILE:L:C: warning: ...`.
 */
export function droppedDeployFixes(
  scenario: Scenario,
  endMs: number,
  modulePath: string,
  declared: readonly string[],
): string[] {
  return droppedDeployFixProblems(scenario, endMs, modulePath, declared).map(({ place, message }) =>
    escapeControls(`aftershock: ${place.file}:${place.line}:${place.column}: warning: ${message}`),
  );
}

/** A warning that always has a place in the scenario file. */
type PlacedWarning = InputProblem & { readonly place: ProblemPlace };

/** The warnings of `droppedDeployFixes` as data, each at its deploy's place (for the gate's annotations). */
export function droppedDeployFixProblems(
  scenario: Scenario,
  endMs: number,
  modulePath: string,
  declared: readonly string[],
): PlacedWarning[] {
  const problems: PlacedWarning[] = [];
  // The deploy's time as the run's output writes it: dated in a run over more than one day.
  const clock = runClock(scenario.startMs, endMs);
  scenario.timeline.forEach((a, i) => {
    if (a.action !== "deploy" || a.atMs > endMs) return;
    if (a.scheduler.kind !== "builtin" || a.scheduler.version !== REPLACED_SCHEDULER || a.bundled === true)
      return;
    // A fix rollout of v2 (its fixed pair) rolls out every fix the module lists: none is dropped
    // when the module's own fixes stand for v2's (it lists none of v2's).
    const given = moduleFixesFor(a.scheduler.fixes, declared);
    const ownOnly = declared.every((f) => !a.scheduler.fixes.includes(f));
    if (ownOnly && given.some((f) => !a.scheduler.fixes.includes(f))) return;
    const missing = fixesNotListed(a.scheduler.fixes, { fixes: declared });
    if (missing.length === 0) return;
    const at = scenario.source.locate(["timeline", i]) ?? { line: 1, column: 1 };
    const them = missing.length === 1 ? "it" : "them";
    const lists = declared.length === 0 ? "it lists no fixes" : `it lists ${declared.join(", ")}`;
    problems.push({
      place: { file: scenario.source.file, line: at.line, column: at.column },
      severity: "warning",
      message: `the deploy of ${REPLACED_SCHEDULER} at ${clock.clock(a.atMs)} (timeline[${i}]) asks for ${missing.join(", ")}, which ${modulePath} in its place does not list (${lists}): deployed without ${them}`,
    });
  });
  return problems;
}

/**
 * Says on `warn` when `o` runs another scheduler in place of the module the scenario names, as
 * compare and explore say it: with `--variant` (a bundled variant), or with `--scheduler` naming a
 * bundled scheduler or another module (`run`, `why` and `train`; stderr only, so that `--json`
 * stays the one object). Nothing when the scenario's own module runs, or it names none.
 */
export function warnOwnModuleReplaced(
  loaded: LoadedScenario,
  o: VariantOptions,
  warn: (text: string) => void,
): void {
  const own = loaded.scenario.scheduler;
  if (own.kind !== "module") return;
  const instead = replacingScheduler(loaded.path, own.module, o);
  if (instead === null) {
    // `--fix` chooses the module's fixes, as in the gate's `reproduce:` lines: none given is none.
    if (o.scheduler !== undefined && o.fix === undefined && own.fixes.length > 0)
      warn(
        `aftershock: ${loaded.name}: --scheduler runs its own module ${own.module} with no fixes, not the scenario's (${own.fixes.join(", ")}): give --fix ${own.fixes.join(",")} for them\n`,
      );
    return;
  }
  const flag = o.variant !== undefined ? "--variant" : "--scheduler";
  warn(`${moduleReplacedWarning(loaded.name, own.module, `running ${instead}`)}, as ${flag} asks\n`);
}

/**
 * What `o` runs in place of `ownModule`, the module the scenario at `scenarioFile` names, or null
 * when it runs that module: a `--scheduler` path of the same name, as the trace names modules (so
 * through a symbolic link too, as compare tells it).
 */
function replacingScheduler(scenarioFile: string, ownModule: string, o: VariantOptions): string | null {
  if (o.variant !== undefined) return `the bundled variant ${o.variant}`;
  if (o.scheduler === undefined) return null;
  if (builtinFixes(o.scheduler) !== null) return `the bundled ${o.scheduler}`;
  return isScenarioModule(o.scheduler, ownModule, scenarioFile) ? null : o.scheduler;
}

/**
 * What a command says when bundled variants run in place of the scheduler module a scenario
 * names: `aftershock: may8.yaml names the scheduler module ./mine.mjs; comparing the bundled
 * variants buggy, fixed in its place`.
 */
export function moduleReplacedWarning(scenario: string, module: string, doing: string): string {
  return moduleNote(scenario, module, `${doing} in its place`);
}

/** `aftershock: may8.yaml names the scheduler module ./mine.mjs; <what the command does>`. */
export function moduleNote(scenario: string, module: string, doing: string): string {
  return `aftershock: ${scenario} names the scheduler module ${module}; ${doing}`;
}

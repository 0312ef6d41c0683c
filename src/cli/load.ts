import { existsSync, realpathSync } from "node:fs";
import { createRequire, register } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ModuleNamingHost } from "../explore/module-naming.js";
import * as naming from "../explore/module-naming.js";
import { placeModuleAt } from "../explore/module-registry.js";
import type { SchedulerModuleRef } from "../explore/run-one.js";
import { createProblem, schedulerFactoryProblems } from "../explore/scheduler-check.js";
import { thrownText, type WallGuard } from "../kernel/index.js";
import {
  type CompiledScenario,
  compileParsedScenario,
  type ModuleNaming,
  schedulerModulesOf,
  withSeed,
} from "../scenario/compile.js";
import { looksLikeGolden } from "../scenario/golden-shape.js";
import {
  describeValue,
  formatIssue,
  type ModuleRef,
  type PathKey,
  parseScenario,
  pathText,
  type Scenario,
  type ScenarioIssue,
  type SeedsToRun,
} from "../scenario/index.js";
import { parseJson } from "../scenario/json-syntax.js";
import { moduleFixIssues as moduleFixIssuesOf, moduleSpecs } from "../scenario/module-fixes.js";
import {
  bundledSchedulers,
  checkedFixSets,
  exportedSchedulerFactory,
  moduleFactory,
} from "../schedulers/index.js";
import type { SchedulerFactory } from "../world/runtime.js";
import type { SchedulerRegistry } from "../world/world.js";
import {
  bundledScenarioAt,
  bundledScenarioFileNamed,
  bundledScenarioNamed,
  bundledScenarios,
} from "./bundled-scenarios.js";
import { CliError, emptyArgumentError, fileError } from "./errors.js";
import { readText, realPathOrNull } from "./io.js";
import { issuesError } from "./issue-error.js";
import { missingPath, nearbyText } from "./missing-path.js";
import { moduleFileProblem, nearbyModulesText } from "./module-file.js";
import { esModuleLoadedAsCommonJs } from "./module-format.js";
import { moduleFiles } from "./module-imports.js";
import { moduleLoadError, placedModuleError, placeInStack, thrownValueText } from "./module-load-error.js";
import { recordedReplayHash } from "./reproducer-header.js";
import { STDIN_NAME } from "./saved-input.js";
import { STDIN_ARG, STDIN_SCENARIO, stdinScenarioText } from "./stdin-scenario.js";

/** A scenario argument: a file path, or the name of a bundled scenario. */
export function resolveScenarioPath(arg: string): string {
  if (arg === "") throw emptyArgumentError("a scenario file or a bundled scenario's name");
  const missing = missingPath(arg);
  if (missing === null) return arg;
  // A link that leads nowhere is a file meant, not a bundled scenario's name.
  if (!missing.absent) throw fileError(arg, `${missing.message}`);
  const bundled = bundledScenarioNamed(arg);
  if (bundled) return bundled.path;
  // A file beside it with another extension or case is what was meant, more likely than a bundled one.
  const near = nearbyText(missing);
  if (near !== "") throw fileError(arg, `no such file${near}`);
  // `scenarios/qstash-2026-05-08.yaml` typed from the docs where there is no such folder: the
  // bundled scenario of that name is read by its name alone.
  const named = bundledScenarioFileNamed(arg);
  if (named !== undefined) {
    throw fileError(
      arg,
      `no such file; the bundled scenario ${named.name} has that name: give the name alone, ${named.name}`,
    );
  }
  const names = bundledScenarios().map((s) => s.name);
  throw fileError(arg, `no such file (bundled scenarios: ${names.join(", ") || "none"})`);
}

/**
 * How a command meant to be run elsewhere (a report's Reproduce line) names a scenario: the
 * bundled scenario's name when it is one (typed by name or by path), else its path relative to
 * the working directory when the file is inside it, else its absolute path (a word for
 * `commandLine`, which quotes it). The absolute path of a bundled scenario or of a file in one's
 * checkout means nothing on another machine; a name or a path in the repository does.
 */
export function scenarioArgument(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const bundled = bundledScenarioAt(absolute);
  if (bundled) return bundled.name;
  return pathArgument(absolute, cwd);
}

/**
 * `file`'s path from the folder `base` when it is inside it (a name that starts with `..`
 * included), else null (outside it, or `base` itself).
 */
export function insidePath(file: string, base: string): string | null {
  const inside = relative(base, file);
  const outside = inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  return outside ? null : inside;
}

/**
 * How a command meant to be run elsewhere names a file: its path relative to the working
 * directory when the file is inside it, else its absolute path.
 */
export function pathArgument(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const inside = insidePath(absolute, cwd);
  if (inside === null) return absolute;
  // A path that starts with a dash would read as an option: `./-x.yaml`, as a shell user writes it.
  return inside.startsWith("-") ? `./${inside}` : inside;
}

/** A scenario's own module (`module` as the file at `scenarioFile` writes it) by its path from `cwd`, as a command line names it. */
export function ownModulePath(module: string, scenarioFile: string, cwd = process.cwd()): string {
  return pathArgument(resolve(cwd, dirname(scenarioFile), module), cwd);
}

export interface LoadedScenario {
  readonly path: string;
  /** The scenario as a command to be run elsewhere names it (see `scenarioArgument`). */
  readonly argument: string;
  /**
   * The scenario as messages name it: the argument as given, or `<stdin>` for one read from stdin
   * (as its issues are named `<stdin>:LINE:COL`), never `-`.
   */
  readonly name: string;
  readonly scenario: Scenario;
  readonly compiled: CompiledScenario;
  /**
   * What validate warns of in it (at the seeds the command runs), as stderr says each:
   * `aftershock: FILE:L:C: warning: ...`. The command says them before it runs (`sayWarnings`).
   */
  readonly warnings: readonly string[];
  /**
   * The trace hash the file's header records when it is a reproducer explore wrote (`# trace
   * hash …`), or null: `run` of it at its own seed and scheduler gives that trace, or says not.
   */
  readonly replayHash: string | null;
}

/** Reads, parses and compiles a scenario; every problem in it is reported at once (exit 2). */
export function loadScenario(arg: string, seed?: SeedsToRun): LoadedScenario {
  const stdin = arg === STDIN_ARG;
  const path = stdin ? STDIN_SCENARIO : resolveScenarioPath(arg);
  const text = stdin ? stdinScenarioText() : readText(path);
  // Generated schedule ids are checked at the seed the command runs, not only the file's own.
  const parsed = parseScenario(text, path, seed === undefined ? {} : { seed });
  if (!parsed.ok) throw issuesError(unparsedScenarioIssues(path, parsed, text));
  const missing = moduleFileIssues(parsed.scenario);
  if (missing.length > 0) throw issuesError(missing);
  return {
    path,
    // A run of a scenario piped in is replayed by piping it in again.
    argument: stdin ? STDIN_ARG : scenarioArgument(path, process.cwd()),
    name: stdin ? STDIN_SCENARIO : arg,
    scenario: parsed.scenario,
    compiled: compileParsedScenario(parsed.scenario, scenarioModuleNaming(path)),
    warnings: warningLines(parsed.warnings),
    replayHash: recordedReplayHash(text),
  };
}

/** Scenario warnings as a command's stderr says them, each once: `aftershock: FILE:L:C: warning: ...`. */
export function warningLines(warnings: readonly ScenarioIssue[]): string[] {
  return [...new Set(warnings.map((w) => `aftershock: ${formatIssue(w)}`))];
}

/** Says a loaded scenario's warnings on `err`, once, before the command runs it. */
export function sayWarnings(loaded: LoadedScenario, err: (text: string) => void): void {
  for (const line of loaded.warnings) err(`${line}\n`);
}

/**
 * `compiled` at `--seed`, when one is given. `loadScenario` was given the same seed, so the
 * scenario's generated schedule ids were checked at it as the file was read.
 */
export function atSeed(compiled: CompiledScenario, seed: number | undefined): CompiledScenario {
  return seed === undefined ? compiled : withSeed(compiled, seed);
}

/**
 * Scheduler modules a scenario names that are not there, folders, or not JavaScript or
 * TypeScript, placed in the file: the parser does no I/O, so `validate` and every run check them here,
 * before anything runs.
 */
export function moduleFileIssues(scenario: Scenario): ScenarioIssue[] {
  const refs = moduleSpecs(scenario).map(({ spec, at }) => {
    const path = [...at, "module"];
    return { module: spec.module, path, ...(scenario.source.locate(path) ?? { line: 1, column: 1 }) };
  });
  return moduleRefFileIssues(scenario.source.file, refs);
}

/**
 * Every problem of a scenario that did not parse: the parser's issues and, in the same pass,
 * the scheduler modules missing of the entries that have none (`ModuleRef`), by position.
 */
export function unparsedScenarioIssues(
  file: string,
  parsed: { readonly issues: readonly ScenarioIssue[]; readonly modules?: readonly ModuleRef[] },
  text: string,
): ScenarioIssue[] {
  // A golden file named as a scenario (`gate scenarios/golden`, a glob of *.json) lacks every
  // key a scenario has: say what it is, once, rather than list them.
  const json = parseJson(text);
  if (json.ok && looksLikeGolden(json.value)) {
    const message =
      "this is a golden hash file (written by aftershock gate --update-golden), not a scenario: name the scenario file it pins, or its folder";
    return [{ file, line: 1, column: 1, path: [], code: "not-a-mapping", message }];
  }
  const missing = moduleRefFileIssues(file, parsed.modules ?? []);
  // Stable: at one position, the parser's issues first, in their order.
  return [...parsed.issues, ...missing].sort((a, b) => a.line - b.line || a.column - b.column);
}

function moduleRefFileIssues(file: string, refs: readonly ModuleRef[]): ScenarioIssue[] {
  const baseDir = dirname(file);
  return refs.flatMap(({ module, path, line, column }) => {
    const absolute = isAbsolute(module) ? module : resolve(baseDir, module);
    const wrong = moduleFileProblem(absolute, module);
    if (wrong === null) return [];
    const linked = wrong.absent ? besideLinkedFile(file, module) : null;
    const from =
      file === STDIN_SCENARIO
        ? "the working folder, for a scenario read from stdin"
        : linked === null
          ? "the scenario's folder"
          : `the scenario's folder, the link's: ${file} is a link to ${linked.real}, whose folder holds ${module}`;
    const problem = wrong.absent
      ? `no scheduler module at ${absolute} (a relative path is from ${from})`
      : wrong.message;
    const nearby = linked === null ? wrong.nearby : [linked.written];
    const suggestion = nearby.length === 0 ? {} : { suggestion: nearby.join(" or ") };
    const issue: ScenarioIssue = {
      file,
      line,
      column,
      path,
      code: "bad-format",
      message: `${pathText(path)}: ${problem}`,
      found: describeValue(module),
      ...suggestion,
    };
    return [issue];
  });
}

/**
 * For a scenario file that is a link to a file in another folder, where a relative `module` is
 * found beside the file linked to, not beside the link: that file, and the path the scenario
 * would write for it from the link's folder. A link is read as a copy would be, from its own
 * folder, so that a link and the file it names are one scenario only where both folders agree.
 */
function besideLinkedFile(file: string, module: string): { real: string; written: string } | null {
  if (file === STDIN_SCENARIO || isAbsolute(module)) return null;
  const real = realPathOrNull(file);
  const folder = realPathOrNull(dirname(file));
  if (real === null || folder === null || dirname(real) === folder) return null;
  const there = resolve(dirname(real), module);
  if (!existsSync(there)) return null;
  const written = relative(dirname(resolve(file)), there)
    .split(sep)
    .join("/");
  return { real, written: written.startsWith("../") ? written : `./${written}` };
}

/**
 * Imports the scheduler modules a scenario names into `registry`, each once, checked as a run
 * needs them (`loadSchedulerModule`). A module that fails is an issue at the `module` that
 * first names it, so the message says which file and line to fix. `cache` (by absolute path)
 * shares modules between the scenarios of one command.
 */
export async function addScenarioModules(
  scenario: Scenario,
  registry: Map<string, SchedulerFactory>,
  cache = new Map<string, SchedulerFactory>(),
): Promise<ScenarioIssue[]> {
  const baseDir = dirname(scenario.source.file);
  const issues: ScenarioIssue[] = [];
  const seen = new Set<string>();
  for (const { spec, at } of moduleSpecs(scenario)) {
    if (seen.has(spec.module)) continue;
    seen.add(spec.module);
    const key = resolve(baseDir, spec.module);
    try {
      const factory =
        cache.get(key) ?? (await loadSchedulerModule(spec.module, baseDir, moduleCallBudgetMs(scenario)));
      cache.set(key, factory);
      registry.set(scenarioModuleName(spec.module, scenario.source.file), factory);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      const path = [...at, "module"];
      issues.push(
        issueAt(scenario, path, { code: "bad-format", message: `${pathText(path)}: ${error.message}` }),
      );
    }
  }
  return issues;
}

/**
 * Every problem with a parsed scenario's scheduler modules, as a run finds them: files missing,
 * modules that do not load or are not schedulers, fixes they do not declare. For `validate`.
 */
export async function scenarioModuleIssues(scenario: Scenario): Promise<ScenarioIssue[]> {
  const missing = moduleFileIssues(scenario);
  if (missing.length > 0) return missing;
  const registry = bundledSchedulers();
  const unloaded = await addScenarioModules(scenario, registry);
  return unloaded.length > 0 ? unloaded : moduleFixIssues(scenario, registry);
}

/** An issue of a parsed scenario, placed at `path` in its file. */
function issueAt(
  scenario: Scenario,
  path: PathKey[],
  issue: Omit<ScenarioIssue, "file" | "line" | "column" | "path">,
): ScenarioIssue {
  const at = scenario.source.locate(path) ?? { line: 1, column: 1 };
  return { file: scenario.source.file, ...at, path, ...issue };
}

/** Whether `.ts` modules can be imported: the esbuild hooks of ts-hooks.ts, registered once. */
let typeScriptReady: boolean | null = null;

function enableTypeScript(): boolean {
  if (typeScriptReady !== null) return typeScriptReady;
  const hooks = new URL("./ts-hooks.js", import.meta.url);
  // Run from source (under vitest), the host already loads TypeScript and there is no .js hook file.
  typeScriptReady = existsSync(fileURLToPath(hooks));
  // The stripped code keeps an inline source map, read as every module's is (`loadSchedulerModule`).
  if (typeScriptReady) register(hooks);
  return typeScriptReady;
}

/**
 * A scheduler module as a worker thread imports it (`pool-worker.ts`): by URL, a TypeScript one
 * after ts-register.ts, which registers in that thread the hooks that strip its types (a thread
 * does not inherit them from this one).
 */
export function schedulerModuleRef(name: string, absolute: string): SchedulerModuleRef {
  const url = pathToFileURL(absolute).href;
  // Its panics are placed by frames in this very file on the thread too (`loadSchedulerModule`).
  const realPath = existsSync(absolute) ? realpathSync(absolute) : undefined;
  if (!/\.m?ts$/.test(absolute) || !enableTypeScript()) return { name, url, realPath };
  return { name, url, preload: new URL("./ts-register.js", import.meta.url).href, realPath };
}

/**
 * Every user module `schedulerRegistry(loaded, extraModules)` registers, as worker threads import
 * them: the scenario's (its scheduler, its deploys) and those given on the command line.
 */
export function threadModuleRefs(
  loaded: Pick<LoadedScenario, "path" | "scenario">,
  extraModules: readonly string[] = [],
): SchedulerModuleRef[] {
  const baseDir = dirname(loaded.path);
  return [
    ...schedulerModulesOf(loaded.scenario).map((m) =>
      schedulerModuleRef(scenarioModuleName(m, loaded.path), resolve(baseDir, m)),
    ),
    ...extraModules.map((m) => schedulerModuleRef(commandLineModuleName(m, loaded.path), resolve(m))),
  ];
}

/**
 * Real time each call the CLI makes into a scheduler module outside a run may take (its top-level
 * code, reading its export, each `create` of the check): a scenario's `limits.wallBudget`, at most
 * this. A call that overruns it is stopped wherever it is, and the command ends with exit 2.
 */
export const MODULE_CALL_BUDGET_MS_MAX = 10_000;

/** The budget of each call into a scenario's scheduler modules outside a run. */
export function moduleCallBudgetMs(scenario: Scenario): number {
  return Math.min(MODULE_CALL_BUDGET_MS_MAX, scenario.limits.wallBudgetMs);
}

/**
 * The thread's `vm` guard, loaded with the first scheduler module: commands that load none (`list`)
 * do not load the explore layer it lives in.
 */
let loadedGuard: WallGuard | null = null;

/**
 * Runs `call` (synchronous code of a scheduler module) held to `budgetMs` of real time, and
 * returns what it returned; one that overruns is stopped wherever it is, a clear error naming the
 * module and what it was doing (exit 2). An error it throws goes on up.
 */
function heldCall<T>(modulePath: string, what: string, when: string, budgetMs: number, call: () => T): T {
  const done: { value?: T } = {};
  if (loadedGuard === null) throw new Error("heldCall: the guard is loaded by loadSchedulerModule first");
  if (loadedGuard(() => (done.value = call()), budgetMs)) return done.value as T;
  throw fileError(
    modulePath,
    `${what} did not finish within ${durationText(budgetMs)} ${when}, and was stopped (a loop that never ends?); nothing was run`,
  );
}

/** `300 ms`, `10 s`. */
function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

const LOADING = "as the module was loaded";

const requireHere = createRequire(import.meta.url);

/**
 * The exports of the module at `absolute`. A JavaScript ES module without top-level await is
 * loaded with `require` (Node 20.19 and later load ES modules so), which runs its top-level code
 * synchronously, so that `heldCall` can stop it. Anything else is imported: TypeScript (its
 * hooks load it asynchronously), a module with top-level await, CommonJS (to keep what `import`
 * makes of its exports), or one `require` fails on (to report the error as `import` words it).
 * The top-level code of those runs outside any guard: Node cannot stop a module evaluated by
 * `import`.
 */
async function moduleExports(
  absolute: string,
  modulePath: string,
  budgetMs: number,
): Promise<Record<string, unknown>> {
  if (/\.[cm]?js$/.test(absolute)) {
    const required = heldCall(modulePath, "its top-level code", LOADING, budgetMs, () => {
      try {
        return requireHere(absolute) as unknown;
      } catch {
        return null;
      }
    });
    if (isModuleNamespace(required)) return required;
  }
  if (/\.m?ts$/.test(absolute)) enableTypeScript();
  return (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
}

function isModuleNamespace(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === "[object Module]";
}

/**
 * Loads a user scheduler module (.js, .mjs, or .ts/.mts, whose types are stripped): it must
 * export a SchedulerFactory as `scheduler` or as its default export. Problems are clear errors
 * (exit 2). Each call into the module's code is held to `budgetMs` (see `heldCall`).
 */
export async function loadSchedulerModule(
  modulePath: string,
  baseDir: string,
  budgetMs = MODULE_CALL_BUDGET_MS_MAX,
): Promise<SchedulerFactory> {
  loadedGuard ??= (await import("../explore/wall-guard.js")).wallGuard;
  const absolute = isAbsolute(modulePath) ? modulePath : resolve(baseDir, modulePath);
  const wrong = moduleFileProblem(absolute, modulePath);
  if (wrong !== null)
    throw fileError(
      modulePath,
      `${wrong.absent ? `scheduler module not found (looked at ${absolute})` : wrong.message}${nearbyModulesText(wrong)}`,
    );
  // Before Node loads it: Node would print its own warnings first.
  const format = esModuleLoadedAsCommonJs(absolute);
  // Stack frames are read through source maps, whatever NODE_OPTIONS says and whichever modules
  // this thread loads: a panic's place in the module (`location`) is in its trace, so it must not
  // depend on them. A TypeScript module's frames then name the lines of its .ts file.
  process.setSourceMapsEnabled(true);
  if (format !== null) throw placedModuleError(modulePath, format.place, format.message);
  // From its top-level code on, what it does outside a run is said of it. Loaded here, as the
  // guard is: commands that load no module (`list`) load neither.
  (await import("./stray-errors.js")).noteSchedulerModule(absolute, modulePath);
  let loaded: Record<string, unknown>;
  try {
    loaded = await moduleExports(absolute, modulePath, budgetMs);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw moduleLoadError(error, absolute, modulePath);
  }
  // Its fields are read once, here: a getter is module code too, and may throw.
  const f = heldCall(modulePath, "reading its export", LOADING, budgetMs, () => {
    try {
      return exportedFactory(loaded, modulePath);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw fileError(modulePath, `the scheduler module threw as its export was read: ${thrownText(error)}`);
    }
  });
  checkCreate(f, absolute, modulePath, budgetMs);
  // Its panics are placed by frames in this very file, as Node names it (links resolved).
  placeModuleAt(f, realpathSync(absolute));
  return f;
}

/** The SchedulerFactory a module exports, its fields read once, or a CliError saying what is wrong. */
function exportedFactory(loaded: Record<string, unknown>, modulePath: string): SchedulerFactory {
  const factory = exportedSchedulerFactory(loaded) as Partial<SchedulerFactory> | undefined;
  if (factory === undefined) {
    // What it does export is most often the factory under another name (a typo, `create` alone).
    const names = Object.keys(loaded).map((n) => `\`${n}\``);
    const exported = names.length === 0 ? "it exports nothing" : `it exports ${names.join(", ")}`;
    throw fileError(
      modulePath,
      `no scheduler exported (export a SchedulerFactory as \`scheduler\` or default, or in CommonJS as \`module.exports.scheduler\` or \`module.exports\`; ${exported})`,
    );
  }
  const problems = schedulerFactoryProblems(factory);
  if (problems.length > 0) {
    const compiled = compiledDefaultText(loaded, factory);
    throw fileError(modulePath, compiled ?? `not a scheduler: ${problems.join("; ")}`);
  }
  return moduleFactory(factory as SchedulerFactory, `user scheduler ${modulePath}`);
}

/**
 * What to say of a CommonJS module whose `module.exports.default` is a scheduler, or null: what
 * TypeScript (and Babel, and esbuild) make of `export default scheduler` compiled to CommonJS,
 * marked `__esModule`, when the rule read `module.exports` for want of a `scheduler`. As Node
 * imports such a module, its default export is `module.exports` itself, so the rule
 * (`exportedSchedulerFactory`) does not read `.default`; an ES module's `export default` is read.
 */
function compiledDefaultText(loaded: Record<string, unknown>, read: unknown): string | null {
  // Only what the rule fell back to: a broken `scheduler` export is said as it is.
  if (read !== loaded.default) return null;
  const exports = read as { __esModule?: unknown; default?: unknown } | null | undefined;
  if (typeof exports !== "object" || exports === null || exports.__esModule !== true) return null;
  if (schedulerFactoryProblems(exports.default).length > 0) return null;
  return "module.exports.default is a scheduler (TypeScript's `export default` compiled to CommonJS), but a CommonJS module's scheduler is read from `module.exports.scheduler` or `module.exports`: export it as `scheduler` (`export const scheduler = …`), set module.exports to it, or compile the module to an ES module";
}

/**
 * Calls `create` once for each set of fixes worth trying (none, each one alone, all) and checks
 * what it returns, so that a wrong shape is bad input said before any run (exit 2) rather than a
 * TypeError in every worker process the world starts, which the simulation would report as
 * panics. Nothing is run: `main` is not called, and no simulation sees these schedulers. Each
 * call is held to `budgetMs`. A `create` that throws is placed at the line of the module
 * (`absolute`) it threw from, as a module that throws while loading is.
 */
function checkCreate(
  factory: SchedulerFactory,
  absolute: string,
  modulePath: string,
  budgetMs: number,
): void {
  for (const set of checkedFixSets(factory.fixes)) {
    const call = `create(${JSON.stringify(set)})`;
    const problem = heldCall(modulePath, call, "as it was checked, before any run", budgetMs, () => {
      const found = createProblem(factory, set);
      if (found === null) return null;
      // A value that is no Error is shown as one the module throws while loading is.
      const text =
        found.createThrew && !isErrorSafe(found.error)
          ? `threw: ${thrownValueText(found.error)}`
          : found.text;
      return { text, place: found.createThrew ? placeInStack(found.error, absolute) : null };
    });
    if (problem !== null)
      throw placedModuleError(modulePath, problem.place, `not a scheduler: ${call} ${problem.text}`);
  }
}

/** Whether `value` is an Error; false for a Proxy whose prototype trap throws. */
function isErrorSafe(value: unknown): boolean {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/**
 * How the CLI names modules (see module-naming.ts): from its working folder, following the
 * symbolic links on disk, a module given for a bundled scenario by its path from its project.
 */
function onDisk(cwd: string): ModuleNamingHost {
  return {
    cwd,
    realPath: realPathOrNull,
    namedFrom: (scenarioFile, module) =>
      bundledScenarioAt(scenarioFile) === undefined ? null : projectFolder(dirname(module), cwd),
  };
}

/**
 * The project `folder` is in: the nearest folder at or above it with a package.json or a `.git`
 * (a repository's root: a folder, or a file in a worktree or submodule), else `folder` itself. A
 * module given for a bundled scenario is named from its own (`module:./mods/x.mjs`): the bundled
 * scenario's folder is inside the installed package, whose depth in node_modules differs from one
 * install to the next; the module's path in its project does not. The working folder has no say:
 * a name from it would change with the folder a command runs in (`module:./mods/x.mjs` from one,
 * `module:../mods/x.mjs` from another: two trace hashes for one module). The nearest of the two
 * marks wins, so a repository checked out below a folder with a package.json of its own (a home
 * folder's) is named from the repository.
 */
export function projectFolder(folder: string, cwd = process.cwd()): string {
  const start = resolve(cwd, folder);
  // Bounded: each step goes one folder up, and the root is its own parent.
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** `commandLineModuleName` of module-naming.ts, on disk: a `--scheduler` module's name for a scenario. */
export function commandLineModuleName(modulePath: string, scenarioFile: string, cwd = process.cwd()): string {
  return naming.commandLineModuleName(modulePath, scenarioFile, onDisk(cwd));
}

/**
 * Whether `modulePath`, a `--scheduler` path, is `ownModule`, the module the scenario at
 * `scenarioFile` names: whether the two have one name, as the trace names modules (so through a
 * symbolic link too).
 */
export function isScenarioModule(
  modulePath: string,
  ownModule: string,
  scenarioFile: string,
  cwd = process.cwd(),
): boolean {
  return (
    commandLineModuleName(modulePath, scenarioFile, cwd) === scenarioModuleName(ownModule, scenarioFile, cwd)
  );
}

/** `scenarioModuleName` of module-naming.ts, on disk: the name of a module a scenario names. */
export function scenarioModuleName(module: string, scenarioFile: string, cwd = process.cwd()): string {
  return naming.scenarioModuleName(module, scenarioFile, onDisk(cwd));
}

/** How the modules of a scenario at `scenarioFile` are named (`scenarioModuleName`), for `compileScenario`. */
export function scenarioModuleNaming(scenarioFile: string, cwd = process.cwd()): ModuleNaming {
  return naming.scenarioModuleNaming(scenarioFile, onDisk(cwd));
}

/** `modulePathFrom` of module-naming.ts, on disk: a module's path as a scenario at `scenarioFile` writes it. */
export function modulePathFrom(modulePath: string, scenarioFile: string, cwd = process.cwd()): string {
  return naming.modulePathFrom(modulePath, scenarioFile, onDisk(cwd));
}

/**
 * The files a command reads for a scenario: the file (`STDIN_NAME` for one read from stdin), the scheduler modules it or the CLI names,
 * and the local files those modules import (listed by esbuild, loaded only when there are modules).
 */
export async function inputFiles(
  loaded: LoadedScenario,
  extraModules: readonly string[] = [],
): Promise<string[]> {
  const modules = [
    ...scenarioModulePaths(loaded.scenario, loaded.path),
    ...extraModules.map((m) => resolve(m)),
  ];
  // Stdin by the name `checkOutputs` knows it by: `stdin` may also be a file in the working folder.
  const scenario = loaded.argument === STDIN_ARG ? STDIN_NAME : loaded.path;
  return [scenario, ...(modules.length === 0 ? [] : await moduleFiles(modules))];
}

/** The scheduler modules a scenario at `file` names (its own, its deploys), as absolute paths. */
export function scenarioModulePaths(scenario: Scenario, file: string): string[] {
  return schedulerModulesOf(scenario).map((m) => resolve(dirname(file), m));
}

/** The bundled schedulers plus every user module the scenario (or the command line) names. */
export async function schedulerRegistry(
  loaded: LoadedScenario,
  extraModules: readonly string[] = [],
): Promise<SchedulerRegistry> {
  const registry = bundledSchedulers();
  const unloaded = await addScenarioModules(loaded.scenario, registry);
  if (unloaded.length > 0) throw issuesError(unloaded);
  for (const modulePath of extraModules) {
    const name = commandLineModuleName(modulePath, loaded.path);
    registry.set(
      name,
      await loadSchedulerModule(modulePath, process.cwd(), moduleCallBudgetMs(loaded.scenario)),
    );
  }
  const issues = moduleFixIssues(loaded.scenario, registry);
  if (issues.length > 0) throw issuesError(issues);
  return registry;
}

/**
 * The fixes a scenario gives a user module that the module does not declare, as issues at their
 * line and column: known only once it is loaded (the built-in schedulers' are checked with the
 * rest of the file). Every command that loads a scenario's modules asks, `gate` included.
 */
export function moduleFixIssues(scenario: Scenario, registry: SchedulerRegistry): ScenarioIssue[] {
  return moduleFixIssuesOf(scenario, registry, (module) => scenarioModuleName(module, scenario.source.file));
}

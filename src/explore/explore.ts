/**
 * Chaos search: runs the seeds of a scenario, or generated worlds, on a pool of worker threads,
 * stops at the first failure (or keeps going), and shrinks each failure to a small scenario
 * document that still fails the same way. Pure orchestration: it returns data; the CLI writes
 * files and prints.
 *
 * Runs are identified by their index in [0, runs); a shard takes every n-th index. Results
 * are deterministic whatever the number of jobs: runs are dispatched in index order, and on a
 * failure the exploration waits for every earlier run and reports the earliest failure only,
 * counting the runs before it (later runs that happened to finish are discarded).
 *
 * An exploration can be interrupted (`signal`, Ctrl-C in the CLI): it starts no more runs, waits
 * for the ones under way, cuts every shrink short with the smallest failure found so far, and
 * returns what it found, `stoppedBy: "interrupted"`. Shrinking yields to the event loop between
 * runs so that a signal handler gets to run.
 */
import { isAbsolute } from "node:path";
import type { StopLimit } from "../checks/run-info.js";
import { PROPERTY_NAMES, type PropertyName } from "../checks/types.js";
import { RunInterrupted, unlessInterruptedAsync } from "../kernel/index.js";
import { checkSeed, moduleSchedulerName } from "../scenario/compile.js";
import { givenValueText, jsValueText } from "../scenario/issue.js";
import { closest } from "../scenario/suggest.js";
import { isVariantName, VARIANT_NAMES, variantSuggestion } from "../scenario/variants.js";
import type { WorldConfig } from "../world/config.js";
import { type SchedulerRegistry, unlistedFixText } from "../world/world.js";
import { breathe } from "./breathe.js";
import { addCounts, NOT_JUDGED_NAMED_MAX, sortedCounts } from "./explore-report.js";
import { FaultKindTallies, type FaultKindTally } from "./fault-tally.js";
import type { ScenarioDocument } from "./generate/document.js";
import { checkPlanModule } from "./generate/plan-world.js";
import { checkConstraints } from "./generate/scenario-arbitrary.js";
import { checkKnownKeys } from "./known-keys.js";
import { longPlan, openPool, type RunPool } from "./pool.js";
import { reproducerName, reproducerWorld } from "./reproducer-world.js";
import {
  cutSummary,
  epochNowMs,
  exploredVariantOf,
  type FailureKind,
  generatedDocument,
  hasModules,
  type RunPlan,
  type RunSummary,
  TimeBudgetCut,
} from "./run-one.js";
import { checkSchedulerRegistry } from "./scheduler-check.js";
import { parseShard, SEED_MAX, type Shard, shardRunAt, shardRunCount, sweepBaseMax } from "./seeds.js";
import {
  failingOnly,
  failingSummary,
  reduceDocument,
  runShrinkWorld,
  type ShrinkConstraints,
  type ShrinkRunner,
  schedulerNamesOf,
  shrinkGeneratedOrCut,
  type TriedWorlds,
} from "./shrink.js";

export interface ExploreProgress {
  readonly done: number;
  readonly planned: number;
  readonly failures: number;
  /** The run that just ended, when it failed: its index, its world's seed and what failed. */
  readonly failed?: { readonly run: number; readonly seed: number; readonly kinds: readonly FailureKind[] };
}

export interface ExploreConstraints {
  readonly plan: RunPlan;
  /** Runs in the whole exploration (all shards together). */
  readonly runs: number;
  /** Worker threads (default 1: this thread). */
  readonly jobs?: number;
  readonly shard?: Shard;
  /** Go on after a failure, collecting all of them. */
  readonly keepGoing?: boolean;
  /** Stop dispatching runs after this much real time, and end shrinks by then (needs `wallClock`). */
  readonly timeBudgetMs?: number;
  /** How long past the time budget a module's run under way may go on (default `RUN_CUT_GRACE_MS`). */
  readonly runCutGraceMs?: number;
  /** The real clock (only the CLI has one). */
  readonly wallClock?: () => number;
  /** Schedulers for runs in this thread, shrinking included. */
  readonly schedulers?: SchedulerRegistry;
  /** Runs each shrinking stage may spend per failure; 0 turns shrinking off (default 300). */
  readonly shrinkRunsMax?: number;
  /** Real time each failure's shrink may take (needs `wallClock`; default no limit). */
  readonly shrinkTimeMsMax?: number;
  /** Failures shrunk at most, in run order (with `keepGoing`); later ones keep their original world (default 5). */
  readonly shrinkFailuresMax?: number;
  /**
   * For a scenario plan: the scenario's document (its YAML or JSON read as data, module paths as
   * the reproducers are to name them), so failures can be shrunk and written out; without it a
   * failure has neither (`shrink` and `document` null).
   */
  readonly document?: ScenarioDocument;
  readonly onProgress?: (p: ExploreProgress) => void;
  /**
   * Called once the runs' pool is open, before any run: where they go (this thread or worker
   * threads, a fallback's note), which decides what an interruption can cut short.
   */
  readonly onPool?: (pool: ExploreOutcome["pool"]) => void;
  /** Called once the search is over, before its failures are shrunk and described. */
  readonly onSearched?: () => void;
  /** Called before each failure is shrunk (the search is over by then). */
  readonly onShrink?: (failure: { readonly run: number; readonly kind: FailureKind }) => void;
  /**
   * The compiled worker module (see `pool.ts`). Internal: the project's tests and bench give
   * another; it is taken, but not listed among the options an unknown one is told of.
   */
  readonly workerFile?: string;
  /** Aborting it interrupts the exploration (see above). */
  readonly signal?: AbortSignal;
  /** Called with each failure once described (shrunk), in run order, before the next is shrunk. */
  readonly onFailure?: (failure: ExploreFailure) => void | Promise<void>;
  /**
   * The name a failure's reproducer gives its world (its `name:`, in its trace): one of its own
   * among the exploration's, as the gate wants of scenarios gated together. By default
   * `reproducerName`'s; the CLI names each world as its file.
   */
  readonly reproducerName?: (failure: { readonly run: number; readonly kind: FailureKind }) => string;
}

export interface PropertyTally {
  /** Runs that judged the property. */
  checked: number;
  failed: number;
  /** Runs that gave the property a chance to fail. */
  exercised: number;
}

/**
 * Runs a scenario limit (`limits.maxEvents`) stopped before their horizon: not judged, neither
 * passes nor failures, and the first of them (in run order), to say which limit to raise.
 */
export interface NotJudged {
  readonly runs: number;
  readonly first: StoppedRun;
  /**
   * The earliest of them in run order, `first` first, at most `NOT_JUDGED_NAMED_MAX`: the runs a
   * report names, so that runs stopped in different ways are each seen. Absent from reports of
   * earlier versions.
   */
  readonly earliest?: readonly StoppedRun[];
}

/** A run a scenario limit stopped before its horizon. */
export interface StoppedRun {
  readonly run: number;
  readonly seed: number;
  readonly limit: StopLimit;
  /** How it stopped: `hit the event limit (100000 events)`. */
  readonly detail: string;
}

export interface ExploreFailure {
  readonly run: number;
  /** What failed (the first, in report order, when several did). */
  readonly kind: FailureKind;
  /** Everything that failed in that run. */
  readonly failed: readonly FailureKind[];
  /** The seed the failing world ran at (its document's `seed`; a scenario plan's `baseSeed + run`). */
  readonly seed: number;
  /**
   * For a generated plan: the fast-check seed the failing world was drawn from, before any
   * shrink; null for a scenario plan. `generators.worldOf(plan, generationSeed)` rebuilds that
   * world (a `module` plan's with the module as its scheduler), whatever `fc.configureGlobal` the
   * caller set, which would change what `fc.sample` of the seed draws.
   */
  readonly generationSeed: number | null;
  readonly detail: string;
  readonly traceHash: string;
  /** The smallest failing document found (the original world when not shrunk); null if none. */
  readonly document: ScenarioDocument | null;
  /** The run of `document` (its trace hash is what a reproducer replays). */
  readonly documentRun: RunSummary | null;
  /**
   * Null when not shrunk: shrinking off, past `shrinkFailuresMax`, or a scenario plan given no
   * `document` (there is nothing to shrink or write out; `document` is null too).
   */
  readonly shrink: {
    /** Simulations run, each of a world not run before in this shrink. */
    readonly runs: number;
    /** Times a smaller failing world replaced the one kept (the same world offered again is no step). */
    readonly steps: number;
    /**
     * True when the shrink's budget ran out before it had tried every smaller world (its runs or
     * time, `shrinkRunsMax`, `shrinkTimeMsMax`, or a cut, `cutBy`, before its first run too): it
     * may shrink further, and an earlier reproducer of the failure shrunk further is kept in
     * place of its own. False when it ran to its end. "Exhausted" is the budget, never the
     * search: a shrink cut before it began is `exhausted: true` with 0 runs.
     */
    readonly exhausted: boolean;
    /**
     * What cut the shrink short, or before its first run (0 runs): an interruption or the spent
     * time budget; null when it ended by itself or on its own limits (`shrinkRunsMax`,
     * `shrinkTimeMsMax`). Absent from reports of earlier versions.
     */
    readonly cutBy?: ShrinkCut | null;
    /**
     * How the first world the shrink tried that did not end went: `a world it tried did not end:
     * goroutine … was stopped after 3.0 s: a goroutine step never returned …` (a user's module
     * hangs in it), or a run its wall-clock budget stopped. Absent when every world ended.
     */
    readonly stuck?: string;
  } | null;
}

/**
 * How long past the time budget a run of a user's scheduler module still under way goes on before
 * it is cut short (`TimeBudgetCut`): its step may never return, and the run's own wall-clock
 * budget (10 minutes by default) would hold the exploration meanwhile. A cut run is left out, or
 * not judged when its step never returned or its world is a generated one (`cutSummary`). The
 * bundled schedulers' runs under way finish; runs of a shrink or a reproducer's replay are not cut.
 */
export const RUN_CUT_GRACE_MS = 10_000;

/** What can cut a shrink short from outside: Ctrl-C, or the exploration's time budget. */
export type ShrinkCut = "interrupted" | "time-budget";

export interface ExploreOutcome {
  /** Runs of this shard. */
  readonly planned: number;
  /** Runs counted (a prefix of the shard's runs, in order). */
  readonly completed: number;
  readonly stoppedBy: "done" | "failure" | "time-budget" | "interrupted";
  readonly properties: Record<string, PropertyTally>;
  readonly faultsFired: Record<string, number>;
  /** Faults that came due with nothing to act on, summed over the runs (`fault.skipped`). */
  readonly faultsSkipped: Record<string, number>;
  /** The runs' faults by kind, each counted once per run, summed over the runs. */
  readonly faultsPlanned: Record<string, number>;
  /** By kind, what the runs' faults did: planned, fired, acts, skipped, not fired, and in how many runs they acted. */
  readonly faultsByKind: Record<string, FaultKindTally>;
  /** How often a scheduler reached a fault point while a panic or hang was armed, summed over the runs. */
  readonly faultPointsReached: number;
  /** Runs stopped by a scenario limit, not judged (their verdicts are not tallied); null if none. */
  readonly notJudged: NotJudged | null;
  readonly failures: ExploreFailure[];
  /**
   * Runs after the first failure that finished, failed too, and are not reported (without
   * `keepGoing` only the earliest failure counts). Depends on timing and jobs, unlike the rest:
   * said to the user (whose progress lines may have named them), kept out of the JSON report.
   */
  readonly laterFailures: number;
  /**
   * Runs after the counted ones that finished all the same (runs under way beside the first
   * failure, failing or not): work the search did, for its rate. Timing and jobs, like `laterFailures`.
   */
  readonly laterRuns: number;
  /** Failures shrunk at most (`shrinkFailuresMax`, default 5). */
  readonly shrinkFailuresMax: number;
  /** Failures left unshrunk because of `shrinkFailuresMax` (their `shrink` is null). */
  readonly failuresUnshrunk: number;
  readonly kernelEvents: number;
  /** Real time spent starting the pool (worker threads load their modules). */
  readonly poolStartMs: number;
  /** Real time spent running the exploration's runs, once the pool was up (0 without a wall clock). */
  readonly searchMs: number;
  /** Real time spent shrinking failures afterwards. */
  readonly shrinkMs: number;
  readonly pool: { readonly kind: RunPool["kind"]; readonly threads: number; readonly note: string | null };
}

/** Failures of one exploration (one shard) shrunk at most unless told otherwise: each shrink may take minutes. */
export const SHRINK_FAILURES_MAX_DEFAULT = 5;

/**
 * The jobs an exploration runs on: those asked for, at most one per run of its shard and at
 * least one. More threads than runs would only load modules and hold memory (each is a whole
 * V8 heap). What the pool starts, and what the CLI says it starts.
 */
export function exploreJobs(c: Pick<ExploreConstraints, "runs" | "jobs" | "shard">): number {
  return Math.max(1, Math.min(c.jobs ?? 1, shardRunCount(c.runs, c.shard)));
}

/** Most jobs an exploration starts when none are asked for, however many cores. */
export const DEFAULT_JOBS_MAX = 8;

/**
 * Generated worlds a worker thread should have ahead of it to pay for its start. Each thread
 * compiles the simulator for itself: the first few dozen runs go slowly, and on a machine whose
 * cores the threads share, their compilers take the time the runs want. Measured with
 * `aftershock explore --generated --runs N` on 2 cores, three times each (wall, whole command):
 * 100 runs, one job 1.37-1.40 s, two 1.56-1.65 s; 150 runs, 1.81-1.84 s and 1.85-1.92 s; 200
 * runs, 2.17-2.29 s and 2.11-2.18 s; 300 runs, 2.94-3.10 s and 2.51-2.67 s.
 */
export const GENERATED_RUNS_PER_JOB = 150;

/**
 * The jobs an exploration runs on when none are asked for: the machine's cores, at most
 * `DEFAULT_JOBS_MAX`; for generated worlds, short and sized alike, no more than one per
 * `GENERATED_RUNS_PER_JOB` runs of the shard (rounded up). A scenario's runs each take long
 * enough for a thread to pay its way from the first.
 */
export function defaultJobs(
  plan: RunPlan,
  c: Pick<ExploreConstraints, "runs" | "shard">,
  cores: number,
): number {
  const most = Math.max(1, Math.min(DEFAULT_JOBS_MAX, cores));
  if (plan.mode !== "generated") return most;
  return Math.max(1, Math.min(most, Math.ceil(shardRunCount(c.runs, c.shard) / GENERATED_RUNS_PER_JOB)));
}

/**
 * Every option `explore` takes, and every field of each kind of plan: a misspelt one (`job`,
 * `shrinkRuns`, `seeed`) is refused, told the nearest, as `runScenario` refuses its options,
 * rather than ignored. Typed so that an option added to `ExploreConstraints` must be added here;
 * an `"internal"` one is taken but not listed to a caller (`checkKnownKeys`).
 */
const EXPLORE_OPTIONS = {
  plan: true,
  runs: true,
  jobs: true,
  shard: true,
  keepGoing: true,
  timeBudgetMs: true,
  runCutGraceMs: true,
  wallClock: true,
  schedulers: true,
  shrinkRunsMax: true,
  shrinkTimeMsMax: true,
  shrinkFailuresMax: true,
  document: true,
  onProgress: true,
  onPool: true,
  onSearched: true,
  onShrink: true,
  workerFile: "internal",
  signal: true,
  onFailure: true,
  reproducerName: true,
} as const satisfies Record<keyof ExploreConstraints, true | "internal">;

const EXPLORE_OPTION_KEYS = Object.keys(EXPLORE_OPTIONS) as (keyof typeof EXPLORE_OPTIONS)[];

const GENERATED_PLAN_KEYS = {
  mode: true,
  variant: true,
  properties: true,
  schedulerModules: true,
  module: true,
  constraints: true,
  seed: true,
} as const satisfies Record<keyof Extract<RunPlan, { mode: "generated" }>, true>;

const SCENARIO_PLAN_KEYS = {
  mode: true,
  variant: true,
  properties: true,
  schedulerModules: true,
  base: true,
  baseSeed: true,
} as const satisfies Record<keyof Extract<RunPlan, { mode: "scenario" }>, true>;

/**
 * What the CLI checks of its flags, checked of a plan given by a library caller too: a variant no
 * scheduler has, a property no check judges, a run count, seed or shard the flags would refuse
 * would otherwise fail inside the first run, judge nothing, or write reproducers that do not
 * read back.
 */
function checkPlan(c: ExploreConstraints): void {
  if (c === null || typeof c !== "object")
    throw new TypeError(`explore: expected { plan, runs, … }, found ${jsValueText(c)}`);
  checkKnownKeys(
    c,
    EXPLORE_OPTION_KEYS.filter((key) => EXPLORE_OPTIONS[key] === true),
    (key) => key,
    ["option", "options"],
    EXPLORE_OPTION_KEYS.filter((key) => EXPLORE_OPTIONS[key] === "internal"),
  );
  checkPlanShape(c.plan);
  checkSchedulerRegistry(c.schedulers, "schedulers");
  const { plan } = c;
  const variant = plan.variant;
  if (plan.mode === "generated" ? !isVariantName(variant ?? "") : variant !== null && !isVariantName(variant))
    throw new RangeError(
      `plan.variant: ${JSON.stringify(variant)} is no variant (${VARIANT_NAMES.join(", ")}${plan.mode === "scenario" ? ", or null for the scenario's own scheduler" : ""})${variantSuggestion(variant)}`,
    );
  const unknown = plan.properties.filter((p) => !(PROPERTY_NAMES as readonly string[]).includes(p));
  if (unknown.length > 0 || plan.properties.length === 0)
    throw new RangeError(
      `plan.properties: ${unknown.length > 0 ? `no property ${unknown.map((p) => JSON.stringify(p)).join(", ")}` : "none named"} (${PROPERTY_NAMES.join(", ")})${propertySuggestion(unknown)}`,
    );
  if (!(Number.isSafeInteger(c.runs) && c.runs >= 1))
    throw new RangeError(`runs: expected a whole number ≥ 1, found ${givenValueText(c.runs)}`);
  // As --jobs: 0 or 1.5 threads would be read as one without a word.
  if (c.jobs !== undefined && !(Number.isSafeInteger(c.jobs) && c.jobs >= 1))
    throw new RangeError(`jobs: expected a whole number ≥ 1, found ${givenValueText(c.jobs)}`);
  const [field, seed] =
    plan.mode === "scenario" ? ["plan.baseSeed", plan.baseSeed] : ["plan.seed", plan.seed];
  checkSeed(seed, field);
  // The library reads no real clock of its own: a budget without one would be ignored in silence.
  for (const [field, value] of [
    ["timeBudgetMs", c.timeBudgetMs],
    ["shrinkTimeMsMax", c.shrinkTimeMsMax],
  ] as const)
    if (value !== undefined && c.wallClock === undefined)
      throw new RangeError(
        `${field} needs wallClock, the real clock to hold it to (e.g. () => performance.now())`,
      );
  // Constraints that make no scenario file would fail every run as `generated an invalid scenario`.
  if (plan.mode === "generated") {
    checkConstraints(plan.constraints, "plan.constraints");
    checkPlanModule(plan.module);
    checkPlanModuleFixes(plan.module, c.schedulers);
  } else checkBaseModuleFixes(plan.base.config, plan.variant, c.schedulers);
  checkSchedulerModules(plan.schedulerModules);
  const shard = c.shard;
  if (shard !== undefined && parseShard(`${shard.index}/${shard.count}`) === null)
    throw new RangeError(
      `shard: expected index from 1 to count (--shard i/n), found ${String(shard.index)}/${String(shard.count)}`,
    );
}

/**
 * Throws a RangeError when a generated plan's `module.fixes` names a fix the module registered
 * under its name does not list, as `run --scheduler … --fix` and a stepped world's deploy refuse
 * one: `create` would be given a fix it does not know, which most modules ignore, and every run
 * would explore the module with a fix that changes nothing. A module not in `schedulers` is left
 * to the runs, whose `unknown scheduler` says what to register.
 */
function checkPlanModuleFixes(
  module: { readonly path: string; readonly fixes: readonly unknown[] } | undefined,
  schedulers: SchedulerRegistry | undefined,
): void {
  if (module === undefined) return;
  const name = moduleSchedulerName(module.path);
  const factory = schedulers?.get(name);
  if (factory === undefined) return;
  const declared = factory.fixes ?? [];
  const unlisted = module.fixes.find((fix) => typeof fix !== "string" || !declared.includes(fix));
  if (unlisted === undefined) return;
  const near = typeof unlisted === "string" ? closest(unlisted, declared) : undefined;
  throw new RangeError(
    `plan.module.fixes: ${unlistedFixText(name, jsValueText(unlisted), declared)}${near === undefined ? "" : ` — did you mean ${near}?`}`,
  );
}

/**
 * Throws a RangeError when a scenario plan's `base` starts a module (its own scheduler, run when
 * the plan names no variant) or deploys one with a fix the module registered under that name does
 * not list, as `run` refuses the file and a generated plan its `module.fixes`: `compileScenario`
 * knows no module's fixes, and `create` would be given one it does not know in every run.
 */
function checkBaseModuleFixes(
  config: WorldConfig,
  variant: string | null,
  schedulers: SchedulerRegistry | undefined,
): void {
  const choices: [string, unknown, unknown][] = [];
  // Read defensively: a compiled scenario made by hand is the runs' to refuse, as it was.
  if (variant === null)
    choices.push(["plan.base.config.scheduler.fixes", config.scheduler?.name, config.scheduler?.fixes]);
  (Array.isArray(config.timeline) ? config.timeline : []).forEach((a, i) => {
    if (a?.action === "deploy") choices.push([`plan.base.config.timeline[${i}].fixes`, a.scheduler, a.fixes]);
  });
  for (const [field, name, fixes] of choices) {
    if (typeof name !== "string" || !name.startsWith("module:")) continue;
    const factory = schedulers?.get(name);
    if (factory === undefined || !Array.isArray(fixes)) continue;
    const declared = factory.fixes ?? [];
    const unlisted = fixes.find((fix) => !declared.includes(fix));
    if (unlisted !== undefined)
      throw new RangeError(`${field}: ${unlistedFixText(name, jsValueText(unlisted), declared)}`);
  }
}

/**
 * Throws a TypeError unless `modules` is absent or a list of `{ name, url }`: one entry alone is
 * read as no modules (every run in this thread, without a word), and a `URL` object or a relative
 * path is imported by the threads from the package's own folder, which fails, and the runs fall
 * back to this thread with a note naming that folder. An absolute path imports as a URL does.
 */
function checkSchedulerModules(modules: unknown): void {
  if (modules === undefined) return;
  if (!Array.isArray(modules))
    throw new TypeError(
      `plan.schedulerModules: expected a list of { name, url } (the name the runs give the module, and the file: URL worker threads import it from), found ${jsValueText(modules)}`,
    );
  modules.forEach((m: unknown, i) => {
    const at = `plan.schedulerModules[${i}]`;
    if (m === null || typeof m !== "object" || Array.isArray(m))
      throw new TypeError(`${at}: expected { name, url }, found ${jsValueText(m)}`);
    const { name, url } = m as { name?: unknown; url?: unknown };
    if (typeof name !== "string" || name === "")
      throw new TypeError(
        `${at}.name: expected the name the runs give the module (e.g. "module:./mine.mjs"), found ${jsValueText(name)}`,
      );
    if (typeof url !== "string" || !(URL.canParse(url) || isAbsolute(url)))
      throw new TypeError(
        `${at}.url: expected the file: URL worker threads import the module from, as text (import.meta.resolve("./mine.mjs"), or pathToFileURL(file).href), found ${url instanceof URL ? "a URL: give its href" : jsValueText(url)}`,
      );
  });
}

/**
 * Throws a TypeError unless `plan` has the shape of a RunPlan: a mode it knows, and the fields
 * that mode needs, each named as missing rather than failing later as another field or a
 * property read.
 */
function checkPlanShape(plan: unknown): asserts plan is RunPlan {
  const generated = '{ mode: "generated", variant, properties, constraints, seed }';
  const scenario = '{ mode: "scenario", variant, properties, base, baseSeed }';
  if (plan === null || typeof plan !== "object" || Array.isArray(plan))
    throw new TypeError(`plan: expected a RunPlan, ${generated} or ${scenario}, found ${jsValueText(plan)}`);
  const p = plan as Readonly<Record<string, unknown>>;
  if (p.mode !== "generated" && p.mode !== "scenario")
    throw new TypeError(
      `plan.mode: expected "generated" (worlds the generators draw) or "scenario" (seeds of one compiled scenario), found ${jsValueText(p.mode)}`,
    );
  // Before what is missing: `seeed` for `seed` is one slip, said as such, not as `seed` missing.
  checkPlanFields(p, p.mode);
  const needs =
    p.mode === "generated"
      ? ["variant", "properties", "constraints", "seed"]
      : ["variant", "properties", "base", "baseSeed"];
  const missing = needs.filter((key) => p[key] === undefined);
  if (missing.length > 0)
    throw new TypeError(
      `plan.${missing[0]}: missing (a ${p.mode} plan is ${p.mode === "generated" ? generated : scenario}${
        missing[0] === "base" ? ": base is compileScenario(scenario)" : ""
      }${missing[0] === "properties" ? ": DEFAULT_PROPERTIES names them all" : ""})`,
    );
  if (!Array.isArray(p.properties))
    throw new TypeError(
      `plan.properties: expected a list of property names, found ${jsValueText(p.properties)}`,
    );
  if (p.mode === "scenario") {
    const base = p.base as { config?: unknown } | null;
    if (base === null || typeof base !== "object" || typeof base.config !== "object" || base.config === null)
      throw new TypeError(
        `plan.base: expected a compiled scenario (compileScenario's result), found ${jsValueText(p.base)}`,
      );
  }
}

/**
 * Throws a TypeError for a field of `plan` that a plan of its `mode` does not take: one of the
 * other mode's fields said as such, any other with the nearest field as a suggestion.
 */
function checkPlanFields(plan: Readonly<Record<string, unknown>>, mode: RunPlan["mode"]): void {
  const [planKeys, otherKeys, other] =
    mode === "generated"
      ? [GENERATED_PLAN_KEYS, SCENARIO_PLAN_KEYS, "scenario"]
      : [SCENARIO_PLAN_KEYS, GENERATED_PLAN_KEYS, "generated"];
  const stray = Object.keys(plan).find(
    (key) => !(key in planKeys) && key in otherKeys && plan[key] !== undefined,
  );
  if (stray !== undefined)
    throw new TypeError(
      `plan.${stray}: a field of a ${other} plan, not of a ${mode} plan (its fields are ${Object.keys(planKeys).join(", ")})`,
    );
  checkKnownKeys(plan, Object.keys(planKeys), (key) => `plan.${key}`, [
    `field of a ${mode} plan`,
    `fields of a ${mode} plan`,
  ]);
}

/** ` — did you mean no-cascade?` for one unknown name near a property (`no-cascde`), else "". */
function propertySuggestion(unknown: readonly unknown[]): string {
  const near =
    unknown.length === 1 && typeof unknown[0] === "string" ? closest(unknown[0], PROPERTY_NAMES) : undefined;
  return near === undefined ? "" : ` — did you mean ${near}?`;
}

/** Explores: runs, stops, shrinks. Throws (with the run and seed) if a run throws. */
export async function explore(c: ExploreConstraints): Promise<ExploreOutcome> {
  checkPlan(c);
  // Past the largest seed `baseSeed + r` rounds and runs share a seed (the CLI says so as bad input).
  if (c.plan.mode === "scenario" && c.plan.baseSeed > sweepBaseMax(c.runs))
    throw new Error(`seeds ${c.plan.baseSeed} + ${c.runs} runs pass the largest seed ${SEED_MAX}`);
  const clock = c.wallClock;
  const started = clock?.() ?? 0;
  // The shard's runs are counted, not listed: a time budget may bound billions of them.
  const planned = shardRunCount(c.runs, c.shard);
  const graceMs = c.runCutGraceMs ?? RUN_CUT_GRACE_MS;
  const budgetMs = c.timeBudgetMs;
  // The cut of a module's run under way, on the real clock its thread reads (`epochNowMs`): the
  // time budget's end on `wallClock`, a grace later. Read when the pool is asked its first run
  // (as a shrink's deadline is read as it begins): the threads' start is then behind, and a
  // caller's clock may have left it out. With the real clock, it is the start + budget + grace.
  let runCutAtMs: number | undefined;
  const runCutAt =
    budgetMs === undefined || clock === undefined
      ? undefined
      : () => {
          runCutAtMs ??= epochNowMs() + (started + budgetMs + graceMs - clock());
          return runCutAtMs;
        };
  const pool = await openPool(c.plan, {
    // A shard given no runs starts no thread (a module's plan would get one even for one job).
    jobs: planned === 0 ? 0 : exploreJobs(c),
    schedulers: c.schedulers,
    workerFile: c.workerFile,
    signal: c.signal,
    ...(runCutAt === undefined ? {} : { cutAtEpochMs: runCutAt }),
  });
  const poolUp = clock?.() ?? 0;
  const ranOn = { kind: pool.kind, threads: planned === 0 ? 0 : pool.threads, note: pool.note };
  c.onPool?.(ranOn);
  // By position, filled as runs end: as long as the runs begun, not the runs planned.
  const results: (RunSummary | undefined)[] = [];
  let stopAt = Number.POSITIVE_INFINITY;
  let timeUp = false;
  let interrupted = false;
  /** The position of a run Ctrl-C cut short in this thread (`RunInterrupted`): it has no result. */
  let cutAt = Number.POSITIVE_INFINITY;
  let failures = 0;
  let done = 0;
  let error: { index: number; cause: unknown } | null = null;
  let next = 0;
  const inflight = new Set<Promise<void>>();
  // Two runs a thread keep worker threads busy while results come back. In this thread, runs go
  // one after the other anyway: a second one queued would only run after a failure it cannot
  // know of, and be counted as a later failure though nothing ran beside the failing run.
  // A user's module's runs are one a thread: a run queued behind one the time budget cuts short
  // (`TimeBudgetCut`) would begin past the cut, be cut at once, and be taken for one under way.
  const windowMax = pool.kind === "in-process" ? 1 : hasModules(c.plan) ? pool.threads : pool.threads * 2;
  // A user's module's failures shrink on the pool's threads, as its runs ran: a step of it that
  // never returns would hold this thread, and every signal's handler with it. The pool stays open
  // for them until every failure is described; other plans' shrinks run here, their threads closed.
  const onThreads = hasModules(c.plan) ? pool.failing : undefined;
  /** The search loop ended by itself: anything thrown out of it must close the pool at once. */
  let searchEnded = false;
  const shrinkOn: FailureThreads | undefined =
    onThreads === undefined
      ? undefined
      : {
          // Cut at the time budget's cut, or sooner at the shrink's own deadline (`--shrink-time`).
          shrink: (deadlineAt) => {
            const cuts = [runCutAt?.(), deadlineAt === undefined ? undefined : deadlineAt + graceMs];
            const at = cuts.filter((t): t is number => t !== undefined);
            const cut = { atEpochMs: at.length === 0 ? undefined : Math.min(...at) };
            return (d, k, i) => onThreads(d, k, i, cut);
          },
          reproducer: (d, k, i) => onThreads(d, k, i, null),
        };
  try {
    for (;;) {
      while (
        error === null &&
        stopAt === Number.POSITIVE_INFINITY &&
        cutAt === Number.POSITIVE_INFINITY &&
        !timeUp &&
        next < planned
      ) {
        if (inflight.size >= windowMax) break;
        if (c.signal?.aborted) {
          interrupted = true;
          break;
        }
        if (c.timeBudgetMs !== undefined && clock && clock() - started > c.timeBudgetMs) {
          timeUp = true;
          break;
        }
        const pos = next++;
        const index = shardRunAt(pos, c.shard);
        const task: Promise<void> = pool
          .run(index)
          .then((summary) => {
            results[pos] = summary;
            done++;
            if (summary.failed.length > 0) {
              failures++;
              if (!c.keepGoing) stopAt = Math.min(stopAt, pos);
            }
            // Without keepGoing, a failing run after the earliest one is not reported: not named.
            const failed =
              summary.failed.length > 0 && pos <= stopAt
                ? { run: summary.index, seed: summary.seed, kinds: summary.failed }
                : undefined;
            c.onProgress?.({ done, planned, failures, failed });
          })
          .catch((cause: unknown) => {
            if (cause instanceof TimeBudgetCut) {
              timeUp = true;
              // A generated world is too small to take that long, and a step that never returned
              // is no seed's length: the user's module did (not judged). Another run is left out.
              if (c.plan.mode === "generated" || cause.overrun !== null) {
                results[pos] = cutSummary(c.plan, index, cause.overrun, c.runCutGraceMs ?? RUN_CUT_GRACE_MS);
                done++;
                c.onProgress?.({ done, planned, failures, failed: undefined });
              }
            } else if (cause instanceof RunInterrupted) cutAt = Math.min(cutAt, pos);
            else if (error === null) error = { index, cause };
          })
          .finally(() => inflight.delete(task));
        inflight.add(task);
      }
      if (inflight.size === 0) break;
      await Promise.race(inflight);
    }
    searchEnded = true;
  } finally {
    if (shrinkOn === undefined || error !== null || !searchEnded) await pool.close();
  }
  // A signal that came during the last run in this thread reaches its handler before the search is
  // judged interrupted or not: nothing else turns the event loop before the exploration returns.
  if (pool.kind === "in-process") await breathe();
  if (error !== null) {
    const e = error as { index: number; cause: unknown };
    const message = e.cause instanceof Error ? e.cause.message : String(e.cause);
    throw new Error(`run ${e.index} threw: ${message}`);
  }
  // Interrupted before the search ended, even while it waited for the runs before a failure: the
  // failures are then not shrunk, and the report must say why.
  interrupted ||= c.signal?.aborted === true || cutAt !== Number.POSITIVE_INFINITY;
  // Runs are counted up to the first that has no result (cut short), or to the earliest failure.
  const counted = Math.min(cutAt, stopAt === Number.POSITIVE_INFINITY ? next : stopAt + 1);
  // A seed the time budget left out has no result, and takes nothing from those around it: a
  // later one that ended (on another thread) counts, failures too.
  const summaries = results.slice(0, counted).filter((s): s is RunSummary => s !== undefined);
  const outcome = tally(summaries, c.plan.properties);
  const failing = summaries.filter((s) => s.failed.length > 0);
  const shrinkMax = c.shrinkFailuresMax ?? SHRINK_FAILURES_MAX_DEFAULT;
  const found: ExploreFailure[] = [];
  let searchEnd = 0;
  let searchMs = 0;
  try {
    // A caller's callbacks and clock may throw: the pool still closes.
    c.onSearched?.();
    searchEnd = clock?.() ?? 0;
    searchMs = searchEnd - poolUp;
    for (const [k, s] of failing.entries()) {
      await breathe();
      const failure = await describeFailure(c, s, k < shrinkMax, started, shrinkOn);
      found.push(failure);
      await c.onFailure?.(failure);
    }
  } finally {
    if (shrinkOn !== undefined) await pool.close();
  }
  return {
    planned,
    completed: summaries.length,
    stoppedBy: interrupted
      ? "interrupted"
      : stopAt !== Number.POSITIVE_INFINITY
        ? "failure"
        : timeUp
          ? "time-budget"
          : "done",
    ...outcome,
    failures: found,
    laterFailures: results.slice(counted).filter((s) => s !== undefined && s.failed.length > 0).length,
    laterRuns: results.slice(counted).filter((s) => s !== undefined).length,
    shrinkFailuresMax: shrinkMax,
    // Shrinking off (no runs for it) leaves every failure unshrunk, not the limit.
    failuresUnshrunk: (c.shrinkRunsMax ?? 300) > 0 ? Math.max(0, failing.length - shrinkMax) : 0,
    poolStartMs: poolUp - started,
    searchMs,
    shrinkMs: clock ? clock() - searchEnd : 0,
    // A shard given no run opens a pool of one and runs nothing on it: it ran on no thread.
    pool: ranOn,
  };
}

function tally(summaries: readonly RunSummary[], properties: readonly PropertyName[]) {
  const tallies: Record<string, PropertyTally> = {};
  for (const p of PROPERTY_NAMES)
    if (properties.includes(p)) tallies[p] = { checked: 0, failed: 0, exercised: 0 };
  const fired: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const planned: Record<string, number> = {};
  const byKind = new FaultKindTallies();
  let faultPointsReached = 0;
  let kernelEvents = 0;
  let notJudgedRuns = 0;
  const earliest: StoppedRun[] = [];
  for (const s of summaries) {
    kernelEvents += s.kernelEvents;
    addCounts(fired, s.faultsFired);
    addCounts(skipped, s.faultsSkipped);
    addCounts(planned, s.faultsPlanned);
    byKind.add(s);
    faultPointsReached += s.faultPointsReached;
    if (s.limit !== null) {
      notJudgedRuns++;
      if (earliest.length < NOT_JUDGED_NAMED_MAX)
        earliest.push({ run: s.index, seed: s.seed, limit: s.limit, detail: s.stopDetail });
      continue;
    }
    for (const v of s.verdicts) {
      const t = tallies[v.property];
      if (!t) continue;
      t.checked++;
      if (!v.ok) t.failed++;
      if (v.exercised) t.exercised++;
    }
  }
  const notJudged = earliest.length === 0 ? null : { runs: notJudgedRuns, first: earliest[0], earliest };
  return {
    properties: tallies,
    faultsFired: sortedCounts(fired),
    faultsSkipped: sortedCounts(skipped),
    faultsPlanned: sortedCounts(planned),
    faultsByKind: byKind.sorted(),
    faultPointsReached,
    notJudged,
    kernelEvents,
  };
}

/** What a failure is as its run in the search saw it: the failing property first, and its detail. */
function failureBase(s: RunSummary) {
  const order: readonly FailureKind[] = ["halted", ...PROPERTY_NAMES];
  const kind = order.find((k) => s.failed.includes(k))!;
  const detail =
    kind === "halted" ? s.stopDetail : (s.verdicts.find((v) => v.property === kind)?.detail ?? "");
  return {
    run: s.index,
    kind,
    failed: s.failed,
    seed: s.seed,
    generationSeed: s.generationSeed,
    detail,
    traceHash: s.traceHash,
  };
}

/**
 * The failure of a run, shrunk when allowed. A run Ctrl-C cuts short (`RunInterrupted`) ends its
 * part (the rerun of the original world, a shrink) with what was found before it.
 */
async function describeFailure(
  c: ExploreConstraints,
  s: RunSummary,
  shrink: boolean,
  startedMs: number,
  poolThreads: FailureThreads | undefined,
): Promise<ExploreFailure> {
  const base = failureBase(s);
  const kind = base.kind;
  const start = startingDocument(c, s);
  if (start === null) return { ...base, document: null, documentRun: null, shrink: null };
  const threads = threadsKnow(c, start) ? poolThreads : undefined;
  const runsMax = c.shrinkRunsMax ?? 300;
  const clock = c.wallClock;
  const deadlineMs = shrinkDeadline(c, startedMs);
  // The first world the shrink tried that did not end (`shrink.stuck`).
  let stuck: string | null = null;
  const budget = {
    runsMax,
    wallClock: clock,
    deadlineMs,
    signal: c.signal,
    runOn: threads?.shrink(deadlineMs === undefined ? undefined : epochNowMs() + (deadlineMs - clock!())),
    onStuck: (detail: string) => {
      stuck ??= detail;
    },
  };
  // Out of time or interrupted: no shrink, and no run but the one that names its reproducer.
  const cut = c.signal?.aborted === true || (budget.deadlineMs !== undefined && clock!() > budget.deadlineMs);
  const cutShort = () => ({ ...CUT_SHORT, cutBy: shrinkCut(c, startedMs) });
  if (!shrink || runsMax <= 0 || cut) {
    // Not shrunk, the document is the reproducer all the same. It runs once more under the name
    // its reproducer gives it, out of time or interrupted too: that run is a reproducer's, as its
    // replay is, not the search's nor a shrink's, and a world left named as its scenario would
    // share that name with the exploration's other such reproducers, which the gate refuses
    // to take together from their folder.
    const world = await asReproducer(c, threads?.reproducer, kind, s.index, start, () =>
      unlessInterruptedAsync(() => unshrunk(c, threads?.reproducer, start, s, kind), null),
    );
    return { ...base, ...world, shrink: shrink && runsMax > 0 ? cutShort() : null };
  }
  c.onShrink?.({ run: s.index, kind });
  const tried: TriedWorlds = new Map();
  // A generated world's shrink cut in its first world, the original one, has nothing to start from.
  const generated =
    c.plan.mode === "generated"
      ? await shrinkGeneratedOrCut(c.plan, s.index, kind, budget, c.schedulers, tried)
      : null;
  const shrunk = generated === "cut" ? null : generated;
  const from = generated ?? (await startOf(start, c, budget, kind, s.index));
  const stuckNote = () => (stuck === null ? {} : { stuck: `a world it tried did not end: ${stuck}` });
  // A signal or a cut ended the shrink in its first world, the original one: that world is the
  // reproducer, named as such like any (see above).
  if (from === "cut") {
    // Unless the world itself did not end: run again under another name, it would hang again.
    const found = async () => (c.plan.mode === "generated" ? s : null);
    const world =
      stuck === null
        ? await asReproducer(c, threads?.reproducer, kind, s.index, start, found)
        : { document: start, documentRun: await found() };
    return { ...base, ...world, shrink: { ...cutShort(), ...stuckNote() } };
  }
  if (from === null) return { ...base, document: start, documentRun: null, shrink: null };
  const reduced = await reduceDocument(from, exploredVariantOf(c.plan), kind, budget, c.schedulers, tried);
  const exhausted = (shrunk?.exhausted ?? false) || reduced.exhausted;
  return {
    ...base,
    ...(await asReproducer(
      c,
      threads?.reproducer,
      kind,
      s.index,
      reduced.document,
      async () => reduced.summary,
    )),
    shrink: {
      runs: (shrunk?.runs ?? 0) + reduced.runs,
      steps: (shrunk?.steps ?? 0) + reduced.steps,
      exhausted,
      cutBy: exhausted ? shrinkCut(c, startedMs) : null,
      ...stuckNote(),
    },
  };
}

/**
 * Where a user's module's failure worlds run, on the exploration pool's threads: a shrink's, cut
 * short by the time budget as the search's runs are, and a reproducer's, as its replay, not.
 */
interface FailureThreads {
  /** The runner of a shrink whose deadline (`--shrink-time`, on the epoch) is `deadlineAt`. */
  readonly shrink: (deadlineAt: number | undefined) => ShrinkRunner;
  readonly reproducer: ShrinkRunner;
}

/**
 * The failing world as its reproducer writes it (`reproducerWorld`: named for its failure, its
 * dead settings dropped), with its own run: the name is in the trace, so the hash a reproducer
 * replays is that run's. The world as found, with `found`'s run, if that run does not fail alike
 * or is cut short.
 */
async function asReproducer(
  c: ExploreConstraints,
  runOn: ShrinkRunner | undefined,
  kind: FailureKind,
  index: number,
  document: ScenarioDocument,
  found: () => Promise<RunSummary | null>,
): Promise<{ document: ScenarioDocument; documentRun: RunSummary | null }> {
  const variant = exploredVariantOf(c.plan);
  const name = c.reproducerName?.({ run: index, kind }) ?? reproducerName(kind, variant, index);
  const world = reproducerWorld(document, name);
  const run = await unlessInterruptedAsync(() => failingWhere(c, runOn, world, kind, index), null);
  return run === null ? { document, documentRun: await found() } : { document: world, documentRun: run };
}

/**
 * A failure's world run where its shrink runs them (`runOn`, a thread of the pool), or in this
 * thread: its summary if it fails `kind`, else null.
 */
async function failingWhere(
  c: ExploreConstraints,
  runOn: ShrinkRunner | undefined,
  document: ScenarioDocument,
  kind: FailureKind,
  index: number,
): Promise<RunSummary | null> {
  if (runOn !== undefined) {
    // As in this thread (`judgeRun`): once interrupted, a large world is not begun.
    if (c.signal?.aborted === true && longPlan(c.plan))
      throw new RunInterrupted(`run ${index} was not begun: the exploration was interrupted`);
    return failingOnly(await runOn(document, kind, index), kind);
  }
  return failingSummary(document, exploredVariantOf(c.plan), kind, index, c.schedulers, c.signal);
}

/** What cut a shrink that ended early, if it was not the shrink's own limits. */
function shrinkCut(c: ExploreConstraints, startedMs: number): ShrinkCut | null {
  if (c.signal?.aborted === true) return "interrupted";
  const clock = c.wallClock;
  if (c.timeBudgetMs !== undefined && clock !== undefined && clock() > startedMs + c.timeBudgetMs)
    return "time-budget";
  return null;
}

/** The shrink of a failure whose shrinking was cut short before its first run. */
const CUT_SHORT = { runs: 0, steps: 0, exhausted: true } as const;

/**
 * The run of a failure's unshrunk document. A generated world's document is the world the search
 * ran (regenerated from the same seed), so its run is the search's own; a scenario's document
 * (the file with the run's seed) is run again, as it may compile other than the scenario did.
 * The reproducer is replayed before it is written in any case (`verifyReproducer`).
 */
async function unshrunk(
  c: ExploreConstraints,
  runOn: ShrinkRunner | undefined,
  start: ScenarioDocument,
  s: RunSummary,
  kind: FailureKind,
): Promise<RunSummary | null> {
  if (c.plan.mode === "generated") return s;
  return failingWhere(c, runOn, start, kind, s.index);
}

/**
 * When a shrink must stop, in real time: after `shrinkTimeMsMax`, and within the time budget,
 * which bounds the whole exploration (a CI job's step), shrinking included.
 */
function shrinkDeadline(c: ExploreConstraints, startedMs: number): number | undefined {
  const clock = c.wallClock;
  if (clock === undefined) return undefined;
  const deadlines: number[] = [];
  if (c.shrinkTimeMsMax !== undefined) deadlines.push(clock() + c.shrinkTimeMsMax);
  if (c.timeBudgetMs !== undefined) deadlines.push(startedMs + c.timeBudgetMs);
  return deadlines.length === 0 ? undefined : Math.min(...deadlines);
}

/**
 * The failing world a shrink starts from: a scenario's run again (its document may compile other
 * than the scenario did), as a run of the shrink; null when it does not fail alike, "cut".
 */
async function startOf(
  document: ScenarioDocument,
  c: ExploreConstraints,
  budget: ShrinkConstraints,
  kind: FailureKind,
  index: number,
): Promise<{ document: ScenarioDocument; summary: RunSummary } | null | "cut"> {
  const summary = await runShrinkWorld(
    budget,
    document,
    exploredVariantOf(c.plan),
    kind,
    index,
    c.schedulers,
  );
  return summary === null || summary === "cut" ? summary : { document, summary };
}

/**
 * Whether the pool's threads know every module the failure's world runs: a plan given through
 * the API may name a module in its `document` otherwise than in `base` and `schedulerModules`
 * (registered in `schedulers` alone). Its shrinks then run in this thread, as they always did.
 */
function threadsKnow(c: ExploreConstraints, document: ScenarioDocument): boolean {
  const names = schedulerNamesOf(document, exploredVariantOf(c.plan));
  if (names === null) return true;
  const known = new Set((c.plan.schedulerModules ?? []).map((m) => m.name));
  return names.every((name) => !name.startsWith("module:") || known.has(name));
}

/** The document of a failing run: the generated world, or the scenario's with the run's seed. */
function startingDocument(c: ExploreConstraints, s: RunSummary): ScenarioDocument | null {
  if (c.plan.mode === "generated") {
    // Regenerate rather than ship documents back from worker threads.
    return generatedDocument(c.plan, s.index);
  }
  if (c.document === undefined) return null;
  return { ...structuredClone(c.document), seed: s.seed };
}

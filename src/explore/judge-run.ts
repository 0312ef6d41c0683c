/**
 * One run of an exploration, as data in and data out, so it runs the same in-process and on a
 * worker thread: a plan (what is explored) and a prepared world give a summary with the verdicts
 * of the properties that matter. A scenario's seed is prepared here; a generated world, which
 * needs fast-check and the scenario schema, in run-one.ts, which an exploration's worker thread
 * loads only when its plan generates worlds (pool-worker.ts): a thread that runs a scenario's
 * seeds starts without them.
 */
import { deterministicVerdict } from "../checks/deterministic.js";
import { type StopLimit, stopLimit } from "../checks/run-info.js";
import { PROPERTY_NAMES, type PropertyName, type Verdict } from "../checks/types.js";
import { RunInterrupted, type RunOutcome, WALL_GUARD_GRACE_MS } from "../kernel/index.js";
import { applyVariant, type CompiledScenario, withSeed } from "../scenario/compiled.js";
import type { VariantName } from "../scenario/variants.js";
import { longRun } from "../world/config.js";
import type { SchedulerRegistry } from "../world/world.js";
import type { ScenarioDocument } from "./generate/document.js";
import type { ScenarioConstraints } from "./generate/scenario-arbitrary.js";
import { type RunInput, type RunResult, runWorld } from "./run.js";
import { sweepSeed } from "./seeds.js";

/** The properties an exploration judges unless told otherwise. */
export const DEFAULT_PROPERTIES: readonly PropertyName[] = PROPERTY_NAMES.filter(
  (p) => p !== "deterministic",
);

/** A user scheduler module a worker thread must import (bundled schedulers need nothing). */
export interface SchedulerModuleRef {
  /** The name the scenario uses (`module:./my.js`). */
  readonly name: string;
  /** A `file:` URL to import. */
  readonly url: string;
  /**
   * A `file:` URL of a module to import before it, or absent: for a TypeScript module, the one
   * that registers the CLI's type-stripping loader hooks, which a thread does not inherit from
   * the thread that registered them (Node 20 imports no `.ts` file without them).
   */
  readonly preload?: string;
  /**
   * The module's file as Node names it in a stack (links resolved), where its panics are placed
   * (`placeModule`); absent: placed by how a frame's path ends, as a module the library's caller
   * registered.
   */
  readonly realPath?: string;
}

/**
 * The scheduler an exploration runs: a named variant in place of the scenario's own, or null for
 * the scenario's own scheduler as written (a scenario whose scheduler is a user module).
 */
export type ExploredVariant = VariantName | null;

/**
 * A user scheduler module that generated worlds start with, in place of v2 (`explore --generated
 * --scheduler`): the world is the one the plan's variant is explored in, with the module standing
 * for v2 in it (its scheduler and the timeline's deploys of v2), as the gate runs a module.
 */
export interface GeneratedModule {
  /** The module as a generated document writes it: its path from the folder reproducers go to. */
  readonly path: string;
  /** The variant's fixes that the module lists, in its order (what `create(fixes)` is given). */
  readonly fixes: readonly string[];
}

/** `compiled` started with the variant's scheduler, or as written when the variant is null. */
export function withExploredVariant(compiled: CompiledScenario, variant: ExploredVariant): CompiledScenario {
  return variant === null ? compiled : applyVariant(compiled, variant)!;
}

interface PlanCommon {
  readonly properties: readonly PropertyName[];
  readonly schedulerModules?: readonly SchedulerModuleRef[];
}

/** What an exploration explores: seeds of one scenario, or generated worlds. Plain data. */
export type RunPlan = PlanCommon &
  (
    | {
        readonly mode: "scenario";
        readonly variant: ExploredVariant;
        /** The scenario, compiled, with the variant applied or not (it is applied per run). */
        readonly base: CompiledScenario;
        /** Run `r` uses seed `baseSeed + r`. */
        readonly baseSeed: number;
      }
    | {
        readonly mode: "generated";
        /** The variant whose world is generated, and whose scheduler runs unless `module` is given. */
        readonly variant: VariantName;
        /** A user module run in v2's place in every world (its documents name it): see `GeneratedModule`. */
        readonly module?: GeneratedModule;
        readonly constraints: ScenarioConstraints;
        /** Run `r` generates its world from `generationSeed(seed, r)`. */
        readonly seed: number;
      }
  );

/** A property's verdict, as an exploration keeps it. */
export interface RunVerdict {
  readonly property: PropertyName;
  readonly ok: boolean;
  /** False when the run gave the property no chance to fail. */
  readonly exercised: boolean;
  readonly detail: string;
}

/** Why a run counts as failed: a property, or a broken simulator invariant (`halted`). */
export type FailureKind = PropertyName | "halted";

export interface RunSummary {
  readonly index: number;
  /** The world's seed (the `seed` of its scenario document). */
  readonly seed: number;
  /** For a generated world: the fast-check seed it was generated from. */
  readonly generationSeed: number | null;
  readonly traceHash: string;
  readonly events: number;
  readonly kernelEvents: number;
  readonly stopReason: string;
  readonly stopDetail: string;
  readonly verdicts: readonly RunVerdict[];
  /** How often each fault acted in this run (acts: an armed panic counts each panic it threw). */
  readonly faultsFired: Readonly<Record<string, number>>;
  /** The run's faults that acted at least once, by kind, each once (`RunReport.faults.firedFaults`). */
  readonly faultsFiredFaults: Readonly<Record<string, number>>;
  /** How often each fault came due with nothing to act on (`fault.skipped`) in this run. */
  readonly faultsSkipped: Readonly<Record<string, number>>;
  /** The run's faults by kind, each counted once (`RunReport.faults.planned`). */
  readonly faultsPlanned: Readonly<Record<string, number>>;
  /**
   * How often the scheduler reached a fault point (`rt.faultPoint`) while an injected panic or
   * hang was armed: where those fire, and nowhere else.
   */
  readonly faultPointsReached: number;
  /**
   * The scenario limit (`limits.maxEvents`) that stopped the run before its horizon, or null. A
   * run so stopped is not judged, as `aftershock run` does not judge it: it neither passes nor
   * fails, and the exploration says which limit to raise.
   */
  readonly limit: StopLimit | null;
  /** The judged properties that failed, and `halted`; empty when the run passed or was not judged. */
  readonly failed: readonly FailureKind[];
}

/** A world ready to run: its compiled input and, when generated, its document. */
export interface PreparedRun {
  readonly input: CompiledScenario;
  readonly document: ScenarioDocument | null;
  readonly generationSeed: number | null;
}

/**
 * The scheduler a plan's runs start with, as `withExploredVariant` takes it: the plan's variant,
 * or null when its documents name their scheduler (a scenario's own module, a generated world's
 * `--scheduler` module) and run as written.
 */
export function exploredVariantOf(plan: RunPlan): ExploredVariant {
  return plan.mode === "generated" && plan.module !== undefined ? null : plan.variant;
}

/** The world of run `index` of a plan that explores a scenario's seeds. */
export function prepareScenarioRun(plan: Extract<RunPlan, { mode: "scenario" }>, index: number): PreparedRun {
  const input = withSeed(withExploredVariant(plan.base, plan.variant), sweepSeed(plan.baseSeed, index));
  return { input, document: null, generationSeed: null };
}

/**
 * A run of a user's scheduler module cut short because the exploration's time budget ended a
 * while before (`cutAtEpochMs`): a step of it that never returns would otherwise hold the
 * exploration until the run's own wall-clock budget (10 minutes by default). It has no result,
 * as a run Ctrl-C cut. `overrun` names the goroutine step that had not returned (`goroutine … was
 * stopped after 3.0 s: a goroutine step never returned …`), or is null for a run that was busy
 * but yielding: a scenario's seed may take that long, a generated world (`cutSummary`) may not.
 */
export class TimeBudgetCut extends RunInterrupted {
  constructor(
    message: string,
    readonly overrun: string | null,
  ) {
    super(message);
  }
}

/** Whether the plan's runs start user scheduler modules. */
export function hasModules(plan: RunPlan): boolean {
  return (plan.schedulerModules ?? []).length > 0;
}

/**
 * What a pool's worker thread is asked: run `index` (-1: a ping), cut short at `cutAtEpochMs` if
 * given (`judgeRun`), or run a world a shrink tries (`FailingTask`).
 */
export type RunTask = number | { readonly index: number; readonly cutAtEpochMs: number } | FailingTask;

/**
 * A world of a shrink, or a failure's reproducer, run on the pool's thread for a plan that runs a
 * user's scheduler module (`RunPool.failing`), judging `kind` alone: its summary, failing or not
 * (`shrinkRunSummary`), or null when the document does not compile.
 */
export interface FailingTask {
  readonly failing: ScenarioDocument;
  readonly kind: FailureKind;
  readonly index: number;
  readonly cutAtEpochMs?: number;
}

/**
 * What a pool's worker thread answers a run: its summary, or that the time budget cut it
 * (`TimeBudgetCut`, as data). A `FailingTask` is answered null when its document does not compile.
 */
export type RunAnswer = RunSummary | { readonly cut: string; readonly overrun: string | null };

/** Now as epoch milliseconds, the same on every thread (`performance.now()` counts from each thread's start). */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Runs a prepared world and judges the plan's properties. Each run is held to its scenario's
 * `limits.wallBudget`, on the real clock of the thread it runs on, as `aftershock run` is (a
 * scheduler module that loops without yielding would hang the exploration otherwise). A run so
 * stopped is not judged, as a run `limits.maxEvents` stopped is not: where the clock stops it is
 * not the scenario's doing, so it is neither a failure nor, for the `deterministic` check, a
 * difference between two runs. A budget is meant to be far above what a run takes (the default,
 * 10 minutes); an exploration is held to real time as a whole by `--time-budget`.
 */
export function judgeRun(
  prepared: PreparedRun,
  properties: readonly PropertyName[],
  index: number,
  schedulers?: SchedulerRegistry,
  interrupted?: AbortSignal,
  cutAtEpochMs?: number,
): RunSummary {
  // Once Ctrl-C has been pressed, a long run is not begun: the user would wait seconds or minutes
  // for it, and the Ctrl-C that could cut it short was spent. It ends as if cut short at once.
  if (interrupted?.aborted === true && longRun(prepared.input.config))
    throw new RunInterrupted(`run ${index} was not begun: the exploration was interrupted`);
  // Only the verdicts, hash and faults of a run are kept: no lanes or series are recorded.
  const options = { schedulers, wallClock: () => performance.now(), judgeOnly: true };
  // Cut at `cutAtEpochMs`: the run's wall budget lowered to end then, read anew for each run (the
  // deterministic check's second too). Its trace is the same until then (the budget is in no
  // event), and a step that never returns is stopped by the run's guard a second later, named.
  const cutInput = (): { readonly input: RunInput; readonly cutting: boolean } => {
    const cutInMs = cutAtEpochMs === undefined ? Number.POSITIVE_INFINITY : cutAtEpochMs - epochNowMs();
    const limits = prepared.input.config.limits;
    if (cutInMs >= (limits.wallBudgetMs ?? Number.POSITIVE_INFINITY))
      return { input: prepared.input, cutting: false };
    const wallBudgetMs = Math.max(1, Math.floor(cutInMs));
    return {
      input: { ...prepared.input, config: { ...prepared.input.config, limits: { ...limits, wallBudgetMs } } },
      cutting: true,
    };
  };
  const judged = (): RunResult => {
    const { input, cutting } = cutInput();
    const ran = runWorld(input, options);
    if (!cutting || ran.outcome.reason !== "wall-budget") return ran;
    // A step that had run a second or more without yielding or returning (the kernel stopped it
    // at a port call, or the guard wherever it was) is named; a run stopped between events, or in
    // a short step that makes many port calls, was only busy.
    const step = ran.outcome.steppedOver;
    const overrun = step !== undefined && step.ms >= WALL_GUARD_GRACE_MS ? step.text : null;
    throw new TimeBudgetCut(`run ${index} was cut short: the exploration's time budget had ended`, overrun);
  };
  const { report, outcome } = judged();
  const verdicts: RunVerdict[] = [];
  for (const v of report.verdicts) if (properties.includes(v.property)) verdicts.push(runVerdict(v));
  // The stop that leaves the run not judged: the first run's, or the second's when only it was stopped.
  let stop: RunOutcome = outcome;
  if (properties.includes("deterministic")) {
    const again = judged();
    if (stopLimit(outcome.reason) === null && stopLimit(again.outcome.reason) !== null) stop = again.outcome;
    verdicts.push(runVerdict(deterministicVerdict(report.traceHash, again.report.traceHash)));
  }
  const limit = stopLimit(stop.reason);
  const failed: FailureKind[] = limit === null ? verdicts.filter((v) => !v.ok).map((v) => v.property) : [];
  if (outcome.reason === "halted") failed.push("halted");
  return {
    index,
    seed: prepared.input.config.seed,
    generationSeed: prepared.generationSeed,
    traceHash: report.traceHash,
    events: report.events,
    kernelEvents: outcome.events,
    stopReason: stop.reason,
    stopDetail: stop.detail,
    verdicts,
    faultsFired: report.faults.fired,
    faultsFiredFaults: report.faults.firedFaults ?? report.faults.fired,
    faultsSkipped: report.faults.skipped,
    faultsPlanned: report.faults.planned ?? {},
    faultPointsReached: Object.values(report.faults.probes).reduce((a, n) => a + n, 0),
    limit,
    failed,
  };
}

function runVerdict(v: Verdict): RunVerdict {
  return { property: v.property, ok: v.ok, exercised: v.exercised !== false, detail: v.detail };
}

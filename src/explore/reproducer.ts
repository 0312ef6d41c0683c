/**
 * A failure written down: the smallest failing scenario document, started with the variant's
 * scheduler (or its own, when the exploration ran the scenario's scheduler as written), saying in
 * its description (and a comment header) what failed, with which seed, and expecting the violated
 * property to hold, so `aftershock run <file>` fails until it is fixed. (A scenario's own module
 * is expected to hold it as the variant the gate judges the module as with the scenario's fixes,
 * `judgedVariantOf`; with fixes that no gated variant gives it, nothing is expected: `run` judges
 * the properties.)
 * Before it is handed out, `verifyReproducer` parses the text back as any user file would be
 * parsed and replays it: the same verdict and the same trace hash, or it is not a reproducer.
 */

import { Piscina } from "piscina";
import type { PropertyName } from "../checks/types.js";
import { RunInterrupted } from "../kernel/index.js";
import { type CompiledScenario, compileParsedScenario, moduleSchedulerName } from "../scenario/compile.js";
import type { Scenario } from "../scenario/index.js";
import { parseScenario } from "../scenario/parse.js";
import { resolveVariant, type VariantName } from "../scenario/variants.js";
import type { SchedulerRegistry } from "../world/world.js";
import type { ExploreFailure } from "./explore.js";
import { shrinkCutWords, shrinkFurtherNote } from "./explore-report.js";
import { judgedVariantOf } from "./gate-scheduler.js";
import type { ScenarioDocument } from "./generate/document.js";
import { documentYaml } from "./generate/document-yaml.js";
import { withoutDeadSettings } from "./reproducer-world.js";
import {
  type ExploredVariant,
  judgeRun,
  type RunPlan,
  type RunSummary,
  type SchedulerModuleRef,
  withExploredVariant,
} from "./run-one.js";

export interface ReproducerContext {
  readonly variant: ExploredVariant;
  /** Where the failure came from: `generated worlds (seed 7)` or the scenario's path. */
  readonly origin: string;
  /** What ran, when the variant is null and the documents name a module: `the module mods/mine.mjs as variant fixed`. */
  readonly scheduler?: string;
  /**
   * The variant a module runs as, when the variant is null and the documents name a module that
   * stands for v2 (`explore --generated --scheduler`): the reproducer expects the property to
   * hold for it, so that the gate runs the module as that variant, as explore did.
   */
  readonly moduleAs?: VariantName;
  /**
   * The schedulers the document's modules are registered in (`module:<path as written>`): a
   * scenario's own module is expected to hold the property as the variant the gate judges it as,
   * which depends on the fixes it lists.
   */
  readonly schedulers?: SchedulerRegistry;
}

/**
 * The variant a scenario's own module is gated as when the reproducer's expectation names it: the
 * one whose run the gate judges as `run` runs the file, with the scenario's fixes
 * (`judgedVariantOf`, the gate's own rule: `fixed` for a module that lists no fixes). Null for a
 * bundled scheduler, for a module not in `schedulers`, and for fixes that give no gated run (a fix
 * of the module's own): the reproducer expects nothing and `run` judges it.
 */
function ownModuleVariant(
  scheduler: ScenarioDocument["scheduler"],
  schedulers: SchedulerRegistry | undefined,
): VariantName | null {
  if (scheduler === undefined || !("module" in scheduler) || typeof scheduler.module !== "string")
    return null;
  const factory = schedulers?.get(moduleSchedulerName(scheduler.module));
  if (factory === undefined) return null;
  return judgedVariantOf({ path: scheduler.module, fixes: factory.fixes }, scheduler.fixes ?? []);
}

/** The reproducer document of a failure (null when the failure has no document). */
export function reproducerDocument(failure: ExploreFailure, ctx: ReproducerContext): ScenarioDocument | null {
  if (failure.document === null) return null;
  const what =
    failure.kind === "halted" ? "the simulator halted (a broken invariant)" : `${failure.kind} fails`;
  // A shrink cut short says so, as the report does: a rerun may take it further. One cut before
  // it began says it was not shrunk, as the report does (no "shrunk in 0 steps": an earlier
  // reproducer's description is read for its steps, and none are found here, as 0 would be).
  const further = failure.shrink ? shrinkFurtherNote(failure.shrink) : null;
  const cut = failure.shrink ? shrinkCutWords(failure.shrink.cutBy ?? null) : null;
  const shrunk =
    failure.shrink === null
      ? ""
      : cut !== null && failure.shrink.runs === 0
        ? `, not shrunk (${cut} before its shrink began: a rerun may shrink it)`
        : `, shrunk in ${failure.shrink.steps} steps (${failure.shrink.runs} runs)${further === null ? "" : ` (${further})`}`;
  const detail = failure.documentRun ? failingDetail(failure) : failure.detail;
  const runs = ctx.variant === null ? (ctx.scheduler ?? "its own scheduler") : `variant ${ctx.variant}`;
  const description = `Reproducer found by aftershock explore: ${what} for ${runs}, ${seedText(failure)}, run ${failure.run} of ${ctx.origin}${shrunk}. ${detail}`;
  const { chapters: _chapters, expect: _expect, ...rest } = failure.document;
  const expected = ctx.variant ?? ctx.moduleAs ?? ownModuleVariant(rest.scheduler, ctx.schedulers);
  const expect =
    failure.kind === "halted" || failure.kind === "deterministic" || expected === null
      ? []
      : [{ variant: expected, property: failure.kind, holds: true }];
  const variant = ctx.variant === null ? null : resolveVariant(ctx.variant)!;
  const scheduler = variant === null ? rest.scheduler : { version: variant.scheduler, fixes: variant.fixes };
  const assumed = shrunkAssumptions(rest, failure, ctx);
  // The on-call view's wording of the assumptions describes the same world: it goes with them.
  const { onCallAssumptions: _onCall, ...kept } = rest;
  // Named for its failure already when explore could run it so (see `reproducerWorld`).
  return withoutDeadSettings({
    ...(assumed === null ? rest : { ...kept, ...assumed }),
    description,
    scheduler,
    expect,
  });
}

/**
 * A scenario's assumptions describe its own world (its fleet size, workload, deploys): once a
 * shrink has changed that world, `run <reproducer>` would print them as this world's, next to a
 * fleet and timeline that contradict them. They give way to one line saying where they are (and
 * the on-call view's wording of them goes); the sources, public facts, hold whatever the world.
 * Null when the world is the scenario's own: its assumptions stay as written.
 */
function shrunkAssumptions(
  doc: ScenarioDocument,
  failure: ExploreFailure,
  ctx: ReproducerContext,
): Pick<ScenarioDocument, "assumptions"> | null {
  if (failure.shrink === null || failure.shrink.steps === 0) return null;
  if (doc.assumptions === undefined || doc.assumptions.length === 0) return {};
  return {
    assumptions: [
      `Shrunk from the world of ${ctx.origin}: the assumptions written there describe that world (its fleet, workload and timeline), not this smaller one: the settings in this file are what runs.`,
    ],
  };
}

/** What a reproducer's header says besides its failure and replay. */
export interface ReproducerHeader {
  /** Why it does not replay exactly (`verifyReproducer`), or null when it does. */
  readonly notExact?: string | null;
  /**
   * The exploration that wrote it, with paths from its folder (`generated worlds, module
   * ../mods/mine.mjs as variant fixed`): a rerun replaces only its own reproducers.
   */
  readonly explored?: string | null;
  /**
   * The digest of what the exploration ran (`ExploreTarget.digest`: its scenario, its modules), or
   * null: an earlier reproducer is kept in place of a less shrunk one only if the same code ran.
   */
  readonly targetDigest?: string | null;
}

/**
 * The reproducer's file text: a comment header saying how to replay it, then the document. A
 * reproducer found not to replay exactly (`verifyReproducer`) says so in its header, `notExact`.
 */
export function reproducerText(
  doc: ScenarioDocument,
  failure: ExploreFailure,
  replay: string,
  { notExact = null, explored = null, targetDigest = null }: ReproducerHeader = {},
): string {
  const run = failure.documentRun;
  return documentYaml(doc, [
    `aftershock explore reproducer: ${failure.kind} (run ${failure.run}, ${seedText(failure)})`,
    `trace hash ${run?.traceHash ?? failure.traceHash}`,
    ...(explored === null ? [] : [`explored: ${explored}`]),
    ...(targetDigest === null ? [] : [`target digest ${targetDigest}`]),
    ...(notExact === null ? [] : [`NOT EXACT: ${notExact}`]),
    `replay: ${replay}`,
  ]);
}

/**
 * The seed the reproducer runs, and the run's own when a shrink changed it (a generated world
 * shrinks by drawing smaller seeds): the report and progress lines name the run's seed, and a
 * reader must be able to match the file to them.
 */
function seedText(failure: ExploreFailure): string {
  const seed = failure.documentRun?.seed ?? failure.seed;
  return seed === failure.seed ? `seed ${seed}` : `seed ${seed}, shrunk from the run's seed ${failure.seed}`;
}

export type ReproducerCheck =
  | { readonly ok: true; readonly traceHash: string }
  | { readonly ok: false; readonly problem: string };

/** Parses a reproducer's text like a user file and replays it: it must fail the same way, with the same trace. */
export function verifyReproducer(
  text: string,
  file: string,
  failure: ExploreFailure,
  variant: ExploredVariant,
  schedulers?: SchedulerRegistry,
  interrupted?: AbortSignal,
): ReproducerCheck {
  const parsed = reproducerScenario(text, file);
  if (!parsed.ok) return parsed;
  const input = withExploredVariant(parsed.compiled, variant);
  const summary = judgeRun(
    { input, document: null, generationSeed: null },
    replayedProperties(failure),
    failure.run,
    schedulers,
    interrupted,
  );
  return replayCheck(summary, failure);
}

/**
 * `verifyReproducer` on a new worker thread (`workerFile`, the exploration pool's), which imports
 * the scheduler modules the reproducer names (`modulesOf`: each under its name there) anew: a module whose state outlives its runs (a module-level
 * variable) failed after the runs before it on its thread, and replayed where that state is
 * still there, it would fail alike, and the reproducer be taken for exact; a user who runs the
 * file loads the module once, fresh. (A module's state kept across threads, or read from the
 * environment, is beyond it.)
 */
export async function verifyReproducerFresh(
  text: string,
  file: string,
  failure: ExploreFailure,
  variant: ExploredVariant,
  modulesOf: (scenario: Scenario) => readonly SchedulerModuleRef[],
  workerFile: string,
  interrupted?: AbortSignal,
): Promise<ReproducerCheck> {
  const parsed = reproducerScenario(text, file);
  if (!parsed.ok) return parsed;
  // Read each time: the signal may abort while the replay is under way.
  const aborted = () => interrupted?.aborted === true;
  if (aborted()) throw new RunInterrupted("the replay was not begun: interrupted");
  const plan: RunPlan = {
    mode: "scenario",
    variant,
    base: parsed.compiled,
    baseSeed: parsed.compiled.config.seed,
    properties: replayedProperties(failure),
    schedulerModules: modulesOf(parsed.scenario),
  };
  const pool = new Piscina<number, RunSummary | null>({
    filename: workerFile,
    workerData: plan,
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: 1,
    atomics: "disabled",
  });
  try {
    return replayCheck((await pool.run(0, { signal: interrupted }))!, failure);
  } catch (error) {
    if (aborted()) throw new RunInterrupted("the replay was interrupted");
    throw error;
  } finally {
    await pool.destroy();
  }
}

/** The reproducer's text parsed back and compiled, as `run` reads the file. */
function reproducerScenario(
  text: string,
  file: string,
):
  | { readonly ok: true; readonly scenario: Scenario; readonly compiled: CompiledScenario }
  | { readonly ok: false; readonly problem: string } {
  const parsed = parseScenario(text, file);
  if (!parsed.ok)
    return { ok: false, problem: `the reproducer does not parse: ${parsed.issues[0]?.message}` };
  return { ok: true, scenario: parsed.scenario, compiled: compileParsedScenario(parsed.scenario) };
}

/** The property a replay judges: the one that failed (none for a run the simulator halted in). */
function replayedProperties(failure: ExploreFailure): PropertyName[] {
  return failure.kind === "halted" ? [] : [failure.kind];
}

/** Whether a replay gave the failure again: the same verdict, and the same trace hash. */
function replayCheck(summary: RunSummary, failure: ExploreFailure): ReproducerCheck {
  const expected = failure.documentRun?.traceHash ?? failure.traceHash;
  if (summary.limit !== null)
    return { ok: false, problem: `replayed, it stopped early (${summary.stopDetail}) and is not judged` };
  if (!summary.failed.includes(failure.kind))
    return {
      ok: false,
      problem: `replayed, it does not fail ${failure.kind} (trace ${summary.traceHash}, not ${expected}): ${NOT_EXACT}`,
    };
  if (summary.traceHash !== expected)
    return {
      ok: false,
      problem: `replayed, it gives trace ${summary.traceHash}, not ${expected}: ${NOT_EXACT}`,
    };
  return { ok: true, traceHash: summary.traceHash };
}

/**
 * Why a reproducer that replays otherwise is not exact. Its text was parsed back and its world
 * rebuilt from the same seed, so what changed between the two runs is what the simulator does
 * not own: the scheduler's own state, or what it reads from outside the simulation.
 */
const NOT_EXACT =
  "the scheduler is not deterministic (most likely it keeps state between `create` calls, such as a module-level variable, or reads the real clock or Math.random), so its failures do not replay as reported";

function failingDetail(failure: ExploreFailure): string {
  const run = failure.documentRun!;
  if (failure.kind === "halted") return run.stopDetail;
  return run.verdicts.find((v) => v.property === failure.kind)?.detail ?? failure.detail;
}

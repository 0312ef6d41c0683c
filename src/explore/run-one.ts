/**
 * One run of an exploration, from a plan and a run index to its summary: the world of a scenario's
 * seed or of a generated world (fast-check and the scenario schema), run and judged by
 * judge-run.ts, whose names this module gives too. The main thread uses it; an exploration's
 * worker thread loads it only when its plan generates worlds (pool-worker.ts).
 */
import type { CompiledScenario } from "../scenario/compile.js";
import type { SchedulerRegistry } from "../world/world.js";
import { CUT_BY_TIME_BUDGET } from "./explore-report.js";
import { compileDocument, type ScenarioDocument } from "./generate/document.js";
import { worldOf } from "./generate/plan-world.js";
import {
  type ExploredVariant,
  exploredVariantOf,
  judgeRun,
  type PreparedRun,
  prepareScenarioRun,
  type RunPlan,
  type RunSummary,
  withExploredVariant,
} from "./judge-run.js";
import { generationSeed } from "./seeds.js";

export * from "./judge-run.js";

/** The generated document of run `index` (the first value fast-check would try with its seed). */
export function generatedDocument(
  plan: Extract<RunPlan, { mode: "generated" }>,
  index: number,
): ScenarioDocument {
  return worldOf(plan, generationSeed(plan.seed, index));
}

/** Compiles a document for a variant (as written when null); throws on an invalid document (a generator bug). */
export function compileForVariant(doc: ScenarioDocument, variant: ExploredVariant): CompiledScenario {
  const compiled = compileDocument(doc);
  if (!compiled.ok) throw new Error(`generated an invalid scenario: ${compiled.problems.join("; ")}`);
  return withExploredVariant(compiled.compiled, variant);
}

/** The world of run `index` of a plan. */
export function prepareRun(plan: RunPlan, index: number): PreparedRun {
  if (plan.mode === "scenario") return prepareScenarioRun(plan, index);
  const document = generatedDocument(plan, index);
  return {
    input: compileForVariant(document, exploredVariantOf(plan)),
    document,
    generationSeed: generationSeed(plan.seed, index),
  };
}

/**
 * A run cut short by the time budget (`TimeBudgetCut`) that the module, not the budget, made
 * that long, as a run a wall clock stopped, not judged: a generated world's (such a world runs in
 * well under a second with the bundled schedulers), or one whose step never returned.
 */
export function cutSummary(
  plan: RunPlan,
  index: number,
  overrun: string | null,
  graceMs: number,
): RunSummary {
  const prepared = prepareRun(plan, index);
  return {
    index,
    seed: prepared.input.config.seed,
    generationSeed: prepared.generationSeed,
    traceHash: "",
    events: 0,
    kernelEvents: 0,
    stopReason: "wall-budget",
    stopDetail: `was still under way ${graceMs / 1000} s ${CUT_BY_TIME_BUDGET}${overrun === null ? "" : `: ${overrun}`}`,
    verdicts: [],
    faultsFired: {},
    faultsFiredFaults: {},
    faultsSkipped: {},
    faultsPlanned: {},
    faultPointsReached: 0,
    limit: "wallBudget",
    failed: [],
  };
}

/** Run `index` of a plan, from world to verdicts. */
export function runOne(
  plan: RunPlan,
  index: number,
  schedulers?: SchedulerRegistry,
  cutAtEpochMs?: number,
): RunSummary {
  return judgeRun(prepareRun(plan, index), plan.properties, index, schedulers, undefined, cutAtEpochMs);
}

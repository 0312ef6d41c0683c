/**
 * A failure written down: the smallest failing scenario document, started with the variant's
 * scheduler, saying in its description (and a comment header) what failed, with which seed, and
 * expecting the violated property to hold, so `aftershock run <file>` fails until it is fixed.
 * Before it is handed out, `verifyReproducer` parses the text back as any user file would be
 * parsed and replays it: the same verdict and the same trace hash, or it is not a reproducer.
 */

import { applyVariant, compileScenario } from "../scenario/compile.js";
import { parseScenario } from "../scenario/parse.js";
import { resolveVariant, type VariantName } from "../scenario/variants.js";
import type { SchedulerRegistry } from "../world/world.js";
import type { ExploreFailure } from "./explore.js";
import { documentYaml, type ScenarioDocument } from "./generate/document.js";
import { judgeRun } from "./run-one.js";

export interface ReproducerContext {
  readonly variant: VariantName;
  /** Where the failure came from: `generated worlds (seed 7)` or the scenario's path. */
  readonly origin: string;
}

/** The reproducer document of a failure (null when the failure has no document). */
export function reproducerDocument(failure: ExploreFailure, ctx: ReproducerContext): ScenarioDocument | null {
  if (failure.document === null) return null;
  const variant = resolveVariant(ctx.variant)!;
  const what =
    failure.kind === "halted" ? "the simulator halted (a broken invariant)" : `${failure.kind} fails`;
  const shrunk = failure.shrink
    ? `, shrunk in ${failure.shrink.steps} steps (${failure.shrink.runs} runs)`
    : "";
  const detail = failure.documentRun ? failingDetail(failure) : failure.detail;
  const description = `Reproducer found by aftershock explore: ${what} for variant ${ctx.variant}, seed ${failure.documentRun?.seed ?? failure.seed}, run ${failure.run} of ${ctx.origin}${shrunk}. ${detail}`;
  const { chapters: _chapters, expect: _expect, ...rest } = failure.document;
  const expect =
    failure.kind === "halted" || failure.kind === "deterministic"
      ? []
      : [{ variant: ctx.variant, property: failure.kind, holds: true }];
  return {
    ...rest,
    description,
    scheduler: { version: variant.scheduler, fixes: variant.fixes },
    expect,
  };
}

/** The reproducer's file text: a comment header saying how to replay it, then the document. */
export function reproducerText(doc: ScenarioDocument, failure: ExploreFailure, replay: string): string {
  const run = failure.documentRun;
  return documentYaml(doc, [
    `aftershock explore reproducer: ${failure.kind} (run ${failure.run}, seed ${run?.seed ?? failure.seed})`,
    `trace hash ${run?.traceHash ?? failure.traceHash}`,
    `replay: ${replay}`,
  ]);
}

export type ReproducerCheck =
  | { readonly ok: true; readonly traceHash: string }
  | { readonly ok: false; readonly problem: string };

/** Parses a reproducer's text like a user file and replays it: it must fail the same way, with the same trace. */
export function verifyReproducer(
  text: string,
  file: string,
  failure: ExploreFailure,
  variant: VariantName,
  schedulers?: SchedulerRegistry,
): ReproducerCheck {
  const parsed = parseScenario(text, file);
  if (!parsed.ok)
    return { ok: false, problem: `the reproducer does not parse: ${parsed.issues[0]?.message}` };
  const input = applyVariant(compileScenario(parsed.scenario), variant)!;
  const properties = failure.kind === "halted" ? [] : [failure.kind];
  const summary = judgeRun(
    { input, document: null, generationSeed: null },
    properties,
    failure.run,
    schedulers,
  );
  const expected = failure.documentRun?.traceHash ?? failure.traceHash;
  if (!summary.failed.includes(failure.kind))
    return { ok: false, problem: `the reproducer does not fail ${failure.kind} when replayed` };
  if (summary.traceHash !== expected)
    return { ok: false, problem: `the reproducer replays with trace ${summary.traceHash}, not ${expected}` };
  return { ok: true, traceHash: summary.traceHash };
}

function failingDetail(failure: ExploreFailure): string {
  const run = failure.documentRun!;
  if (failure.kind === "halted") return run.stopDetail;
  return run.verdicts.find((v) => v.property === failure.kind)?.detail ?? failure.detail;
}

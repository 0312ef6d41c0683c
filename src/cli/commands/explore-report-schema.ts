import * as z from "zod";
import { PROPERTY_NAMES } from "../../checks/types.js";
import {
  EXPLORE_REPORT_KIND,
  EXPLORE_REPORT_VERSION,
  type ExploreReport,
  exploreReportProblem,
  reportContradictions,
} from "../../explore/explore-report.js";
import { VARIANT_NAMES } from "../../scenario/variants.js";
import { count, type FileProblems, savedFileProblems, wholeFileProblem } from "./report-schema.js";

/**
 * The shape `aftershock merge` reads back: an explore report (`explore --json`), as a zod schema
 * of `ExploreReport` (`explore/explore-report.ts`). Merge adds and sums nested fields without
 * checking them, so a shard report is checked whole before anything is merged. Fields that
 * reports of earlier versions lack are optional here as they are in the type.
 */

const nullableCount = count.nullable();
const failureKind = z.enum(["halted", ...PROPERTY_NAMES]);
const shardStop = z.enum(["done", "failure", "time-budget", "interrupted"]);
const shardNumber = z.number().int().positive();
const ms = z.number().nonnegative();

const targetSchema = z.object({
  mode: z.enum(["scenario", "generated"]),
  scenario: z.string(),
  source: z.string().nullable(),
  variant: z.enum(VARIANT_NAMES).nullable(),
  seed: count,
  runs: count,
  properties: z.array(z.string()),
  propertiesLeftOut: z
    .array(z.object({ property: z.string(), index: count, variant: z.string() }))
    .optional(),
  constraints: z.record(z.string(), z.unknown()).nullable(),
  digest: z.string().nullable().optional(),
  digestFiles: z.array(z.string()).nullable().optional(),
  scheduler: z.object({ module: z.string(), name: z.string(), fixes: z.array(z.string()) }).optional(),
  aftershock: z.string().optional(),
});

const failureSchema = z.object({
  run: count,
  kind: failureKind,
  failed: z.array(failureKind),
  seed: count,
  generationSeed: nullableCount,
  detail: z.string(),
  traceHash: z.string(),
  reproducerSeed: nullableCount,
  reproducerTraceHash: z.string().nullable(),
  shrink: z.object({ runs: count, steps: count, exhausted: z.boolean() }).nullable(),
  reproducer: z.string().nullable(),
  replay: z.string().nullable(),
  reproducerNotWritten: z.string().nullable().optional(),
  reproducerMismatch: z.string().nullable().optional(),
  reproducerKept: z.string().nullable().optional(),
});

export const exploreReportSchema = z
  .object({
    kind: z.literal(EXPLORE_REPORT_KIND),
    version: z.literal(EXPLORE_REPORT_VERSION),
    target: targetSchema,
    shards: z.object({
      count: shardNumber,
      present: z.array(z.number().int()),
      missing: z.array(shardNumber),
    }),
    planned: count,
    completed: count,
    stoppedBy: z.enum([...shardStop.options, "mixed"]),
    shardStops: z
      .array(
        z.object({
          shard: shardNumber,
          report: z.string().nullable(),
          stoppedBy: shardStop,
          planned: count,
          completed: count,
        }),
      )
      .optional(),
    properties: z.record(z.string(), z.object({ checked: count, failed: count, exercised: count })),
    faultsFired: z.record(z.string(), count),
    faultsSkipped: z.record(z.string(), count).optional(),
    faultsPlanned: z.record(z.string(), count).optional(),
    faultsByKind: z
      .record(
        z.string(),
        z.object({
          planned: count,
          fired: count,
          acts: count,
          skipped: count,
          notFired: count,
          runs: count,
        }),
      )
      .optional(),
    faultPointsReached: count.optional(),
    failures: z.array(failureSchema),
    shrinkFailuresMax: count.optional(),
    failuresUnshrunk: count.optional(),
    kernelEvents: count,
    poolStartMs: ms,
    poolStartMsMax: ms.optional(),
    searchMs: ms,
    searchMsMax: ms.optional(),
    shrinkMs: ms,
    shrinkMsMax: ms.optional(),
    pool: z.object({ kind: z.string(), threads: count, note: z.string().nullable() }),
  })
  // Counts its other fields rule out, said where they are (`reportContradictions`).
  .superRefine((report, ctx) => {
    for (const c of reportContradictions(report))
      ctx.addIssue({ code: "custom", path: [...c.path], message: c.expected, input: c.found });
  });

/**
 * `value`, read from `file` (whose text is `text`), as an explore report; or the problems with it,
 * one line each naming the file, line, column and field: what it is not (another kind of file, a
 * version this one cannot read) before how it is malformed.
 */
export function readExploreReport(
  value: unknown,
  file: string,
  text: string,
): { ok: true; report: ExploreReport } | ({ ok: false } & FileProblems) {
  const problem = exploreReportProblem(value);
  if (problem !== null) return { ok: false, ...wholeFileProblem(file, problem) };
  const problems = savedFileProblems(exploreReportSchema, value, file, text, "explore report");
  // The value, not zod's copy of it: fields this version does not know pass through a merge.
  return problems === null ? { ok: true, report: value as ExploreReport } : { ok: false, ...problems };
}

/** The schema's reading of a report is an `ExploreReport`: a type error here when the two drift apart. */
export const asExploreReport: (parsed: z.output<typeof exploreReportSchema>) => ExploreReport = (parsed) =>
  parsed;

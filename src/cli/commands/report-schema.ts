import { isDeepStrictEqual } from "node:util";
import * as z from "zod";
import { stoppedEarly } from "../../checks/run-info.js";
import { PROPERTY_NAMES, type PropertyName } from "../../checks/types.js";
import type { ExpectationResult } from "../../explore/expectations.js";
import { plural, STOP_REASONS } from "../../kernel/index.js";
import { runName } from "../../report/html/model.js";
import type { RunReport } from "../../report/run-report.js";
import { PARTITIONS_MAX } from "../../scenario/defaults.js";
import { looksLikeGolden } from "../../scenario/golden-shape.js";
import { type PathKey, pathText } from "../../scenario/issue.js";
import { builtinFixes, expectedFixText } from "../../scenario/scheduler-fixes.js";
import { loadDocument } from "../../scenario/source-map.js";
import { resolveVariant, VARIANT_NAMES } from "../../scenario/variants.js";
import {
  COMPARISON_OPS,
  METRIC_PATHS,
  type MetricPath,
  SCHEDULER_VERSIONS,
} from "../../scenario/vocabulary.js";
import { WORKERS_MAX } from "../../world/config.js";
import {
  EVENT_FIELD_KINDS,
  type EventFields,
  type EventType,
  type FieldKind,
  type FieldSpec,
} from "../../world/events.js";
import type { InputProblem } from "../errors.js";

/**
 * The shapes `aftershock report` reads back: a RunReport (`run --json`), a comparison
 * (`compare --json`) and the `run.started` line of a trace, as zod schemas of the types in
 * `report/run-report.ts`, `checks/types.ts` and `world/events.ts`. The renderers read nested
 * fields without checking them, so a file is checked whole before anything is rendered.
 */

const isoTime = z.iso.datetime({ error: "an ISO time such as 2026-05-08T09:45:00.000Z" });
const isoOrNull = z.iso.datetime({ error: "an ISO time or null" }).nullable();
const COUNT_WORDS = "a safe integer ≥ 0 (a whole number up to 2^53 - 1)";
/** A whole number ≥ 0, said as such when it is not. */
export const count = z
  .number({ error: COUNT_WORDS })
  .int({ error: COUNT_WORDS })
  .nonnegative({ error: COUNT_WORDS });
/** Latest time a JavaScript Date can hold (ms since the epoch). */
export const TIME_MS_MAX = 8.64e15;
/** Whether t is a time in whole ms that a Date can hold, as the kernel's clock keeps it. */
export function isTimeMs(t: unknown): t is number {
  return Number.isInteger(t) && (t as number) >= 0 && (t as number) <= TIME_MS_MAX;
}
const timeMs = z
  .number({ error: "a time in ms since the epoch" })
  .refine(isTimeMs, { error: `a time in whole ms from 0 to ${TIME_MS_MAX} (a valid date)` });
const strings = z.array(z.string());
/** A whole number from 1 to `max` of `things`, said so whatever is wrong with it. */
function wholeFromOne(things: string, max: number) {
  const words = `a whole number of ${things} from 1 to ${max}`;
  return z.number().int({ error: words }).min(1, { error: words }).max(max, { error: words });
}
/** A fleet's size as a run has it (a scenario's fleet.workers). */
const fleetSize = wholeFromOne("workers", WORKERS_MAX);
/** A fleet's partitions as a run has them (a scenario's fleet.partitions). */
const partitionCount = wholeFromOne("partitions", PARTITIONS_MAX);
const SLO_WORDS = `an SLO in whole ms from 1 to ${Number.MAX_SAFE_INTEGER} (a scenario's slo)`;
/** An SLO as a scenario's `slo` gives it: a duration longer than 0, in whole ms. */
const sloMs = z
  .number({ error: SLO_WORDS })
  .refine((ms) => Number.isSafeInteger(ms) && ms > 0, { error: SLO_WORDS });

const deliveriesSchema = z.object({
  due: count,
  onTime: count,
  late: count,
  missed: count,
  duplicate: count,
  early: count.optional(),
  deadLettered: count.optional(),
  unowed: count.optional(),
  afterDeletion: count,
});

const metricsSchema = z.object({
  cascade: z.boolean(),
  cascadeDepth: count,
  panicDeaths: count,
  crashes: count,
  deliveries: deliveriesSchema,
  deletedSchedulesLeft: count,
  alertAt: isoOrNull,
  recoveredAt: isoOrNull,
  fixDeployAt: isoOrNull.optional(),
  workersMinUp: count,
  fullOutageMs: count,
  affectedAccounts: count,
  panicsRecovered: count,
  tasksQuarantined: count,
  firstPanicAt: isoOrNull,
  deletionAt: isoOrNull,
  lagP99MsMax: count,
  poisonSchedules: strings,
  cascadeWorkers: strings,
  unexpectedDues: count,
});

const verdictSchema = z.object({
  property: z.enum(PROPERTY_NAMES as [PropertyName, ...PropertyName[]]),
  ok: z.boolean(),
  detail: z.string(),
  events: z.array(z.number()),
  exercised: z.boolean().optional(),
});

const timelineEntrySchema = z.object({
  t: isoTime,
  seq: count,
  type: z.string(),
  worker: z.string().optional(),
  rule: z.string().optional(),
  text: z.string(),
});

const laneSchema = z.object({
  worker: z.string(),
  segments: z.array(
    z.object({
      from: timeMs,
      to: timeMs,
      state: z.enum(["serving", "starting", "backoff", "paused", "stopped"]),
      // Absent in a report saved before it was written, and on every segment not past the cap.
      merged: count.optional(),
    }),
  ),
  marks: z.array(
    z.object({
      t: timeMs,
      seq: count,
      kind: z.enum(["panic", "killed", "poison-handoff"]),
      schedule: z.string().optional(),
    }),
  ),
  truncated: count,
  // Absent in a report saved before it was written.
  crashes: count.optional(),
});

const column = z.array(z.number());
const seriesSchema = z
  .object({
    t: z.array(timeMs),
    fleet: column,
    workersUp: column,
    workersCrashLooping: column,
    crashesLastMinute: column,
    dueBacklog: column,
    // A lag is whole ms, as the sampler rounds it.
    lagP50Ms: z.array(count),
    lagP99Ms: z.array(count),
    samplesPerPoint: z.number().int().positive(),
    samples: count,
  })
  .superRefine((series, ctx) => {
    for (const [key, value] of Object.entries(series)) {
      if (Array.isArray(value) && value.length !== series.t.length)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `a list as long as series.t (${series.t.length} points)`,
          input: value,
        });
    }
  });

/**
 * A scheduler a run can name: a bundled one (`v1`), or a module by its path (`module:./x.mjs`,
 * `moduleSchedulerName`). The report's Reproduce line gives it to `run --scheduler`, which takes
 * nothing else.
 */
const schedulerName = z.string().refine((name) => builtinFixes(name) !== null || /^module:./.test(name), {
  error: `a bundled scheduler (${SCHEDULER_VERSIONS.join(", ")}) or a module (module:PATH)`,
});

const runReportShape = z.object({
  scenario: z.string(),
  seed: count,
  variant: z.object({ name: z.string().nullable(), scheduler: schedulerName, fixes: strings }),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/, { error: "a trace hash of 16 lowercase hex digits" }),
  events: count,
  metrics: metricsSchema,
  verdicts: z.array(verdictSchema),
  timeline: z.array(timelineEntrySchema),
  run: z
    .object({
      start: isoTime,
      end: isoTime,
      // A reason a run stops for, as a trace's run.finished names it.
      stopReason: z.enum(STOP_REASONS),
      detail: z.string(),
      kernelEvents: count,
      sloMs,
      workers: fleetSize,
      // Absent in a report saved before it was written: a run is judged unless it stopped early.
      judged: z.boolean().optional(),
    })
    .transform((run) => ({ ...run, judged: run.judged ?? !stoppedEarly(run.stopReason) })),
  lanes: z.array(laneSchema),
  // `firedFaults`, `skipped` and `planned` are absent in a report saved before they were written.
  faults: z
    .object({
      fired: z.record(z.string(), count),
      firedFaults: z.record(z.string(), count).optional(),
      probes: z.record(z.string(), count),
      skipped: z.record(z.string(), count).default({}),
      planned: z.record(z.string(), count).optional(),
      armed: z.record(z.string(), count).optional(),
    })
    .default({ fired: {}, probes: {}, skipped: {} }),
  description: z.string().default(""),
  sources: strings.default([]),
  assumptions: strings.default([]),
  series: seriesSchema.optional(),
});

export const runReportSchema = runReportShape.superRefine(checkRunTimes).superRefine(checkCounts);

/** An expectation of the scenario as parsed (`scenario/types.ts`'s Expectation). */
const expectationSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("metric"),
    variant: z.enum(VARIANT_NAMES),
    metric: z.enum(METRIC_PATHS as [MetricPath, ...MetricPath[]]),
    op: z.enum(COMPARISON_OPS),
    value: z.union([z.number(), z.boolean(), z.null()]),
    valueText: z.string().nullable(),
  }),
  z.object({
    kind: z.literal("property"),
    variant: z.enum(VARIANT_NAMES),
    property: z.enum(PROPERTY_NAMES as [PropertyName, ...PropertyName[]]),
    holds: z.boolean(),
  }),
]);

/** One expectation judged against a run (`explore/expectations.ts`'s ExpectationResult). */
const expectationResultSchema = z.object({
  expectation: expectationSchema,
  index: count,
  ok: z.boolean(),
  skipped: z.boolean(),
  name: z.string(),
  actual: z.string(),
  expected: z.string(),
  message: z.string(),
  notExercised: z.literal(true).optional(),
  notJudged: z.string().optional(),
});

/**
 * A run as `run --json` and each of `compare --json`'s variants give it: the RunReport and the
 * scenario's expectations of the run (absent in output saved before they were given).
 */
const savedRunSchema = runReportShape
  .extend({ expectations: z.array(expectationResultSchema).optional() })
  .superRefine(checkRunTimes)
  .superRefine(checkCounts);

/** A saved run: its report, and the expectations judged against it when the output holds them. */
export interface SavedRun {
  readonly report: RunReport;
  readonly expectations?: readonly ExpectationResult[];
}

/** The report and expectations of a run read back (`savedRunSchema`). */
function savedRun(parsed: z.output<typeof savedRunSchema>): SavedRun {
  const { expectations, ...report } = parsed;
  return { report: asRunReport(report), ...(expectations === undefined ? {} : { expectations }) };
}

/** Counts that bound others: a report that breaks them was not written by a run (an edit, a merge). */
function checkCounts(report: ParsedRunReport, ctx: z.core.$RefinementCtx<ParsedRunReport>): void {
  const m = report.metrics;
  const bound = (path: PathKey[], value: number, max: number, what: string) => {
    if (value > max)
      ctx.addIssue({ code: "custom", path, message: `at most ${what} (${max})`, input: value });
  };
  for (const key of ["onTime", "late", "missed"] as const)
    bound(["metrics", "deliveries", key], m.deliveries[key], m.deliveries.due, "deliveries.due");
  bound(
    ["metrics", "deliveries", "early"],
    m.deliveries.early ?? 0,
    m.deliveries.onTime,
    "deliveries.onTime",
  );
  bound(
    ["metrics", "deliveries", "deadLettered"],
    m.deliveries.deadLettered ?? 0,
    m.deliveries.missed,
    "deliveries.missed",
  );
  bound(["metrics", "panicDeaths"], m.panicDeaths, m.crashes, "crashes");
  // A lane counts its worker's crashes, at least the crosses it draws; the lanes, the run's.
  let laneCrashes = 0;
  report.lanes.forEach((lane, k) => {
    if (lane.crashes === undefined) return;
    laneCrashes += lane.crashes;
    if (lane.crashes < lane.marks.length)
      ctx.addIssue({
        code: "custom",
        path: ["lanes", k, "crashes"],
        message: `at least the lane's crash marks (${lane.marks.length})`,
        input: lane.crashes,
      });
  });
  const last = report.lanes.findLastIndex((lane) => lane.crashes !== undefined);
  if (last >= 0 && laneCrashes > m.crashes) {
    const own = report.lanes[last].crashes!;
    ctx.addIssue({
      code: "custom",
      path: ["lanes", last, "crashes"],
      message: `a count that, with the lanes before it (${laneCrashes - own}), is at most metrics.crashes (${m.crashes})`,
      input: own,
    });
  }
}

type ParsedRunReport = z.output<typeof runReportShape>;

/**
 * Every time of a report lies within its run (`run.start` to `run.end`), in order: the renderers
 * place lanes, marks and chart points on that span and would draw a wrong picture, or fail, if not.
 */
function checkRunTimes(report: ParsedRunReport, ctx: z.core.$RefinementCtx<ParsedRunReport>): void {
  const startMs = Date.parse(report.run.start);
  const endMs = Date.parse(report.run.end);
  const issue = (path: PathKey[], message: string, input: unknown) =>
    ctx.addIssue({ code: "custom", path, message, input });
  if (endMs < startMs) {
    issue(["run", "end"], `a time at or after run.start (${report.run.start})`, report.run.end);
    return;
  }
  const within = `a time in ms within the run (${startMs} to ${endMs}, run.start to run.end)`;
  const check = (path: PathKey[], t: number) => {
    // A time that is no date at all was reported by its own field's check.
    if (isTimeMs(t) && (t < startMs || t > endMs)) issue(path, within, t);
  };
  report.lanes.forEach((lane, i) => {
    lane.segments.forEach((segment, j) => {
      check(["lanes", i, "segments", j, "from"], segment.from);
      check(["lanes", i, "segments", j, "to"], segment.to);
      if (isTimeMs(segment.from) && segment.to < segment.from)
        issue(["lanes", i, "segments", j, "to"], `a time at or after its from (${segment.from})`, segment.to);
    });
    lane.marks.forEach((mark, j) => {
      check(["lanes", i, "marks", j, "t"], mark.t);
    });
  });
  const checkIso = (path: PathKey[], iso: string | null) => {
    const t = iso === null ? Number.NaN : Date.parse(iso);
    if (t < startMs || t > endMs)
      issue(path, `an ISO time within the run (${report.run.start} to ${report.run.end})`, iso);
  };
  for (const key of ["alertAt", "recoveredAt", "firstPanicAt", "deletionAt"] as const)
    checkIso(["metrics", key], report.metrics[key]);
  report.timeline.forEach((entry, k) => {
    checkIso(["timeline", k, "t"], entry.t);
  });
  if (report.metrics.fullOutageMs > endMs - startMs)
    issue(
      ["metrics", "fullOutageMs"],
      `at most the run's length (${endMs - startMs} ms)`,
      report.metrics.fullOutageMs,
    );
  // A bundled scheduler's fixes are its own (v1 has none): the Reproduce line gives them to run.
  const declared = builtinFixes(report.variant.scheduler);
  if (declared !== null)
    report.variant.fixes.forEach((fix, k) => {
      if (!declared.includes(fix))
        issue(["variant", "fixes", k], expectedFixText(report.variant.scheduler, declared), fix);
    });
  // A variant's name is its scheduler and fixes (the report's title and Reproduce line say it).
  const name = report.variant.name;
  if (name !== null) {
    const named = resolveVariant(name);
    if (named === null) issue(["variant", "name"], `a variant (${VARIANT_NAMES.join(", ")}) or null`, name);
    else if (
      named.scheduler !== report.variant.scheduler ||
      named.fixes.length !== report.variant.fixes.length ||
      named.fixes.some((f) => !report.variant.fixes.includes(f))
    )
      issue(
        ["variant", "name"],
        `the name of the variant that runs ${report.variant.scheduler} with ${report.variant.fixes.length === 0 ? "no fixes" : report.variant.fixes.join(", ")} (${name} is ${named.scheduler}${named.fixes.length === 0 ? " with no fixes" : ` + ${named.fixes.join(", ")}`}), or null`,
        name,
      );
  }
  const times = report.series?.t ?? [];
  times.forEach((t, k) => {
    check(["series", "t", k], t);
    if (k > 0 && t < times[k - 1])
      issue(["series", "t", k], `a time at or after the point before (${times[k - 1]})`, t);
  });
}

/** A trace event as a line of a trace holds it: the contract's four fields, and any others. */
const traceEventSchema = z.looseObject({
  t: z.number(),
  seq: count,
  type: z.string(),
  cause: z.number({ error: "a seq or null" }).int().nonnegative().nullable(),
});

/** Where two runs part; `variants` names them (absent in a comparison saved before it did). */
const divergenceSchema = z.object({
  variants: z.tuple([z.string(), z.string()]).optional(),
  index: count,
  t: timeMs,
  a: traceEventSchema.nullable(),
  b: traceEventSchema.nullable(),
  /** Absent in a comparison saved before it was given. */
  differs: strings.optional(),
});

/** Two runs one of which stopped early before they parted (`explore/compare.ts`'s StoppedFirst). */
const EARLY_STOP_WORDS = "a reason a run stops early for (max-events, wall-budget, stack-overflow, halted)";
const stoppedFirstSchema = z.object({
  variants: z.tuple([z.string(), z.string()]),
  stopped: z.string(),
  // Where a run that ran to its horizon ends is no stop: compare gives none for it.
  reason: z.string().refine(stoppedEarly, { error: EARLY_STOP_WORDS }),
  index: count,
  t: timeMs,
  /** Absent in a comparison saved before it was given. */
  both: z.boolean().optional(),
});

const comparisonShape = z.object({
  variants: z.array(savedRunSchema).min(1),
  divergence: divergenceSchema.nullable().default(null),
  /** Each run after the first and where it parts from the first (absent before they were listed). */
  divergences: z.array(divergenceSchema).optional(),
  /** Absent in a comparison saved before they were given: such a stop was listed as a divergence. */
  stoppedFirst: stoppedFirstSchema.nullable().optional(),
  stops: z.array(stoppedFirstSchema).optional(),
});

const comparisonSchema = comparisonShape
  .superRefine(({ variants, divergence, divergences, stoppedFirst, stops }, ctx) => {
    // Runs of one world: the report draws them on one time line, under one scenario and seed.
    const [first] = variants;
    // Each parting names the first run and a later one: the report finds a run's parting by them,
    // and says of a run it finds none for that it behaved as the first did.
    const names = variants.map((v) => runName(v as unknown as RunReport));
    const pairWanted = `the first run's name (${JSON.stringify(names[0])}) and a later one's (${names
      .slice(1)
      .map((n) => JSON.stringify(n))
      .join(", ")})`;
    divergences?.forEach((d, k) => {
      if (d.variants !== undefined && !namesPair(d.variants, names))
        ctx.addIssue({
          code: "custom",
          path: ["divergences", k, "variants"],
          message: pairWanted,
          input: d.variants,
        });
    });
    // So does each stop, and the run that stopped is one of its pair: the report says it of that run.
    stops?.forEach((stop, k) => {
      if (!namesPair(stop.variants, names))
        ctx.addIssue({
          code: "custom",
          path: ["stops", k, "variants"],
          message: pairWanted,
          input: stop.variants,
        });
      else if (!stop.variants.includes(stop.stopped))
        ctx.addIssue({
          code: "custom",
          path: ["stops", k, "stopped"],
          message: `one of its variants (${stop.variants.map((n) => JSON.stringify(n)).join(", ")})`,
          input: stop.stopped,
        });
      else {
        // The reason its run stopped for, which the report says the stop was for.
        const i = names.indexOf(stop.stopped);
        const own = variants[i].run.stopReason;
        if (stoppedEarly(stop.reason) && stop.reason !== own)
          ctx.addIssue({
            code: "custom",
            path: ["stops", k, "reason"],
            message: `the reason its run stopped for (variants[${i}].run.stopReason: ${JSON.stringify(own)})`,
            input: stop.reason,
          });
      }
    });
    checkFirstListed(ctx, names, "divergence", divergence, divergences, "divergences", "parting");
    checkFirstListed(ctx, names, "stoppedFirst", stoppedFirst, stops, "stops", "stop");
    variants.forEach((v, i) => {
      for (const key of ["scenario", "seed"] as const)
        if (i > 0 && v[key] !== first[key])
          ctx.addIssue({
            code: "custom",
            path: ["variants", i, key],
            message: `the first variant's ${key} (${JSON.stringify(first[key])}): a comparison is of one world`,
            input: v[key],
          });
    });
  })
  .superRefine(checkPartingTimes);

/** Whether a parting's or stop's pair of runs is the first run and a later one of `names`. */
function namesPair(pair: readonly [string, string], names: readonly string[]): boolean {
  return pair[0] === names[0] && names.slice(1).includes(pair[1]);
}

/**
 * The first divergence (or stop) is the first of the divergences (or stops) when that is the
 * second run's, and null when none is (compare writes both): the renderers read one or the
 * other, and would each tell a parting of its own. Not checked where the list is absent (a
 * comparison saved before it was given), nor where its first names runs not compared (said of
 * the list).
 */
function checkFirstListed<T extends { readonly variants?: readonly [string, string] }>(
  ctx: z.core.$RefinementCtx<z.output<typeof comparisonShape>>,
  names: readonly string[],
  field: "divergence" | "stoppedFirst",
  value: T | null | undefined,
  list: readonly T[] | undefined,
  listName: string,
  noun: string,
): void {
  if (value === undefined || list === undefined) return;
  const [listed] = list;
  if (listed?.variants !== undefined && !namesPair(listed.variants, names)) return;
  const second = listed !== undefined && (listed.variants === undefined || listed.variants[1] === names[1]);
  if (!isDeepStrictEqual(value, second ? listed : null))
    ctx.addIssue({
      code: "custom",
      path: [field],
      message: second
        ? `the same as ${listName}[0] (as compare writes it)`
        : `null, as ${listName} names no ${noun} of the second run (${JSON.stringify(names[1] ?? null)}) (as compare writes it)`,
      input: value,
    });
}

/**
 * Where runs part or one stops lies within the runs (the earliest `run.start` to the latest
 * `run.end`), as the rest of a saved report's times do: the report says it as a time of the run.
 */
function checkPartingTimes(
  comparison: z.output<typeof comparisonShape>,
  ctx: z.core.$RefinementCtx<z.output<typeof comparisonShape>>,
): void {
  const startMs = Math.min(...comparison.variants.map((v) => Date.parse(v.run.start)));
  const endMs = Math.max(...comparison.variants.map((v) => Date.parse(v.run.end)));
  const check = (path: PathKey[], t: number) => {
    if (isTimeMs(t) && (t < startMs || t > endMs))
      ctx.addIssue({
        code: "custom",
        path,
        message: `a time in ms within the runs (${startMs} to ${endMs}, run.start to run.end)`,
        input: t,
      });
  };
  const parting = (path: PathKey[], d: z.output<typeof divergenceSchema> | null | undefined) => {
    if (d === null || d === undefined) return;
    check([...path, "t"], d.t);
    for (const side of ["a", "b"] as const) {
      const e = d[side];
      if (e !== null) check([...path, side, "t"], e.t);
    }
  };
  parting(["divergence"], comparison.divergence);
  comparison.divergences?.forEach((d, k) => {
    parting(["divergences", k], d);
  });
  if (comparison.stoppedFirst) check(["stoppedFirst", "t"], comparison.stoppedFirst.t);
  comparison.stops?.forEach((stop, k) => {
    check(["stops", k, "t"], stop.t);
  });
}

/** The zod schema of a field kind of the events catalogue (`world/events.ts`). */
function fieldKindSchema(kind: FieldKind): z.ZodType {
  if (typeof kind !== "string") return z.enum(kind as readonly [string, ...string[]]);
  switch (kind) {
    case "string":
      return z.string();
    case "number":
      return z.number();
    case "boolean":
      return z.boolean();
    case "string|null":
      return z.string().nullable();
    case "number|null":
      return z.number().nullable();
    case "strings":
      return strings;
  }
}

function fieldSpecSchema(spec: FieldSpec): z.ZodType {
  return typeof spec === "object" && "optional" in spec
    ? fieldKindSchema(spec.optional).optional()
    : fieldKindSchema(spec as FieldKind);
}

/** Checks narrower than the catalogue's kind for some fields of an event type, of the declared type. */
export type NarrowerFields<K extends EventType> = {
  readonly [F in keyof EventFields[K]]?: z.ZodType<EventFields[K][F]>;
};

/**
 * A trace event of type `type` as `EVENT_FIELD_KINDS` declares it: every field of the catalogue,
 * of its kind, or as `narrower` checks it. The catalogue is the one list of the fields; a field
 * added there is checked here without a change.
 */
export function catalogueEventSchema<K extends EventType>(type: K, narrower: NarrowerFields<K> = {}) {
  const kinds = EVENT_FIELD_KINDS[type] as Readonly<Record<string, FieldSpec>>;
  const checks = narrower as Readonly<Record<string, z.ZodType | undefined>>;
  const shape = Object.fromEntries(
    Object.entries(kinds).map(([field, spec]) => [field, checks[field] ?? fieldSpecSchema(spec)]),
  );
  return traceEventSchema.extend({ type: z.literal(type), ...shape });
}

/**
 * The `run.started` line a report from a trace is built on: the catalogue's fields, the seed
 * a string of digits (a report's seed is a number), the fleet sizes and horizon what a run has,
 * the scheduler one `run` takes, with the fixes a bundled one has.
 */
export const runStartedSchema = catalogueEventSchema("run.started", {
  seed: z.string().regex(/^\d+$/, { error: "a seed as a string of digits" }),
  scheduler: schedulerName,
  workers: fleetSize,
  partitions: partitionCount,
  sloMs,
  horizon: timeMs,
}).superRefine((e, ctx) => {
  // Run only on a line whose fields have their kinds: the scheduler a string, the fixes strings.
  const { scheduler, fixes } = e as unknown as EventFields["run.started"];
  const declared = builtinFixes(scheduler);
  if (declared === null) return;
  fixes.forEach((fix, k) => {
    if (!declared.includes(fix))
      ctx.addIssue({
        code: "custom",
        path: ["fixes", k],
        input: fix,
        message: expectedFixText(scheduler, declared),
      });
  });
});

export type Comparison = z.output<typeof comparisonSchema>;

/** The schema's reading of a RunReport is a RunReport: a type error here when the two drift apart. */
export const asRunReport: (parsed: z.output<typeof runReportSchema>) => RunReport = (parsed) => parsed;

/** Every field path of a type, as `run.stopReason` (an array's items share its path). */
type FieldPaths<T> = T extends readonly (infer Item)[]
  ? FieldPaths<Item>
  : T extends object
    ? { [K in keyof T & string]-?: K | `${K}.${FieldPaths<NonNullable<T[K]>>}` }[keyof T & string]
    : never;

/** A type error unless both name the same fields; the one-way `asRunReport` misses optional ones. */
type SameFields<A, B extends [never, never]> = [A, B];

/**
 * The schema and RunReport name exactly the same fields, optional ones included: a field added to
 * RunReport and not here would be dropped from every report read back.
 */
export type RunReportFieldsMatch = SameFields<
  RunReport,
  [
    Exclude<FieldPaths<RunReport>, FieldPaths<z.output<typeof runReportSchema>>>,
    Exclude<FieldPaths<z.output<typeof runReportSchema>>, FieldPaths<RunReport>>,
  ]
>;

/** A saved RunReport or comparison, or the problems with it, one line each, naming the field. */
export function parseSavedReport(
  value: unknown,
  file: string,
  text: string,
):
  | { ok: true; comparison: Comparison | null; report: RunReport | null; runs: readonly SavedRun[] }
  | ({ ok: false } & FileProblems) {
  if (looksLikeGolden(value))
    return {
      ok: false,
      ...wholeFileProblem(
        file,
        "the golden trace hashes of `aftershock gate` (written by gate --update-golden), not a report; report takes the output of run --json or compare --json, or a --trace file",
      ),
    };
  const isComparison = typeof value === "object" && value !== null && "variants" in value;
  const schema = isComparison ? comparisonSchema : savedRunSchema;
  const shared = isComparison ? null : reportFieldsIn(value);
  if (shared !== null && shared.length * 2 < REPORT_FIELDS.length)
    return {
      ok: false,
      ...wholeFileProblem(
        file,
        `not a RunReport (run --json) or a comparison (compare --json): ${
          shared.length === 0
            ? `none of their fields (${REPORT_FIELDS.slice(0, 4).join(", ")}, …) is there`
            : `of the ${REPORT_FIELDS.length} fields every RunReport has, only ${shared.join(", ")} ${shared.length === 1 ? "is" : "are"} there`
        }`,
      ),
    };
  const parsed = schema.safeParse(value, { error: expectedText });
  if (parsed.success) {
    if (isComparison) {
      const comparison = parsed.data as Comparison;
      return { ok: true, comparison, report: null, runs: comparison.variants.map(savedRun) };
    }
    const run = savedRun(parsed.data as z.output<typeof savedRunSchema>);
    return { ok: true, comparison: null, report: run.report, runs: [run] };
  }
  const noun = isComparison ? "comparison (compare --json)" : "RunReport (run --json)";
  const located = positioner(text);
  return {
    ok: false,
    ...describeIssues(parsed.error.issues, value, (path) => ({ file, place: located(path) }), noun),
  };
}

/** The problems of a `run.started` event read from line `lineNo` of a trace, or null if none. */
export function checkRunStarted(value: unknown, file: string, lineNo: number, text: string): string | null {
  const parsed = runStartedSchema.safeParse(value, { error: expectedText });
  if (parsed.success) return null;
  const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ["run.started", ...issue.path] }));
  // The line is one JSON object: its column is the field's, its line the trace's `lineNo`.
  const located = positioner(text);
  const spot = (path: readonly PathKey[]): IssueSpot => ({
    file,
    place: { line: lineNo, column: located(path.slice(1))?.column ?? 1 },
  });
  return describeIssues(issues, { "run.started": value }, spot, "run.started event", { text: "error" })
    .message;
}

/**
 * The problems of `value`, a `noun` read from `file` (whose text is `text`), against `schema`:
 * one line each, `file:line:column: malformed <noun>: field: expected …, found …`, and each as
 * data at its place; null when there are none.
 */
export function savedFileProblems(
  schema: z.ZodType,
  value: unknown,
  file: string,
  text: string,
  noun: string,
): FileProblems | null {
  const parsed = schema.safeParse(value, { error: expectedText });
  if (parsed.success) return null;
  const located = positioner(text);
  const spot = (path: readonly PathKey[]): IssueSpot => ({ file, place: located(path) });
  return describeIssues(parsed.error.issues, value, spot, noun, { both: `malformed ${noun}` });
}

/**
 * The fields every RunReport has: not those with a default or optional, which other files share
 * (a package.json's or a JSON Schema's `description`).
 */
const REPORT_FIELDS = Object.entries(runReportShape.shape)
  .filter(([, field]) => !field.safeParse(undefined).success)
  .map(([key]) => key);

/**
 * Which of `REPORT_FIELDS` an object has (null for a value that is no object, left to the schema
 * to name). Fewer than half is another kind of file (a saved training session has the scenario,
 * seed and variant of its run), not a report with fields broken: its fields are not listed.
 */
function reportFieldsIn(value: unknown): string[] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  return REPORT_FIELDS.filter((key) => key in value);
}

/** Issues listed at most, one line each; the rest are counted. */
const ISSUES_LISTED_MAX = 8;

/** A problem of a file as a whole (what it is not), at no line of it: `file: message`. */
export function wholeFileProblem(file: string, message: string): FileProblems {
  return { message: `${file}: ${message}`, problems: [{ place: null, file, severity: "error", message }] };
}

/** Problems listed as data at most (`--json`), where the text lists `ISSUES_LISTED_MAX`. */
const PROBLEMS_DATA_MAX = 100;

/** Where an issue is: its file, and its line and column there when the text has them. */
interface IssueSpot {
  readonly file: string;
  readonly place: { readonly line: number; readonly column: number } | null;
}

/** A file's problems, said as text (one line each) and as data (each at its place). */
export interface FileProblems {
  readonly message: string;
  readonly problems: readonly InputProblem[];
}

/**
 * Each issue as `spot: lead: field: expected …, found …`, `lead` said in the text only when
 * `textLead` (a compiler's `error`), else in both.
 */
function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  value: unknown,
  spot: (path: readonly PathKey[]) => IssueSpot,
  noun: string,
  lead: { readonly text?: string; readonly both?: string } = {},
): FileProblems {
  const problems: InputProblem[] = issues.slice(0, PROBLEMS_DATA_MAX).map((issue) => {
    const path = issue.path as PathKey[];
    const found = describeFound(valueAt(value, path));
    const field = path.length === 0 ? `not a ${noun}` : pathText(path);
    const { file, place } = spot(path);
    return {
      place: place === null ? null : { file, ...place },
      file,
      severity: "error",
      message: `${lead.both === undefined ? "" : `${lead.both}: `}${field}: expected ${issue.message}, found ${found}`,
    };
  });
  const more = issues.length - PROBLEMS_DATA_MAX;
  // Of the same file as the rest: a reader that groups problems by file keeps it with them.
  if (more > 0)
    problems.push({
      place: null,
      file: spot([]).file,
      severity: "error",
      message: `(and ${plural(more, "more problem")})`,
    });
  const lines = problems.slice(0, ISSUES_LISTED_MAX).map(({ place, file, message }) => {
    const at = place === null ? `${file}` : `${file}:${place.line}:${place.column}`;
    return `${at}${lead.text === undefined ? "" : `: ${lead.text}`}: ${message}`;
  });
  const unlisted = issues.length - lines.length;
  if (unlisted > 0) lines.push(`(and ${plural(unlisted, "more problem")})`);
  return { message: lines.join("\n"), problems };
}

/** The line and column of a path in the JSON text (its nearest ancestor when missing), or null. */
function positioner(text: string): (path: readonly PathKey[]) => IssueSpot["place"] {
  let map: ((path: readonly PathKey[]) => IssueSpot["place"]) | null = null;
  return (path) => {
    if (map === null) {
      const loaded = loadDocument(text);
      map = loaded.ok ? (p) => loaded.map.nearest(p) : () => null;
    }
    return map(path);
  };
}

/** What zod's issue says was expected, in words: the message of every issue of these schemas. */
function expectedText(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `at least ${plural(Number(issue.minimum), "item")}`
        : `${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array"
        ? `at most ${plural(Number(issue.maximum), "item")}`
        : `${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}`;
    case "invalid_format":
      return `text in the ${issue.format} format`;
    default:
      return issue.message ?? "something else";
  }
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  record: "an object",
};

function valueAt(value: unknown, path: readonly PathKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PathKey, unknown>)[key];
  }
  return current;
}

/** A JSON value in a few words, for "found …". */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  return String(value);
}

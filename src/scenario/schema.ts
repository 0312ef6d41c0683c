import * as z from "zod";
import { BUNDLED_SCHEDULER_OPTIONS, optionRangeText } from "../schedulers/options.js";
import { WORKERS_MAX } from "../world/config.js";
import { CronError, parseCron } from "../world/cron.js";
import {
  BACKOFF_INITIAL_DEFAULT,
  BACKOFF_MAX_DEFAULT,
  CONCURRENCY_MAX,
  DEFAULT_CRON_MIX,
  DEPLOY_STEP_DELAY_MS_DEFAULT,
  FLEET_WORKERS_DEFAULT,
  HEARTBEAT_DEFAULT,
  LEASE_TTL_DEFAULT,
  PARTITIONS_MAX,
  REBALANCE_INTERVAL_DEFAULT,
  RESET_AFTER_DEFAULT,
  RETRIES_MAX,
  SAMPLE_INTERVAL_DEFAULT,
  SCHEDULES_PER_ACCOUNT_DEFAULT,
  SLO_DEFAULT,
  STARTUP_TIME_DEFAULT,
  STORE_LATENCY_DEFAULT,
} from "./defaults.js";
import {
  adviseBareNumber,
  DURATION_PATTERN,
  type DurationConstraints,
  formatDurationText,
  parseDuration,
  plainlyMilliseconds,
  SIGNED_DURATION_PATTERN,
} from "./duration.js";
import { describeValue, type IssueCode } from "./issue.js";
import { field, items } from "./raw-fields.js";
import { closest } from "./suggest.js";
import { AT_PATTERN, INSTANT_PATTERN, parseInstant, parseTimeRef } from "./time.js";
import { VARIANT_NAMES } from "./variants.js";
import {
  ALERT_METRICS,
  COMPARISON_OPS,
  METRIC_PATHS,
  PANIC_POINTS,
  PROPERTY_NAMES,
  SCHEDULER_FIXES,
  SCHEDULER_VERSIONS,
} from "./vocabulary.js";

export * from "./defaults.js";
/** Most workers a fleet may have, at the start and after a scale. */
export { WORKERS_MAX };

/**
 * The scenario input format as one zod schema: it validates documents, fills defaults and is
 * the source of the JSON Schema editors use (every field carries a description). It checks what
 * one field can check alone (types, ranges, duration and time syntax, cron expressions); what
 * needs several fields (times within the run, heartbeat shorter than the lease, ...) is in
 * `semantics.ts`. Durations and times stay text here; `normalise.ts` converts them.
 */

/** What the issue translator needs to know about a field beyond its zod type. */
export interface FieldInfo {
  /** What the field expects, as an issue says it: "a duration like 30s". */
  readonly expected: string;
  /** What the field is called in messages: "scheduler version". */
  readonly noun?: string;
  /** Why the field has its maximum, said after "too large" when a value passes it. */
  readonly whyMax?: string;
  /** A message and a fix for a wrong value, when there is an obvious one; `data` is the whole document. */
  readonly advise?: (
    input: unknown,
    data?: unknown,
  ) => { readonly message?: string; readonly suggestion?: string } | undefined;
  /**
   * For a union of mappings without a tag key: the keys that say which option a mapping is, one
   * per option, each a key of that option alone (`metric` or `property` for an expectation). A
   * mapping is judged as the option whose key it has, so its issues are that option's issues.
   */
  readonly kindKeys?: readonly string[];
}

/** Field metadata for issues; kept out of the global registry so it stays out of the JSON Schema. */
export const fieldInfo = z.registry<FieldInfo>();

/** The payload of our own custom issues: already in the shape of a scenario issue. */
export interface CustomIssueParams {
  readonly code: IssueCode;
  readonly message: string;
  readonly expected?: string;
  readonly suggestion?: string;
}

type Problem = { readonly message: string; readonly expected?: string; readonly suggestion?: string } | null;

/**
 * A check that validates a string with `validate` and reports with our issue code, saying what
 * was `expected` unless the problem says it (or, for none, that nothing needs saying).
 */
function textCheck(code: IssueCode, expected: string | undefined, validate: (text: string) => Problem) {
  return (payload: z.core.ParsePayload<string>): void => {
    const problem = validate(payload.value);
    if (problem === null) return;
    // A problem that says what was expected already (`expected an ISO instant ...`) is not told twice.
    const said = expected !== undefined && problem.message.includes(expected);
    const params: CustomIssueParams = { code, expected: said ? undefined : expected, ...problem };
    payload.issues.push({ code: "custom", input: payload.value, params });
  };
}

// ---------------------------------------------------------------------------------------------
// Field builders

interface DurationFieldConstraints extends DurationConstraints {
  /** The unit a bare number most likely meant, for the suggestion. */
  readonly bareUnit?: "ms" | "s";
}

function duration(description: string, constraints: DurationFieldConstraints = {}) {
  const expected = constraints.signed
    ? "a signed duration like 5s or -5s"
    : constraints.positive
      ? "a duration longer than 0, like 30s"
      : "a duration like 30s";
  return z
    .string()
    .check(
      textCheck("bad-duration", expected, (text) => {
        const parsed = parseDuration(text, constraints);
        return parsed.ok ? null : parsed;
      }),
    )
    .meta({
      description,
      pattern: constraints.signed ? SIGNED_DURATION_PATTERN : DURATION_PATTERN,
      examples: constraints.signed ? ["-5s", "2s"] : ["250ms", "30s", "5m", "1h30m"],
    })
    .register(fieldInfo, {
      expected,
      advise: (input) => {
        if (typeof input !== "number") return undefined;
        const advice = adviseBareNumber(input, constraints.bareUnit ?? "s");
        // `0` is not to be written `0s` where the duration must be longer than 0.
        const refused = advice.suggestion !== undefined && !parseDuration(advice.suggestion, constraints).ok;
        return refused ? { message: advice.message } : advice;
      },
    });
}

function at(description: string) {
  const expected = "an ISO instant, a time of day (09:44) or an offset (+14m)";
  return z
    .string()
    .check(
      textCheck("bad-time", expected, (text) => {
        const parsed = parseTimeRef(text);
        return parsed.ok ? null : parsed;
      }),
    )
    .meta({ description, pattern: AT_PATTERN, examples: ["09:44:30", "+14m30s", "2026-05-08T09:44:30Z"] })
    .register(fieldInfo, {
      expected,
      advise: (input) => (typeof input === "number" ? adviseNumericTime(input) : undefined),
    });
}

/**
 * A number where a time goes. A whole number of seconds in milliseconds (`720000`) is plainly an
 * offset from the start in the unit of the RunReport and the trace: its offset is suggested.
 */
function adviseNumericTime(n: number): { message: string; suggestion?: string } {
  const message = 'write the time as text, e.g. "09:44", "+14m" or an ISO instant';
  if (!plainlyMilliseconds(n)) return { message };
  return {
    message: `${message}; ${n} reads as milliseconds from the start`,
    suggestion: `+${formatDurationText(n)}`,
  };
}

function instant(description: string) {
  const expected = "an ISO instant in UTC like 2026-05-08T09:30:00Z";
  return z
    .string()
    .check(
      textCheck("bad-time", expected, (text) => {
        const parsed = parseInstant(text);
        return parsed.ok ? null : parsed;
      }),
    )
    .meta({ description, pattern: INSTANT_PATTERN, examples: ["2026-05-08T09:30:00Z"] })
    .register(fieldInfo, { expected });
}

function cron(description: string) {
  // Each problem says what is wrong, with an example only where one helps (`CronError`): a
  // generic "expected a cron expression" would repeat it.
  return z
    .string()
    .check(textCheck("bad-cron", undefined, cronProblem))
    .meta({ description, examples: ["* * * * *", "*/5 * * * *", "CRON_TZ=America/New_York 0 9 * * *"] })
    .register(fieldInfo, { expected: 'a cron expression like "*/5 * * * *"' });
}

/** Validation results by expression: thousands of schedules share a handful of expressions. */
const cronProblems = new Map<string, Problem>();
const CRON_PROBLEMS_MAX = 4096;

/** What is wrong with a cron expression, or null; croner does the checking. */
function cronProblem(text: string): Problem {
  const known = cronProblems.get(text);
  if (known !== undefined) return known;
  let problem: Problem = null;
  try {
    parseCron(text);
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    const { expected, suggestion, zone } = error.advice;
    const near = zone === undefined ? undefined : closest(zone, Intl.supportedValuesOf("timeZone"));
    const fixed =
      near === undefined ? suggestion : `"${text.trim().replace(`CRON_TZ=${zone}`, `CRON_TZ=${near}`)}"`;
    problem = { message: `bad cron expression: ${error.message}`, expected, suggestion: fixed };
  }
  if (cronProblems.size >= CRON_PROBLEMS_MAX) cronProblems.clear();
  cronProblems.set(text, problem);
  return problem;
}

const ID_EXPECTED = "an id of ASCII letters, digits, _ and -";
/**
 * Graphemes of an id, so a letter and its accent (`e` and U+0301) are named together. Made at the
 * first id refused: a segmenter loads its data (about 20 ms), which every command and worker
 * thread that loads this module would pay at its start.
 */
let idGraphemes: Intl.Segmenter | null = null;
function identifier(description: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .meta({ description })
    .register(fieldInfo, {
      expected: ID_EXPECTED,
      advise: (input) => {
        if (typeof input !== "string") return undefined;
        // Spaces and punctuation become `-` (`my acct` → `my-acct`); a letter, digit or symbol
        // outside ASCII (`é`, `日`, `🔥`) is part of the name, and dropping it (`acct-é` or
        // `acct-🔥` → `acct`) names another id: it is named instead, as what an id may not hold.
        const written = input.trim();
        idGraphemes ??= new Intl.Segmenter("en", { granularity: "grapheme" });
        const lost = [...idGraphemes.segment(written)].find(({ segment }) =>
          /[^\p{ASCII}]/u.test(segment.replace(/[\p{P}\p{Z}\p{C}]/gu, "")),
        );
        if (lost !== undefined)
          return {
            message: `the id holds ${describeValue(lost.segment)}, which is not an ASCII letter, digit, _ or -`,
          };
        const fixed = written.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
        return /[A-Za-z0-9]/.test(fixed) ? { suggestion: fixed } : undefined;
      },
    });
}

function workerRef(description: string) {
  return z
    .string()
    .regex(/^(w[1-9][0-9]*|random)$/)
    .meta({ description, examples: ["w3", "random"] })
    .register(fieldInfo, {
      expected: 'a worker id like "w3", or "random"',
      advise: workerRefAdvice,
    });
}

/** Workers are `w1`, `w2`, …: the world looks an id up as written, so `w01` and `w0` name none. */
function workerRefAdvice(
  input: unknown,
  data?: unknown,
): { message?: string; suggestion?: string } | undefined {
  // A number (or its digits) is the worker's number written without its `w`: one from 1 has its
  // id, when the fleet ever has that many workers.
  const number =
    typeof input === "number"
      ? input
      : typeof input === "string" && /^\s*\d+\s*$/.test(input)
        ? Number(input)
        : null;
  if (number !== null) {
    if (!(Number.isSafeInteger(number) && number >= 1)) return undefined;
    const fleet = workerNumbers(data);
    if (fleet === null || number <= fleet.most) return { suggestion: `w${number}` };
    return {
      message:
        fleet.most === fleet.initial
          ? `there is no worker ${number}: workers are numbered from w1 to w${fleet.most}`
          : `there is no worker ${number}: the fleet starts with w1 to w${fleet.initial}, and its scales add at most ${fleet.most - fleet.initial} more`,
    };
  }
  const digits = typeof input === "string" ? /^w(0\d*)$/.exec(input.trim())?.[1] : undefined;
  if (digits === undefined) return undefined;
  const n = Number(digits);
  if (n === 0)
    return {
      message: `there is no worker ${describeValue(input)}: workers are numbered from w1`,
      suggestion: "w1",
    };
  return {
    message: `worker ${describeValue(input)} is written with a leading zero: workers are w1, w2, …`,
    suggestion: `w${n}`,
  };
}

/**
 * The fleet's first workers, and the highest worker number the document's fleet can reach (`fleet.workers`, or the default, and
 * what each `scale` may add: numbers are never reused, so a scale down then up adds new ones), or
 * null when a count is not a whole number (the schema's to report). The scales are taken in any
 * order, so it is a bound: a number past it names no worker at any seed.
 */
function workerNumbers(data: unknown): { readonly initial: number; readonly most: number } | null {
  const fleet = field(data, "fleet");
  const initial = field(fleet, "workers") ?? FLEET_WORKERS_DEFAULT;
  const counts: unknown[] = [initial];
  for (const entry of items(field(data, "timeline")))
    if (field(entry, "action") === "scale") counts.push(field(entry, "workers"));
  if (!counts.every((c) => typeof c === "number" && Number.isSafeInteger(c) && c >= 0)) return null;
  return { initial: initial as number, most: (counts as number[]).reduce((a, b) => a + b, 0) };
}

function fraction(description: string) {
  return z
    .number()
    .min(0)
    .max(1)
    .meta({ description })
    .register(fieldInfo, { expected: "a number from 0 to 1" });
}

function count(description: string, min: number, max: number) {
  return z.int().min(min).max(max).meta({ description });
}

function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  noun: string,
  description: string,
  advise?: FieldInfo["advise"],
) {
  return z
    .enum(values)
    .meta({ description })
    .register(fieldInfo, { expected: `one of ${values.join(", ")}`, noun, advise });
}

/**
 * The lists of a report's metrics, shown but not gated (an expectation compares one value), and
 * the metrics that gate what each shows.
 */
const SHOWN_NOT_GATED: Readonly<Record<string, { readonly instead: string; readonly suggestion?: string }>> =
  {
    cascadeWorkers: {
      instead: "gate how many workers the cascade reached with cascadeDepth",
      suggestion: "cascadeDepth",
    },
    poisonSchedules: { instead: "gate panicDeaths, cascadeDepth or tasksQuarantined" },
  };

function adviseMetric(input: unknown): { message: string; suggestion?: string } | undefined {
  if (typeof input !== "string" || !Object.hasOwn(SHOWN_NOT_GATED, input)) return undefined;
  const { instead, suggestion } = SHOWN_NOT_GATED[input];
  return { message: `${input} is a list the reports show, not a metric to gate: ${instead}`, suggestion };
}

/** Comparison operators people write by habit from other languages. */
const OP_SPELLINGS: Readonly<Record<string, string>> = {
  "=": "==",
  "===": "==",
  "!==": "!=",
  "<>": "!=",
  "=>": ">=",
  "=<": "<=",
};

function comparison(description: string) {
  return z
    .enum(COMPARISON_OPS)
    .meta({ description })
    .register(fieldInfo, {
      expected: `one of ${COMPARISON_OPS.join(" ")}`,
      noun: "comparison",
      advise: (input) =>
        typeof input === "string" && OP_SPELLINGS[input] ? { suggestion: OP_SPELLINGS[input] } : undefined,
    });
}

function text(description: string) {
  return z.string().min(1).meta({ description });
}

// ---------------------------------------------------------------------------------------------
// Sections

const supervisorSchema = z
  .strictObject({
    backoffInitial: duration("First restart delay after a crash (CrashLoopBackOff).").default(
      BACKOFF_INITIAL_DEFAULT,
    ),
    backoffMax: duration("Cap of the doubling restart delay.").default(BACKOFF_MAX_DEFAULT),
    resetAfter: duration("A worker up this long without crashing has its back-off reset.").default(
      RESET_AFTER_DEFAULT,
    ),
  })
  .meta({ description: "How crashed workers are restarted, like Kubernetes CrashLoopBackOff." });

const fleetSchema = z
  .strictObject({
    workers: count("Worker processes at the start.", 1, WORKERS_MAX).default(FLEET_WORKERS_DEFAULT),
    partitions: count(
      "Partitions schedules hash into; each is leased by at most one worker.",
      1,
      PARTITIONS_MAX,
    ).default(32),
    leaseTtl: duration("How long a partition lease lasts unless renewed.", { positive: true }).default(
      LEASE_TTL_DEFAULT,
    ),
    heartbeat: duration(
      "How often a worker renews its leases; must be shorter than leaseTtl, by more than the store's slowest call (store.latency × 1.5), since each renewal lands a store call after its heartbeat; validate warns of less (lease-margin).",
      {
        positive: true,
      },
    ).default(HEARTBEAT_DEFAULT),
    rebalanceInterval: duration("How often a worker tries to acquire free or expired leases.", {
      positive: true,
    }).default(REBALANCE_INTERVAL_DEFAULT),
    startupTime: duration("Time from process start to serving.").default(STARTUP_TIME_DEFAULT),
    concurrency: count("Task goroutines per worker.", 1, CONCURRENCY_MAX).default(64),
    supervisor: supervisorSchema.prefault({}),
    shutdownGrace: duration(
      "How long a worker stopped by a deploy, a restart or a scale-down waits for its tasks under way to finish before it releases its leases and exits, like Kubernetes' terminationGracePeriodSeconds.",
    ).default("30s"),
  })
  .meta({ description: "The worker fleet, lease-based ownership and the supervisor." });

/**
 * A fix flag. Which names exist depends on the scheduler: the bundled ones have
 * `SCHEDULER_FIXES` (checked with the other fields, `scheduler-fixes.ts`), a user module has the
 * fixes it declares, known only once it is loaded (the parser does no I/O), so any name is
 * accepted here and the CLI checks it against the module.
 */
const schedulerFix = z
  .string()
  .min(1)
  .meta({
    description: `A fix flag: ${SCHEDULER_FIXES.join(" or ")} for the bundled schedulers; with \`module\`, one the module declares.`,
    examples: [...SCHEDULER_FIXES],
  })
  .register(fieldInfo, { expected: "a fix name", noun: "fix" });

const schedulerFixes = z
  .array(schedulerFix)
  .default([])
  .meta({
    description: `Fix flags to switch on: ${SCHEDULER_FIXES.join(", ")} for v1/v2 (v1 has none); the fixes a module declares for \`module\`.`,
  });

/**
 * For editors: where no `module` is named the scheduler is a bundled one (`version`, v2 when
 * left out; a deploy's `scheduler`), whose fixes are `SCHEDULER_FIXES`, so the JSON Schema
 * gives them as an enum there (`if`/`then`, which editors follow for completion) while a module's
 * fixes stay free names; and whose options, where numbers, are refused below their least and, for
 * a count, when not whole or beyond its most, while a value that is no number is only warned of.
 * The parser checks both itself (`scheduler-fixes.ts`, `scheduler-options.ts`); this only
 * describes the same rules.
 */
const bundledFixesUnlessModule = {
  if: { not: { required: ["module"] } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword; this object is never awaited.
  then: {
    properties: {
      fixes: { items: { enum: [...SCHEDULER_FIXES] } },
      options: {
        properties: Object.fromEntries(
          Object.entries(BUNDLED_SCHEDULER_OPTIONS).map(([name, o]) => [
            name,
            {
              if: { type: "number" },
              // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, as above.
              then: { type: o.whole ? "integer" : "number", minimum: o.min, maximum: o.max },
            },
          ]),
        ),
      },
    },
  },
};

/** What the bundled schedulers take of each option: `tickMs (a number, 1 or more)`. */
const bundledOptionsText = Object.entries(BUNDLED_SCHEDULER_OPTIONS)
  .map(([name, o]) => `${name} (${optionRangeText(o)})`)
  .join(", ");

const schedulerOptions = z
  .record(z.string(), z.union([z.number(), z.string(), z.boolean()]))
  .default({})
  .meta({
    description: `Options handed to the scheduler: the bundled ones read ${bundledOptionsText}; a module's are its own (numbers, strings, booleans).`,
  });

const schedulerSchema = z
  .strictObject({
    version: oneOf(
      SCHEDULER_VERSIONS,
      "scheduler version",
      "Built-in scheduler: v1 (legacy) or v2 (Apr 24). Default v2.",
    ).optional(),
    module: text(
      "Path of a user scheduler module (relative to the scenario file), instead of `version`.",
    ).optional(),
    fixes: schedulerFixes,
    options: schedulerOptions,
  })
  .check((payload) => {
    if (payload.value.version !== undefined && payload.value.module !== undefined) {
      payload.issues.push(conflict(payload.value, ["module"], "give either `version` or `module`, not both"));
    }
  })
  .meta({
    description: "The scheduler the world starts with; variants override it.",
    ...bundledFixesUnlessModule,
    // For editors: `version` or `module`, not both, as the check above says.
    not: { required: ["version", "module"] },
  })
  .register(fieldInfo, {
    expected: "a mapping: { version: v2, fixes: [...] } or { module: ./mine.mjs }",
    // A deploy names its scheduler as `scheduler: v2`; the top level's is a mapping.
    advise: (input) =>
      typeof input === "string" && (SCHEDULER_VERSIONS as readonly string[]).includes(input)
        ? {
            message: "wrong type: the scenario's scheduler is a mapping (a deploy's is a name)",
            suggestion: `{ version: ${input} }`,
          }
        : undefined,
  });

const storeSchema = z
  .strictObject({
    latency: duration("Mean latency of a store call.", { bareUnit: "ms" }).default(STORE_LATENCY_DEFAULT),
    failureRate: fraction("Probability that a store call fails.").default(0),
  })
  .meta({ description: "The state store (Redis-like)." });

/**
 * The largest weight of one cron expression. The draw sums the weights: two of 1e308 made the
 * sum Infinity and every schedule the last expression. Any mix can be written in weights up to a
 * million, and a sum of them stays an exact integer.
 */
const CRON_WEIGHT_MAX = 1_000_000;

const cronMixSchema = z
  .strictObject({
    expr: cron("Cron expression, UTC unless prefixed with CRON_TZ=<zone>."),
    weight: z
      .number()
      .positive()
      .max(CRON_WEIGHT_MAX)
      .meta({ description: "Relative weight in the mix." })
      .register(fieldInfo, {
        expected: `a number above 0, at most ${CRON_WEIGHT_MAX}`,
        whyMax: `weights only set the proportions of the mix, and past ${CRON_WEIGHT_MAX} their sum loses precision or overflows, which skews the draw; scale them down together`,
      })
      .default(1),
  })
  .meta({ description: "One cron expression of the generated mix." });

const namedScheduleSchema = z.strictObject({
  id: identifier("Schedule id."),
  cron: cron("Cron expression, UTC unless prefixed with CRON_TZ=<zone>."),
  destination: text("Destination URL (optional; a default endpoint otherwise).").optional(),
});

const namedAccountSchema = z
  .strictObject({
    id: identifier("Account id."),
    schedules: z.array(namedScheduleSchema).default([]).meta({ description: "Its schedules." }),
  })
  .meta({ description: "An account with a fixed id, for the timeline and faults to refer to." });

const workloadSchema = z
  .strictObject({
    accounts: count("Generated accounts (besides the named ones).", 0, 100_000_000).default(0),
    schedulesPerAccount: z
      .strictObject({
        min: count("Fewest schedules per generated account.", 0, 100_000).default(
          SCHEDULES_PER_ACCOUNT_DEFAULT.min,
        ),
        max: count("Most schedules per generated account.", 0, 100_000).default(
          SCHEDULES_PER_ACCOUNT_DEFAULT.max,
        ),
      })
      // A min above max is checked with the other fields (`semantics.ts`), which know which one was written.
      .prefault({})
      .meta({ description: "Schedules per generated account, uniform in [min, max]." }),
    cron: z
      .array(cronMixSchema)
      .min(1)
      .default([...DEFAULT_CRON_MIX])
      .meta({ description: "Cron expressions of generated schedules, drawn by weight." }),
    destination: z
      .strictObject({
        latency: duration("Mean response time of a destination.", { bareUnit: "ms" }).default("80ms"),
        jitter: fraction("Latency is uniform in latency × [1 − jitter, 1 + jitter].").default(0.5),
        failureRate: fraction("Probability that a delivery attempt fails.").default(0),
        timeout: duration("Delivery attempt timeout.", { positive: true }).default("30s"),
      })
      .prefault({})
      .meta({ description: "The HTTP endpoints schedules deliver to." }),
    retries: count("Delivery retries after the first attempt (QStash default 3).", 0, RETRIES_MAX).default(3),
    named: z.array(namedAccountSchema).default([]).meta({ description: "Accounts with fixed ids." }),
  })
  .meta({ description: "Accounts and schedules in the store at the start." });

// ---------------------------------------------------------------------------------------------
// Timeline, faults

const atField = at(
  "When: an ISO instant, a time of day on the start's date (09:44:30), or +offset from the start.",
);
const accountRef = identifier("Account id.");
const scheduleRef = identifier("Schedule id.");

function action<const N extends string, S extends z.core.$ZodLooseShape>(
  name: N,
  description: string,
  shape: S,
) {
  return z.strictObject({ at: atField, action: z.literal(name), ...shape }).meta({ description });
}

/**
 * For editors: a deploy's `bundled: true` goes with `scheduler: v2` alone, refused with `module`
 * and with `scheduler: v1`, as the check above refuses it (`allOf`, beside the fixes' `if`/`then`).
 * A `bundled: true` that names neither is refused too, as the parser refuses a deploy that names
 * nothing it deploys.
 */
const bundledGoesWithV2 = {
  if: { properties: { bundled: { const: true } }, required: ["bundled"] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword; this object is never awaited.
  then: {
    properties: { scheduler: { const: "v2" } },
    required: ["scheduler"],
    not: { required: ["module"] },
  },
};

const deployAction = action(
  "deploy",
  "Roll a scheduler version and fixes over the fleet, one worker at a time.",
  {
    scheduler: oneOf(
      SCHEDULER_VERSIONS,
      "scheduler version",
      "Built-in scheduler to deploy: v1 or v2.",
    ).optional(),
    module: text("Path of a user scheduler module to deploy, instead of `scheduler`.").optional(),
    bundled: z.boolean().optional().meta({
      description:
        "With scheduler: v2, deploy the bundled v2 even where a scheduler module stands for v2 (a scenario whose `scheduler` is a module, or a run with --scheduler MODULE), which every other deploy of v2 deploys.",
    }),
    fixes: schedulerFixes,
    options: schedulerOptions.meta({
      description:
        "Options laid over those the fleet runs with, for the workers this deploy starts: the keys given take these values, the others stay (numbers, strings, booleans).",
    }),
    stepDelay: duration(
      "Pause before the next worker of the rollout: after the replaced worker, if it was serving, is ready again.",
    ).default(`${DEPLOY_STEP_DELAY_MS_DEFAULT / 1000}s`),
  },
)
  .check((payload) => {
    const { scheduler, module, bundled } = payload.value;
    if (scheduler !== undefined && module !== undefined) {
      payload.issues.push(conflict(module, ["module"], "give either `scheduler` or `module`, not both"));
    } else if (module !== undefined && bundled === true) {
      payload.issues.push(
        conflict(bundled, ["bundled"], "`bundled: true` goes with `scheduler: v2`: a module is not bundled"),
      );
    } else if (scheduler === "v1" && bundled === true) {
      payload.issues.push(
        conflict(bundled, ["bundled"], "`bundled: true` goes with `scheduler: v2`: no module stands for v1"),
      );
    } else if (scheduler === undefined && module === undefined) {
      const params: CustomIssueParams = {
        code: "missing-key",
        message: "a deploy names what it deploys: `scheduler` (v1 or v2) or `module`",
        expected: "scheduler: v1 | v2",
      };
      payload.issues.push({ code: "custom", input: payload.value, path: ["scheduler"], params });
    }
  })
  .meta({
    ...bundledFixesUnlessModule,
    // For editors, as the check above: `scheduler` or `module`, one of them and not both.
    allOf: [bundledGoesWithV2, { not: { required: ["scheduler", "module"] } }],
    anyOf: [{ required: ["scheduler"] }, { required: ["module"] }],
  });

const actionSchema = z
  .discriminatedUnion("action", [
    action("delete-account", "Delete an account (and, eventually, its schedules).", { account: accountRef }),
    action("create-account", "Create an account.", { account: accountRef }),
    action("create-schedule", "Create a schedule.", {
      schedule: scheduleRef,
      account: accountRef,
      cron: cron("Cron expression, UTC unless prefixed with CRON_TZ=<zone>."),
      destination: text("Destination URL.").optional(),
    }),
    action("delete-schedule", "Delete a schedule.", { schedule: scheduleRef }),
    action("pause-schedule", "Pause (or resume) a schedule.", {
      schedule: scheduleRef,
      paused: z.boolean().default(true).meta({ description: "true pauses, false resumes." }),
    }),
    action("quarantine-schedule", "Quarantine a schedule (a runbook mitigation).", { schedule: scheduleRef }),
    deployAction,
    action("kill-worker", "Kill a worker process (the supervisor restarts it).", {
      worker: workerRef("Worker id (w1, w2, ...: numbered from 1) or random."),
    }),
    action("pause-worker", "Stop a worker for a while (SIGSTOP).", {
      worker: workerRef("Worker id or random."),
      duration: duration("How long.", { positive: true }),
    }),
    action("scale", "Change the number of workers.", {
      workers: count("Workers after scaling.", 0, WORKERS_MAX),
    }),
    action("restart-worker", "Restart a worker process.", { worker: workerRef("Worker id or random.") }),
  ])
  .register(fieldInfo, { expected: "an operator action", noun: "action" });

function fault<const N extends string, S extends z.core.$ZodLooseShape>(
  name: N,
  description: string,
  shape: S,
) {
  return z.strictObject({ at: atField, fault: z.literal(name), ...shape }).meta({ description });
}

const faultSchema = z
  .discriminatedUnion("fault", [
    fault("kill-worker", "Kill a worker process.", { worker: workerRef("Worker id or random.") }),
    fault("pause-worker", "Freeze a worker (GC pause, SIGSTOP).", {
      worker: workerRef("Worker id or random."),
      duration: duration("How long.", { positive: true }),
    }),
    fault("store-latency", "Add latency to every store call.", {
      duration: duration("How long.", { positive: true }),
      latency: duration("Extra latency per call.", { bareUnit: "ms" }),
    }),
    fault("store-outage", "Make every store call fail.", {
      duration: duration("How long.", { positive: true }),
    }),
    fault(
      "clock-skew",
      "Skew a worker's wall clock (rt.now(): due times, so what it claims as due: set back, it fires late; set ahead, early); its monotonic clock (rt.monotonicMs(): intervals) keeps time. The host's clock: it stays through restarts.",
      {
        worker: workerRef("Worker id or random."),
        skew: duration(
          "Signed skew, e.g. -5s; a later skew of the worker replaces it, 0s sets the clock right.",
          {
            signed: true,
          },
        ),
        duration: duration(
          "How long the clock stays wrong; to the end of the run if absent (the run then has no quiet period after it).",
          { positive: true },
        ).optional(),
      },
    ),
    fault("inject-panic", "Throw inside tasks at a named point (BUGGIFY).", {
      point: oneOf(PANIC_POINTS, "panic point", "Where in the task to throw."),
      schedule: identifier("Only tasks of this schedule.").optional(),
      account: identifier("Only tasks of this account.").optional(),
      probability: fraction("Probability that a matching task throws.").default(1),
      count: count("How many panics at most.", 1, 1_000_000).default(1),
    }),
    fault(
      "hang",
      "Make the next task of a schedule block before its delivery, for good or for a while. Its worker keeps renewing the partition's lease, so the schedule stalls until the task returns or the lease moves (a crash, a kill, a pause past the lease, a stop that gives up waiting).",
      {
        schedule: scheduleRef,
        duration: duration("How long the task blocks; for good if absent.", { positive: true }).optional(),
      },
    ),
    fault("http-errors", "Make deliveries fail with an HTTP status.", {
      duration: duration("How long.", { positive: true }),
      rate: fraction("Fraction of deliveries that fail."),
      status: count("HTTP status returned.", 400, 599).default(503),
      account: identifier(
        "Only deliveries of this account's messages (its own destination is down); every account's if absent.",
      ).optional(),
    }),
    fault("http-timeouts", "Make deliveries time out.", {
      duration: duration("How long.", { positive: true }),
      rate: fraction("Fraction of deliveries that time out."),
      account: identifier(
        "Only deliveries of this account's messages (its own destination hangs); every account's if absent.",
      ).optional(),
    }),
  ])
  .register(fieldInfo, { expected: "a fault", noun: "fault" });

// ---------------------------------------------------------------------------------------------
// Observability, narrative, expectations

const alertSchema = z
  .strictObject({
    name: text("Alert name."),
    metric: oneOf(ALERT_METRICS, "alert metric", "Sampled metric the rule watches."),
    op: comparison("Comparison with the threshold."),
    threshold: z
      // The string is read as a duration with the metric in view (semantics), as an expectation's value is.
      .union([
        z.number(),
        z.string().meta({
          description: "A duration, for a metric in milliseconds (lagP50Ms, lagP99Ms).",
          pattern: DURATION_PATTERN,
        }),
      ])
      .meta({
        description:
          "Threshold: a number, or for a metric in milliseconds (lagP50Ms, lagP99Ms) a duration like 60s, as an expectation's value of a duration metric.",
      })
      .register(fieldInfo, { expected: "a number, or a duration like 60s for lagP50Ms or lagP99Ms" }),
    for: duration(
      "How long the rule must hold, at every sample from the first that holds, before it fires (as Prometheus's `for`); without it, the first sample that holds fires it.",
    ).optional(),
  })
  .meta({ description: "An alert rule evaluated at every sample." });

const chapterSchema = z
  .strictObject({
    at: atField,
    title: text("Chapter title."),
    text: z.string().meta({ description: "What the facilitator reads out." }),
    question: text("A question for the trainees.").optional(),
  })
  .meta({ description: "A chapter of the training narrative." });

const variantField = oneOf(VARIANT_NAMES, "variant", "The variant the expectation is about.");

const metricExpectation = z
  .strictObject({
    variant: variantField,
    metric: oneOf(
      METRIC_PATHS as unknown as [string, ...string[]],
      "metric",
      "A dotted path into the report's metrics.",
      adviseMetric,
    ),
    op: comparison("Comparison with the value."),
    value: z
      .union([z.number(), z.boolean(), z.null(), z.string()])
      .meta({ description: "A number, a boolean, null, a time (compared as ms) or a duration." })
      .register(fieldInfo, { expected: "a number, boolean, null, time or duration" }),
  })
  .meta({ description: "A metric of the variant's run compared with a value." });

const propertyExpectation = z
  .strictObject({
    variant: variantField,
    property: oneOf(PROPERTY_NAMES, "property", "A named property."),
    holds: z.boolean().default(true).meta({ description: "Whether the property must hold (default true)." }),
  })
  .meta({ description: "A named property that must (or must not) hold for the variant." });

const expectationSchema = z.union([metricExpectation, propertyExpectation]).register(fieldInfo, {
  expected: "a mapping with `metric`, `op` and `value`, or with `property` and `holds`",
  noun: "expectation",
  kindKeys: ["metric", "property"],
});

const limitsSchema = z
  .strictObject({
    maxEvents: count(
      "Most simulator events one run may process (run.kernelEvents: timers, goroutine steps and store calls, 1.2 to 4 per trace event).",
      1,
      Number.MAX_SAFE_INTEGER,
    ).default(50_000_000),
    wallBudget: duration("Most real time one run may take.", { positive: true }).default("10m"),
  })
  .meta({ description: "Per-run caps." });

const DEFAULT_ALERTS = [
  { name: "worker-crash-rate", metric: "crashesLastMinute", op: ">=", threshold: 3 },
] as const;

/**
 * `text` spelt as a scenario name may be: lowercase letters, digits and dashes (`my-bug-v2` for
 * `My Bug_v2`); empty when nothing of it is left.
 */
export function asScenarioName(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The scenario input format. */
export const scenarioInputSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "JSON Schema of this file, for editors." }),
    name: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .meta({ description: "Scenario name: lowercase letters, digits and dashes." })
      .register(fieldInfo, {
        expected: "lowercase letters, digits and dashes",
        advise: (input) => {
          if (typeof input !== "string") return undefined;
          const fixed = asScenarioName(input);
          return fixed === "" ? undefined : { suggestion: fixed };
        },
      }),
    description: text("What the scenario shows."),
    sources: z.array(z.string()).default([]).meta({ description: "Where the facts come from." }),
    assumptions: z
      .array(z.string())
      .default([])
      .meta({ description: "What the scenario assumes beyond the sources (shown as such)." }),
    onCallAssumptions: z.array(z.string()).optional().meta({
      description:
        "The assumptions as aftershock train's on-call view shows them before reveal, worded not to give the cause away (the trigger, the fix, when it ships); without it, that view shows the assumptions as written.",
    }),
    seed: count("Master seed of the random streams.", 0, Number.MAX_SAFE_INTEGER).default(1),
    start: instant("When the run starts: an ISO instant in UTC."),
    duration: duration("How long the run lasts.", { positive: true }),
    fleet: fleetSchema.prefault({}),
    scheduler: schedulerSchema.prefault({}),
    store: storeSchema.prefault({}),
    workload: workloadSchema.prefault({}),
    timeline: z.array(actionSchema).default([]).meta({ description: "Operator actions." }),
    faults: z.array(faultSchema).default([]).meta({ description: "Chaos faults." }),
    slo: duration("Delivery SLO: a fire delivered later than this is late.", { positive: true }).default(
      SLO_DEFAULT,
    ),
    sampleInterval: duration("Period of the metrics sampler.", { positive: true }).default(
      SAMPLE_INTERVAL_DEFAULT,
    ),
    alerts: z
      .array(alertSchema)
      .default(DEFAULT_ALERTS.map((a) => ({ ...a })))
      .meta({ description: "Alert rules on the sampled metrics." }),
    chapters: z.array(chapterSchema).default([]).meta({ description: "Narrative for training sessions." }),
    expect: z
      .array(expectationSchema)
      .default([])
      .meta({ description: "Expectations for the CI gate, per variant." }),
    limits: limitsSchema.prefault({}),
  })
  .meta({
    title: "aftershock scenario",
    description: "A scenario of the aftershock incident-replay simulator.",
  });

/** A scenario document after validation: defaults filled, durations and times still text. */
export type ScenarioInput = z.output<typeof scenarioInputSchema>;

function conflict(input: unknown, path: (string | number)[], message: string): z.core.$ZodRawIssue {
  const params: CustomIssueParams = { code: "conflict", message };
  return { code: "custom", input, path, params };
}

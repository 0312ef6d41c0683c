import { FAULT_POINTS, FIXES } from "../world/runtime.js";

/**
 * The closed word lists of the scenario format. They are data, shared by the schema (which
 * validates and documents them), the normalised types and the "did you mean" suggestions.
 */

/** Built-in scheduler implementations (see `src/schedulers/`). */
export const SCHEDULER_VERSIONS = ["v1", "v2"] as const;
export type SchedulerVersion = (typeof SCHEDULER_VERSIONS)[number];

/** Fix flags of the v2 scheduler (the world's `FIXES`); `v2` with both is the fixed scheduler. */
export const SCHEDULER_FIXES = FIXES;
export type SchedulerFix = (typeof SCHEDULER_FIXES)[number];

/** Named fault points (BUGGIFY-style) where `inject-panic` can throw inside a task (the world's `FAULT_POINTS`). */
export const PANIC_POINTS = FAULT_POINTS;
export type PanicPoint = (typeof PANIC_POINTS)[number];

/** Operator actions of the timeline. */
export const ACTION_NAMES = [
  "delete-account",
  "create-account",
  "create-schedule",
  "delete-schedule",
  "pause-schedule",
  "quarantine-schedule",
  "deploy",
  "kill-worker",
  "pause-worker",
  "scale",
  "restart-worker",
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** Chaos faults. */
export const FAULT_NAMES = [
  "kill-worker",
  "pause-worker",
  "store-latency",
  "store-outage",
  "clock-skew",
  "inject-panic",
  "hang",
  "http-errors",
  "http-timeouts",
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** Metrics the sampler computes while a run goes on; alert rules watch them. */
export const ALERT_METRICS = [
  "workersUp",
  "workersCrashLooping",
  "crashesLastMinute",
  "dueBacklog",
  "lagP50Ms",
  "lagP99Ms",
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/**
 * What each alert metric measures: a count, or a time in milliseconds, whose threshold may be
 * written as a duration (`60s`), as an expectation's value of a duration metric may.
 */
export const ALERT_METRIC_KINDS = {
  workersUp: "count",
  workersCrashLooping: "count",
  crashesLastMinute: "count",
  dueBacklog: "count",
  lagP50Ms: "duration",
  lagP99Ms: "duration",
} as const satisfies Record<AlertMetric, "count" | "duration">;

export const COMPARISON_OPS = [">", ">=", "<", "<=", "==", "!="] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** Named properties a run is checked against (`src/checks/`). */
export const PROPERTY_NAMES = [
  "no-cascade",
  "no-panic-death",
  "deliveries-on-time-after-quiet",
  "no-delivery-after-deletion",
  "deleted-schedules-cleaned",
  "no-missed-delivery",
  "quarantine-after-retries",
  "dead-letter-after-retries",
  "retry-after-backoff",
  "poison-task-isolated",
  "deterministic",
] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/**
 * What kind of value a metric of the RunReport holds, which decides what an expectation may
 * compare it with: a `count` with numbers, a `flag` with booleans, a `time` with a time (or
 * `null`: it never happened), a `duration` with a duration or a number of milliseconds.
 */
export type MetricKind = "count" | "flag" | "time" | "duration";

/** The metrics of the RunReport contract (DESIGN.md), as dotted paths into `metrics`. */
export const METRIC_KINDS = {
  cascade: "flag",
  cascadeDepth: "count",
  panicDeaths: "count",
  crashes: "count",
  "deliveries.due": "count",
  "deliveries.onTime": "count",
  "deliveries.late": "count",
  "deliveries.missed": "count",
  "deliveries.duplicate": "count",
  "deliveries.early": "count",
  "deliveries.deadLettered": "count",
  "deliveries.unowed": "count",
  "deliveries.afterDeletion": "count",
  deletedSchedulesLeft: "count",
  alertAt: "time",
  recoveredAt: "time",
  workersMinUp: "count",
  fullOutageMs: "duration",
  affectedAccounts: "count",
  // What a scheduler's panic recovery did: a poison task retried without bound recovers a panic
  // at every attempt and is never quarantined, while its workers stay up and every property holds.
  panicsRecovered: "count",
  tasksQuarantined: "count",
  // The report's other extras: when the story's turns came (the first panic, the deletion, the
  // last fix deploy), the worst lag sampled, and acks for dues the cron never had.
  firstPanicAt: "time",
  deletionAt: "time",
  fixDeployAt: "time",
  lagP99MsMax: "duration",
  unexpectedDues: "count",
} as const satisfies Record<string, MetricKind>;
export type MetricPath = keyof typeof METRIC_KINDS;
export const METRIC_PATHS = Object.keys(METRIC_KINDS) as MetricPath[];

import type { TimeMs } from "../kernel/index.js";
import type { PathKey } from "./issue.js";
import type { VariantName } from "./variants.js";
import type {
  AlertMetric,
  ComparisonOp,
  MetricPath,
  PanicPoint,
  PropertyName,
  SchedulerVersion,
} from "./vocabulary.js";

/**
 * A scenario after parsing: every default filled, durations in milliseconds (`...Ms`), times
 * as absolute milliseconds since the epoch (`atMs`), each beside the text it was written as
 * (`atText`). Lists keep the document's order and indices, so `["timeline", i]` is where
 * `timeline[i]` was written (see `source.locate`). Nothing here is sorted by time: the
 * compiler orders by (time, position), which keeps the document's order for ties.
 */
export interface Scenario {
  /** `[a-z0-9-]+`. */
  readonly name: string;
  readonly description: string;
  /** Where the facts come from (shown with the report). */
  readonly sources: readonly string[];
  /** What the scenario assumes beyond its sources (shown as assumptions, never as facts). */
  readonly assumptions: readonly string[];
  /**
   * The assumptions as the on-call view of a training session shows them before reveal, worded
   * not to give the cause away; null or absent where the scenario has none: that view shows
   * `assumptions`. Optional: a Scenario made before the field (saved JSON, a literal) has none.
   */
  readonly onCallAssumptions?: readonly string[] | null;
  /** The master seed; every random stream is forked from it. */
  readonly seed: number;
  readonly startMs: TimeMs;
  readonly durationMs: number;
  /** `startMs + durationMs`: the horizon of a run. */
  readonly endMs: TimeMs;
  readonly fleet: FleetSpec;
  /** The scheduler the world starts with; variants override it. */
  readonly scheduler: SchedulerSpec;
  readonly store: StoreSpec;
  readonly workload: WorkloadSpec;
  /** Operator actions, in document order. */
  readonly timeline: readonly TimelineAction[];
  /** Chaos, in document order. */
  readonly faults: readonly FaultSpec[];
  /** A fire delivered later than this after it was due is late. */
  readonly sloMs: number;
  readonly sampleIntervalMs: number;
  readonly alerts: readonly AlertRule[];
  readonly chapters: readonly Chapter[];
  readonly expect: readonly Expectation[];
  readonly limits: RunLimitsSpec;
  readonly source: ScenarioSource;
}

/** Where a scenario came from, to point back at its lines. */
export interface ScenarioSource {
  /** The file name given to the parser, as given. */
  readonly file: string;
  /**
   * Line and column (1-based) of the value at a document path, e.g. `["expect", 2]` or
   * `["fleet", "leaseTtl"]`; null if the document has no such path (a defaulted field).
   * Block mappings and lists are located at their key. Not enumerable, so that the Scenario is
   * data that `structuredClone` copies: a copy (or a JSON round trip) has none, and is placed
   * nowhere (line 1, column 1), as one written in code.
   */
  locate(path: readonly PathKey[]): { line: number; column: number } | null;
}

export interface FleetSpec {
  /** Workers at the start, 1..256. */
  readonly workers: number;
  readonly partitions: number;
  readonly leaseTtlMs: number;
  /** Lease renewal period; always shorter than `leaseTtlMs`. */
  readonly heartbeatMs: number;
  readonly rebalanceIntervalMs: number;
  /** From process start to serving. */
  readonly startupTimeMs: number;
  /** Task goroutines per worker. */
  readonly concurrency: number;
  readonly supervisor: SupervisorSpec;
  /** How long a gracefully stopped worker waits for its tasks under way (`FleetConfig.shutdownGraceMs`). */
  readonly shutdownGraceMs: number;
}

/** CrashLoopBackOff: restart after `backoffInitialMs`, doubling up to `backoffMaxMs`. */
export interface SupervisorSpec {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** Up this long without a crash resets the back-off. */
  readonly resetAfterMs: number;
}

/** Free-form scheduler options, passed through untouched. */
export type SchedulerOptions = Readonly<Record<string, number | string | boolean>>;

/** A scheduler: a built-in version or a user module, with fix flags and options. */
export type SchedulerSpec = (
  | { readonly kind: "builtin"; readonly version: SchedulerVersion }
  | {
      readonly kind: "module";
      /** As written: relative to the scenario file's directory unless absolute. */
      readonly module: string;
    }
) & {
  /**
   * Deduplicated, in the order its scheduler declares them. A module's are any names, as written
   * (deduplicated) until it is loaded: a run puts them in the module's order (`inDeclaredFixOrder`).
   */
  readonly fixes: readonly string[];
  readonly options: SchedulerOptions;
};

export interface StoreSpec {
  readonly latencyMs: number;
  /** Probability in [0, 1] that a store call fails. */
  readonly failureRate: number;
}

export interface WorkloadSpec {
  /** Generated accounts, besides `named`. */
  readonly accounts: number;
  readonly schedulesPerAccount: { readonly min: number; readonly max: number };
  /** Cron expressions of generated schedules, drawn by weight; validated, as written. */
  readonly cron: readonly { readonly expr: string; readonly weight: number }[];
  readonly destination: DestinationSpec;
  /** Delivery retries after the first attempt. */
  readonly retries: number;
  readonly named: readonly NamedAccountSpec[];
}

export interface DestinationSpec {
  readonly latencyMs: number;
  /** Latency is uniform in latencyMs × [1 − jitter, 1 + jitter]. */
  readonly jitter: number;
  readonly failureRate: number;
  readonly timeoutMs: number;
}

export interface NamedAccountSpec {
  readonly id: string;
  readonly schedules: readonly NamedScheduleSpec[];
}

export interface NamedScheduleSpec {
  readonly id: string;
  /** Validated cron text, as written (`CRON_TZ=` prefix allowed). */
  readonly cron: string;
  /** Null: the world's default endpoint. */
  readonly destination: string | null;
}

/** A worker id (`w0`, `w3`, ...) or `random` (drawn from the `faults` or `operator` stream). */
export type WorkerRef = string;

/** When something happens: absolute ms, and the text it was written as. */
export interface Timed {
  readonly atMs: TimeMs;
  /** As written: `09:44:30`, `+36m` or an ISO instant. */
  readonly atText: string;
}

/** An operator action of the timeline. */
export type TimelineAction = Timed &
  (
    | { readonly action: "delete-account"; readonly account: string }
    | { readonly action: "create-account"; readonly account: string }
    | {
        readonly action: "create-schedule";
        readonly schedule: string;
        readonly account: string;
        readonly cron: string;
        readonly destination: string | null;
      }
    | { readonly action: "delete-schedule"; readonly schedule: string }
    | { readonly action: "pause-schedule"; readonly schedule: string; readonly paused: boolean }
    | { readonly action: "quarantine-schedule"; readonly schedule: string }
    | {
        readonly action: "deploy";
        readonly scheduler: SchedulerSpec;
        /** Pause before the next worker of the rolling deploy, after the replaced one (if it served) is ready. */
        readonly stepDelayMs: number;
        /**
         * True: the bundled v2, even where a module stands for v2 (a scenario's own, or
         * `--scheduler`'s), which every other deploy of v2 deploys. Absent: false.
         */
        readonly bundled?: boolean;
      }
    | { readonly action: "kill-worker"; readonly worker: WorkerRef }
    | { readonly action: "pause-worker"; readonly worker: WorkerRef; readonly durationMs: number }
    | { readonly action: "scale"; readonly workers: number }
    | { readonly action: "restart-worker"; readonly worker: WorkerRef }
  );

/** A chaos fault, starting at `atMs`. */
export type FaultSpec = Timed &
  (
    | { readonly fault: "kill-worker"; readonly worker: WorkerRef }
    | { readonly fault: "pause-worker"; readonly worker: WorkerRef; readonly durationMs: number }
    | { readonly fault: "store-latency"; readonly durationMs: number; readonly latencyMs: number }
    | { readonly fault: "store-outage"; readonly durationMs: number }
    | {
        readonly fault: "clock-skew";
        readonly worker: WorkerRef;
        /** Signed: a negative skew puts the worker's clock behind. */
        readonly skewMs: number;
        /** How long the clock stays wrong; null: to the end of the run. */
        readonly durationMs: number | null;
      }
    | {
        readonly fault: "inject-panic";
        readonly point: PanicPoint;
        /** Null: any schedule. */
        readonly schedule: string | null;
        /** Null: any account. */
        readonly account: string | null;
        readonly probability: number;
        /** How many panics at most. */
        readonly count: number;
      }
    | {
        readonly fault: "hang";
        readonly schedule: string;
        /** Null: the task never returns. */
        readonly durationMs: number | null;
      }
    | {
        readonly fault: "http-errors";
        readonly durationMs: number;
        readonly rate: number;
        readonly status: number;
        /** Null: every account's deliveries. */
        readonly account: string | null;
      }
    | {
        readonly fault: "http-timeouts";
        readonly durationMs: number;
        readonly rate: number;
        /** Null: every account's deliveries. */
        readonly account: string | null;
      }
  );

export type ActionSpecOf<A extends TimelineAction["action"]> = Extract<TimelineAction, { action: A }>;
export type FaultSpecOf<F extends FaultSpec["fault"]> = Extract<FaultSpec, { fault: F }>;

/** An alert rule on a sampled metric. */
export interface AlertRule {
  readonly name: string;
  readonly metric: AlertMetric;
  readonly op: ComparisonOp;
  readonly threshold: number;
  /** How long the rule must hold at every sample before it fires; 0: at once. */
  readonly forMs: number;
}

/** A chapter of a training session's narrative. */
export interface Chapter extends Timed {
  readonly title: string;
  readonly text: string;
  /** Null: no question for the trainees. */
  readonly question: string | null;
}

/**
 * An expectation for the CI gate: a metric compared with a value, or a named property.
 * Time values are absolute ms; duration values are ms; `valueText` keeps what was written.
 */
export type Expectation =
  | {
      readonly kind: "metric";
      readonly variant: VariantName;
      readonly metric: MetricPath;
      readonly op: ComparisonOp;
      readonly value: number | boolean | null;
      /** The value as written when it was text (a time or a duration), else null. */
      readonly valueText: string | null;
    }
  | {
      readonly kind: "property";
      readonly variant: VariantName;
      readonly property: PropertyName;
      /** Whether the property must hold (true) or must fail (false). */
      readonly holds: boolean;
    };

export interface RunLimitsSpec {
  readonly maxEvents: number;
  readonly wallBudgetMs: number;
}

/** The configuration of one simulated region, in milliseconds; compiled from a scenario. */

export interface SupervisorConfig {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** A worker that has run this long without crashing has its back-off reset. */
  readonly resetAfterMs: number;
}

export interface FleetConfig {
  readonly workers: number;
  readonly partitions: number;
  readonly leaseTtlMs: number;
  readonly heartbeatMs: number;
  readonly rebalanceIntervalMs: number;
  /** Time from process start to serving. The initial fleet is already serving at the start. */
  readonly startupTimeMs: number;
  readonly concurrency: number;
  readonly supervisor: SupervisorConfig;
  /**
   * How long a worker stopped gracefully (deploy, restart, scale-down) waits for its tasks under
   * way to finish before it releases its leases and exits, as Kubernetes' termination grace
   * period bounds a pod's shutdown. Absent: `DEFAULT_SHUTDOWN_GRACE_MS`.
   */
  readonly shutdownGraceMs?: number;
}

/** A graceful stop's wait for the tasks under way, when the fleet sets none (Kubernetes' default). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

export interface SchedulerChoice {
  /** A registered scheduler name (`v1`, `v2`, or a user module's name). */
  readonly name: string;
  readonly fixes: readonly string[];
  /** The options its workers get (`rt.options`); absent: the world's `schedulerOptions`. */
  readonly options?: SchedulerOptionValues;
}

/** Free-form scheduler options, as a scenario's `scheduler.options` gives them. */
export type SchedulerOptionValues = Readonly<Record<string, string | number | boolean>>;

export interface NamedSchedule {
  readonly id: string;
  readonly cron: string;
  readonly destination?: string;
}

export interface NamedAccount {
  readonly id: string;
  readonly schedules: readonly NamedSchedule[];
}

export interface WorkloadConfig {
  /** Generated accounts (besides the named ones). */
  readonly accounts: number;
  readonly schedulesPerAccount: { readonly min: number; readonly max: number };
  readonly cron: readonly { readonly expr: string; readonly weight: number }[];
  readonly destination: {
    readonly latencyMs: number;
    /** Latency is uniform in [latency × (1 − jitter), latency × (1 + jitter)]. */
    readonly jitter: number;
    readonly failureRate: number;
    /** An answer slower than this is a timeout (status 0); one that takes exactly this long is not. */
    readonly timeoutMs: number;
  };
  /** Delivery retries after the first attempt (QStash default 3). */
  readonly retries: number;
  readonly named: readonly NamedAccount[];
}

export interface StoreConfig {
  /** A store call's mean latency; each call's is uniform in latency × [1 − 0.5, 1 + 0.5], rounded. */
  readonly latencyMs: number;
  readonly failureRate: number;
}

/** How far a store call's latency strays from the store's mean, either way, as a fraction of it. */
export const STORE_LATENCY_JITTER = 0.5;

/**
 * The longest a store call can take at a mean latency of `latencyMs`, without a `store-latency`
 * fault (whose extra latency adds to it): the jitter's worst, rounded as each draw is. The factor
 * stays below 1 + jitter (`Rng.jitterMs` draws in [0, 1)), so a worst of 4.5 ms rounds to 4, not 5.
 */
export function storeLatencyMaxMs(latencyMs: number): number {
  return latencyMs > 0 ? Math.max(0, Math.ceil(latencyMs * (1 + STORE_LATENCY_JITTER) - 0.5)) : 0;
}

export type ActionSpec =
  | { readonly action: "delete-account"; readonly account: string }
  | { readonly action: "create-account"; readonly account: string }
  | {
      readonly action: "create-schedule";
      readonly schedule: string;
      readonly account: string;
      readonly cron: string;
      readonly destination?: string;
    }
  | { readonly action: "delete-schedule"; readonly schedule: string }
  | { readonly action: "pause-schedule"; readonly schedule: string; readonly paused: boolean }
  | { readonly action: "quarantine-schedule"; readonly schedule: string }
  | {
      readonly action: "deploy";
      readonly scheduler: string;
      readonly fixes: readonly string[];
      readonly stepDelayMs: number;
      /**
       * Options laid over those the fleet runs with for the workers the deploy starts (the keys
       * it names take its values, the rest stay); absent: the fleet's options stay as they are.
       */
      readonly options?: SchedulerOptionValues;
      /**
       * True: the bundled scheduler it names, never a module standing for v2 in the run
       * (`substituteScheduler`, `moduleStandsForV2`). The world itself runs what `scheduler` names.
       */
      readonly bundled?: boolean;
    }
  | { readonly action: "kill-worker"; readonly worker: string }
  | { readonly action: "pause-worker"; readonly worker: string; readonly durationMs: number }
  | { readonly action: "restart-worker"; readonly worker: string }
  | { readonly action: "scale"; readonly workers: number };

export type TimedAction = ActionSpec & { readonly atMs: number };

export type AlertOp = ">" | ">=" | "<" | "<=" | "==" | "!=";

export type SampledMetric =
  | "workersUp"
  | "workersCrashLooping"
  | "crashesLastMinute"
  | "dueBacklog"
  | "lagP50Ms"
  | "lagP99Ms";

export interface AlertRule {
  readonly name: string;
  readonly metric: SampledMetric;
  readonly op: AlertOp;
  readonly threshold: number;
  /**
   * How long the rule must hold, at every sample from the first that holds, before it fires
   * (Prometheus's `for`); absent or 0: at the first sample that holds.
   */
  readonly forMs?: number;
}

export interface WorldConfig {
  readonly name: string;
  readonly seed: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly fleet: FleetConfig;
  readonly scheduler: SchedulerChoice;
  /** Free-form options handed to the scheduler through the Runtime. */
  readonly schedulerOptions: Readonly<Record<string, string | number | boolean>>;
  readonly store: StoreConfig;
  readonly workload: WorkloadConfig;
  readonly timeline: readonly TimedAction[];
  readonly sloMs: number;
  readonly sampleIntervalMs: number;
  readonly alerts: readonly AlertRule[];
  readonly limits: { readonly maxEvents: number; readonly wallBudgetMs?: number };
}

/** Most workers a fleet may have, at the start and after a scale (the scenario's, a what-if's, `perform`'s). */
export const WORKERS_MAX = 256;

export const DEFAULT_FLEET: FleetConfig = {
  workers: 4,
  partitions: 32,
  leaseTtlMs: 30_000,
  heartbeatMs: 5_000,
  rebalanceIntervalMs: 10_000,
  startupTimeMs: 15_000,
  concurrency: 64,
  shutdownGraceMs: DEFAULT_SHUTDOWN_GRACE_MS,
  supervisor: { backoffInitialMs: 10_000, backoffMaxMs: 300_000, resetAfterMs: 600_000 },
};

export const DEFAULT_ALERTS: readonly AlertRule[] = [
  { name: "worker-crash-rate", metric: "crashesLastMinute", op: ">=", threshold: 3 },
];

export function compareOp(value: number, op: AlertOp, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/** Schedule fires past which a run takes about a second or more. */
const LONG_RUN_FIRES = 200_000;

/** Whether a run may take long: its schedules times its minutes, as if each fired every minute. */
export function longRun(config: WorldConfig): boolean {
  const w = config.workload;
  const schedules =
    w.accounts * ((w.schedulesPerAccount.min + w.schedulesPerAccount.max) / 2) +
    w.named.reduce((n, a) => n + a.schedules.length, 0);
  return schedules * (config.durationMs / 60_000) > LONG_RUN_FIRES;
}

/**
 * The scenario format's defaults and bounds, as plain values: what a scenario gets when it leaves
 * a field out, and the most a field may hold. The zod schema (`schema.ts`) fills them in and
 * re-exports them; code that needs only a value (the shrinker, the quiet bound, on a worker
 * thread) imports it from here without loading zod and the schema.
 */
/** Workers a fleet has at the start when `fleet.workers` is not written. */
export const FLEET_WORKERS_DEFAULT = 4;

/** The cron mix of generated schedules when a workload names none. */
export const DEFAULT_CRON_MIX: readonly { readonly expr: string; readonly weight: number }[] = [
  { expr: "* * * * *", weight: 1 },
];
/** Most partitions a fleet may have. */
export const PARTITIONS_MAX = 4096;
/** Most task goroutines a worker may run. */
export const CONCURRENCY_MAX = 100_000;
/** Most delivery retries after the first attempt. */
export const RETRIES_MAX = 20;

/**
 * The pause between two workers of a rolling deploy that does not give its own: a timeline
 * `deploy` without `stepDelay`, and a training session's `what-if deploy` or `rollback` without
 * `step`, so that a what-if and the same deploy written in a scenario run alike.
 */
export const DEPLOY_STEP_DELAY_MS_DEFAULT = 15_000;
/** The schedules of a generated account when `workload.schedulesPerAccount` leaves them out. */
export const SCHEDULES_PER_ACCOUNT_DEFAULT = { min: 1, max: 3 } as const;
/** The supervisor's restart delays when a scenario gives none (Kubernetes' CrashLoopBackOff). */
export const BACKOFF_INITIAL_DEFAULT = "10s";
export const BACKOFF_MAX_DEFAULT = "300s";
export const RESET_AFTER_DEFAULT = "10m";
/** A partition lease's life, a worker's heartbeat and a store call's mean latency, when a scenario gives none. */
export const LEASE_TTL_DEFAULT = "30s";
export const HEARTBEAT_DEFAULT = "5s";
export const STORE_LATENCY_DEFAULT = "2ms";
export const REBALANCE_INTERVAL_DEFAULT = "10s";
export const STARTUP_TIME_DEFAULT = "15s";
export const SLO_DEFAULT = "60s";
/** The metrics sampler's period when a scenario gives none. */
export const SAMPLE_INTERVAL_DEFAULT = "10s";

/**
 * The trace event catalogue: every state change of the world, with the ids involved. This is
 * a contract: `--trace FILE.jsonl` writes these, `checks/` recomputes every metric from them,
 * and external tools read them. Extend it; never rename a type or a field.
 *
 * Every event also has `t` (ms since the epoch), `seq` (position in the trace) and `cause`
 * (seq of the event that led to it, or null), assigned by the kernel's trace.
 */

/** Fields common to events about a task: one firing of one schedule for one due time. */
export interface TaskFields {
  readonly worker: string;
  readonly schedule: string;
  readonly account: string;
  readonly partition: number;
  /** The due time (ms) this firing is for; with `schedule`, it identifies the task. */
  readonly due: number;
  /** Task id: `<schedule>@<due>`. Re-firing the same due (after a crash) reuses it. */
  readonly task: string;
}

export interface EventFields {
  /** The run begins: the world as configured. */
  "run.started": {
    readonly scenario: string;
    readonly seed: string;
    readonly scheduler: string;
    readonly fixes: readonly string[];
    readonly workers: number;
    readonly partitions: number;
    readonly sloMs: number;
    readonly horizon: number;
  };
  /** A worker process started (first start, restart or deploy); it serves after its start-up time. */
  "worker.started": {
    readonly worker: string;
    readonly incarnation: number;
    readonly scheduler: string;
    readonly fixes: readonly string[];
  };
  /** The worker finished starting and now serves (heartbeats, leases, scheduling). */
  "worker.ready": { readonly worker: string; readonly incarnation: number };
  /**
   * The worker process terminated abnormally. `panic`: an exception escaped a goroutine
   * (`error`, `goroutine`, and for a task, `schedule`, `account`, `task`, `partition`);
   * `killed`: a kill from an operator or a fault.
   */
  "worker.crashed": {
    readonly worker: string;
    readonly incarnation: number;
    readonly reason: "panic" | "killed";
    readonly error?: string;
    readonly goroutine?: string;
    readonly schedule?: string;
    readonly account?: string;
    readonly task?: string;
    readonly partition?: number;
  };
  /** The worker shut down gracefully (deploy, scale-down), having released its leases. */
  "worker.stopped": { readonly worker: string; readonly incarnation: number; readonly why: string };
  /** The supervisor will restart the crashed worker after `delayMs` (CrashLoopBackOff). */
  "worker.backoff": { readonly worker: string; readonly delayMs: number; readonly restarts: number };
  /** The supervisor restarted the worker (a `worker.started` follows). */
  "worker.restarted": { readonly worker: string; readonly restarts: number };
  "worker.paused": { readonly worker: string; readonly durationMs: number };
  "worker.resumed": { readonly worker: string };
  /** The worker slot was removed from the fleet (scale down). */
  "worker.removed": { readonly worker: string };

  /** The store granted a partition lease. `previous`: the last owner, if any. */
  "lease.acquired": {
    readonly worker: string;
    readonly partition: number;
    readonly token: number;
    readonly previous: string | null;
  };
  /** A lease ran out without renewal (noticed when someone acquires it or its owner renews it late). */
  "lease.expired": {
    readonly worker: string;
    readonly partition: number;
    readonly token: number;
    readonly expiredAt: number;
  };
  /** The owner gave the lease back (graceful shutdown or rebalancing). */
  "lease.released": { readonly worker: string; readonly partition: number; readonly token: number };
  /** The worker learned it no longer holds a lease it thought it had. */
  "lease.lost": { readonly worker: string; readonly partition: number; readonly token: number };

  "account.created": { readonly account: string };
  /** The account's deletion committed; its schedules remain until cleanup. */
  "account.deleted": { readonly account: string; readonly schedules: number };
  "schedule.created": {
    readonly schedule: string;
    readonly account: string;
    readonly cron: string;
    readonly partition: number;
    readonly destination: string;
    /** The first due time. */
    readonly next: number | null;
  };
  /** The schedule was removed from the store; `by`: `cleanup` (a task), `operator`. */
  "schedule.deleted": {
    readonly schedule: string;
    readonly account: string;
    readonly by: string;
    readonly worker?: string;
  };
  "schedule.paused": { readonly schedule: string; readonly account: string; readonly paused: boolean };
  /** A schedule taken out of scheduling: by an operator (runbook) or by a scheduler after repeated panics. */
  "schedule.quarantined": { readonly schedule: string; readonly account: string; readonly by: string };

  /** A worker began a task for a due schedule. */
  "schedule.fired": TaskFields & { readonly attempt: number };
  /** A task's effects committed: `next` is the schedule's next due time (null: it was deleted). */
  "task.committed": TaskFields & { readonly next: number | null };
  /** A task's commit was refused because the worker no longer holds the partition (fencing). */
  "task.fenced": TaskFields & { readonly token: number };
  /** A message was sent to the destination. `attempt` 0 is the first delivery, then retries. */
  "delivery.sent": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    readonly destination: string;
  };
  "delivery.acked": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    readonly status: number;
  };
  "delivery.failed": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    /** The destination's HTTP status (429, 500, ...), or 0 when it did not answer in time. */
    readonly status: number;
    /** When the retry is due, or null when the message went to the dead-letter queue. */
    readonly retryAt: number | null;
  };
  "delivery.dead-lettered": TaskFields & { readonly message: string; readonly attempts: number };
  /** A panic in a task was recovered: logged, reported, the process kept running. */
  "panic.recovered": TaskFields & {
    readonly error: string;
    readonly attempt: number;
    readonly retryInMs: number | null;
  };
  /** A poison task was set aside after `attempts` panics. */
  "task.quarantined": TaskFields & { readonly attempts: number };

  "deploy.started": {
    readonly scheduler: string;
    readonly fixes: readonly string[];
    readonly workers: number;
    readonly stepDelayMs: number;
  };
  /** One worker of a rolling deploy was replaced. */
  "deploy.progressed": { readonly worker: string; readonly index: number };
  "deploy.finished": { readonly scheduler: string; readonly fixes: readonly string[] };
  "fleet.scaled": { readonly from: number; readonly to: number };

  /** An operator action from the scenario's timeline. */
  "operator.action": { readonly action: string; readonly detail: string };
  /** A fault fired (`probe` counts how often this fault point was reached). */
  "fault.injected": {
    readonly fault: string;
    readonly worker?: string;
    readonly detail: string;
    readonly probe: number;
  };

  /** A log line at warn or error level from a worker (what `logs` shows in training). */
  log: {
    readonly worker: string;
    readonly level: "warn" | "error";
    readonly message: string;
    readonly schedule?: string;
  };

  /** A sample of what the dashboards show (every `sampleIntervalMs`). */
  "metrics.sampled": {
    readonly workersUp: number;
    readonly workersCrashLooping: number;
    readonly crashesLastMinute: number;
    readonly dueBacklog: number;
    readonly lagP50Ms: number;
    readonly lagP99Ms: number;
  };
  "alert.fired": {
    readonly rule: string;
    readonly metric: string;
    readonly value: number;
    readonly threshold: number;
  };
  "alert.resolved": { readonly rule: string; readonly metric: string; readonly value: number };
  /** The run ended (horizon or limit). */
  "run.finished": { readonly reason: string; readonly events: number };
}

export type EventType = keyof EventFields;

/** A trace event of a known type, as read back from a trace. */
export type WorldEvent<K extends EventType = EventType> = {
  [T in K]: {
    readonly t: number;
    readonly seq: number;
    readonly type: T;
    readonly cause: number | null;
  } & EventFields[T];
}[K];

/** The event types, in catalogue order. */
export const EVENT_TYPES: readonly EventType[] = [
  "run.started",
  "worker.started",
  "worker.ready",
  "worker.crashed",
  "worker.stopped",
  "worker.backoff",
  "worker.restarted",
  "worker.paused",
  "worker.resumed",
  "worker.removed",
  "lease.acquired",
  "lease.expired",
  "lease.released",
  "lease.lost",
  "account.created",
  "account.deleted",
  "schedule.created",
  "schedule.deleted",
  "schedule.paused",
  "schedule.quarantined",
  "schedule.fired",
  "task.committed",
  "task.fenced",
  "delivery.sent",
  "delivery.acked",
  "delivery.failed",
  "delivery.dead-lettered",
  "panic.recovered",
  "task.quarantined",
  "deploy.started",
  "deploy.progressed",
  "deploy.finished",
  "fleet.scaled",
  "operator.action",
  "fault.injected",
  "log",
  "metrics.sampled",
  "alert.fired",
  "alert.resolved",
  "run.finished",
];

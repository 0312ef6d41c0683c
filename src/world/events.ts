/**
 * The trace event catalogue: every state change of the world, with the ids involved. This is
 * a contract: `--trace FILE.jsonl` writes these, `checks/` recomputes every metric from them,
 * and external tools read them. Extend it; never rename a type or a field.
 *
 * Every event also has `t` (ms since the epoch), `seq` (position in the trace) and `cause`
 * (seq of the event that led to it, or null), assigned by the kernel's trace.
 */

/**
 * The trace's format, raised when an event gains a field, so that a trace hash pinned under an
 * older one (a gate's golden file) can be told apart from a change of behaviour:
 * 1. the first format;
 * 2. `panic.recovered` names its goroutine's lease `token`: runs that recover a panic hash
 *    differently, with the same events.
 * 3. a `store-latency` fault's `fault.injected` carries as `durationMs` its window plus the total
 *    extra latency in force once it is added, where it carried the window alone: runs with a
 *    store-latency fault hash differently, with the same events.
 * 4. a scheduler module's panic (`worker.crashed`, `panic.recovered`) says where in the module it
 *    came from (`location`): runs of a module that panic hash differently, with the same events.
 * Raising it: say what changed in `TRACE_FORMAT_CHANGES`, and which runs it changed the hash of in
 * `FORMAT_REACH` (src/explore/gate.ts), so that the gate tells the format apart from behaviour.
 */
export const TRACE_FORMAT = 4;

/** What each format after the first added, by format: said when a golden of an older one differs. */
export const TRACE_FORMAT_CHANGES: Readonly<Record<number, string>> = {
  2: "`panic.recovered` names its lease token, so a run that recovers a panic hashes differently",
  3: "a `store-latency` fault's `fault.injected` carries its window plus the extra store latency as `durationMs`, so a run with a store-latency fault hashes differently",
  4: "a scheduler module's panic (`worker.crashed`, `panic.recovered`) names where in the module it came from (`location`), so a run of a module that panics hashes differently",
};

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
   * The scheduler's goroutine returned from `main(rt)` (a scheduler module whose loop ended):
   * the worker stays up, heartbeats and holds its leases, but claims no work until its process
   * restarts. The bundled schedulers never return.
   */
  "scheduler.returned": { readonly worker: string; readonly incarnation: number };
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
    /**
     * For a panic of a scheduler module: where in the module it came from, `./mine.mjs:80:20`
     * (`panicLocation`); absent for the bundled schedulers, and for a panic with no frame there.
     */
    readonly location?: string;
    readonly goroutine?: string;
    readonly schedule?: string;
    readonly account?: string;
    readonly task?: string;
    readonly partition?: number;
  };
  /**
   * The worker's process was stopped (`why`: deploy, restart, scale-down). It shut down gracefully,
   * having released its leases, unless `graceful` is false: a frozen process (SIGSTOP) cannot run
   * its shutdown, so it was killed as by SIGKILL and its leases were left to expire.
   */
  "worker.stopped": {
    readonly worker: string;
    readonly incarnation: number;
    readonly why: string;
    readonly graceful?: false;
    /**
     * Leases a graceful shutdown could not give back, the store being down (a `store-outage`):
     * left to expire after their TTL, as is its membership (absent: none).
     */
    readonly unreleased?: number;
    /** Tasks still under way when the shutdown grace ran out (absent: none). */
    readonly abandoned?: number;
  };
  /**
   * A graceful stop (`why`: deploy, restart, scale-down) began with `inFlight` tasks under way:
   * the worker claims no more work and left the membership; it finishes them, then stops.
   */
  "worker.stopping": {
    readonly worker: string;
    readonly incarnation: number;
    readonly why: string;
    readonly inFlight: number;
  };
  /** The supervisor will restart the crashed worker after `delayMs` (CrashLoopBackOff). */
  "worker.backoff": { readonly worker: string; readonly delayMs: number; readonly restarts: number };
  /** The supervisor restarted the worker (a `worker.started` follows). */
  "worker.restarted": { readonly worker: string; readonly restarts: number };
  "worker.paused": { readonly worker: string; readonly durationMs: number };
  "worker.resumed": { readonly worker: string };
  /** The worker slot was removed from the fleet (scale down). */
  "worker.removed": { readonly worker: string };

  /**
   * The store granted a partition lease. `previous`: the holder whose expired lease this one takes
   * over (its `lease.expired` comes just before, and is this event's cause), or null when the
   * partition was free: never held, released (`lease.released`) by its last holder, or dropped
   * when its own holder found it run out at a late renewal (`lease.expired`, then `lease.lost`),
   * which counts as released.
   */
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
  /**
   * A task's effects committed: `next` is the schedule's next due time once they did (null: it
   * was deleted, or never fires again). A fire's commit moves it past the due just fired; a
   * retry's commit leaves it where it was, and gives it as it stands.
   */
  "task.committed": TaskFields & { readonly next: number | null };
  /** A task's commit was refused because the worker no longer holds the partition (fencing). */
  "task.fenced": TaskFields & { readonly token: number };
  /**
   * The store refused a scheduler's call (a `store-outage` fault, or a call failed at random by
   * `store.failureRate`): `call` is the port call (`getAccount` and `listSchedules` name the
   * `account` read, `claimDue`) or a task's `commit`, which names the task, rolled back and due
   * again. A refusal changes what the scheduler may do next (a quarantine it could not commit, a
   * task it let go), which the checks must not take for its choice. The worker's own heartbeats and
   * rebalancing calls are not traced here (a lease they fail to keep is, as `lease.lost`).
   */
  "store.refused": {
    readonly worker: string;
    readonly call: "getAccount" | "listSchedules" | "claimDue" | "commit";
    readonly schedule?: string;
    readonly account?: string;
    readonly partition?: number;
    readonly due?: number;
    readonly task?: string;
  };
  /**
   * A message was sent to the destination. `attempt` 0 is the first delivery, then retries. A
   * retry is a task of its own (`<message>#<attempt>`): its events follow from (have as `cause`)
   * the `delivery.failed` that asked for it, wherever and whenever it runs.
   */
  "delivery.sent": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    readonly destination: string;
  };
  /**
   * The destination accepted a message (a 2xx), at the time it answered: it is another host, so
   * this is traced whether or not the sender is there to read the answer (killed, or frozen by
   * `pause-worker`); `worker` is the sender. A sender that cannot commit after it delivers, and
   * the next owner, which delivers again, make the duplicate of at-least-once delivery.
   */
  "delivery.acked": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    readonly status: number;
  };
  /**
   * An attempt failed at the destination: every failed attempt, the last one too (`retryAt`
   * null), which is traced just before its `delivery.dead-lettered`.
   */
  "delivery.failed": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    /** The destination's HTTP status (429, 500, ...), or 0 when it did not answer in time. */
    readonly status: number;
    /** When the retry is due, or null when the message went to the dead-letter queue. */
    readonly retryAt: number | null;
    /**
     * The message whose failed send this answers, when the retry or dead letter names another
     * (a scheduler that gives a retry a new id); absent when it is `message` itself.
     */
    readonly answers?: string;
    /**
     * The `fault.injected` (seq) of the `http-errors` or `http-timeouts` fault that answered the
     * send; absent when none did (the destination's own failure, `failureRate`).
     */
    readonly fault?: number;
  };
  /**
   * A task ended with a failed answer of the destination that it asked neither a retry nor a dead
   * letter for, traced as it ends: `abandoned` (its fire is due again at once: sent anew, it is a
   * retry with no back-off) or `committed` (the message is lost). QStash retries a failed send
   * after its back-off, then dead-letters it: `retry-after-backoff` fails on it. `attempt` and
   * `status` are the failed send's, as in `delivery.failed`. A failure of a transaction restarted
   * or rolled back goes on to the new one and is traced as that one ends (`rerun`), unless a panic
   * came in the task since it failed. The bundled schedulers never make it.
   */
  "delivery.failure-dropped": TaskFields & {
    readonly message: string;
    readonly attempt: number;
    readonly status: number;
    readonly ended: "committed" | "abandoned";
    /** As in `delivery.failed`: the HTTP fault that answered the send, if one did. */
    readonly fault?: number;
    /**
     * How the transaction the send failed in ended, when the task went on in a new one without a
     * panic since the failure: `restarted` (`tx.restart()`: its fire run again at once) or `rolled
     * back` (`tx.rollback()`); `ended` is how the last one ended. Absent: it failed in that one.
     */
    readonly rerun?: "restarted" | "rolled back";
  };
  /**
   * A message went to the dead-letter queue. `attempts` is the scheduler's count; `retries` is
   * the schedule's retry budget as the store holds it (absent from traces written before it was
   * traced): a message is owed `retries + 1` attempts before it is dead-lettered.
   */
  "delivery.dead-lettered": TaskFields & {
    readonly message: string;
    readonly attempts: number;
    readonly retries?: number;
  };
  /**
   * A panic in a task was recovered: logged, reported, the process kept running. `token` is the
   * lease token the task's goroutine claimed it under (its fencing token, as `task.fenced` says):
   * a worker that took a partition back runs a goroutine of its earlier tenure under an older
   * token than the one it claims with now (absent from traces written before it was traced, and
   * for a transaction the world did not make).
   */
  "panic.recovered": TaskFields & {
    readonly error: string;
    /** Where in the scheduler module the recovered panic came from, as `worker.crashed` says it. */
    readonly location?: string;
    readonly attempt: number;
    readonly retryInMs: number | null;
    readonly token?: number;
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
  /**
   * A rolling deploy ended: every worker it had to replace was replaced and every new process it
   * started is available, or (`supersededBy`, the seq of the newer `deploy.started`) a newer deploy took
   * over before then. A superseded one with `rolledOut: true` had replaced (or seen removed) every
   * worker already, and was waiting for its new processes to be ready and serve `stepDelayMs`. For
   * `rolledOut`, a worker a scale-down removed counts as done, even while its old process finishes
   * its tasks (a deploy not superseded waits for that stop, then a step); a new process that died
   * starting counts as replaced.
   */
  "deploy.finished": {
    readonly scheduler: string;
    readonly fixes: readonly string[];
    readonly supersededBy?: number;
    readonly rolledOut?: true;
  };
  "fleet.scaled": { readonly from: number; readonly to: number };

  /**
   * An operator action from the scenario's timeline. One the control plane refused (a pause or
   * quarantine of a schedule no longer in the store: a 404; a create of an id taken: a 409; a
   * kill of a worker with no process) has `applied: false` and a `reason`, and changed nothing;
   * an action that applied has neither field. A worker action on `random` has the `worker` drawn
   * (none when no worker had a process to draw).
   */
  "operator.action": {
    readonly action: string;
    readonly detail: string;
    readonly worker?: string;
    readonly applied?: false;
    readonly reason?: string;
  };
  /**
   * A fault of the scenario came due but found nothing to act on (a kill or pause of a worker
   * with no process, a pause of a paused one, a fault of no size), or an HTTP fault failed no
   * delivery in its window (traced at its end): it did not fire, and `reason` says why.
   */
  "fault.skipped": { readonly fault: string; readonly worker?: string; readonly reason: string };
  /**
   * A fault fired. `probe`: for an injected panic or hang, how often tasks had reached its fault
   * point while one was armed (`ChaosState.probes`), this strike's reach included; for any other
   * fault, its kind's acts so far, this one included. A fault armed for a
   * task (`inject-panic`, `hang`) names the task it hit and, in `armed`, the seq of the
   * `operator.action` that armed it. A fault whose effect lasts (`pause-worker`, `store-latency`,
   * `store-outage`, `http-errors`, `http-timeouts`, `clock-skew`, a `hang` given a duration)
   * carries `durationMs`: its effect ends at `t + durationMs` (a `clock-skew` given no duration
   * lasts to the horizon, and says so; a `store-latency` lasts its window and its latency, the
   * time a call made at the window's end takes to land). Without it the fault acts at once (a kill, an injected
   * panic, a `clock-skew` of 0 that sets a clock right) or, for a hang, never ends. An HTTP fault
   * (`http-errors`, `http-timeouts`) is armed by an `operator.action` (`arm-http-errors`) and
   * fires when it first fails a delivery: traced then, caused by that action (also its `armed`),
   * with the `durationMs` left of its window; the failures it answers name it (`fault`).
   */
  "fault.injected": {
    readonly fault: string;
    readonly worker?: string;
    readonly detail: string;
    readonly probe: number;
    readonly schedule?: string;
    readonly task?: string;
    readonly armed?: number;
    readonly durationMs?: number;
    /** An HTTP fault aimed at one account's deliveries (its destination): that account. */
    readonly account?: string;
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
    /** The rule's `for`, when it has one: how long it held before firing. */
    readonly forMs?: number;
  };
  "alert.resolved": { readonly rule: string; readonly metric: string; readonly value: number };
  /**
   * The run ended (horizon or limit). `events` is the kernel events it executed (the RunReport's
   * `run.kernelEvents`: timers, goroutine steps, store calls), not the trace's own length.
   */
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
  "scheduler.returned",
  "worker.crashed",
  "worker.stopping",
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
  "store.refused",
  "delivery.sent",
  "delivery.acked",
  "delivery.failed",
  "delivery.failure-dropped",
  "delivery.dead-lettered",
  "panic.recovered",
  "task.quarantined",
  "deploy.started",
  "deploy.progressed",
  "deploy.finished",
  "fleet.scaled",
  "operator.action",
  "fault.injected",
  "fault.skipped",
  "log",
  "metrics.sampled",
  "alert.fired",
  "alert.resolved",
  "run.finished",
];

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

/** Whether `type` is one of the catalogue's event types: a trace of the world has no other. */
export function isEventType(type: string): type is EventType {
  return EVENT_TYPE_SET.has(type);
}

/**
 * What a field's value is, as a trace reader checks it: `strings` is a list of strings, a list
 * of words is one of those words, `{ optional }` may be missing.
 */
export type FieldKind =
  | "string"
  | "number"
  | "boolean"
  | "string|null"
  | "number|null"
  | "strings"
  | readonly string[];
export type FieldSpec = FieldKind | { readonly optional: FieldKind };

/** The kind a declared value type has; never for a type this catalogue cannot describe. */
type KindOf<V> = [V] extends [readonly string[]]
  ? "strings"
  : [V] extends [number]
    ? "number"
    : [V] extends [boolean]
      ? "boolean"
      : [V] extends [string]
        ? string extends V
          ? "string"
          : readonly V[]
        : [V] extends [number | null]
          ? "number|null"
          : [V] extends [string | null]
            ? "string|null"
            : never;

type FieldKinds<T> = {
  readonly [F in keyof T]-?: object extends Pick<T, F>
    ? { readonly optional: KindOf<Exclude<T[F], undefined>> }
    : KindOf<T[F]>;
};

const TASK = {
  worker: "string",
  schedule: "string",
  account: "string",
  partition: "number",
  due: "number",
  task: "string",
} as const;

/**
 * The fields of each event type and their kinds, for reading a trace back. The compiler checks it
 * against `EventFields`: a type or field missing, added or of another kind does not compile.
 */
export const EVENT_FIELD_KINDS: { readonly [K in EventType]: FieldKinds<EventFields[K]> } = {
  "run.started": {
    scenario: "string",
    seed: "string",
    scheduler: "string",
    fixes: "strings",
    workers: "number",
    partitions: "number",
    sloMs: "number",
    horizon: "number",
  },
  "worker.started": { worker: "string", incarnation: "number", scheduler: "string", fixes: "strings" },
  "worker.ready": { worker: "string", incarnation: "number" },
  "scheduler.returned": { worker: "string", incarnation: "number" },
  "worker.crashed": {
    worker: "string",
    incarnation: "number",
    reason: ["panic", "killed"],
    error: { optional: "string" },
    location: { optional: "string" },
    goroutine: { optional: "string" },
    schedule: { optional: "string" },
    account: { optional: "string" },
    task: { optional: "string" },
    partition: { optional: "number" },
  },
  "worker.stopping": { worker: "string", incarnation: "number", why: "string", inFlight: "number" },
  "worker.stopped": {
    worker: "string",
    incarnation: "number",
    why: "string",
    graceful: { optional: "boolean" },
    unreleased: { optional: "number" },
    abandoned: { optional: "number" },
  },
  "worker.backoff": { worker: "string", delayMs: "number", restarts: "number" },
  "worker.restarted": { worker: "string", restarts: "number" },
  "worker.paused": { worker: "string", durationMs: "number" },
  "worker.resumed": { worker: "string" },
  "worker.removed": { worker: "string" },
  "lease.acquired": { worker: "string", partition: "number", token: "number", previous: "string|null" },
  "lease.expired": { worker: "string", partition: "number", token: "number", expiredAt: "number" },
  "lease.released": { worker: "string", partition: "number", token: "number" },
  "lease.lost": { worker: "string", partition: "number", token: "number" },
  "account.created": { account: "string" },
  "account.deleted": { account: "string", schedules: "number" },
  "schedule.created": {
    schedule: "string",
    account: "string",
    cron: "string",
    partition: "number",
    destination: "string",
    next: "number|null",
  },
  "schedule.deleted": { schedule: "string", account: "string", by: "string", worker: { optional: "string" } },
  "schedule.paused": { schedule: "string", account: "string", paused: "boolean" },
  "schedule.quarantined": { schedule: "string", account: "string", by: "string" },
  "schedule.fired": { ...TASK, attempt: "number" },
  "task.committed": { ...TASK, next: "number|null" },
  "task.fenced": { ...TASK, token: "number" },
  "store.refused": {
    worker: "string",
    call: ["getAccount", "listSchedules", "claimDue", "commit"],
    schedule: { optional: "string" },
    account: { optional: "string" },
    partition: { optional: "number" },
    due: { optional: "number" },
    task: { optional: "string" },
  },
  "delivery.sent": { ...TASK, message: "string", attempt: "number", destination: "string" },
  "delivery.acked": { ...TASK, message: "string", attempt: "number", status: "number" },
  "delivery.failed": {
    ...TASK,
    message: "string",
    attempt: "number",
    status: "number",
    retryAt: "number|null",
    answers: { optional: "string" },
    fault: { optional: "number" },
  },
  "delivery.failure-dropped": {
    ...TASK,
    message: "string",
    attempt: "number",
    status: "number",
    ended: ["committed", "abandoned"],
    fault: { optional: "number" },
    rerun: { optional: ["restarted", "rolled back"] },
  },
  "delivery.dead-lettered": {
    ...TASK,
    message: "string",
    attempts: "number",
    retries: { optional: "number" },
  },
  "panic.recovered": {
    ...TASK,
    error: "string",
    location: { optional: "string" },
    attempt: "number",
    retryInMs: "number|null",
    token: { optional: "number" },
  },
  "task.quarantined": { ...TASK, attempts: "number" },
  "deploy.started": { scheduler: "string", fixes: "strings", workers: "number", stepDelayMs: "number" },
  "deploy.progressed": { worker: "string", index: "number" },
  "deploy.finished": {
    scheduler: "string",
    fixes: "strings",
    supersededBy: { optional: "number" },
    rolledOut: { optional: "boolean" },
  },
  "fleet.scaled": { from: "number", to: "number" },
  "operator.action": {
    action: "string",
    detail: "string",
    worker: { optional: "string" },
    applied: { optional: "boolean" },
    reason: { optional: "string" },
  },
  "fault.skipped": { fault: "string", worker: { optional: "string" }, reason: "string" },
  "fault.injected": {
    fault: "string",
    worker: { optional: "string" },
    detail: "string",
    probe: "number",
    schedule: { optional: "string" },
    task: { optional: "string" },
    armed: { optional: "number" },
    durationMs: { optional: "number" },
    account: { optional: "string" },
  },
  log: { worker: "string", level: ["warn", "error"], message: "string", schedule: { optional: "string" } },
  "metrics.sampled": {
    workersUp: "number",
    workersCrashLooping: "number",
    crashesLastMinute: "number",
    dueBacklog: "number",
    lagP50Ms: "number",
    lagP99Ms: "number",
  },
  "alert.fired": {
    rule: "string",
    metric: "string",
    value: "number",
    threshold: "number",
    forMs: { optional: "number" },
  },
  "alert.resolved": { rule: "string", metric: "string", value: "number" },
  "run.finished": { reason: "string", events: "number" },
};

/** A field of a trace event that is missing or of another kind than `EVENT_FIELD_KINDS` says. */
export interface EventFieldProblem {
  readonly field: string;
  /** What it should be, in words: `a string`, `"panic" or "killed"`. */
  readonly expected: string;
}

/**
 * The first field of `event` that breaks the catalogue, or null. Types the catalogue does not
 * know are not checked here (`isEventType` tells them); fields it does not list are let through.
 */
export function eventFieldProblem(event: Readonly<Record<string, unknown>>): EventFieldProblem | null {
  const type = String(event.type);
  if (!Object.hasOwn(EVENT_FIELD_KINDS, type)) return null;
  const kinds = (EVENT_FIELD_KINDS as Readonly<Record<string, Readonly<Record<string, FieldSpec>>>>)[type];
  for (const [field, spec] of Object.entries(kinds)) {
    const value = event[field];
    const optional = typeof spec === "object" && "optional" in spec;
    const kind = optional ? spec.optional : (spec as FieldKind);
    if (value === undefined && optional) continue;
    if (!hasKind(value, kind))
      return { field, expected: `${kindText(kind)}${optional ? " (or no field)" : ""}` };
  }
  return null;
}

function hasKind(value: unknown, kind: FieldKind): boolean {
  if (typeof kind !== "string") return kind.includes(value as string);
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "string|null":
      return value === null || typeof value === "string";
    case "number|null":
      return value === null || Number.isFinite(value);
    case "strings":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
  }
}

function kindText(kind: FieldKind): string {
  if (typeof kind !== "string") return kind.map((word) => JSON.stringify(word)).join(" or ");
  const text: Record<typeof kind, string> = {
    string: "a string",
    number: "a number",
    boolean: "true or false",
    "string|null": "a string or null",
    "number|null": "a number or null",
    strings: "a list of strings",
  };
  return text[kind];
}

/**
 * How a `clock-skew`'s `fault.injected` says what it set, in its `detail`: `w3 clock +5000 ms for
 * 120000 ms`. The one wording, written by the fault and read back by `retry-after-backoff` (the
 * trace has no field of the size, so that adding one would not change existing trace hashes).
 */
export function clockSkewDetail(worker: string, skewMs: number, how: string): string {
  return `${worker} clock ${skewMs >= 0 ? "+" : ""}${skewMs} ms${how}`;
}

/** The skew a `clockSkewDetail` says, in ms; undefined for words that do not say one. */
export function clockSkewOf(detail: string): number | undefined {
  const said = /^\S+ clock ([+-]\d+(?:\.\d+)?) ms(?:$| )/.exec(detail);
  if (said === null) return undefined;
  const skewMs = Number(said[1]);
  return Number.isFinite(skewMs) ? skewMs : undefined;
}

/*
 * The ids the world gives a task, which the trace carries as `task` and the checks read back: a
 * fire of a schedule is `schedule@due` (its due time in ms), a retry of a message is
 * `message#attempt` (a message's id often begins with its fire's task id, `schedule@due/m1`).
 * Made and read here alone, beside the other wordings the trace carries, so that a change of
 * format is one change. (`describeTask`, in the kernel, reads them too, for people: the kernel may
 * import nothing of the world.)
 */

/** The task id of the fire of `schedule` due at `due`. */
export function fireTaskId(schedule: string, due: number): string {
  return `${schedule}@${due}`;
}

/** The task id of retry `attempt` of the message whose id is `message`. */
export function retryTaskId(message: string, attempt: number): string {
  return `${message}#${attempt}`;
}

/** A retry's id ends in `#` and its attempt; a fire's in `@` and its due time. */
const RETRY_TASK_ID = /#\d+$/;

/** Whether `task` is a message retry's id, not a fire's (whatever the ids of its message hold). */
export function isRetryTaskId(task: string): boolean {
  return RETRY_TASK_ID.test(task);
}

/** Whether `task` is the id of a fire of `schedule`, not of a message retry nor of another schedule's fire. */
export function isFireTaskOf(task: string, schedule: string | undefined): boolean {
  return (
    schedule !== undefined && task.startsWith(`${schedule}@`) && /^\d+$/.test(task.slice(schedule.length + 1))
  );
}

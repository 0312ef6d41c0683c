/**
 * The Runtime port: everything a scheduler implementation may touch, the way the real Go
 * service is written against its runtime (clock, goroutines, store, HTTP, logger, error
 * reporter). Bundled and user-written schedulers see only this; nothing in the world knows
 * which scheduler is buggy.
 *
 * Blocking calls are generators: `const [account, err] = yield* rt.store.getAccount(id)`.
 * Fallible calls return Go-style `[value, error]` pairs; a thrown exception is a panic.
 */
import type { GoroutineBody, GoroutineContext, Op } from "../kernel/index.js";

/** A blocking call that returns T. */
export type Call<T> = Generator<Op, T, unknown>;

/** A Go-style result: the value and a null error, or an undefined value and an error. */
export type Result<T> = readonly [T, null] | readonly [undefined, Error];

/**
 * The fixes that can be switched on in the v2 scheduler: the one list of them, which v2
 * (`V2_FIXES`) and the scenario format (`SCHEDULER_FIXES`) take as theirs.
 */
export const FIXES = ["early-return", "panic-recovery"] as const;
export type Fix = (typeof FIXES)[number];

/**
 * Named points in a task handler where chaos can inject a panic (in the spirit of BUGGIFY): the
 * one list of them, which the scenario format takes as its `PANIC_POINTS`.
 */
export const FAULT_POINTS = [
  "before-account-read",
  "after-account-read",
  "before-delivery",
  "after-delivery",
  "before-commit",
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/**
 * An account's plan. It caps nothing: a schedule's `retries` (the scenario's `workload.retries`)
 * is the whole retry budget of its deliveries.
 */
export interface AccountPlan {
  readonly name: string;
}

/** An account row. A deleted account is absent: `getAccount` returns undefined (Go's nil). */
export interface Account {
  readonly id: string;
  readonly plan: AccountPlan;
}

/** A schedule row as the store returns it (a snapshot). */
export interface ScheduleInfo {
  readonly id: string;
  readonly account: string;
  readonly cron: string;
  readonly destination: string;
  readonly retries: number;
  readonly partition: number;
}

/** The message a schedule's firing produces. */
export interface Message {
  readonly id: string;
  readonly schedule: string;
  readonly account: string;
  readonly destination: string;
  readonly body: string;
  /** Retries allowed after the first attempt. */
  readonly retries: number;
}

/**
 * A unit of work claimed from a partition's due queue: the firing of a schedule for a due
 * time, or the retry of a message whose delivery failed.
 */
export type DueWork =
  | { readonly kind: "fire"; readonly schedule: ScheduleInfo; readonly due: number }
  | {
      readonly kind: "retry";
      readonly schedule: ScheduleInfo;
      readonly due: number;
      readonly message: Message;
      /** The retry number: 1 for the first retry. */
      readonly attempt: number;
    };

/**
 * A task's transaction: effects are buffered and applied together by `commit`; a task whose
 * goroutine panics never commits, so its work stays due for the next owner (at-least-once).
 */
export interface TaskTx {
  readonly task: string;
  readonly work: DueWork;
  readonly schedule: string;
  readonly account: string;
  readonly partition: number;
  readonly due: number;
  /** How many times this work has been started (by any worker), this one included. */
  readonly attempt: number;
  /**
   * Once `commit` has applied: when the store has this task's schedule due next (the store's
   * time, to compare with `rt.now()`; after a stall it may already have passed). Null before
   * that, after a refused commit, and when the schedule fires no more (the commit quarantined it).
   */
  readonly nextDueAt: number | null;
  /**
   * Buffer: delete a schedule, traced as a cleanup (`schedule.deleted`, `by: cleanup`). A cleanup
   * is for a deleted account's schedules: the checks hold a deletion of one whose account is not
   * deleted against the scheduler, and owe its fires all the same.
   */
  deleteSchedule(scheduleId: string): void;
  /** Buffer: take this task's schedule out of scheduling (a poison task). */
  quarantine(attempts: number): void;
  /** Buffer: deliver `message` again at `atMs` as retry number `attempt`. */
  retryLater(message: Message, attempt: number, atMs: number): void;
  /** Buffer: park `message` in the dead-letter queue. */
  deadLetter(message: Message, attempts: number): void;
  /**
   * Applies the buffered effects and advances the schedule. Fails if the partition lease was
   * lost (fencing), or if the store is unavailable: then the transaction rolls back and its
   * work is due again now, for the next claim. Either way the transaction is finished.
   */
  commit(): Call<Error | null>;
  /**
   * Gives the work back to the queue, due again now, with no effects (a transient failure). Not
   * for a failed send: that asks for `retryLater` or `deadLetter`, and a task that ends with one
   * it asked neither for is traced as `delivery.failure-dropped` (committed or abandoned).
   */
  abandon(): Call<void>;
  /**
   * A fresh transaction for the same work, as a new attempt (after a recovered panic): the
   * buffered effects are dropped, the attempt count goes up and the work is traced as fired again.
   * The failed sends of this one go on to it: one the new transaction ends without a retry or a
   * dead letter for, with no panic reported or injected in the task since it failed, is traced as
   * `delivery.failure-dropped` (`rerun: restarted`).
   */
  restart(): TaskTx;
  /**
   * A fresh transaction for the same attempt: the buffered effects are dropped and nothing fires
   * again. For committing another outcome of the attempt, such as a quarantine after its panic.
   * Its failed sends go on to the new transaction, as for `restart` (`rerun: rolled back`): a
   * retry asked there after its back-off answers them.
   */
  rollback(): TaskTx;
}

/** What a claim returns: the work claimed, and when more falls due in the partitions asked about. */
export interface Claim {
  readonly tasks: readonly TaskTx[];
  /** Earliest due time of work still queued in those partitions; null when nothing is queued. */
  readonly nextDueAt: number | null;
}

export interface StorePort {
  getAccount(accountId: string): Call<Result<Account | undefined>>;
  listSchedules(accountId: string): Call<Result<readonly ScheduleInfo[]>>;
  /**
   * Claims up to `limit` due units of work from owned partitions (one round trip), each as an
   * open transaction. Due by this worker's wall clock (`rt.now()`, skew included), as a
   * `next_fire <= now()` query sent with its own now: a clock behind claims late, one ahead
   * early. Partitions whose lease was lost meanwhile are skipped.
   */
  claimDue(partitions: readonly number[], limit: number): Call<Result<Claim>>;
}

export interface HttpResponse {
  /** HTTP status; 0 for a timeout or connection error. */
  readonly status: number;
  readonly ok: boolean;
}

export interface HttpPort {
  /**
   * POSTs the message to its destination; `attempt` 0 is the first delivery. `attempt` is an
   * integer from 0 (a retry task's: the retry it runs) to the schedule's retries: any other, as a
   * message not the task's schedule's or a send on a finished task, ends the process.
   */
  post(tx: TaskTx, message: Message, attempt: number): Call<HttpResponse>;
}

export interface Logger {
  info(message: string, schedule?: string): void;
  warn(message: string, schedule?: string): void;
  error(message: string, schedule?: string): void;
}

/** The error reporter (what Sentry would receive). */
export interface ErrorReporter {
  /** A panic in a task was recovered; `retryInMs` is null when the task is given up on. */
  recoveredPanic(error: unknown, tx: TaskTx, attempt: number, retryInMs: number | null): void;
}

export interface Runtime {
  /** This worker's id (`w3`). */
  readonly worker: string;
  /** Scheduler options from the scenario. */
  readonly options: Readonly<Record<string, string | number | boolean>>;
  /**
   * The worker's wall clock in ms since the Unix epoch (may be skewed by chaos; `claimDue` uses
   * it). For times compared with the store's, such as due times; not for measuring how long
   * something took.
   */
  now(): number;
  /**
   * The worker's monotonic clock in ms, counted from an arbitrary origin (Go's monotonic reading
   * behind `time.Since`): clock skew does not move it, so intervals measured on it (refreshes,
   * timeouts, rate limits) stay right when the wall clock jumps. Only differences mean anything.
   */
  monotonicMs(): number;
  /**
   * Blocks the calling goroutine: `yield rt.sleep(ms)`. A negative `ms` returns at once, as Go's
   * `time.Sleep` does (a wait computed as `next - rt.now()` that has passed); one that is not a
   * finite number (NaN, Infinity, text) is the caller's panic, a TypeError naming it.
   */
  sleep(ms: number): Op;
  /**
   * Starts a goroutine in this process. An exception escaping it terminates the process.
   * Pass the task it works on (like a pprof label) so a crash report can name it.
   */
  go(label: string, body: GoroutineBody, context?: GoroutineContext | TaskTx): void;
  /**
   * Partitions this worker believes it holds a lease on: its own view, which a pause or a store
   * outage leaves stale until its next heartbeat learns a lease ran out (`lease.lost`). Work
   * claimed from them is fenced at the store; a side effect outside it (a send) is not: check
   * `leaseExpiresAt` first.
   */
  ownedPartitions(): readonly number[];
  /**
   * When this worker's lease on `partition` runs out as it last learned it (its acquisition or
   * last renewal, plus the lease TTL), on the monotonic clock (`monotonicMs()`); null when it
   * holds none there (or is handing it back and no longer renews it). Past it the lease may be
   * another worker's already, though `ownedPartitions()` still lists it: a scheduler that sends
   * only while `rt.monotonicMs()` is short of it, with a margin, sends no fire another worker may
   * send too. Bundled schedulers do not call it.
   */
  leaseExpiresAt(partition: number): number | null;
  /** Maximum task goroutines this worker should run at once. */
  readonly concurrency: number;
  readonly store: StorePort;
  readonly http: HttpPort;
  readonly log: Logger;
  readonly errors: ErrorReporter;
  /** A named fault point: chaos may make it throw (an injected panic) or hang. */
  faultPoint(point: FaultPoint, tx: TaskTx): Call<void>;
}

/** A scheduler implementation: `main` runs as the worker's scheduler goroutine once it serves. */
export interface Scheduler {
  readonly name: string;
  readonly fixes: readonly string[];
  main(rt: Runtime): GoroutineBody;
}

/** Makes schedulers; the world makes a fresh one for every worker process it starts. */
export interface SchedulerFactory {
  readonly name: string;
  readonly description: string;
  /** Fix names this scheduler understands. */
  readonly fixes: readonly string[];
  /**
   * Set by the project's own schedulers (v1, v2) only: their Runtime port is not wrapped in the
   * guard that names a call the port lacks (`guardedPort`). The guard is a Proxy, and it made a
   * run take over half as long again; these schedulers never make such a call. A module's port
   * is always guarded: its factory is registered without the flag (`moduleFactory`).
   */
  readonly bundled?: true;
  create(fixes: readonly string[]): Scheduler;
}

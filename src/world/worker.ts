import {
  call,
  type GoroutineBody,
  type GoroutineContext,
  type Op,
  type PreparedEvent,
  park,
  printableText,
  type Rng,
  type SimProcess,
  type Simulation,
  sleep,
  type TimerHandle,
  type TraceValue,
  thrownText,
} from "../kernel/index.js";
import { describeTask } from "../kernel/time.js";
import { type ChaosState, type HttpWindow, httpFaultDetail, httpStrike } from "./chaos.js";
import {
  type FleetConfig,
  type SchedulerChoice,
  STORE_LATENCY_JITTER,
  type StoreConfig,
  type WorkloadConfig,
} from "./config.js";
import { emitEvent, prepareEvent } from "./emit.js";
import { fireTaskId, retryTaskId, type TaskFields } from "./events.js";
import {
  checkFaultPoint,
  checkPortMessage,
  checkPortNumber,
  checkPortPartitions,
  checkPortText,
  describeNonBody,
  isGoroutineBody,
  portMessageProblem,
  portNumberProblem,
} from "./port-args.js";
import { guardedPort } from "./port-guard.js";
import type {
  Account,
  Call,
  Claim,
  DueWork,
  ErrorReporter,
  FaultPoint,
  HttpPort,
  HttpResponse,
  Logger,
  Message,
  Result,
  Runtime,
  ScheduleInfo,
  Scheduler,
  StorePort,
  TaskTx,
} from "./runtime.js";
import type { DueItem, Store } from "./store.js";

export type SlotState = "serving" | "starting" | "backoff" | "stopping" | "stopped" | "removed";

/**
 * A graceful stop under way (deploy, restart, scale-down): the process claims no more work and
 * finishes the tasks it has under way, then releases its leases and exits (`World.stopWorker`).
 */
export interface Stopping {
  /** The process being stopped. */
  readonly process: SimProcess;
  /** Why (`deploy`, `restart`, `scale-down`), as `worker.stopped` says. */
  readonly why: string;
  /** When it exits whatever it has under way (the fleet's `shutdownGraceMs` after the stop began). */
  readonly deadline: number;
  /** The seq of `worker.stopping`. */
  readonly seq: number;
  /** What the slot starts once the process is gone (the last request's), or nothing (a scale-down). */
  next: SchedulerChoice | null;
  /** Told of the process started in its place (null if none), once it is: a rollout's next step. */
  readonly listeners: ((started: SimProcess | null) => void)[];
}

/**
 * Why a kill or pause of a worker (a fault's, or an operator's) finds no process to act on
 * (no slot: `random` with no live worker, or a worker the fleet does not have).
 */
export function noProcessReason(slot: WorkerSlot | undefined, worker = "random"): string {
  if (slot === undefined) {
    return worker === "random"
      ? "no worker has a live process to pick at random"
      : `no worker ${worker} in the fleet`;
  }
  // A scale-down's worker may still be finishing its tasks: out of the fleet, process or not.
  if (slot.state === "removed") return `${slot.id} was removed by a scale-down`;
  const why: Partial<Record<SlotState, string>> = {
    backoff: "waiting in back-off to be restarted",
    stopped: "stopped",
  };
  return `${slot.id} has no process (${why[slot.state] ?? slot.state})`;
}

/**
 * A worker's leases, partition -> token: a map that counts its changes, so that the sorted list
 * of partitions a scheduler asks for every tick is made again only when it changed.
 */
export class OwnedLeases extends Map<number, number> {
  version = 0;

  override set(partition: number, token: number): this {
    this.version++;
    return super.set(partition, token);
  }

  override delete(partition: number): boolean {
    this.version++;
    return super.delete(partition);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** A worker's place in the fleet (`w3`): its processes come and go, the slot stays. */
export class WorkerSlot {
  process: SimProcess | null = null;
  incarnation = 0;
  state: SlotState = "starting";
  restarts = 0;
  startedAt = 0;
  readyAt: number | null = null;
  restartTimer: TimerHandle | null = null;
  /** Leases this worker believes it holds: partition -> token. */
  readonly owned = new OwnedLeases();
  /**
   * Leases being handed back after a rebalance: no new work is claimed from them, and each is
   * released once its in-flight tasks finish (or after a lease TTL), so a rebalance does not
   * fence the commits of work already under way. Partition -> [token, since].
   */
  readonly draining = new Map<number, [number, number]>();
  /**
   * When each lease this worker holds or drains runs out as it learned at its acquisition (the
   * store's expiry, simulated time); a heartbeat since renews every lease it still holds to
   * `leaseRenewedUntil`. A worker paused past both does not know yet that the lease is gone, or
   * another's (`rt.leaseExpiresAt`).
   */
  readonly leaseExpiry = new Map<number, number>();
  /** The expiry the last heartbeat that reached the store renewed this worker's leases to. */
  leaseRenewedUntil = 0;
  /**
   * Seqs of this worker's `worker.crashed` events, and of `worker.stopped` events that left its
   * leases to expire, in order (causal links of expired leases).
   */
  readonly crashSeqs: number[] = [];
  /** When each of `crashSeqs` happened, index for index. */
  readonly crashTimes: number[] = [];
  paused = false;
  /**
   * How long its process has been frozen (`pause-worker`) by the pauses it has resumed from: a
   * process frozen while starting cannot finish starting, so its start-up lasts that much longer.
   */
  frozenMs = 0;
  /** A graceful stop under way, or null. */
  stopping: Stopping | null = null;

  /**
   * Whether a kill or a pause has a process of the fleet to signal: not one a scale-down removed
   * while it finishes its tasks, which is out of the fleet.
   */
  get signallable(): boolean {
    return this.process !== null && this.state !== "removed";
  }

  /** Moves to `state`, unless a scale-down removed the worker: that is for good. */
  settle(state: SlotState): void {
    if (this.state !== "removed") this.state = state;
  }
  /**
   * Transactions of tasks the process has under way (claimed, not yet committed, rolled back or
   * abandoned), whether or not the lease they were claimed under is still its own (one lost while
   * the process was frozen leaves the task running, to be fenced): what a graceful stop waits
   * for. Set to 0 when a process starts.
   */
  openTasks = 0;

  constructor(
    readonly id: string,
    public scheduler: SchedulerChoice,
  ) {}
}

/** What a worker needs from the world around it. */
export interface WorkerHost {
  readonly sim: Simulation;
  readonly store: Store;
  readonly chaos: ChaosState;
  readonly fleet: FleetConfig;
  readonly storeConfig: StoreConfig;
  readonly workload: WorkloadConfig;
  readonly schedulerOptions: Readonly<Record<string, string | number | boolean>>;
  readonly horizonMs: number;
  readonly rng: {
    readonly latency: Rng;
    readonly http: Rng;
    readonly store: Rng;
    readonly rebalance: Rng;
    readonly chaos: Rng;
  };
  makeScheduler(choice: SchedulerChoice): Scheduler;
  /** Whether a scheduler's Runtime port is guarded (`SchedulerFactory.bundled`: not for v1 and v2). */
  guardsPort(choice: SchedulerChoice): boolean;
  /** Where in the scheduler module `thrown` came from (`panicLocation`), or undefined. */
  panicLocation(choice: SchedulerChoice, thrown: unknown): string | undefined;
  onWorkerReady(slot: WorkerSlot): void;
  onDeliveryAcked(lagMs: number): void;
}

/**
 * A failed store call, returned to the scheduler as an error value (Go style), not thrown. It
 * carries no stack: capturing one through the goroutine's generators cost about 13 µs a time
 * (a store outage fails every call), and nothing reads it (errors are told by name and message).
 */
class StoreFailure extends Error {
  override readonly name = "StoreError";

  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/**
 * The main goroutine of a worker process: start up, then serve (heartbeat, rebalance and the
 * scheduler's own loop, each in its goroutine).
 */
export function* workerMain(
  host: WorkerHost,
  slot: WorkerSlot,
  process: SimProcess,
  initial: boolean,
): GoroutineBody {
  if (!initial) {
    // Start-up runs while the process does: time frozen by a pause does not count, so it ends
    // start-up time after the start plus the time frozen (the wake-up a pause parked runs late,
    // at the resume, and waits out what is left from there). Each round follows a pause: bounded.
    const startupMs = host.fleet.startupTimeMs;
    let leftMs = startupMs;
    while (leftMs > 0) {
      yield sleep(leftMs);
      leftMs = startupMs - (host.sim.now - slot.startedAt - slot.frozenMs);
    }
  }
  host.onWorkerReady(slot);
  const guarded = host.guardsPort(slot.scheduler);
  const runtime = new WorkerRuntime(host, slot, process, guarded);
  const rt = guarded ? guardedPort(runtime, "rt", RUNTIME_CALLS, strangerOf(host, process)) : runtime;
  startHeartbeat(host, slot, process);
  // A process joining a running fleet counts in everyone's fair share from now on, so it looks
  // for free leases at once rather than a rebalance interval later (the initial fleet already
  // holds its leases).
  startRebalance(host, slot, process, !initial);
  // A factory whose `create` gave no scheduler (the CLI checks modules before any run; the API
  // does not) fails here, as a `main` that gives no generator does below: said as what was
  // wrong, a panic of the scheduler goroutine, not as a property read of null.
  const made: unknown = host.makeScheduler(slot.scheduler);
  const main: unknown =
    typeof (made as Partial<Scheduler> | null)?.main === "function"
      ? (made as Scheduler).main(rt)
      : panicking(
          new TypeError(
            `create(${JSON.stringify(slot.scheduler.fixes)}) returned ${made !== null && typeof made === "object" ? "an object without main(rt)" : describeNonBody(made)}, expected a scheduler { name, fixes, main(rt) }`,
          ),
        );
  // Anything else would fail inside the kernel, in its own words; this says what was wrong, as a
  // panic of the scheduler goroutine.
  const body = isGoroutineBody(main)
    ? main
    : panicking(
        new TypeError(`main(rt) returned ${describeNonBody(main)}, expected a generator (function*)`),
      );
  // A module whose loop ended (one claim, no `for (;;)`) leaves its worker looking up and
  // serving while every due is missed: said by an event of its own.
  host.sim.go(process, "scheduler", body, {
    onReturn: () =>
      emitEvent(host.sim, "scheduler.returned", { worker: slot.id, incarnation: slot.incarnation }),
  });
}

/** A goroutine that panics with `error` as soon as it runs. */
// biome-ignore lint/correctness/useYield: it throws before it could yield
function* panicking(error: Error): GoroutineBody {
  throw error;
}

/** A worker's wall clock: true time moved by the clock skew its host has now, if any. */
function wallClockMs(host: WorkerHost, slot: WorkerSlot): number {
  // Most worlds skew no clock: no lookup by name then (the dispatcher reads the clock every tick).
  const skews = host.chaos.clockSkewMs;
  return skews.size === 0 ? host.sim.now : host.sim.now + (skews.get(slot.id) ?? 0);
}

function storeLatency(host: WorkerHost): number {
  const base = host.storeConfig.latencyMs;
  return (
    (base > 0 ? host.rng.latency.jitterMs(base, STORE_LATENCY_JITTER) : 0) + host.chaos.storeExtraLatencyMs
  );
}

function storeDown(host: WorkerHost): boolean {
  if (host.chaos.storeOutage) return true;
  const rate = host.storeConfig.failureRate;
  return rate > 0 && host.rng.store.next() < rate;
}

/**
 * The worker's own machinery (the heartbeat, the rebalance tick): not code under test, and a third
 * of a generated world's kernel events. It runs as a chain of the process's timers (dropped when it
 * dies, held while it is paused, as a goroutine's steps are) rather than as a goroutine, which costs
 * a generator step and an op per event. The chain's events are the ones the loop
 * `for (;;) { yield sleep(waitMs()); yield call(storeLatency, work) }` would queue (its first sleep
 * skipped when `atOnce`), at the same times, in the same order, with the same cause, each wait and
 * latency drawn in the step that queues it: a first step at once, the wait, the store's answer.
 */
function storeLoop(
  host: WorkerHost,
  process: SimProcess,
  waitMs: () => number,
  work: () => void,
  atOnce: boolean,
): void {
  const { sim } = host;
  const cause = sim.cause;
  const ask = (): void => {
    sim.timer(process, storeLatency(host), answered, cause);
  };
  const wait = (): void => {
    sim.timer(process, waitMs(), ask, cause);
  };
  const answered = (): void => {
    work();
    wait();
  };
  sim.timer(process, 0, atOnce ? ask : wait, cause);
}

/** Renews this worker's leases every heartbeat; leases it fails to renew are lost. */
function startHeartbeat(host: WorkerHost, slot: WorkerSlot, process: SimProcess): void {
  const beatMs = host.fleet.heartbeatMs;
  const renew = (): void => {
    const lost = renewLeases(host, slot);
    if (lost !== null) forgetLost(host, slot, lost);
  };
  storeLoop(host, process, () => beatMs, renew, false);
}

/** The leases a heartbeat failed to renew, still held by this tenure: no longer owned. */
function forgetLost(host: WorkerHost, slot: WorkerSlot, lost: readonly [number, number][]): void {
  for (let i = 0; i < lost.length; i++) {
    const [partition, token] = lost[i];
    if (slot.owned.get(partition) !== token) continue;
    slot.owned.delete(partition);
    slot.leaseExpiry.delete(partition);
    emitEvent(host.sim, "lease.lost", { worker: slot.id, partition, token });
  }
}

/** Nothing lost at a heartbeat (shared: never added to). */
const NONE_LOST: [number, number][] = [];

/**
 * The store side of a heartbeat: renews the membership and the leases held, releases the drained
 * ones; the leases it failed to renew, or null when the store was down.
 */
function renewLeases(host: WorkerHost, slot: WorkerSlot): [number, number][] | null {
  const { sim, store } = host;
  if (storeDown(host)) return null;
  // A worker that is stopping left the membership as it began to: it takes no share any more.
  if (slot.stopping === null) store.registerMember(slot.id);
  let gone = NONE_LOST;
  // Every lease renewed below runs out then; one not renewed is no longer held.
  slot.leaseRenewedUntil = sim.now + host.fleet.leaseTtlMs;
  for (const [partition, token] of slot.owned) {
    if (store.renew(slot.id, partition, token)) continue;
    if (gone === NONE_LOST) gone = [];
    gone.push([partition, token]);
  }
  if (slot.draining.size === 0) return gone;
  // A rebalance's drain gives up after a lease TTL; a stop's waits for its own grace (`World.stopWorker`).
  const giveUpAfterMs = slot.stopping === null ? host.fleet.leaseTtlMs : Number.POSITIVE_INFINITY;
  for (const [partition, [token, since]] of slot.draining) {
    const drained = store.inflightUnder(partition, token) === 0;
    if (drained || sim.now - since >= giveUpAfterMs || !store.renew(slot.id, partition, token)) {
      store.release(slot.id, partition, token);
      slot.draining.delete(partition);
      slot.leaseExpiry.delete(partition);
    }
  }
  return gone;
}

/**
 * Takes free or expired partitions up to a fair share, and gives back any above it. The share is
 * `floor` or `ceil` of partitions per member. A member below the floor (one that just joined)
 * takes up to the ceiling; the others leave it as many released partitions as it lacks, and when
 * too few are free they give back their own above the floor, so that ownership converges to floor
 * or ceil each and no member is left idle while others hold more than the floor.
 *
 * A partition whose lease expired is an orphan: its owner died or froze, and its dues wait. It is
 * not left for a member that lacks partitions (that member may be about to go too: a rolling
 * deploy stops it, a second death takes it), and takers take orphans first, the longest orphaned
 * first, so that every orphan is taken by the first rebalance tick after its expiry that has room
 * for it, whatever else the fleet is doing: within lease TTL plus one rebalance interval of its
 * owner's last renewal (ticks are jittered ±10 %, so up to 1.1 intervals, plus the store's
 * latency for the taking) while the survivors' share has room (a member that died too, a moment
 * later, or the dead member's own next process that registered and died in turn, counts in the
 * share until its registration runs out with its leases, and takes that room until then). If the member that lacked partitions stays, the others give back on later ticks,
 * released, what it still lacks, as they do for a member that joins. A lease that its own holder
 * finds run out at a late renewal (after a pause) is dropped by the store and counts as released:
 * that holder, short by it, is the member it is kept for, and takes it back at its next tick.
 */
function startRebalance(host: WorkerHost, slot: WorkerSlot, process: SimProcess, atOnce: boolean): void {
  const waitMs = (): number => host.rng.rebalance.jitterMs(host.fleet.rebalanceIntervalMs, 0.1);
  storeLoop(host, process, waitMs, () => rebalanceOnce(host, slot), atOnce);
}

/** The store side of a rebalance tick (see `startRebalance`). */
function rebalanceOnce(host: WorkerHost, slot: WorkerSlot): void {
  const { store } = host;
  // A worker that is stopping takes nothing more; its leases drain as its tasks finish.
  if (storeDown(host) || slot.stopping !== null) return;
  const partitions = store.partitionCount;
  // Membership is renewed with the leases (heartbeat), not here: a tick that renewed it
  // would keep a worker that dies just after counted in the share after its leases ran out.
  const fleet = store.fleetView(slot.id);
  const members = fleet.workers.length;
  const shareMin = Math.floor(partitions / members);
  const shareMax = Math.ceil(partitions / members);
  let othersShort = 0;
  // Index 0 is this worker.
  for (let i = 1; i < members; i++) othersShort += Math.max(0, shareMin - fleet.held[i]);
  const now = host.sim.now;
  // Counted first: the list is wanted only on the rare tick that takes a partition.
  const { free, orphans } = freePartitionCounts(store, now);
  const spare = free - othersShort;
  const owned = slot.owned.size;
  const excess = owned > shareMax ? owned - shareMax : spare < 0 ? Math.min(owned - shareMin, -spare) : 0;
  if (excess > 0) {
    const mine = [...slot.owned.keys()].sort((a, b) => b - a);
    for (const partition of mine.slice(0, excess)) {
      // Stop claiming from it now; the heartbeat releases it once its tasks finish.
      slot.draining.set(partition, [slot.owned.get(partition)!, now]);
      slot.owned.delete(partition);
    }
    return;
  }
  // Below the floor, up to the ceiling; at or above it, orphans and the released partitions the
  // others do not need.
  const released = free - orphans;
  const wanted =
    owned < shareMin
      ? shareMax - owned
      : Math.min(shareMax - owned, orphans + Math.max(0, released - othersShort));
  if (wanted <= 0) return;
  let taken = 0;
  // Shuffled, then orphans first by expiry (a stable sort keeps the shuffle among equals).
  const candidates = host.rng.rebalance.shuffle(freePartitions(store, now));
  candidates.sort((a, b) => freedOrder(store, a) - freedOrder(store, b));
  for (const partition of candidates) {
    if (taken >= wanted) break;
    const token = store.acquire(slot.id, partition);
    if (token < 0) continue;
    slot.owned.set(partition, token);
    slot.leaseExpiry.set(partition, store.lease(partition).expiresAt);
    taken++;
  }
}

/** Whether a partition's lease is free or has run out at `now`. */
function leaseFree(store: Store, partition: number, now: number): boolean {
  const lease = store.lease(partition);
  return lease.owner === null || lease.expiresAt <= now;
}

/**
 * How many partitions `freePartitions` would list, and how many of them are orphans: their lease
 * ran out (rather than being released, or never granted).
 */
function freePartitionCounts(store: Store, now: number): { readonly free: number; readonly orphans: number } {
  let free = 0;
  let orphans = 0;
  for (let p = 0; p < store.partitionCount; p++) {
    const lease = store.lease(p);
    if (lease.owner === null) free++;
    else if (lease.expiresAt <= now) {
      free++;
      orphans++;
    }
  }
  return { free, orphans };
}

/**
 * Where a free partition comes among the ones to take: an orphan by when its lease ran out (the
 * longest orphaned first), before any released or never granted (which all come alike, last).
 */
function freedOrder(store: Store, partition: number): number {
  const lease = store.lease(partition);
  return lease.owner === null ? Number.MAX_SAFE_INTEGER : lease.expiresAt;
}

/** Partitions whose lease is free or has run out, in partition order. */
function freePartitions(store: Store, now: number): number[] {
  const free: number[] = [];
  for (let p = 0; p < store.partitionCount; p++) if (leaseFree(store, p, now)) free.push(p);
  return free;
}

/** What `rt` has, in the order the port lists it (said by a panic on a name it lacks). */
const RUNTIME_CALLS: readonly string[] = [
  "worker",
  "options",
  "concurrency",
  "now",
  "monotonicMs",
  "sleep",
  "go",
  "ownedPartitions",
  "leaseExpiresAt",
  "store",
  "http",
  "log",
  "errors",
  "faultPoint",
];

/** The error reporter of one worker: a recovered panic is traced (what Sentry would receive). */
function errorReporter(host: WorkerHost, slot: WorkerSlot): ErrorReporter {
  return {
    recoveredPanic: (error, tx, attempt, retryInMs) => {
      host.sim.portCall();
      // Each goes into the trace as it is: a reader of the trace takes them for what they say.
      checkTask("rt.errors.recoveredPanic", tx);
      checkPortNumber("rt.errors.recoveredPanic", "attempt", attempt, 0, true);
      if (retryInMs !== null) checkPortNumber("rt.errors.recoveredPanic", "retryInMs", retryInMs, 0, false);
      emitEvent(host.sim, "panic.recovered", {
        ...taskFields(tx, slot.id),
        error: thrownText(error),
        location: host.panicLocation(slot.scheduler, error),
        attempt,
        retryInMs,
        // Which tenure's goroutine panicked: the checks cannot tell two of one task apart otherwise.
        ...(tx instanceof Tx ? { token: tx.token } : {}),
      });
      if (tx instanceof Tx) tx.notePanic();
    },
  };
}

/**
 * Why the code running may not use the runtime of `process`, or null: code of another process
 * (another worker's, or a later process of the same worker) was given it. A module that keeps `rt`
 * in a module-level variable does that: the simulated workers run one copy of the module, where
 * each real process has its own, so its tasks would run, unseen, as goroutines of whichever
 * process set it last, or not at all once that process died.
 */
function strangerOf(host: WorkerHost, process: SimProcess): () => string | null {
  return () => {
    const running = host.sim.running;
    if (running === null || running.process === process) return null;
    const dead = process.state === "dead" ? ", whose process has died" : "";
    return `called by code of ${running.process.name} with the runtime of ${process.name}${dead}: each process has its own rt, the one main(rt) is given (a module-level variable that keeps one is shared by all the simulated workers)`;
  };
}

/** The Runtime port of one worker process. */
class WorkerRuntime implements Runtime {
  readonly worker: string;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly concurrency: number;
  readonly store: StorePort;
  readonly http: HttpPort;
  readonly log: Logger;
  readonly errors: ErrorReporter;
  private ownedSorted: readonly number[] = [];
  private ownedVersion = -1;
  /** The true time the monotonic clock counts from (when the process began serving). */
  private readonly monotonicOriginMs: number;
  /** The last `sleep` op given, and its ms (NaN: none kept), for a scheduler whose port is not guarded. */
  private sleepMs = Number.NaN;
  private sleepOp: Op | null = null;

  constructor(
    private readonly host: WorkerHost,
    private readonly slot: WorkerSlot,
    private readonly process: SimProcess,
    private readonly guarded: boolean,
  ) {
    this.monotonicOriginMs = host.sim.now;
    this.worker = slot.id;
    this.options = slot.scheduler.options ?? host.schedulerOptions;
    this.concurrency = host.fleet.concurrency;
    const stranger = strangerOf(host, process);
    const guard = <T extends object>(port: T, name: string, calls: readonly string[]): T =>
      guarded ? guardedPort(port, name, calls, stranger) : port;
    this.store = guard(new StoreClient(host, slot), "rt.store", ["getAccount", "listSchedules", "claimDue"]);
    this.http = guard(new HttpClient(host, slot), "rt.http", ["post"]);
    this.log = guard(makeLogger(host, slot), "rt.log", ["info", "warn", "error"]);
    this.errors = guard(errorReporter(host, slot), "rt.errors", ["recoveredPanic"]);
  }

  now(): number {
    this.host.sim.portCall();
    return wallClockMs(this.host, this.slot);
  }

  monotonicMs(): number {
    this.host.sim.portCall();
    // Clock skew moves the wall clock only, as stepping the system clock leaves CLOCK_MONOTONIC.
    return this.host.sim.now - this.monotonicOriginMs;
  }

  sleep(ms: number): Op {
    this.host.sim.portCall();
    if (ms === this.sleepMs) return this.sleepOp!;
    // A negative time returns at once, as Go's time.Sleep does; Infinity would never come (a
    // goroutine that waits for ever blocks on something, not on time), and text or NaN are bugs.
    checkPortNumber("rt.sleep", "ms", ms, null, false);
    const op = sleep(ms);
    // A bundled scheduler sleeps the same tick again and again: its op is kept and given again
    // (the kernel keeps no op). A user module's is its own each time, as it may do what it likes with it.
    if (!this.guarded) {
      this.sleepMs = ms;
      this.sleepOp = op;
    }
    return op;
  }

  go(label: string, body: GoroutineBody, context?: GoroutineContext | TaskTx): void {
    this.host.sim.portCall();
    if (!isGoroutineBody(body))
      throw new TypeError(
        `rt.go(${JSON.stringify(label)}, …) was given ${describeNonBody(body)}, expected a generator`,
      );
    if (context instanceof Tx) {
      this.host.sim.go(this.process, label, body, {
        cause: context.firedSeq,
        context: {
          schedule: context.schedule,
          account: context.account,
          task: context.task,
          partition: context.partition,
        },
      });
      return;
    }
    this.host.sim.go(this.process, label, body, { context: context as GoroutineContext | undefined });
  }

  /** The same array while the leases are unchanged (a scheduler may compare it by identity). */
  ownedPartitions(): readonly number[] {
    this.host.sim.portCall();
    const owned = this.slot.owned;
    if (this.ownedVersion !== owned.version) {
      this.ownedSorted = [...owned.keys()].sort((a, b) => a - b);
      this.ownedVersion = owned.version;
    }
    return this.ownedSorted;
  }

  leaseExpiresAt(partition: number): number | null {
    this.host.sim.portCall();
    checkPortNumber("rt.leaseExpiresAt", "partition", partition, 0, true);
    const slot = this.slot;
    if (!slot.owned.has(partition) && !slot.draining.has(partition)) return null;
    const acquired = slot.leaseExpiry.get(partition);
    if (acquired === undefined) return null;
    return Math.max(acquired, slot.leaseRenewedUntil) - this.monotonicOriginMs;
  }

  faultPoint(point: FaultPoint, tx: TaskTx): Call<void> {
    this.host.sim.portCall();
    // Checked whether or not chaos is armed: a run without faults says so as one with them would.
    checkFaultPoint(point);
    checkTask("rt.faultPoint", tx);
    // Five fault points per task: without armed rules, no generator is made for them.
    if (!this.host.chaos.taskRulesActive) return NO_FAULT;
    return this.armedFaultPoint(point, tx);
  }

  private *armedFaultPoint(point: FaultPoint, tx: TaskTx): Call<void> {
    const chaos = this.host.chaos;
    const probe = chaos.probe(point);
    // Over copies: a rule spent here leaves the list (`ChaosState.spend`), and a hang sleeps in it.
    for (const rule of [...chaos.hangRules]) {
      if (rule.remaining <= 0 || rule.schedule !== tx.schedule || point !== "before-delivery") continue;
      chaos.spend(chaos.hangRules, rule);
      chaos.fire("hang", rule.armed);
      emitEvent(this.host.sim, "fault.injected", {
        fault: "hang",
        worker: this.slot.id,
        detail: `task ${tx.task} hangs for ${rule.durationMs} ms`,
        probe,
        schedule: tx.schedule,
        task: tx.task,
        armed: rule.armed,
        // A hang with no duration never ends: it has no end to trace.
        durationMs: rule.durationMs < Number.MAX_SAFE_INTEGER ? rule.durationMs : undefined,
      });
      yield sleep(Math.min(rule.durationMs, this.host.horizonMs - this.host.sim.now + 1));
    }
    for (const rule of [...chaos.panicRules]) {
      if (rule.remaining <= 0 || rule.point !== point) continue;
      if (rule.schedule !== undefined && rule.schedule !== tx.schedule) continue;
      if (rule.account !== undefined && rule.account !== tx.account) continue;
      if (rule.probability < 1 && !(this.host.rng.chaos.next() < rule.probability)) continue;
      chaos.spend(chaos.panicRules, rule);
      chaos.fire("inject-panic", rule.armed);
      const seq = emitEvent(this.host.sim, "fault.injected", {
        fault: "inject-panic",
        worker: this.slot.id,
        detail: `panic injected at ${point} in task ${tx.task}`,
        probe,
        schedule: tx.schedule,
        task: tx.task,
        armed: rule.armed,
      });
      // The panic, and whatever it leads to (a recovery, or the process's death), follows from it.
      this.host.sim.setCause(seq);
      if (tx instanceof Tx) tx.notePanic();
      throw new Error(`injected panic at ${point}`);
    }
  }
}

/** A fault point with nothing armed: a finished generator, so `yield*` on it returns at once. */
const NO_FAULT: Call<void> = (function* (): Call<void> {})();
NO_FAULT.next();

/**
 * A log line's message and schedule as the trace keeps them: text with its control characters
 * written out (`printableText`); a message that is not text (an Error logged as it is) as
 * `thrownText` says it.
 */
function logFields(
  message: unknown,
  schedule: string | undefined,
): { message: string; schedule: string | undefined } {
  const text = typeof message === "string" ? printableText(message) : thrownText(message);
  return { message: text, schedule: typeof schedule === "string" ? printableText(schedule) : schedule };
}

function makeLogger(host: WorkerHost, slot: WorkerSlot): Logger {
  return {
    info: () => host.sim.portCall(),
    warn: (message, schedule) => {
      host.sim.portCall();
      emitEvent(host.sim, "log", { worker: slot.id, level: "warn", ...logFields(message, schedule) });
    },
    error: (message, schedule) => {
      host.sim.portCall();
      emitEvent(host.sim, "log", { worker: slot.id, level: "error", ...logFields(message, schedule) });
    },
  };
}

function taskFields(tx: TaskTx, worker: string): TaskFields {
  return {
    worker,
    schedule: tx.schedule,
    account: tx.account,
    partition: tx.partition,
    due: tx.due,
    task: tx.task,
  };
}

class StoreClient implements StorePort {
  constructor(
    private readonly host: WorkerHost,
    private readonly slot: WorkerSlot,
  ) {}

  *getAccount(accountId: string): Call<Result<Account | undefined>> {
    const host = this.host;
    host.sim.portCall();
    // An id that is not text finds no account, which reads as one deleted.
    checkPortText("rt.store.getAccount", "accountId", accountId);
    const result = yield call(storeLatency(host), () =>
      storeDown(host) ? this.refused("getAccount", accountId) : [host.store.accounts.get(accountId), null],
    );
    return completed("rt.store.getAccount", result) as Result<Account | undefined>;
  }

  *listSchedules(accountId: string): Call<Result<readonly ScheduleInfo[]>> {
    const host = this.host;
    host.sim.portCall();
    checkPortText("rt.store.listSchedules", "accountId", accountId);
    const result = yield call(storeLatency(host), () =>
      storeDown(host) ? this.refused("listSchedules", accountId) : [host.store.schedulesOf(accountId), null],
    );
    return completed("rt.store.listSchedules", result) as Result<readonly ScheduleInfo[]>;
  }

  *claimDue(partitions: readonly number[], limit: number): Call<Result<Claim>> {
    checkPortPartitions("rt.store.claimDue", partitions);
    checkPortNumber("rt.store.claimDue", "limit", limit, 0, true);
    const host = this.host;
    host.sim.portCall();
    const slot = this.slot;
    const result = yield call(storeLatency(host), (): Result<Claim> => {
      if (storeDown(host)) return this.refused("claimDue");
      const tasks: TaskTx[] = [];
      let nextDueAt: number | null = null;
      // Due by the worker's clock, read when the query runs (no skew: the store's own time).
      const nowMs = wallClockMs(host, slot);
      for (const partition of partitions) {
        const token = slot.owned.get(partition);
        if (token === undefined) continue;
        const items =
          tasks.length < limit
            ? host.store.claimDue(slot.id, partition, token, limit - tasks.length, nowMs)
            : [];
        if (items === null) continue;
        for (const item of items) {
          const work = host.store.workOf(item);
          if (work === null) {
            host.store.complete(item, token);
            continue;
          }
          tasks.push(new Tx(host, slot, item, work, token));
        }
        const next = host.store.nextDueAt(partition);
        if (next !== null && (nextDueAt === null || next < nextDueAt)) nextDueAt = next;
      }
      return [{ tasks, nextDueAt }, null];
    });
    return completed("rt.store.claimDue", result) as Result<Claim>;
  }

  /** A call the store refused: traced (with the account a read was of), and the error the scheduler gets. */
  private refused(
    call: "getAccount" | "listSchedules" | "claimDue",
    account?: string,
  ): [undefined, StoreFailure] {
    emitEvent(this.host.sim, "store.refused", { worker: this.slot.id, call, account });
    return [undefined, new StoreFailure("store unavailable")];
  }
}

/**
 * The result of a store call the kernel completed: always a `[value, error]` pair. A scheduler
 * that forgets `yield*` (`const [account, err] = rt.store.getAccount(id)`) iterates the call's
 * generator itself: its Op never reaches the kernel and the generator goes on with undefined.
 * That is the caller's panic, naming the call, rather than a TypeError later about whatever the
 * destructuring got. (A check of the value, not a wrapping generator: store calls are hot.)
 */
function completed(name: string, result: unknown): unknown {
  if (result === undefined)
    throw new TypeError(
      `${name}(…) was iterated, not yielded to the runtime, so it never ran: call it with yield* (const [value, err] = yield* ${name}(…))`,
    );
  return result;
}

/**
 * A retry or dead letter buffered by a task; `failed`: the message's failed answer when it was
 * asked for, which a later 2xx to the same message clears from the task's answers, but not from
 * what the retry answers.
 */
type Effect =
  | { readonly kind: "delete"; readonly schedule: string }
  | { readonly kind: "quarantine"; readonly attempts: number }
  | {
      readonly kind: "retry";
      readonly message: Message;
      readonly attempt: number;
      readonly atMs: number;
      readonly failed: FailedAnswer | undefined;
    }
  | {
      readonly kind: "dead-letter";
      readonly message: Message;
      readonly attempts: number;
      readonly failed: FailedAnswer | undefined;
    };

/** The failed send a retry or dead letter answers: its message id, and the destination's status. */
interface MatchedAnswer {
  readonly message: string;
  readonly status: number;
  /** The `fault.injected` of the HTTP fault that answered it, if one did. */
  readonly fault?: number;
}

/** How a transaction ends that hands its work on to a new one: `tx.restart()` or `tx.rollback()`. */
type Rerun = "restarted" | "rolled back";

/**
 * The destination's failed answer to a send: its HTTP status (0: no answer in time), and the
 * send's attempt. A restart or rollback carries it on to the transaction it makes, marked so.
 */
interface FailedAnswer {
  readonly attempt: number;
  readonly status: number;
  /** The `fault.injected` of the HTTP fault that answered it, if one did. */
  readonly fault?: number;
  /** How the transaction it failed in ended, when a restart or rollback carried it on to a new one. */
  rerun?: Rerun;
  /**
   * Whether a panic came in its task since it failed (one injected in the task, or one its
   * scheduler reported recovered): a restart or rollback after it is the panic's rule, which
   * `poison-task-isolated` judges, so a carried failure it covers is not traced as dropped.
   */
  covered?: true;
}

/** A task transaction: buffered effects applied by `commit`, fenced by the lease token. */
class Tx implements TaskTx {
  readonly task: string;
  readonly schedule: string;
  readonly account: string;
  readonly partition: number;
  readonly due: number;
  readonly attempt: number;
  /** What this task's events follow from: its `schedule.fired`, or for a retry the `delivery.failed` that asked for it. */
  readonly firedSeq: number | null;
  private effects: Effect[] = [];
  private committedNextDueAt: number | null = null;
  private done = false;
  /** How the transaction finished, once `done`: said by a panic on an effect buffered after it. */
  private finishedBy = "";
  /**
   * The destination's last answer to each message this task sent, when it failed: its status (0:
   * no answer in time) and the attempt the send said; a later 2xx to the message clears it.
   */
  private failedAnswers: Map<string, FailedAnswer> | null = null;
  /** The process it was claimed by (`WorkerSlot.incarnation`), whose `openTasks` count it. */
  private readonly incarnation: number;
  /** Whether `openTasks` counts it: not one made from a transaction finished already. */
  private counted = true;

  constructor(
    private readonly host: WorkerHost,
    private readonly slot: WorkerSlot,
    private readonly item: DueItem,
    readonly work: DueWork,
    /** The lease token the work was claimed under: its fencing token. */
    readonly token: number,
    /** The fire of the attempt this transaction continues (`rollback`): no new fire is traced. */
    continues?: number | null,
  ) {
    this.incarnation = slot.incarnation;
    slot.openTasks++;
    this.schedule = work.schedule.id;
    this.account = work.schedule.account;
    this.partition = work.schedule.partition;
    this.due = work.due;
    this.attempt = item.starts;
    this.task =
      work.kind === "fire" ? fireTaskId(this.schedule, this.due) : retryTaskId(work.message.id, work.attempt);
    if (continues !== undefined) {
      this.firedSeq = continues;
    } else if (work.kind === "fire") {
      const lease = host.store.lease(this.partition);
      const cause = lease.token === token && lease.acquiredSeq !== null ? lease.acquiredSeq : host.sim.cause;
      this.firedSeq = emitTaskEvent(host.sim, FIRED, cause, slot.id, this, this.attempt);
    } else {
      // A retry follows from the failure that asked for it, whoever claims it and whenever.
      this.firedSeq = item.retry!.failedSeq;
    }
  }

  get nextDueAt(): number | null {
    return this.committedNextDueAt;
  }

  /**
   * An effect buffered on a finished transaction would never apply (a scheduler that commits
   * before it delivers, then asks for a retry): the caller's panic, rather than an effect lost
   * without a word.
   */
  private finish(how: string): void {
    if (!this.done && this.counted && this.slot.incarnation === this.incarnation) this.slot.openTasks--;
    this.done = true;
    this.finishedBy = how;
  }

  private checkOpen(call: string): void {
    if (this.done)
      throw new TypeError(
        `${call}: ${this.finishedText()}; an effect buffered now would never apply${this.beforeCommit(`call ${call}`)}`,
      );
  }

  private finishedText(): string {
    return `the transaction of task ${describeTask(this.task)} has finished (${this.finishedBy})`;
  }

  /**
   * `: send before tx.commit()`: what a module that acted on its committed transaction changes. A
   * transaction finished otherwise (abandoned, rolled back, refused) has no one fix to name.
   */
  private beforeCommit(act: string): string {
    return this.finishedBy === "committed" ? `: ${act} before tx.commit()` : "";
  }

  /**
   * Why this task cannot vouch for a send of `message`, or null: on a finished transaction (a
   * task kept past its commit), of a message that is not its schedule's (another schedule's or
   * account's, say a deleted one's kept from its last fire), or to another place than the
   * schedule's destination as the store has it. The delivery would be traced as this task's,
   * and no property could tell it was not. The message id is the scheduler's own naming (a retry
   * reuses its message's), so it is not judged here.
   */
  sendRefusal(message: Message): string | null {
    if (this.done)
      return `${this.finishedText()}; a message sent now would be no task's delivery${this.beforeCommit("send")}`;
    if (message.schedule !== this.schedule || message.account !== this.account)
      return `message ${describeTask(message.id)} is schedule ${message.schedule}'s of account ${message.account}, not task ${describeTask(this.task)}'s (schedule ${this.schedule} of account ${this.account})`;
    const destination = this.work.schedule.destination;
    if (message.destination !== destination)
      return `message ${describeTask(message.id)} goes to ${message.destination}, not to schedule ${this.schedule}'s destination ${destination}`;
    return null;
  }

  /**
   * Why `attempt` is no number this task may send a message as, or null: an integer from the
   * work's own (0 for a fire, the retry's number for a retry: earlier attempts were sent by the
   * tasks before it) to the schedule's retries as the store has them. The checks read a send's
   * attempt to tell a retry from a repeat of one; a number the task cannot have reached would
   * make a quick re-send look like a message first sent as a retry, whose spacing is not judged.
   */
  attemptRefusal(attempt: unknown): string | null {
    const work = this.work;
    const first = work.kind === "retry" ? work.attempt : 0;
    const retries = work.schedule.retries;
    const problem = portNumberProblem("attempt", attempt, first, true, retries);
    if (problem === null) return null;
    const from =
      work.kind === "retry"
        ? `retry ${first}, the one task ${describeTask(this.task)} runs`
        : "the first attempt";
    return `${problem} (${first}: ${from}; ${retries}: schedule ${this.schedule}'s retries)`;
  }

  /**
   * Notes the destination's answer to attempt `attempt` of `message`: a failure, for the
   * `delivery.failed` its retry or dead letter traces, or for the `delivery.failure-dropped` of a
   * task that ends with neither.
   */
  noteAnswer(message: string, attempt: number, status: number, fault?: number): void {
    if (status >= 200 && status < 300) {
      this.failedAnswers?.delete(message);
      return;
    }
    this.failedAnswers ??= new Map();
    this.failedAnswers.set(message, { attempt, status, fault });
  }

  /**
   * A panic in this task: injected by the world, or reported recovered by its scheduler. It covers
   * the failed answers the task has now, one by one, and none that comes after it.
   */
  notePanic(): void {
    for (const failed of this.failedAnswers?.values() ?? []) failed.covered = true;
  }

  /**
   * Takes on the failed answers of the transaction this one replaces (`how`: restarted or rolled
   * back), whose effects, a retry or dead letter it asked for among them, were dropped: the task
   * goes on here, so they are answered, or traced as dropped, as this one ends.
   */
  private carry(from: Map<string, FailedAnswer> | null, how: Rerun): void {
    if (from === null || from.size === 0) return;
    for (const failed of from.values()) failed.rerun ??= how;
    this.failedAnswers = new Map(from);
  }

  deleteSchedule(scheduleId: string): void {
    this.host.sim.portCall();
    this.checkOpen("tx.deleteSchedule");
    checkPortText("tx.deleteSchedule", "scheduleId", scheduleId);
    this.effects.push({ kind: "delete", schedule: scheduleId });
  }

  quarantine(attempts: number): void {
    this.host.sim.portCall();
    this.checkOpen("tx.quarantine");
    checkPortNumber("tx.quarantine", "attempts", attempts, 0, true);
    this.effects.push({ kind: "quarantine", attempts });
  }

  retryLater(message: Message, attempt: number, atMs: number): void {
    this.host.sim.portCall();
    this.checkOpen("tx.retryLater");
    checkPortMessage("tx.retryLater", message);
    checkPortNumber("tx.retryLater", "attempt", attempt, 1, true);
    checkPortNumber("tx.retryLater", "atMs", atMs, null, false);
    this.checkOneAnswer("tx.retryLater", message);
    // The schedule's retries as the store has them bound the message's: a module cannot raise them.
    const retries = this.work.schedule.retries;
    if (attempt > Math.min(message.retries, retries))
      throw new TypeError(
        message.retries > retries
          ? `tx.retryLater: attempt ${attempt} is past schedule ${this.schedule}'s ${retries} retries (message ${describeTask(message.id)} says ${message.retries}); dead-letter it instead`
          : `tx.retryLater: attempt ${attempt} is past message ${describeTask(message.id)}'s ${message.retries} retries; dead-letter it instead`,
      );
    this.effects.push({ kind: "retry", message, attempt, atMs, failed: this.failedAnswers?.get(message.id) });
  }

  deadLetter(message: Message, attempts: number): void {
    this.host.sim.portCall();
    this.checkOpen("tx.deadLetter");
    checkPortMessage("tx.deadLetter", message);
    checkPortNumber("tx.deadLetter", "attempts", attempts, 0, true);
    this.checkOneAnswer("tx.deadLetter", message);
    this.effects.push({
      kind: "dead-letter",
      message,
      attempts,
      failed: this.failedAnswers?.get(message.id),
    });
  }

  /**
   * One failed send of a message asks for one retry or one dead letter: a second in the same
   * transaction would be traced as another failure (`delivery.failed`), and read as a later
   * retry with QStash's longer back-off, though the destination was asked once.
   */
  private checkOneAnswer(call: string, message: Message): void {
    for (const effect of this.effects)
      if ((effect.kind === "retry" || effect.kind === "dead-letter") && effect.message.id === message.id)
        throw new TypeError(
          `${call}: message ${describeTask(message.id)} already has a ${effect.kind === "retry" ? "retry" : "dead letter"} in this transaction; one failed send asks for one retry or one dead letter`,
        );
  }

  *commit(): Call<Error | null> {
    const host = this.host;
    host.sim.portCall();
    return (yield call(storeLatency(host), () => this.apply())) as Error | null;
  }

  *abandon(): Call<void> {
    const host = this.host;
    host.sim.portCall();
    yield call(storeLatency(host), () => {
      if (this.done) return;
      this.finish("abandoned");
      // Its effects are dropped with it: every failed answer it had goes unanswered.
      this.traceDropped(this.slot.id, "abandoned", [...(this.failedAnswers ?? [])]);
      if (host.store.holds(this.slot.id, this.partition, this.token))
        host.store.abandon(this.item, this.token);
    });
  }

  restart(): TaskTx {
    this.host.sim.portCall();
    const open = !this.done;
    this.finish("restarted");
    this.item.starts++;
    const again = new Tx(this.host, this.slot, this.item, this.work, this.token);
    if (!open || !this.counted) again.uncount();
    if (open) again.carry(this.failedAnswers, "restarted");
    // The new attempt's events follow from its own fire, not from the first attempt's.
    if (again.firedSeq !== null) this.host.sim.setCause(again.firedSeq);
    return again;
  }

  rollback(): TaskTx {
    this.host.sim.portCall();
    const open = !this.done;
    this.finish("rolled back");
    const again = new Tx(this.host, this.slot, this.item, this.work, this.token, this.firedSeq);
    if (!open || !this.counted) again.uncount();
    if (open) again.carry(this.failedAnswers, "rolled back");
    return again;
  }

  /**
   * Leaves it out of `openTasks`: made from a transaction finished already (a module's `restart`
   * after its commit), or from one left out so, it holds no work a stop waits for.
   */
  private uncount(): void {
    this.counted = false;
    if (this.slot.incarnation === this.incarnation) this.slot.openTasks--;
  }

  private apply(): Error | null {
    const { store, sim } = this.host;
    if (this.done) return new StoreFailure("transaction already finished");
    const worker = this.slot.id;
    if (storeDown(this.host)) {
      // The store refused the transaction, so it rolled back: none of its effects apply, and
      // the work it claimed is due again now (the claim goes with the transaction, as a row
      // lock does), so the next claim runs it again rather than leave it in flight for good.
      this.finish("its commit refused: store unavailable");
      if (store.holds(worker, this.partition, this.token)) store.abandon(this.item, this.token);
      const { schedule, account, partition, due, task } = this.fields(worker);
      emitEvent(sim, "store.refused", { worker, call: "commit", schedule, account, partition, due, task });
      return new StoreFailure("store unavailable");
    }
    if (!store.holds(worker, this.partition, this.token)) {
      this.finish("its commit refused: fenced");
      emitEvent(sim, "task.fenced", { ...this.fields(worker), token: this.token });
      return new StoreFailure(`fenced: lease on partition ${this.partition} is no longer held`);
    }
    this.finish("committed");
    // The other side of the fence: the work itself must still be claimed by this transaction's
    // token. Only a scheduler that reuses a finished task (`restart` after a commit) gets here.
    if (!store.claimedBy(this.item, this.token))
      return new StoreFailure(`task ${this.task} is no longer claimed by this transaction`);
    const answers = this.failedAnswers === null ? null : this.matchedAnswers();
    for (const effect of this.effects) this.applyEffect(effect, worker, answers?.answerOf.get(effect));
    if (answers !== null) this.traceDropped(worker, "committed", answers.unanswered);
    const next = store.complete(this.item, this.token);
    // A schedule quarantined (by this commit, an earlier task or an operator) fires no more: no
    // next due for the scheduler to wait for (the trace's `next` stays the store's, as it was).
    const row = this.item.row ?? store.schedules.get(this.schedule);
    this.committedNextDueAt = next !== null && row?.quarantined === true ? null : next;
    emitTaskEvent(sim, COMMITTED, sim.cause, worker, this, next);
    return null;
  }

  /** Applies `effect`; `answered` is the failed send a retry or dead letter answers (`matchedAnswers`). */
  private applyEffect(effect: Effect, worker: string, answered: MatchedAnswer | undefined): void {
    const { store, sim } = this.host;
    switch (effect.kind) {
      case "delete":
        store.deleteSchedule(effect.schedule, "cleanup", worker);
        return;
      case "quarantine":
        store.quarantineSchedule(this.schedule, "scheduler");
        emitEvent(sim, "task.quarantined", { ...this.fields(worker), attempts: effect.attempts });
        return;
      case "retry": {
        const failedSeq = this.traceFailed(worker, effect.message, effect.attempt - 1, effect.atMs, answered);
        store.addRetry(this.work.schedule, this.due, effect.message, effect.attempt, effect.atMs, failedSeq);
        return;
      }
      case "dead-letter":
        store.addDeadLetter(effect.message, effect.attempts);
        // The last attempt failed too: traced as every failed attempt is, with no retry to come.
        this.traceFailed(worker, effect.message, effect.attempts - 1, null, answered);
        emitEvent(sim, "delivery.dead-lettered", {
          ...this.fields(worker),
          message: effect.message.id,
          attempts: effect.attempts,
          // The budget is the schedule's, as the store holds it: the scheduler's message and
          // its `attempts` are its own word, and `dead-letter-after-retries` must not take it.
          retries: this.work.schedule.retries,
        });
        return;
    }
  }

  /** A failed attempt at `message`, with the destination's answer; `retryAt` null: dead-lettered. */
  private traceFailed(
    worker: string,
    message: Message,
    attempt: number,
    retryAt: number | null,
    answered: MatchedAnswer | undefined,
  ): number {
    const sim = this.host.sim;
    const status = answered?.status ?? 0;
    const fault = answered?.fault;
    if (answered === undefined || answered.message === message.id)
      return fault === undefined
        ? emitTaskEvent(sim, FAILED, sim.cause, worker, this, message.id, attempt, status, retryAt)
        : emitTaskEvent(
            sim,
            FAILED_BY_FAULT,
            sim.cause,
            worker,
            this,
            message.id,
            attempt,
            status,
            retryAt,
            fault,
          );
    // Under a new id: the send it answers is named, for the checks that follow the message.
    return emitEvent(sim, "delivery.failed", {
      ...this.fields(worker),
      message: message.id,
      attempt,
      status,
      retryAt,
      answers: answered?.message === message.id ? undefined : answered?.message,
      fault,
    });
  }

  /**
   * Matches the task's retries and dead letters to the failed answers they answer: the one of the
   * message each names, else (a scheduler may give a retry a new id) the earliest failure that
   * none names, in order. Gives each one's answer (0: no answer in time, or none matched) and
   * the failures left unanswered.
   */
  private matchedAnswers(): {
    readonly answerOf: Map<Effect, MatchedAnswer>;
    readonly unanswered: [string, FailedAnswer][];
  } {
    const answerOf = new Map<Effect, MatchedAnswer>();
    const left = new Map(this.failedAnswers ?? []);
    const renamed: Effect[] = [];
    for (const effect of this.effects) {
      if (effect.kind !== "retry" && effect.kind !== "dead-letter") continue;
      const named = left.get(effect.message.id);
      if (named === undefined) {
        // Its failure answered by a 2xx since it was asked for: still the failure it answers.
        if (effect.failed !== undefined)
          answerOf.set(effect, {
            message: effect.message.id,
            status: effect.failed.status,
            fault: effect.failed.fault,
          });
        else renamed.push(effect);
        continue;
      }
      answerOf.set(effect, { message: effect.message.id, status: named.status, fault: named.fault });
      left.delete(effect.message.id);
    }
    const rest = [...left];
    renamed.forEach((effect, k) => {
      if (k < rest.length)
        answerOf.set(effect, { message: rest[k][0], status: rest[k][1].status, fault: rest[k][1].fault });
    });
    return { answerOf, unanswered: rest.slice(renamed.length) };
  }

  /**
   * Traces each failed answer the task ends with (`how`) that asked for no retry nor dead letter
   * (`unanswered`): QStash retries a failed send after its back-off, then dead-letters it.
   * Abandoned, the task's fire is due again at once and sent anew (a retry storm, under a new
   * message id it may be); committed, the message is lost. One carried here from a transaction
   * restarted or rolled back says so (`rerun`); one of those a panic covered is left out: the
   * task ran again by the panic's rule (v2's recovery restarts it after a back-off, or rolls it
   * back to quarantine it), which `poison-task-isolated` judges. The bundled schedulers answer
   * every failure, so only a user's module makes these; a task whose commit is refused, or whose
   * process ends under it, is run again by the world's rules, and traces none.
   */
  private traceDropped(
    worker: string,
    how: "committed" | "abandoned",
    unanswered: [string, FailedAnswer][],
  ): void {
    for (const [message, { attempt, status, fault, rerun, covered }] of unanswered)
      if (rerun === undefined || covered !== true)
        emitEvent(this.host.sim, "delivery.failure-dropped", {
          ...this.fields(worker),
          message,
          attempt,
          status,
          ended: how,
          fault,
          rerun,
        });
  }

  /** The fields common to every event about this task (rare events only: hot ones are prepared). */
  private fields(worker: string): TaskFields {
    return taskFields(this, worker);
  }
}

class HttpClient implements HttpPort {
  constructor(
    private readonly host: WorkerHost,
    private readonly slot: WorkerSlot,
  ) {}

  *post(tx: TaskTx, message: Message, attempt: number): Call<HttpResponse> {
    const host = this.host;
    const sim = host.sim;
    sim.portCall();
    const refusal = postRefusal(tx, message, attempt);
    if (refusal !== null) {
      // Not a panic the caller may recover: one that recovers every panic in its tasks (v2's
      // fix does) would hide the send it tried from every property, and pass.
      sim.fatal(new TypeError(`rt.http.post: ${refusal}`));
      return (yield NEVER) as HttpResponse;
    }
    const dest = host.workload.destination;
    const worker = this.slot.id;
    emitTaskEvent(sim, SENT, sim.cause, worker, tx, message.id, attempt, message.destination);
    const chaos = host.chaos;
    let status = 200;
    let latency = dest.latencyMs > 0 ? host.rng.latency.jitterMs(dest.latencyMs, dest.jitter) : 0;
    // Each open HTTP fault is a fault of its own: the first of them to strike answers the send.
    const rng = host.rng.http;
    let struck =
      chaos.httpWindows.length === 0
        ? null
        : httpStrike(chaos.httpWindows, message.account, () => rng.next());
    if (struck !== null) {
      status = struck.status;
      if (struck.fault === "http-timeouts") latency = dest.timeoutMs;
    } else if (dest.failureRate > 0 && rng.next() < dest.failureRate) {
      status = 500;
    }
    if (latency > dest.timeoutMs) {
      // Slower than the timeout: the destination's own, whatever a fault would have answered.
      if (struck?.fault === "http-errors") struck = null;
      status = 0;
      latency = dest.timeoutMs;
    }
    latency = Math.round(latency);
    if (status >= 200 && status < 300) {
      // The destination is another host: it takes and acknowledges the message whether or not
      // the sender is still alive to read the answer. A worker killed (or frozen) mid-request
      // has still delivered, and the next owner, unable to know, delivers again (at-least-once).
      const cause = sim.cause;
      sim.at(
        sim.now + latency,
        () => {
          emitTaskEvent(sim, ACKED, cause, worker, tx, message.id, attempt, status);
          // Lag is lateness: a delivery before its due time (a worker whose clock is ahead
          // fired it early) is not late, and counts as no lag rather than a negative one.
          host.onDeliveryAcked(Math.max(0, sim.now - tx.due));
        },
        cause,
      );
    }
    const fault = struck === null ? undefined : faultStruck(sim, chaos, struck, tx.schedule);
    if (tx instanceof Tx) tx.noteAnswer(message.id, attempt, status, fault);
    // Scheduled right after the destination's answer at the same time, so it runs right after it.
    return (yield call(latency, () => responseOf(status))) as HttpResponse;
  }
}

/**
 * The seq of the `fault.injected` of the HTTP fault that failed a send of `schedule`: traced the
 * first time it fails one, as the fault firing (counted fired then), lasting to the end of its
 * window. Its cause is the action that armed it (the failed sends name it in their `fault`). A fault that fails no send never fires (`fault.skipped` at its
 * window's end says so).
 */
function faultStruck(sim: Simulation, chaos: ChaosState, w: HttpWindow, schedule: string): number {
  if (w.injected !== null) return w.injected;
  const durationMs = w.endMs - sim.now;
  w.injected = emitEvent(
    sim,
    "fault.injected",
    {
      fault: w.fault,
      detail: `${httpFaultDetail(w, durationMs)}, from its first failed send (of ${schedule}) on`,
      probe: chaos.fire(w.fault, w.armed),
      armed: w.armed,
      durationMs,
      account: w.account,
    },
    w.armed,
  );
  return w.injected;
}

/**
 * A task's events, prepared (`prepareEvent`): a fire's four, emitted by the million, and a failed
 * attempt's, as many as the sends while a destination is down; each with every field (the values
 * are given in the order named here, which is the events' order).
 */
const TASK_KEYS = ["worker", "schedule", "account", "partition", "due", "task"] as const;
const FIRED = prepareEvent("schedule.fired", [...TASK_KEYS, "attempt"]);
const SENT = prepareEvent("delivery.sent", [...TASK_KEYS, "message", "attempt", "destination"]);
const ACKED = prepareEvent("delivery.acked", [...TASK_KEYS, "message", "attempt", "status"]);
const COMMITTED = prepareEvent("task.committed", [...TASK_KEYS, "next"]);
const FAILED = prepareEvent("delivery.failed", [...TASK_KEYS, "message", "attempt", "status", "retryAt"]);
/** A failure an HTTP fault answered: it names the fault (a destination failing under a fault fails every send). */
const FAILED_BY_FAULT = prepareEvent("delivery.failed", [
  ...TASK_KEYS,
  "message",
  "attempt",
  "status",
  "retryAt",
  "fault",
]);

/**
 * Emits one of a task's prepared events (`FIRED`, `SENT`, `ACKED`, `COMMITTED`, `FAILED`): `tx`'s
 * task fields, then the event's own (`a` to `e`, as many as it has: values past an event's fields
 * are ignored).
 */
function emitTaskEvent(
  sim: Simulation,
  event: PreparedEvent,
  cause: number | null,
  worker: string,
  tx: TaskTx,
  a: TraceValue,
  b?: TraceValue,
  c?: TraceValue,
  d?: TraceValue,
  e?: TraceValue,
): number {
  return sim.trace.emitPrepared(
    event,
    cause,
    worker,
    tx.schedule,
    tx.account,
    tx.partition,
    tx.due,
    tx.task,
    a,
    b,
    c,
    d,
    e,
  );
}

/**
 * Why `rt.http.post(tx, message, attempt)` is refused before it leaves, or null (see
 * `Tx.sendRefusal`, `Tx.attemptRefusal`).
 */
function postRefusal(tx: TaskTx, message: Message, attempt: number): string | null {
  const problem = portMessageProblem(message);
  if (problem !== null) return problem;
  if (!(tx instanceof Tx)) return NOT_A_TASK;
  return tx.sendRefusal(message) ?? tx.attemptRefusal(attempt);
}

/** What a `tx` the port did not hand out is told: the port reads its task, lease and trace links. */
const NOT_A_TASK =
  "tx is not a task the port handed out (rt.store.claimDue, tx.restart and tx.rollback give one)";

/** Throws unless `tx` is a task the port handed out (`NOT_A_TASK`). */
function checkTask(call: string, tx: unknown): asserts tx is Tx {
  if (!(tx instanceof Tx)) throw new TypeError(`${call}: ${NOT_A_TASK}`);
}

/** What a goroutine whose process died under it yields: it is never resumed. */
const NEVER: Op = park(() => {});

const RESPONSE_OK: HttpResponse = Object.freeze({ status: 200, ok: true });

function responseOf(status: number): HttpResponse {
  if (status === 200) return RESPONSE_OK;
  return { status, ok: status >= 200 && status < 300 };
}

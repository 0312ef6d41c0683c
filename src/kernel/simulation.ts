import { EventQueue } from "./event-queue.js";
import { IdSource } from "./ids.js";
import { InvariantViolation, invariant, isInvariantViolation, RunInterrupted } from "./invariant.js";
import type {
  GoroutineBody,
  GoroutineContext,
  Op,
  ProcessExit,
  ProcessState,
  SimProcess,
} from "./process.js";
import { RandomStreams } from "./random.js";
import { printableText, thrownText } from "./thrown.js";
import type { TimeMs } from "./time.js";
import { Trace } from "./trace.js";

/** Limits that end a run; every run has them (TigerBeetle: put a limit on everything). */
export interface RunLimits {
  /** Virtual time at which the run ends. */
  readonly horizonMs: TimeMs;
  /** Maximum number of events executed. */
  readonly maxEvents: number;
  /**
   * How many events in a row at one instant make a stop at `maxEvents` a goroutine's loop that
   * never lets the clock move (`StopFacts.stuckClock`); default `STUCK_CLOCK_EVENTS`.
   */
  readonly stuckClockEvents?: number;
  /** Wall-clock budget in milliseconds, measured with `wallClock` (injected: the kernel has no clock). */
  readonly wallBudgetMs?: number;
  readonly wallClock?: () => number;
  /**
   * Interrupts a stretch of the run that overruns the wall budget by `WALL_GUARD_GRACE_MS`
   * wherever it is (injected: the kernel cannot). Used only with `wallBudgetMs` and `wallClock`.
   */
  readonly wallGuard?: WallGuard;
  /**
   * Told as each goroutine step begins and ends, so that a watcher on another thread can say
   * which one has run long without yielding while this thread is held by it (injected: the
   * kernel knows no threads). Only runs that may meet such a step have one.
   */
  readonly stepWatch?: StepWatch;
}

/** What a `stepWatch` is told; both are called on every goroutine step: keep them cheap. */
export interface StepWatch {
  /** A step of goroutine `serial` (unique within the run), labelled `label`, on `processName` begins. */
  began(serial: number, label: string, processName: string): void;
  /** The step under way returned or threw. */
  ended(): void;
}

/**
 * Runs `slice` (synchronous) and returns true, or stops it from outside once `timeoutMs` of real
 * time have passed, wherever it is, and returns false: no `catch` or `finally` of the code it
 * stopped runs. An error `slice` throws goes on up. The kernel's own checks run between events
 * and at port calls; only this stops a goroutine step that loops calling neither (`for (;;) {}`).
 * A guard may also stop `slice` at the user's request (Ctrl-C) and throw `RunInterrupted`.
 */
export type WallGuard = (slice: () => void, timeoutMs: number) => boolean;

/**
 * Real time a stretch of the run gets past its wall budget before `wallGuard` stops it: the
 * kernel's own checks (between events, at port calls) stop it first if they can, with a closer
 * reading of where it was.
 */
export const WALL_GUARD_GRACE_MS = 1000;

/** Why a run (or a stretch of it) stopped: `run.finished` names it as its `reason`. */
export const STOP_REASONS = [
  "horizon",
  "paused",
  "idle",
  "max-events",
  "wall-budget",
  "halted",
  "stack-overflow",
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** Whether `reason` is one a run stops for: a trace read back names no other. */
export function isStopReason(reason: unknown): reason is StopReason {
  return (STOP_REASONS as readonly unknown[]).includes(reason);
}

/** What `stopDetail` says of a stop, as far as it is known; a fact not known is left out. */
export interface StopFacts {
  /** The event limit; a run stopped by it has executed exactly that many events. */
  readonly maxEvents?: number;
  readonly wallBudgetMs?: number;
  /** What overran the wall budget, when one step did (`goroutine … ran 5.0 s without yielding`). */
  readonly wallOverrun?: string | null;
  readonly seed?: number | string;
  readonly haltError?: string | null;
  /** For `stack-overflow`: the goroutine whose step overflowed the stack, and where. */
  readonly overflow?: string | null;
  /**
   * For `max-events`, when the clock had not moved for the last `RunLimits.stuckClockEvents` events
   * or more and a goroutine was next to run: which one (`goroutine scheduler on w1#1`), and for how
   * many events.
   */
  readonly stuckClock?: { readonly goroutine: string; readonly events: number } | null;
}

/**
 * The sentence saying why a run ended (`RunOutcome.detail`): `hit the event limit (100000
 * events)`. The one wording, said by the run as it stops and by a report rebuilt later from the
 * trace's `run.finished`, which knows fewer of the facts.
 */
export function stopDetail(reason: StopReason, facts: StopFacts): string {
  const within = (n: number | undefined, unit: string) => (n === undefined ? "" : ` (${n} ${unit})`);
  switch (reason) {
    case "horizon":
      return "reached the horizon";
    case "paused":
      return "paused at the requested time";
    case "idle":
      return "no events left before the requested time";
    case "max-events": {
      const stuck = facts.stuckClock;
      const looping =
        stuck == null
          ? ""
          : `: ${STUCK_CLOCK}: ${stuck.goroutine}, the clock has not moved for the last ${stuck.events} events`;
      return `hit the event limit${within(facts.maxEvents, "events")}${looping}`;
    }
    case "wall-budget": {
      const overrun = facts.wallOverrun == null ? "" : `: ${facts.wallOverrun}`;
      return `hit the wall-clock budget${within(facts.wallBudgetMs, "ms")}${overrun}`;
    }
    case "halted": {
      const seed = facts.seed === undefined ? "" : `, reproduce with seed ${facts.seed}`;
      return `simulator invariant broken${seed}${facts.haltError == null ? "" : `: ${facts.haltError}`}`;
    }
    case "stack-overflow":
      return `${facts.overflow ?? "a goroutine's step overflowed the JavaScript stack"}: ${STACK_OVERFLOW_WHY}`;
  }
}

/**
 * How many events in a row at one instant make a run stopped by its event limit a goroutine's
 * loop that never lets the clock move (`yield rt.sleep(0)` over and over, or a negative time,
 * which returns at once as Go's `time.Sleep` does), rather than a world too big for its limit. A
 * world's busiest instant (every schedule of a large world firing on one minute, with no store
 * or HTTP latency) is a few hundred thousand events.
 */
export const STUCK_CLOCK_EVENTS = 1_000_000;

/** What `stopDetail` says of such a stop: readers tell it by these words (`loopAdvice` of checks/run-info.ts). */
export const STUCK_CLOCK = "a goroutine is looping without the clock moving";

/**
 * Why a run whose scheduler code overflowed the JavaScript stack stops there, unjudged: how deep
 * a host's stack goes depends on the thread (a worker thread's is larger) and on how much of the
 * code V8 has compiled yet, which the real clock decides, so the same run could overflow or not.
 * Go's goroutine stacks grow to a gigabyte: no such limit is part of the simulated world.
 */
export const STACK_OVERFLOW_WHY =
  "how deep the stack goes depends on the thread and on V8's compiler, not on the simulated world, so the run cannot go on deterministically; write the recursion as a loop";

/** Whether `error` is V8's stack overflow (`RangeError: Maximum call stack size exceeded`). */
export function isStackOverflow(error: unknown): boolean {
  // The code under test may throw anything, a proxy whose every trap throws included.
  try {
    return error instanceof RangeError && error.message === "Maximum call stack size exceeded";
  } catch {
    return false;
  }
}

/** Thrown from a goroutine's overflowed step to the run loop, which stops the run with `stack-overflow`. */
class StackOverflowStop extends Error {}

export interface RunOutcome {
  readonly reason: StopReason;
  /** Virtual time when the run stopped. */
  readonly now: TimeMs;
  /** Events executed since the simulation began. */
  readonly events: number;
  /** For `halted`: what broke, with the seed that reproduces it. */
  readonly error?: string;
  /** A human sentence saying why the run ended. */
  readonly detail: string;
  /**
   * For `wall-budget`, when a goroutine step overran it: what its detail says of the step
   * (`goroutine … ran 5.0 s without yielding`), and how long it had run without yielding or
   * returning (the guard's whole call, when the guard stopped it).
   */
  readonly steppedOver?: { readonly text: string; readonly ms: number };
}

export interface SimulationOptions {
  readonly seed: number | string;
  readonly startMs: TimeMs;
  readonly limits: RunLimits;
}

export interface SpawnOptions {
  /** Called when the process ends (panic, kill or graceful stop), after it is marked dead. */
  readonly onExit?: (process: SimProcess, exit: ProcessExit) => void;
}

export interface GoOptions {
  readonly cause?: number | null;
  readonly context?: GoroutineContext;
  /**
   * Runs when the goroutine's body returns (not when it panics or its process dies), in the
   * causal context of its last step: a hook rather than a wrapping generator, which would add a
   * delegation to every step of the goroutine.
   */
  readonly onReturn?: () => void;
}

/** An opaque handle to a scheduled event, for `cancel`. */
export type TimerHandle = number;

const NO_CAUSE = -1;
const NO_PROCESS = -1;
/** Slots (pending events) at most at once; a handle is `generation * SLOT_LIMIT + slot`. */
const SLOT_LIMIT = 0x1000000;
/** Generations kept in a handle: 29 bits, so that a handle stays a safe integer (< 2^53). */
const GENERATION_MASK = 0x1fffffff;
/** How many loop turns between two readings of the wall clock. */
const WALL_CHECK_EVERY = 1024;
/** How many port calls within one goroutine step between two readings of the wall clock. */
const PORT_CHECK_EVERY = 1000;

/**
 * How a wall-budget stop's detail says a goroutine step never yielded: the kernel's own stop
 * (`ran 5.0 s without yielding`), and a stop from outside the thread that ran it (the gate's
 * watchdog). Readers tell such a stop from a slow run by these (`stuckWithoutYielding`).
 */
export const STUCK_STEP = {
  yielded: "without yielding",
  returned: "a goroutine step never returned",
} as const;

/** What `runSlice` returns when a stretch gives way (`runStretch` returns null for it). */
const GAVE_WAY: RunOutcome = { reason: "paused", now: 0, events: 0, detail: "gave way between two events" };

/** What a run stopped from outside (`wallGuard`) says the goroutine it stopped was doing. */
const STUCK_LOOP = "a loop in the scheduler that never yields";

/**
 * Thrown by every port call of a goroutine step that has run past the run's wall-clock budget
 * without yielding. Not a panic: the kernel does not terminate the process for it, and a module
 * that catches it only gets it again at its next port call; the run stops as soon as the step
 * returns or throws, with the `wall-budget` outcome.
 */
export class WallBudgetExceeded extends Error {
  override readonly name = "WallBudgetExceeded";
}

/** How a goroutine resumes when its event runs. */
const RESUME_NEXT = 0; // resume with `g.value`
const RESUME_THROW = 1; // throw `g.value` into it at the yield
const RESUME_CALL = 2; // run `g.call()` now, then resume with its result (or throw its error)

class ProcessRecord implements SimProcess {
  state: ProcessState = "running";
  epoch = 0;
  goroutines = 0;
  exit: ProcessExit | null = null;
  /**
   * Slots of events that came due while paused, in order. They keep their slots (and so their
   * handles: `cancel` still works on them) until they are queued again on resume.
   */
  parked: number[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    readonly startedAt: TimeMs,
    readonly onExit: ((process: SimProcess, exit: ProcessExit) => void) | undefined,
  ) {}
}

/**
 * A goroutine is blocked on at most one op, so it has at most one pending event: the event's
 * slot holds the goroutine itself (no closure per step) and `mode`/`value`/`call` say how to
 * resume it.
 */
class Goroutine {
  mode = RESUME_NEXT;
  value: unknown = undefined;
  call: (() => unknown) | null = null;

  constructor(
    readonly serial: number,
    readonly process: ProcessRecord,
    readonly epoch: number,
    readonly label: string,
    readonly body: GoroutineBody,
    readonly context: GoroutineContext | undefined,
    public cause: number | null,
    readonly onReturn: (() => void) | null,
  ) {}
}

/** What a slot holds: a plain callback, or a goroutine to resume; null when free or cancelled. */
type SlotEntry = (() => void) | Goroutine | null;

/**
 * The deterministic discrete-event kernel: a virtual clock, an event queue ordered by
 * (time, seq), seeded random streams, processes with goroutines and timers, ids and the
 * trace. Code under test runs as goroutines; an exception escaping one terminates its
 * process, as an unrecovered panic does in Go, and never escapes the kernel.
 */
export class Simulation {
  // Initialised to a number (a class field without one starts as undefined): V8 then keeps the
  // field as an unboxed double, where an `undefined`-first field would box (allocate) each of
  // the clock's values above 2^31 on every event.
  now: TimeMs = 0;
  readonly trace: Trace;
  readonly random: RandomStreams;
  readonly ids = new IdSource();
  readonly seed: number | string;
  readonly limits: RunLimits;
  /** The causal context: seq of the trace event behind the code now running, or null. */
  cause: number | null = null;

  private readonly queue = new EventQueue(4096);
  // Per-slot data of pending events. A slot is reused once its event has run (or been dropped);
  // its generation then moves on, which makes old handles stale.
  private entries: SlotEntry[] = [];
  /**
   * Per slot, four numbers side by side (one cache line for the lot, where the queue is larger
   * than the cache): the owning process (or NO_PROCESS), its epoch, the slot's generation and
   * the event's cause (or NO_CAUSE).
   */
  private slotData = new Float64Array(4 * 4096);
  private freeSlots: number[] = [];
  /**
   * The time of the event being queued, handed from `at` (and the others) to `enqueue` through
   * this field rather than as an argument: where V8 does not inline a call, a double argument
   * (any epoch-millisecond time: they are all above 2^31) is boxed, one allocation per event,
   * while a store to a field that has only ever held numbers is not. NaN, not 0, so that the
   * field is a double from the start.
   */
  private pendingTimeMs: TimeMs = Number.NaN;
  /** The handle of the event `enqueue` queued last: returned the same way, for the same reason. */
  private queuedHandle: TimerHandle = Number.NaN;
  private readonly processes: ProcessRecord[] = [];
  private current: Goroutine | null = null;
  private executed = 0;
  private haltError: string | null = null;
  /** What overflowed the stack (see `STACK_OVERFLOW_WHY`), ending the run; null while nothing did. */
  private overflow: string | null = null;
  /** Port calls left in the current goroutine step before the wall clock is read again. */
  private portCountdown = PORT_CHECK_EVERY;
  /** Wall-clock reading when the current `runUntil` began (NaN outside one, or without a clock). */
  private wallStartMs = Number.NaN;
  /** First wall-clock reading of the current goroutine step (NaN until it makes enough port calls). */
  private stepWallStartMs = Number.NaN;
  /** Why a goroutine step (or an event, see `interrupted`) overran the wall budget, ending the run; null while none did. */
  private wallOverrun: string | null = null;
  /** How long the step `wallOverrun` names had run, or NaN when it names none (`RunOutcome.steppedOver`). */
  private overrunStepMs = Number.NaN;
  /**
   * Wall-clock reading when the run began, for a run in stretches (`runStretch`): the budget is
   * the whole run's, not a stretch's. NaN otherwise.
   */
  private runStartedMs = Number.NaN;
  /** Wall-clock time the stretches before this one took (`runStretch`); 0 otherwise. */
  private spentMs = 0;
  /** Wall-clock time at which the stretch under way gives way (`runStretch`); Infinity otherwise. */
  private yieldAtMs = Number.POSITIVE_INFINITY;
  /** Whether the last `runUntil` gave way at `yieldAtMs`, the run not over. */
  private yielded = false;
  /** Goroutines started so far: the next one's serial. */
  private goroutineCount = 0;
  /** Events executed when the clock last moved forward (`STUCK_CLOCK_EVENTS`). */
  private clockMovedAt = 0;
  private readonly stepWatch: StepWatch | null;

  constructor(options: SimulationOptions) {
    invariant(Number.isSafeInteger(options.startMs), "start time must be an integer number of ms");
    this.seed = options.seed;
    this.now = options.startMs;
    this.limits = options.limits;
    this.random = new RandomStreams(options.seed);
    this.trace = new Trace(() => this.now);
    this.stepWatch = options.limits.stepWatch ?? null;
  }

  /** Events executed so far. */
  get events(): number {
    return this.executed;
  }

  /** Events waiting in the queue (including cancelled ones not yet popped). */
  get pending(): number {
    return this.queue.size;
  }

  /** Emits a trace event with the current causal context unless a cause is given. */
  emit(type: string, fields?: Parameters<Trace["emit"]>[2], cause: number | null = this.cause): number {
    return this.trace.emit(type, cause, fields);
  }

  /**
   * Counts one call of code under test into the world (a Runtime port call). Cheap: every
   * PORT_CHECK_EVERY calls within one goroutine step, and only in a run with a wall-clock
   * budget, it reads the clock; a step that has taken the run past its budget without yielding
   * is stopped by throwing `WallBudgetExceeded`, here and at every port call after it, and the
   * run ends with the `wall-budget` outcome once the step returns or throws. A step that loops
   * without ever calling the port is stopped by the run's `wallGuard` instead, if it has one.
   */
  portCall(): void {
    if (this.wallOverrun !== null && this.current !== null) throw new WallBudgetExceeded(this.wallOverrun);
    if (--this.portCountdown > 0) return;
    this.portCountdown = PORT_CHECK_EVERY;
    const g = this.current;
    const budget = this.limits.wallBudgetMs;
    const clock = this.limits.wallClock;
    if (g === null || budget === undefined || clock === undefined || Number.isNaN(this.wallStartMs)) return;
    const nowMs = clock();
    if (Number.isNaN(this.stepWallStartMs)) this.stepWallStartMs = nowMs;
    if (nowMs - this.wallStartMs <= budget) return;
    this.overrunStepMs = nowMs - this.stepWallStartMs;
    const seconds = (this.overrunStepMs / 1000).toFixed(1);
    this.wallOverrun = `goroutine ${thrownText(g.label)} on ${g.process.name} ran ${seconds} s ${STUCK_STEP.yielded}`;
    throw new WallBudgetExceeded(this.wallOverrun);
  }

  /** Makes `seq` the causal context of the code now running (and of the goroutine, if any). */
  setCause(seq: number | null): void {
    this.cause = seq;
    if (this.current) this.current.cause = seq;
  }

  // ---------------------------------------------------------------- plain events

  /** Runs `fn` at `time` (not before now). World code, not bound to any process. */
  at(time: TimeMs, fn: () => void, cause?: number | null): TimerHandle {
    // This short on purpose (see `pendingTimeMs`): V8 inlines a function this small everywhere.
    this.pendingTimeMs = time;
    this.enqueuePlain(fn, cause);
    return this.queuedHandle;
  }

  /** Runs `fn` after `delayMs`. */
  after(delayMs: number, fn: () => void, cause?: number | null): TimerHandle {
    // Short, and no time passed as an argument, for the reason `at` is (see `pendingTimeMs`).
    this.pendingTimeMs = this.now + Math.max(0, delayMs);
    this.enqueuePlain(fn, cause);
    return this.queuedHandle;
  }

  /** Cancels a scheduled event; cancelling one that already ran or was cancelled does nothing. */
  cancel(handle: TimerHandle): void {
    if (!(handle >= 0)) return;
    const slot = handle % SLOT_LIMIT;
    const generation = (handle - slot) / SLOT_LIMIT;
    if (slot >= this.entries.length) return;
    if ((this.slotData[4 * slot + 2] & GENERATION_MASK) === generation) this.entries[slot] = null;
  }

  // ---------------------------------------------------------------- processes

  /** Starts a process. Its goroutines and timers run until it dies. */
  spawn(name: string, options: SpawnOptions = {}): SimProcess {
    const record = new ProcessRecord(this.processes.length, name, this.now, options.onExit);
    this.processes.push(record);
    return record;
  }

  /** Starts a goroutine on `process` (it first runs after the current event). False if the process is dead. */
  go(process: SimProcess, label: string, body: GoroutineBody, options: GoOptions = {}): boolean {
    const record = this.record(process);
    if (record.state === "dead") return false;
    const cause = options.cause === undefined ? this.cause : options.cause;
    const g = new Goroutine(
      this.goroutineCount++,
      record,
      record.epoch,
      label,
      body,
      options.context,
      cause,
      options.onReturn ?? null,
    );
    record.goroutines++;
    this.pendingTimeMs = this.now;
    this.enqueue(g, record.index, record.epoch, cause);
    return true;
  }

  /** Runs `fn` after `delayMs` as part of `process`: dropped if the process dies first. */
  timer(
    process: SimProcess,
    delayMs: number,
    fn: () => void,
    cause: number | null = this.cause,
  ): TimerHandle {
    const record = this.record(process);
    if (record.state === "dead") return -1;
    // A NaN delay would corrupt the queue's order; thrown here, it is a panic of the caller.
    if (Number.isNaN(delayMs)) throw new RangeError(`timer delay is not a number on ${record.name}`);
    this.pendingTimeMs = this.now + Math.max(0, Math.round(delayMs));
    this.enqueue(fn, record.index, record.epoch, cause);
    return this.queuedHandle;
  }

  /** Kills a process at once (SIGKILL): no cleanup runs. */
  kill(process: SimProcess, cause: number | null = this.cause): void {
    const record = this.record(process);
    if (record.state === "dead") return;
    this.terminate(record, { reason: "killed", at: this.now, cause });
  }

  /**
   * Ends the running goroutine's process as an unrecovered panic of `error` does, whatever that
   * goroutine would catch: Go's fatal errors (`concurrent map writes`), which `recover` cannot
   * stop. The caller must then yield at once, never to be resumed, so that none of the code
   * under test runs after its process died. Outside a goroutine it is a broken invariant.
   */
  fatal(error: Error): void {
    const g = this.current;
    if (g === null) throw new InvariantViolation(`fatal outside a goroutine: ${error.message}`);
    this.panicExit(g, error);
  }

  /** Ends a process that has finished its own graceful shutdown. */
  stop(process: SimProcess, cause: number | null = this.cause): void {
    const record = this.record(process);
    if (record.state === "dead") return;
    this.terminate(record, { reason: "stopped", at: this.now, cause });
  }

  /** Freezes a process (SIGSTOP): its events wait until it resumes, then run late, in order. */
  pause(process: SimProcess): void {
    const record = this.record(process);
    if (record.state === "running") record.state = "paused";
  }

  resume(process: SimProcess): void {
    const record = this.record(process);
    if (record.state !== "paused") return;
    record.state = "running";
    const parked = record.parked;
    record.parked = [];
    // Queued again now, in the order they came due; each keeps its slot, cause and handle.
    for (let i = 0; i < parked.length; i++) this.queue.push(this.now, parked[i]);
  }

  /** The goroutine now running, if any: its label, context and process. */
  get running(): {
    readonly label: string;
    readonly context: GoroutineContext | undefined;
    readonly process: SimProcess;
  } | null {
    return this.current;
  }

  // ---------------------------------------------------------------- run loop

  /**
   * Executes the next event. False when the queue is empty, or the wall budget stopped the run
   * (a run stopped from outside was left mid-event: nothing of it may run again). An error the
   * event throws propagates (nothing halts here); so does a sink's (see `TraceSink`).
   */
  step(): boolean {
    this.trace.throwSinkFailure();
    if (this.queue.size === 0 || this.wallOverrun !== null || this.overflow !== null) return false;
    try {
      this.dispatchNext();
    } catch (error) {
      if (!(error instanceof StackOverflowStop)) throw error;
      this.current = null;
      this.overflow = error.message;
      return false;
    }
    this.trace.throwSinkFailure();
    return true;
  }

  /** Runs until the horizon or a limit. */
  run(): RunOutcome {
    return this.runUntil(this.limits.horizonMs);
  }

  /**
   * Runs every event due at or before `untilMs` (capped at the horizon), then sets the clock
   * to that time. Stops early, with the reason, at the event limit, the wall budget or a halt.
   * A sink that threw stops it too, after the event being run: its error is thrown from here.
   * With a `wallGuard`, a call that overruns the budget by `WALL_GUARD_GRACE_MS` (one step that
   * loops calling nothing that stops it) is stopped wherever it is, with the `wall-budget` outcome;
   * one the guard stops at the user's request throws `RunInterrupted`, and the run is over.
   */
  runUntil(untilMs: TimeMs): RunOutcome {
    const guard = this.limits.wallGuard;
    const budget = this.limits.wallBudgetMs;
    const clock = this.limits.wallClock;
    const stopped = this.haltError !== null || this.wallOverrun !== null || this.overflow !== null;
    if (guard === undefined || budget === undefined || clock === undefined || stopped)
      return this.runSlice(untilMs);
    const ran: { outcome: RunOutcome | null } = { outcome: null };
    // A run in stretches (`runStretch`) has spent part of its budget in the stretches before.
    const finished = this.underGuard(guard, budget - this.spentMs, clock, () => {
      ran.outcome = this.runSlice(untilMs);
    });
    return finished ? ran.outcome! : this.outcome("wall-budget");
  }

  /**
   * `runUntil` a stretch at a time, for a caller that lets its event loop turn between stretches
   * (signal handlers, a progress line): runs for about `stretchMs` of real time, then gives way
   * between two events and returns null, the clock left where the last event put it, so that the
   * next call goes on exactly as one uninterrupted `runUntil` would have (the same events, trace
   * and outcome); once the run is over, its outcome. The wall budget and the guard's stop count
   * from the first stretch. Without a wall clock and budget, it runs to the end at once.
   */
  runStretch(untilMs: TimeMs, stretchMs: number): RunOutcome | null {
    const clock = this.limits.wallClock;
    if (clock === undefined || this.limits.wallBudgetMs === undefined) return this.runUntil(untilMs);
    const nowMs = clock();
    if (Number.isNaN(this.runStartedMs)) this.runStartedMs = nowMs;
    this.spentMs = nowMs - this.runStartedMs;
    this.yieldAtMs = nowMs + stretchMs;
    this.yielded = false;
    let outcome: RunOutcome;
    try {
      outcome = this.runUntil(untilMs);
    } finally {
      this.yieldAtMs = Number.POSITIVE_INFINITY;
      this.spentMs = 0;
    }
    if (this.yielded) return null;
    this.runStartedMs = Number.NaN;
    return outcome;
  }

  /**
   * Runs `setup` (the world's start: its workload, its fleet) under the wall guard, as the run
   * itself is, so that Ctrl-C stops it too (`RunInterrupted`); without a guard, as it is.
   */
  guarded(setup: () => void): void {
    const guard = this.limits.wallGuard;
    const budget = this.limits.wallBudgetMs;
    const clock = this.limits.wallClock;
    if (guard === undefined || budget === undefined || clock === undefined) setup();
    else this.underGuard(guard, budget, clock, setup);
  }

  /**
   * Runs `slice` under `guard`: true when it finished; false when the guard stopped it past the
   * budget, and `RunInterrupted` thrown on when the user did (either way the run is over).
   */
  private underGuard(guard: WallGuard, budget: number, clock: () => number, slice: () => void): boolean {
    const startedMs = clock();
    try {
      if (guard(slice, budget + WALL_GUARD_GRACE_MS)) return true;
    } catch (error) {
      if (error instanceof RunInterrupted) this.interrupted(clock() - startedMs, true);
      throw error;
    }
    this.interrupted(clock() - startedMs);
    return false;
  }

  /**
   * The run stopped from outside (`wallGuard`), mid-event: whatever ran was cut wherever it was,
   * its `finally` blocks unrun. Nothing of the world may run again (the run is over, as for any
   * wall-budget stop); what was traced stays, and the trace says whether an event was cut.
   */
  private interrupted(elapsedMs: number, byUser = false): void {
    const g = this.current;
    this.current = null;
    this.wallStartMs = Number.NaN;
    const seconds = (elapsedMs / 1000).toFixed(1);
    if (!byUser && g !== null) this.overrunStepMs = elapsedMs;
    this.wallOverrun = byUser
      ? `stopped by the user (Ctrl-C) after ${seconds} s`
      : g === null
        ? `stopped in the middle of an event after ${seconds} s`
        : `goroutine ${thrownText(g.label)} on ${g.process.name} was stopped after ${seconds} s: ${STUCK_STEP.returned} (${STUCK_LOOP})`;
    this.trace.cut();
  }

  /** `runUntil` within one reading of the wall budget, checked between events and at port calls. */
  private runSlice(untilMs: TimeMs): RunOutcome {
    const trace = this.trace;
    trace.throwSinkFailure();
    if (this.haltError !== null) return this.outcome("halted");
    if (this.overflow !== null) return this.outcome("stack-overflow");
    if (this.wallOverrun !== null) return this.outcome("wall-budget");
    const horizon = this.limits.horizonMs;
    const stopAt = Math.min(untilMs, horizon);
    const maxEvents = this.limits.maxEvents;
    const budget = this.limits.wallBudgetMs;
    const clock = this.limits.wallClock;
    const timed = budget !== undefined && clock !== undefined;
    const wallStart = timed ? (Number.isNaN(this.runStartedMs) ? clock() : this.runStartedMs) : 0;
    // A clock that gives no number (`Date`, whose call is a string) would compare false against
    // every deadline: the wall budget and the guard would stop nothing, without a word.
    if (!Number.isFinite(wallStart))
      throw new TypeError(
        `wallClock: expected the real time in ms, a finite number (a monotonic clock's reading), found ${typeof wallStart === "string" ? JSON.stringify(wallStart) : String(wallStart)}: the wall budget cannot be kept`,
      );
    this.wallStartMs = timed ? wallStart : Number.NaN;
    // The first of the budget's end and the stretch's (`runStretch`): one comparison in the loop.
    const wallDeadlineMs = timed ? Math.min(wallStart + budget, this.yieldAtMs) : 0;
    let wallCountdown = WALL_CHECK_EVERY;
    const queue = this.queue;
    try {
      while (queue.size > 0 && queue.peekTime() <= stopAt) {
        if (this.executed >= maxEvents) return this.outcome("max-events");
        if (timed && --wallCountdown === 0) {
          wallCountdown = WALL_CHECK_EVERY;
          const wallNowMs = clock();
          if (wallNowMs > wallDeadlineMs) {
            if (wallNowMs - wallStart > budget) return this.outcome("wall-budget");
            // Between two events, the clock where the last one put it (see `runStretch`). No
            // call here: a call run in the loop is inlined into it, and `outcome` would use up
            // the inlining budget the events' own functions need (the CLI halves it, cli/heap.ts).
            if (wallNowMs >= this.yieldAtMs) {
              this.yielded = true;
              return GAVE_WAY;
            }
          }
        }
        this.dispatchNext();
        if (this.wallOverrun !== null) return this.outcome("wall-budget");
        if (trace.sinkFailed) break;
      }
    } catch (error) {
      this.current = null;
      if (error instanceof StackOverflowStop) {
        this.overflow = error.message;
        return this.outcome("stack-overflow");
      }
      this.haltError = thrownText(error);
      return this.outcome("halted");
    } finally {
      this.wallStartMs = Number.NaN;
    }
    trace.throwSinkFailure();
    if (stopAt > this.now) {
      this.now = stopAt;
      this.clockMovedAt = this.executed;
    }
    if (stopAt >= horizon) return this.outcome("horizon");
    return this.outcome(queue.size === 0 ? "idle" : "paused");
  }

  // ---------------------------------------------------------------- internals

  /**
   * Pops the next event and runs it (or drops or parks it). It reads the event's time itself:
   * passed in from the run loop, the time would be boxed wherever V8 does not inline this.
   */
  private dispatchNext(): void {
    const queue = this.queue;
    const time = queue.peekTime();
    const slot = queue.pop();
    const entry = this.entries[slot];
    if (entry === null) {
      this.release(slot); // cancelled
      return;
    }
    if (time !== this.now) {
      if (!(time > this.now)) throw new InvariantViolation("event queue went back in time");
      this.now = time;
      this.clockMovedAt = this.executed;
    }
    const data = this.slotData;
    const owner = data[4 * slot];
    if (owner !== NO_PROCESS) {
      const record = this.processes[owner];
      if (record.epoch !== data[4 * slot + 1]) {
        this.release(slot); // its process died
        return;
      }
      if (record.state === "paused") {
        record.parked.push(slot);
        return;
      }
    }
    const cause = data[4 * slot + 3];
    this.release(slot);
    this.cause = cause === NO_CAUSE ? null : cause;
    this.executed++;
    if (typeof entry === "function") entry();
    else if (this.stepWatch === null) this.resumeGoroutine(entry);
    else this.resumeWatched(entry);
  }

  /**
   * `resumeGoroutine`, told to the step watch. Apart from it rather than in `advance`, so that
   * the steps of a run without a watch pay one test, and the functions inlined into the run loop
   * stay within V8's inlining budget (the CLI halves it, see `cli/heap.ts`).
   */
  private resumeWatched(g: Goroutine): void {
    const watch = this.stepWatch!;
    watch.began(g.serial, g.label, g.process.name);
    try {
      this.resumeGoroutine(g);
    } finally {
      watch.ended();
    }
  }

  /** Frees a slot: its generation moves on, so its handle goes stale. */
  private release(slot: number): void {
    this.entries[slot] = null;
    this.slotData[4 * slot + 2]++;
    this.freeSlots.push(slot);
  }

  private outcome(reason: StopReason): RunOutcome {
    const detail = stopDetail(reason, {
      maxEvents: this.limits.maxEvents,
      wallBudgetMs: this.limits.wallBudgetMs,
      wallOverrun: this.wallOverrun,
      seed: this.seed,
      haltError: this.haltError,
      overflow: this.overflow,
      stuckClock: reason === "max-events" ? this.stuckClock() : null,
    });
    const base = { reason, now: this.now, events: this.executed, detail };
    if (reason === "halted") return { ...base, error: this.haltError ?? "unknown" };
    if (reason === "wall-budget" && this.wallOverrun !== null && !Number.isNaN(this.overrunStepMs))
      return { ...base, steppedOver: { text: this.wallOverrun, ms: this.overrunStepMs } };
    return base;
  }

  /**
   * At the event limit: the goroutine next to run, when the clock has not moved for the last
   * `RunLimits.stuckClockEvents` events or more (see `StopFacts.stuckClock`); null otherwise. Every
   * event of this instant queued before the loop began has run by then: what is left is the loop's.
   */
  private stuckClock(): { readonly goroutine: string; readonly events: number } | null {
    const events = this.executed - this.clockMovedAt;
    const least = this.limits.stuckClockEvents ?? STUCK_CLOCK_EVENTS;
    if (events < least || this.queue.peekTime() !== this.now) return null;
    const entry = this.entries[this.queue.peekSlot()];
    if (!(entry instanceof Goroutine)) return null;
    return { goroutine: `goroutine ${thrownText(entry.label)} on ${entry.process.name}`, events };
  }

  private record(process: SimProcess): ProcessRecord {
    const record = this.processes[process.index];
    invariant(record === process, "process does not belong to this simulation");
    return record;
  }

  /** Queues a plain event at `pendingTimeMs`; `cause` defaults to the causal context. */
  private enqueuePlain(fn: () => void, cause: number | null | undefined): void {
    this.enqueue(fn, NO_PROCESS, 0, cause === undefined ? this.cause : cause);
  }

  /** Queues `entry` at `pendingTimeMs` (not before now, rounded to a whole ms); its handle goes to `queuedHandle`. */
  private enqueue(
    entry: (() => void) | Goroutine,
    processIndex: number,
    epoch: number,
    cause: number | null,
  ): void {
    const requested = this.pendingTimeMs;
    if (!(requested >= this.now)) throw pastEventError(requested, this.now);
    const time = Math.round(requested);
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.entries.length;
      if (slot >= SLOT_LIMIT) throw new InvariantViolation(`more than ${SLOT_LIMIT} pending events`);
      this.entries.push(null);
      if (4 * slot >= this.slotData.length) this.growSlots();
    }
    this.entries[slot] = entry;
    const data = this.slotData;
    data[4 * slot] = processIndex;
    data[4 * slot + 1] = epoch;
    data[4 * slot + 3] = cause === null ? NO_CAUSE : cause;
    this.queue.push(time, slot);
    this.queuedHandle = (data[4 * slot + 2] & GENERATION_MASK) * SLOT_LIMIT + slot;
  }

  private growSlots(): void {
    const data = new Float64Array(this.slotData.length * 2);
    data.set(this.slotData);
    this.slotData = data;
  }

  /** Runs a goroutine's event: the completion of its call, if any, then its next step. */
  private resumeGoroutine(g: Goroutine): void {
    const mode = g.mode;
    const value = g.value;
    g.value = undefined;
    if (mode !== RESUME_CALL) {
      this.advance(g, value, mode === RESUME_THROW);
      return;
    }
    const complete = g.call!;
    g.call = null;
    let result: unknown;
    try {
      result = complete();
    } catch (error) {
      if (isInvariantViolation(error)) throw error;
      this.advance(g, error, true);
      return;
    }
    this.advance(g, result, false);
  }

  private advance(g: Goroutine, value: unknown, isError: boolean): void {
    const record = g.process;
    if (record.epoch !== g.epoch) return;
    this.current = g;
    this.cause = g.cause;
    this.portCountdown = PORT_CHECK_EVERY;
    this.stepWallStartMs = Number.NaN;
    let result: IteratorResult<Op, void>;
    try {
      result = isError ? g.body.throw(value) : g.body.next(value);
    } catch (error) {
      this.goroutineThrew(g, error);
      return;
    }
    this.current = null;
    if (this.wallOverrun !== null) return; // the run stops (see `portCall`)
    if (record.epoch !== g.epoch) return; // its process died while it ran
    if (result.done) {
      record.goroutines--;
      g.onReturn?.();
      return;
    }
    this.block(g, result.value);
  }

  /**
   * A goroutine's step threw `error`: a panic that ends its process, unless the simulator broke.
   * Kept out of `advance`, run at every step, so that this rarer path does not weigh on its inlining.
   */
  private goroutineThrew(g: Goroutine, error: unknown): void {
    this.current = null;
    if (isInvariantViolation(error)) throw error;
    // The step overran the wall budget: the run stops (see `portCall`); no panic, no exit.
    if (this.wallOverrun !== null) return;
    // Not a panic of the simulated world but a limit of the host's (see `STACK_OVERFLOW_WHY`).
    if (isStackOverflow(error))
      throw new StackOverflowStop(
        `goroutine ${thrownText(g.label)} on ${g.process.name} overflowed the JavaScript stack (${thrownText(error)})`,
      );
    this.panicExit(g, error);
  }

  /** Ends `g`'s process in a panic of `error`, unless it is dead already (killed by `g`, then threw): one exit only. */
  private panicExit(g: Goroutine, error: unknown): void {
    const record = g.process;
    if (record.epoch !== g.epoch) return;
    this.terminate(record, {
      reason: "panic",
      at: this.now,
      error: thrownText(error),
      // The code under test names its goroutines: any value, its control characters written out.
      goroutine: thrownText(g.label),
      context: g.context,
      thrown: error,
      cause: g.cause,
    });
  }

  private block(g: Goroutine, op: Op): void {
    const record = g.process;
    const kind = op !== null && typeof op === "object" ? op.kind : undefined;
    if (kind === "sleep" || kind === "call") {
      const ms = (op as { readonly ms: number }).ms;
      // A time that is not a finite number would corrupt the queue's order, or never come.
      if (!Number.isFinite(ms)) {
        this.throwInto(g, badTimeError(g.label, kind, ms));
        return;
      }
      if (kind === "call") {
        g.mode = RESUME_CALL;
        g.call = (op as { readonly complete: () => unknown }).complete;
      } else {
        g.mode = RESUME_NEXT;
      }
      this.pendingTimeMs = this.now + Math.max(0, Math.round(ms));
      this.enqueue(g, record.index, g.epoch, g.cause);
      return;
    }
    if (kind === "park") {
      let woken = false;
      (op as Extract<Op, { kind: "park" }>).register((value?: unknown) => {
        if (woken) return;
        woken = true;
        if (record.epoch !== g.epoch) return;
        g.mode = RESUME_NEXT;
        g.value = value;
        this.pendingTimeMs = this.now;
        this.enqueue(g, record.index, g.epoch, g.cause);
      });
      return;
    }
    this.throwInto(g, notAnOpError(g.label, op));
  }

  /**
   * Makes the goroutine's pending `yield` throw `error`, as a separate event at the same time: a
   * bad op is a bug in the code under test (a panic it may recover), not in the simulator.
   */
  private throwInto(g: Goroutine, error: Error): void {
    g.mode = RESUME_THROW;
    g.value = error;
    this.pendingTimeMs = this.now;
    this.enqueue(g, g.process.index, g.epoch, g.cause);
  }

  private terminate(record: ProcessRecord, exit: ProcessExit): void {
    record.state = "dead";
    record.epoch++;
    // Parked events hold their slots until resume; the process will not resume, so free them.
    const parked = record.parked;
    record.parked = [];
    for (let i = 0; i < parked.length; i++) this.release(parked[i]);
    record.goroutines = 0;
    // What was thrown is for the exit's callback alone (where it came from, `ProcessExit.thrown`):
    // kept with the dead process, every panic's value and what it references would live on until
    // the run ends, a crash loop's thousands of them in a long run.
    record.exit = exit.thrown === undefined ? exit : { ...exit, thrown: undefined };
    record.onExit?.(record, exit);
  }
}

/** `goroutine g yielded sleep("1000"), …`: an op whose time is not a finite number (kept out of `block`). */
function badTimeError(label: string, kind: string, ms: unknown): TypeError {
  const shown = typeof ms === "string" ? JSON.stringify(ms) : yieldedText(ms);
  return new TypeError(
    `goroutine ${thrownText(label)} yielded ${kind}(${printableText(shown)}), expected a finite number of ms`,
  );
}

/** Says what a goroutine yielded that is not an Op, and what to yield instead (kept out of `block`). */
function notAnOpError(label: string, value: unknown): TypeError {
  const what = yieldedText(value);
  const hint = notAnOpHint(value);
  return new TypeError(
    `goroutine ${thrownText(label)} yielded ${printableText(what)}, which is not an Op${hint}`,
  );
}

/**
 * A value a goroutine yielded, in words, without running its code (no getter, `toString` or Proxy
 * trap): `42`, `"x"`, `undefined`, `a Promise`, `a generator`, `an object with kind "nap"`.
 */
function yieldedText(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value !== "object" || value === null) return String(value);
  try {
    if (value instanceof Promise) return "a Promise";
    if (isGenerator(value)) return "a generator";
    if (Array.isArray(value)) return "an array";
    const kind = Object.getOwnPropertyDescriptor(value, "kind")?.value;
    return typeof kind === "string" ? `an object with kind ${JSON.stringify(kind)}` : "an object";
  } catch {
    return "an object";
  }
}

/** What to yield instead of `value`, as `: …` or ` (…)`, or nothing more to say. */
function notAnOpHint(value: unknown): string {
  try {
    if (value instanceof Promise)
      return ": async functions and await are not supported, the simulation drives generators (function*): yield rt.sleep(ms), and yield* a blocking call";
    if (isGenerator(value))
      return ": a blocking call is a generator, to run with yield*, not yield (yield* rt.store.getAccount(id))";
  } catch {
    // A Proxy whose traps throw: nothing more to say of it.
  }
  return " (yield rt.sleep(ms), or yield* a blocking call)";
}

/** Whether `value` is a generator object (what calling a function* returns), read without traps. */
function isGenerator(value: unknown): boolean {
  return Object.prototype.toString.call(value) === "[object Generator]";
}

/** Kept out of `enqueue` so that the message's template does not weigh on its inlining. */
function pastEventError(time: TimeMs, now: TimeMs): InvariantViolation {
  return new InvariantViolation(`event scheduled in the past: ${time} < ${now}`);
}

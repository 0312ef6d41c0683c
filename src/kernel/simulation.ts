import { EventQueue } from "./event-queue.js";
import { IdSource } from "./ids.js";
import { InvariantViolation, invariant } from "./invariant.js";
import type {
  GoroutineBody,
  GoroutineContext,
  Op,
  ProcessExit,
  ProcessState,
  SimProcess,
} from "./process.js";
import { RandomStreams } from "./random.js";
import type { TimeMs } from "./time.js";
import { Trace } from "./trace.js";

/** Limits that end a run; every run has them (TigerBeetle: put a limit on everything). */
export interface RunLimits {
  /** Virtual time at which the run ends. */
  readonly horizonMs: TimeMs;
  /** Maximum number of events executed. */
  readonly maxEvents: number;
  /** Wall-clock budget in milliseconds, measured with `wallClock` (injected: the kernel has no clock). */
  readonly wallBudgetMs?: number;
  readonly wallClock?: () => number;
}

export type StopReason = "horizon" | "paused" | "idle" | "max-events" | "wall-budget" | "halted";

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
}

/** An opaque handle to a scheduled event, for `cancel`. */
export type TimerHandle = number;

const NO_CAUSE = -1;
const NO_PROCESS = -1;
const SLOT_BITS = 0x1000000; // 2^24 slots at most at once

class ProcessRecord implements SimProcess {
  state: ProcessState = "running";
  epoch = 0;
  goroutines = 0;
  exit: ProcessExit | null = null;
  /** Events that came due while paused, in order: [fn, cause, fn, cause, ...]. */
  parked: Array<(() => void) | number> = [];

  constructor(
    readonly index: number,
    readonly name: string,
    readonly startedAt: TimeMs,
    readonly onExit: ((process: SimProcess, exit: ProcessExit) => void) | undefined,
  ) {}
}

class Goroutine {
  constructor(
    readonly process: ProcessRecord,
    readonly epoch: number,
    readonly label: string,
    readonly body: GoroutineBody,
    readonly context: GoroutineContext | undefined,
    public cause: number | null,
  ) {}
}

/**
 * The deterministic discrete-event kernel: a virtual clock, an event queue ordered by
 * (time, seq), seeded random streams, processes with goroutines and timers, ids and the
 * trace. Code under test runs as goroutines; an exception escaping one terminates its
 * process, as an unrecovered panic does in Go, and never escapes the kernel.
 */
export class Simulation {
  now: TimeMs;
  readonly trace: Trace;
  readonly random: RandomStreams;
  readonly ids = new IdSource();
  readonly seed: number | string;
  readonly limits: RunLimits;
  /** The causal context: seq of the trace event behind the code now running, or null. */
  cause: number | null = null;

  private readonly queue = new EventQueue(4096);
  private fns: Array<(() => void) | null> = [];
  private procOf = new Int32Array(4096);
  private epochOf = new Int32Array(4096);
  private causeOf = new Float64Array(4096);
  private genOf = new Uint32Array(4096);
  private freeSlots: number[] = [];
  private readonly processes: ProcessRecord[] = [];
  private current: Goroutine | null = null;
  private executed = 0;
  private haltError: string | null = null;

  constructor(options: SimulationOptions) {
    invariant(Number.isSafeInteger(options.startMs), "start time must be an integer number of ms");
    this.seed = options.seed;
    this.now = options.startMs;
    this.limits = options.limits;
    this.random = new RandomStreams(options.seed);
    this.trace = new Trace(() => this.now);
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

  /** Makes `seq` the causal context of the code now running (and of the goroutine, if any). */
  setCause(seq: number | null): void {
    this.cause = seq;
    if (this.current) this.current.cause = seq;
  }

  // ---------------------------------------------------------------- plain events

  /** Runs `fn` at `time` (not before now). World code, not bound to any process. */
  at(time: TimeMs, fn: () => void, cause: number | null = this.cause): TimerHandle {
    invariant(time >= this.now, () => `event scheduled in the past: ${time} < ${this.now}`);
    return this.enqueue(Math.round(time), fn, NO_PROCESS, 0, cause);
  }

  /** Runs `fn` after `delayMs`. */
  after(delayMs: number, fn: () => void, cause: number | null = this.cause): TimerHandle {
    return this.at(this.now + Math.max(0, delayMs), fn, cause);
  }

  /** Cancels a scheduled event; cancelling one that already ran or was cancelled does nothing. */
  cancel(handle: TimerHandle): void {
    const slot = handle % SLOT_BITS;
    const gen = Math.floor(handle / SLOT_BITS);
    if (this.genOf[slot] === gen) this.fns[slot] = null;
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
    const g = new Goroutine(record, record.epoch, label, body, options.context, cause);
    record.goroutines++;
    this.enqueue(this.now, () => this.advance(g, undefined, false), record.index, record.epoch, cause);
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
    return this.enqueue(this.now + Math.max(0, Math.round(delayMs)), fn, record.index, record.epoch, cause);
  }

  /** Kills a process at once (SIGKILL): no cleanup runs. */
  kill(process: SimProcess, cause: number | null = this.cause): void {
    const record = this.record(process);
    if (record.state === "dead") return;
    this.terminate(record, { reason: "killed", at: this.now, cause });
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
    for (let i = 0; i < parked.length; i += 2) {
      const cause = parked[i + 1] as number;
      this.enqueue(
        this.now,
        parked[i] as () => void,
        record.index,
        record.epoch,
        cause === NO_CAUSE ? null : cause,
      );
    }
  }

  /** The goroutine now running, if any: its label and context. */
  get running(): { readonly label: string; readonly context: GoroutineContext | undefined } | null {
    return this.current;
  }

  // ---------------------------------------------------------------- run loop

  /** Executes the next event. False when the queue is empty. A thrown error here halts the run. */
  step(): boolean {
    const queue = this.queue;
    if (queue.size === 0) return false;
    const time = queue.peekTime();
    const slot = queue.pop();
    const fn = this.fns[slot];
    const processIndex = this.procOf[slot];
    const epoch = this.epochOf[slot];
    const cause = this.causeOf[slot];
    this.fns[slot] = null;
    this.genOf[slot]++;
    this.freeSlots.push(slot);
    if (fn === null) return true;
    invariant(time >= this.now, "event queue went back in time");
    this.now = time;
    if (processIndex !== NO_PROCESS) {
      const record = this.processes[processIndex];
      if (record.epoch !== epoch) return true;
      if (record.state === "paused") {
        record.parked.push(fn, cause);
        return true;
      }
    }
    this.cause = cause === NO_CAUSE ? null : cause;
    this.executed++;
    fn();
    return true;
  }

  /** Runs until the horizon or a limit. */
  run(): RunOutcome {
    return this.runUntil(this.limits.horizonMs);
  }

  /**
   * Runs every event due at or before `untilMs` (capped at the horizon), then sets the clock
   * to that time. Stops early, with the reason, at the event limit, the wall budget or a halt.
   */
  runUntil(untilMs: TimeMs): RunOutcome {
    if (this.haltError !== null) return this.outcome("halted");
    const horizon = this.limits.horizonMs;
    const stopAt = Math.min(untilMs, horizon);
    const maxEvents = this.limits.maxEvents;
    const budget = this.limits.wallBudgetMs;
    const clock = this.limits.wallClock;
    const wallStart = budget !== undefined && clock ? clock() : 0;
    const queue = this.queue;
    try {
      while (queue.size > 0 && queue.peekTime() <= stopAt) {
        if (this.executed >= maxEvents) return this.outcome("max-events");
        if (budget !== undefined && clock && (this.executed & 1023) === 0 && clock() - wallStart > budget) {
          return this.outcome("wall-budget");
        }
        this.step();
      }
    } catch (error) {
      this.haltError = describeError(error);
      return this.outcome("halted");
    }
    if (stopAt > this.now) this.now = stopAt;
    if (stopAt >= horizon) return this.outcome("horizon");
    return this.outcome(queue.size === 0 ? "idle" : "paused");
  }

  // ---------------------------------------------------------------- internals

  private outcome(reason: StopReason): RunOutcome {
    const base = { reason, now: this.now, events: this.executed };
    switch (reason) {
      case "horizon":
        return { ...base, detail: "reached the horizon" };
      case "paused":
        return { ...base, detail: "paused at the requested time" };
      case "idle":
        return { ...base, detail: "no events left before the requested time" };
      case "max-events":
        return { ...base, detail: `hit the event limit (${this.limits.maxEvents} events)` };
      case "wall-budget":
        return { ...base, detail: `hit the wall-clock budget (${this.limits.wallBudgetMs} ms)` };
      case "halted":
        return {
          ...base,
          error: this.haltError ?? "unknown",
          detail: `simulator invariant broken, reproduce with seed ${this.seed}: ${this.haltError}`,
        };
    }
  }

  private record(process: SimProcess): ProcessRecord {
    const record = this.processes[process.index];
    invariant(record === process, "process does not belong to this simulation");
    return record;
  }

  private enqueue(
    time: TimeMs,
    fn: () => void,
    processIndex: number,
    epoch: number,
    cause: number | null,
  ): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.fns.length;
      invariant(slot < SLOT_BITS, "too many pending events");
      this.fns.push(null);
      if (slot >= this.procOf.length) this.growSlots();
    }
    this.fns[slot] = fn;
    this.procOf[slot] = processIndex;
    this.epochOf[slot] = epoch;
    this.causeOf[slot] = cause === null ? NO_CAUSE : cause;
    this.queue.push(time, slot);
    return this.genOf[slot] * SLOT_BITS + slot;
  }

  private growSlots(): void {
    const n = this.procOf.length * 2;
    const procOf = new Int32Array(n);
    procOf.set(this.procOf);
    this.procOf = procOf;
    const epochOf = new Int32Array(n);
    epochOf.set(this.epochOf);
    this.epochOf = epochOf;
    const causeOf = new Float64Array(n);
    causeOf.set(this.causeOf);
    this.causeOf = causeOf;
    const genOf = new Uint32Array(n);
    genOf.set(this.genOf);
    this.genOf = genOf;
  }

  private advance(g: Goroutine, value: unknown, isError: boolean): void {
    const record = g.process;
    if (record.epoch !== g.epoch) return;
    this.current = g;
    this.cause = g.cause;
    let result: IteratorResult<Op, void>;
    try {
      result = isError ? g.body.throw(value) : g.body.next(value);
    } catch (error) {
      this.current = null;
      if (error instanceof InvariantViolation) throw error;
      this.terminate(record, {
        reason: "panic",
        at: this.now,
        error: describeError(error),
        goroutine: g.label,
        context: g.context,
        cause: g.cause,
      });
      return;
    }
    this.current = null;
    if (result.done) {
      record.goroutines--;
      return;
    }
    this.block(g, result.value);
  }

  private block(g: Goroutine, op: Op): void {
    const record = g.process;
    switch (op.kind) {
      case "sleep":
        this.enqueue(
          this.now + Math.max(0, Math.round(op.ms)),
          () => this.advance(g, undefined, false),
          record.index,
          g.epoch,
          g.cause,
        );
        return;
      case "call":
        this.enqueue(
          this.now + Math.max(0, Math.round(op.ms)),
          () => {
            let value: unknown;
            try {
              value = op.complete();
            } catch (error) {
              if (error instanceof InvariantViolation) throw error;
              this.advance(g, error, true);
              return;
            }
            this.advance(g, value, false);
          },
          record.index,
          g.epoch,
          g.cause,
        );
        return;
      case "park": {
        let woken = false;
        op.register((value?: unknown) => {
          if (woken) return;
          woken = true;
          if (record.epoch !== g.epoch) return;
          this.enqueue(this.now, () => this.advance(g, value, false), record.index, g.epoch, g.cause);
        });
        return;
      }
      default:
        throw new InvariantViolation(`goroutine ${g.label} yielded something that is not an Op`);
    }
  }

  private terminate(record: ProcessRecord, exit: ProcessExit): void {
    record.state = "dead";
    record.epoch++;
    record.parked = [];
    record.goroutines = 0;
    record.exit = exit;
    record.onExit?.(record, exit);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

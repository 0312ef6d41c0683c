import { STUCK_CLOCK, STUCK_STEP } from "../kernel/simulation.js";
import { DAY_CLOCK, type RunClock, runClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { numberField, textField } from "./event-view.js";

/** Settings a collector may be given; the `run.started` event overrides the run's own ones. */
export interface CheckConstraints {
  /** Delivery SLO when the trace has no `run.started` (default one minute). */
  readonly sloMs?: number;
  /** End of the run when the trace has no `run.started` (default: the last event's time). */
  readonly horizonMs?: number;
  /**
   * Time after the quiet point from which every due must be on time. Default
   * `max(5 minutes, 2 × sloMs)`: the lease TTL that bounds a handoff is not in the trace.
   */
  readonly quietBoundMs?: number;
}

export const SLO_MS_DEFAULT = 60_000;
export const QUIET_BOUND_MS_MIN = 5 * 60_000;

/**
 * The run's frame, learnt from `run.started` (the first event of every trace): when it starts,
 * its SLO and its horizon. Shared by every checker of one collector.
 */
export class RunInfo {
  startMs = Number.NaN;
  sloMs: number;
  /** End of the run; NaN until known (then the last event time seen stands in). */
  horizonMs: number;
  lastEventMs = Number.NaN;
  /**
   * The time of the event being checked: `observe` sets it before any checker sees the event.
   * The checkers that read every event read it here: a read of `t` from events of many shapes
   * is a generic lookup that boxes the time afresh each time (times are not small integers).
   */
  nowMs = Number.NaN;
  started = false;

  constructor(readonly constraints: CheckConstraints = {}) {
    this.sloMs = constraints.sloMs ?? SLO_MS_DEFAULT;
    this.horizonMs = constraints.horizonMs ?? Number.NaN;
  }

  /** Observes every event first, before any checker does (`type`: its own, if the caller has it). */
  observe(event: TraceEvent, type: string = event.type): void {
    const t = event.t;
    this.nowMs = t;
    if (Number.isNaN(this.startMs)) this.startMs = t;
    if (Number.isNaN(this.lastEventMs) || t > this.lastEventMs) this.lastEventMs = t;
    if (type === "run.started" && !this.started) {
      this.started = true;
      this.startMs = event.t;
      this.sloMs = numberField(event, "sloMs") ?? this.sloMs;
      this.horizonMs = numberField(event, "horizon") ?? this.horizonMs;
    }
    if (type === "run.finished") {
      // A run simulated nothing after it finished, whatever its horizon said: the checks never
      // settle dues past the last event. A run stopped by a limit never gave its dues the chance
      // to be delivered, so they are not missed; events due at that very instant may not all
      // have run, so the checks end a millisecond before it.
      const reachedMs = stoppedEarly(textField(event, "reason")) ? event.t - 1 : event.t;
      if (Number.isNaN(this.horizonMs) || reachedMs < this.horizonMs) this.horizonMs = reachedMs;
    }
  }

  /** The horizon, or, for a trace without one, the last event's time. */
  get endMs(): number {
    if (!Number.isNaN(this.horizonMs)) return this.horizonMs;
    return Number.isNaN(this.lastEventMs) ? 0 : this.lastEventMs;
  }

  /**
   * How the checks write the run's moments for people: the run's clock, from its start to where
   * it ended (the horizon, or the `run.finished` of a run that stopped early), dated when that
   * spans more than one UTC day, as every other human rendering of the run writes them.
   */
  get clock(): RunClock {
    if (Number.isNaN(this.startMs)) return DAY_CLOCK;
    const lastMs = Number.isNaN(this.lastEventMs) ? this.endMs : Math.max(this.endMs, this.lastEventMs);
    return runClock(this.startMs, lastMs);
  }

  get quietBoundMs(): number {
    return this.constraints.quietBoundMs ?? Math.max(QUIET_BOUND_MS_MIN, 2 * this.sloMs);
  }
}

/**
 * The limit that stopped a run that ended for `reason`, or null for any other end: the scenario's
 * (`limits.maxEvents`, `limits.wallBudget`), or the host's JavaScript stack (`stack`, no setting:
 * see `STACK_OVERFLOW_WHY`). The one place the CLI, the gate and the checks learn which stops are
 * limits, which leave a run not judged.
 */
export function stopLimit(reason: string | undefined): StopLimit | null {
  if (reason === "max-events") return "maxEvents";
  if (reason === "wall-budget") return "wallBudget";
  if (reason === "stack-overflow") return "stack";
  return null;
}

/** A limit that stops a run before its horizon (`stopLimit`). */
export type StopLimit = "maxEvents" | "wallBudget" | "stack";

/**
 * Whether a wall-budget stop came from a scheduler goroutine that never yielded (the kernel's
 * `ran N s without yielding`, or the gate's watchdog stopping a thread whose step never
 * returned): a bigger budget would not let such a run finish.
 */
export function stuckWithoutYielding(detail: string | undefined): boolean {
  return (
    detail !== undefined && (detail.includes(STUCK_STEP.yielded) || detail.includes(STUCK_STEP.returned))
  );
}

/** What to do about a run that `stuckWithoutYielding` says stopped: not a bigger budget. */
export const YIELD_ADVICE =
  "a bigger budget will not help: a scheduler goroutine loops without yielding; make every loop in the scheduler yield (yield rt.sleep(ms) or a blocking yield* call)";

/**
 * What to do about an event-limit stop from a goroutine that loops without letting the clock move
 * (the kernel's `STUCK_CLOCK`): not a bigger limit.
 */
export const CLOCK_ADVICE =
  "a bigger limit will not help: a scheduler goroutine yields over and over without the clock moving (yield rt.sleep(0), or a negative time, which returns at once as in Go); make it wait for something: a tick, or the next due time (claim.nextDueAt)";

/**
 * What to do about a run stopped by a scheduler goroutine's loop, as its stop's `detail` says
 * (`YIELD_ADVICE`, `CLOCK_ADVICE`), or null when no loop stopped it: then a limit is to be raised.
 */
export function loopAdvice(detail: string | undefined): string | null {
  if (stuckWithoutYielding(detail)) return YIELD_ADVICE;
  if (detail?.includes(STUCK_CLOCK)) return CLOCK_ADVICE;
  return null;
}

/**
 * Whether a run that ended for `reason` stopped before its horizon: at one of its limits
 * (`stopLimit`) or at a broken invariant (a paused or idle step of a session is not an end).
 */
export function stoppedEarly(reason: string | undefined): boolean {
  return stopLimit(reason) !== null || reason === "halted";
}

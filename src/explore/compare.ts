import {
  eventPrint,
  type PrintingHasher,
  type Trace,
  type TraceEvent,
  type TraceSink,
} from "../kernel/index.js";
import type { RunReport } from "../report/run-report.js";
import { buildWorld, type RunInput, type RunOptions, runWorld } from "./run.js";

/** Where two runs of the same world first behave differently. */
export interface Divergence {
  /** Position in the trace of the first event that differs. */
  readonly index: number;
  readonly t: number;
  /** The event of each run at that position (null if that run's trace had ended). */
  readonly a: TraceEvent | null;
  readonly b: TraceEvent | null;
}

export interface Comparison {
  readonly reports: RunReport[];
  /** First divergence between the first two runs, or null if they behaved identically. */
  readonly divergence: Divergence | null;
}

/** Fields a behaviour print leaves out: they number the trace or name the scheduler. */
export const BEHAVIOUR_IGNORED: readonly string[] = ["seq", "cause", "scheduler", "fixes"];

/**
 * A 32-bit fingerprint of what an event says happened (not which scheduler said it): every
 * field but `seq`, `cause`, `scheduler` and `fixes`, names and values (`eventPrint`).
 */
export function behaviourPrint(e: TraceEvent): number {
  return eventPrint(e, BEHAVIOUR_IGNORED);
}

/**
 * Gives each event's behaviour print: on a trace, the one its hasher computed while hashing
 * the event (it runs on every event of a compare: keep it cheap); alone, computed here.
 */
export class BehaviourPrints {
  private printer: PrintingHasher | null = null;

  /** Takes the prints from the trace's hasher, unless the trace already ran (then computes them). */
  attach(trace: Trace): void {
    if (trace.length === 0) this.printer = trace.usePrints(BEHAVIOUR_IGNORED);
  }

  of(e: TraceEvent): number {
    return this.printer !== null ? this.printer.lastPrint : behaviourPrint(e);
  }
}

/** Keeps each event's behaviour print and time, in trace order. */
export class PrintRecorder implements TraceSink {
  prints = new Uint32Array(1 << 16);
  times = new Float64Array(1 << 16);
  length = 0;
  private readonly print = new BehaviourPrints();

  attach(trace: Trace): void {
    this.print.attach(trace);
  }

  onEvent(e: TraceEvent): void {
    if (this.length === this.prints.length) {
      const prints = new Uint32Array(this.length * 2);
      prints.set(this.prints);
      this.prints = prints;
      const times = new Float64Array(this.length * 2);
      times.set(this.times);
      this.times = times;
    }
    this.prints[this.length] = this.print.of(e);
    this.times[this.length] = e.t;
    this.length++;
  }
}

class PrintMatcher implements TraceSink {
  private index = 0;
  found: { index: number; event: TraceEvent } | null = null;
  private readonly print = new BehaviourPrints();

  constructor(private readonly reference: PrintRecorder) {}

  attach(trace: Trace): void {
    this.print.attach(trace);
  }

  onEvent(e: TraceEvent): void {
    if (this.found !== null) return;
    const i = this.index++;
    if (i >= this.reference.length || this.reference.prints[i] !== this.print.of(e))
      this.found = { index: i, event: e };
  }

  get seen(): number {
    return this.index;
  }
}

/** Captures the event at one trace position. */
export class EventAt implements TraceSink {
  private index = 0;
  event: TraceEvent | null = null;
  constructor(private readonly wanted: number) {}
  onEvent(e: TraceEvent): void {
    if (this.index++ === this.wanted) this.event = e;
  }
}

/**
 * Runs several variants of one world (same seed: the same workload and chance, common random
 * numbers) and finds the first moment the first two behave differently.
 */
export function compareRuns(inputs: readonly RunInput[], options: RunOptions = {}): Comparison {
  if (inputs.length === 0) return { reports: [], divergence: null };
  const recorder = new PrintRecorder();
  const keeper = new EventKeeper(KEPT_EVENTS_MAX);
  const first = runWorld(inputs[0], { ...options, sinks: [...(options.sinks ?? []), recorder, keeper] });
  const reports = [first.report];
  let divergence: Divergence | null = null;
  inputs.slice(1).forEach((input, k) => {
    const matcher = k === 0 ? new PrintMatcher(recorder) : null;
    const sinks = matcher ? [...(options.sinks ?? []), matcher] : options.sinks;
    reports.push(runWorld(input, { ...options, sinks }).report);
    if (!matcher) return;
    if (matcher.found === null && matcher.seen === recorder.length) return;
    const index = matcher.found?.index ?? matcher.seen;
    const t = index < recorder.length ? recorder.times[index] : (matcher.found?.event.t ?? Number.NaN);
    const kept = keeper.events;
    divergence = {
      index,
      t,
      a:
        index >= recorder.length
          ? null
          : kept !== null
            ? (kept[index] ?? null)
            : replayEventAt(inputs[0], options, index),
      b: matcher.found?.event ?? null,
    };
  });
  return { reports, divergence };
}

/** Events a compare keeps of a run at most, to show the divergence; beyond them it replays. */
export const KEPT_EVENTS_MAX = 400_000;

/** Keeps every event while there are at most `max` of them (then none: `events` is null). */
export class EventKeeper implements TraceSink {
  events: TraceEvent[] | null = [];

  constructor(private readonly max: number) {}

  onEvent(e: TraceEvent): void {
    if (this.events === null) return;
    if (this.events.length >= this.max) this.events = null;
    else this.events.push(e);
  }
}

/** The event at a trace position, by running again (determinism makes it the same event). */
export function replayEventAt(input: RunInput, options: RunOptions, index: number): TraceEvent | null {
  const probe = new EventAt(index);
  const world = buildWorld(input, { ...options, sinks: [probe] });
  world.start();
  while (probe.event === null && world.sim.step()) {
    if (world.sim.now > world.horizonMs) break;
  }
  return probe.event;
}

/** The first position where two print sequences differ, or -1 when they are the same. */
export function firstDifference(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

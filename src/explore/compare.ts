import { stoppedEarly } from "../checks/run-info.js";
import {
  eventPrint,
  type PrintingHasher,
  Trace,
  type TraceEvent,
  type TraceSink,
  type TraceView,
  WALL_GUARD_GRACE_MS,
} from "../kernel/index.js";
import { differingFields, NOT_BEHAVIOUR, type StoppedFirst } from "../report/divergence.js";
import { runName } from "../report/html/model.js";
import type { RunReport } from "../report/run-report.js";
import { isCompiledScenario } from "../scenario/compiled.js";
import { jsValueText } from "../scenario/issue.js";
import { buildWorld, guardOf, type RunInput, type RunOptions, runWorld, runWorldInTurns } from "./run.js";
import { SinkError } from "./user-sinks.js";

export type { StoppedFirst } from "../report/divergence.js";

/** Where two runs of the same world first behave differently. */
export interface Divergence {
  /** Position in the trace of the first event that differs. */
  readonly index: number;
  /** The time of the first run's event there (the other's when the first run's trace had ended). */
  readonly t: number;
  /** The event of each run at that position (null if that run's trace had ended). */
  readonly a: TraceEvent | null;
  readonly b: TraceEvent | null;
  /** The two variants (the first run's, then the other's), as the reports name them (added last: --json keeps its older fields first). */
  readonly variants: readonly [string, string];
  /** Every field whose value differs between `a` and `b` (`differingFields`); empty when a trace had ended. */
  readonly differs: readonly string[];
}

export interface Comparison {
  readonly reports: RunReport[];
  /**
   * First divergence between the first two runs, or null if they behaved identically, or if one
   * or both stopped early before they parted (`stoppedFirst`).
   */
  readonly divergence: Divergence | null;
  /**
   * For each run after the first, in run order, its first divergence from the first run; a run
   * that behaved identically to the first has none, nor one of a pair one of which stopped early
   * before they parted (`stops`).
   */
  readonly divergences: readonly Divergence[];
  /** Which of the first two runs stopped early (a limit, a halt) before they parted (`both` when both did), or null. */
  readonly stoppedFirst: StoppedFirst | null;
  /** For each run after the first that had not parted from the first when one of the two stopped early: which, why, where. */
  readonly stops: readonly StoppedFirst[];
}

/** Where a run after the first parts from the first (-1: never), and each run's event there. */
export interface PartingPoint {
  readonly index: number;
  readonly a: TraceEvent | null;
  readonly b: TraceEvent | null;
}

/**
 * The comparison of runs, given where each run after the first parts from the first (in run
 * order); shared by the sequential and the parallel compare.
 */
export function comparisonOf(reports: RunReport[], partings: readonly PartingPoint[]): Comparison {
  const first = reports[0] === undefined ? "" : runName(reports[0]);
  const each = partings.map(({ index, a, b }, k): Divergence | StoppedFirst | null => {
    const variants: [string, string] = [first, runName(reports[k + 1])];
    // Runs that never parted but both stopped early at the same point (a limit both met) did not
    // behave identically to their ends: alike up to where both stopped, said as such a stop.
    if (index < 0) return bothStoppedAlike(variants, reports[0]);
    // Where one run stopped early, the two had not parted: the stop is said, as no divergence.
    const stop = earlyStopAt(a, b, [reports[0], reports[k + 1]]);
    if (stop !== null)
      return {
        variants,
        stopped: variants[stop.which],
        reason: stop.reason,
        index,
        t: stop.t,
        both: stop.both,
      };
    return { index, t: a?.t ?? b?.t ?? Number.NaN, a, b, variants, differs: differingFields(a, b) };
  });
  const divergences = each.filter((d): d is Divergence => d !== null && "a" in d);
  const stops = each.filter((d): d is StoppedFirst => d !== null && "stopped" in d);
  const firstPair = each[0] ?? null;
  return {
    reports,
    divergence: firstPair !== null && "a" in firstPair ? firstPair : null,
    divergences,
    stoppedFirst: firstPair !== null && "stopped" in firstPair ? firstPair : null,
    stops,
  };
}

/**
 * Two runs whose traces never parted, as a stop of both when they stopped early (`first`, whose
 * trace is the other's: its `run.finished` is at `events - 1`); null when they ran to their end.
 * Also how a comparison saved before stops were given is read: two runs with no divergence that
 * both stopped early at the same event stopped alike.
 */
export function bothStoppedAlike(
  variants: [string, string],
  first: RunReport | undefined,
): StoppedFirst | null {
  if (first === undefined || !stoppedEarly(first.run.stopReason)) return null;
  const { stopReason: reason, end } = first.run;
  return { variants, stopped: variants[0], reason, index: first.events - 1, t: Date.parse(end), both: true };
}

/**
 * Whether two runs' events where they first differ are one run's early stop rather than a
 * difference of behaviour: its `run.finished` for a limit or a halt (`stoppedEarly`), or the end
 * of a trace of a run that stopped so. Which of the two stopped (0 the first, 1 the other; the
 * first when both did), why, when, and whether both did there.
 */
export function earlyStopAt(
  a: TraceEvent | null,
  b: TraceEvent | null,
  ends: readonly [RunReport, RunReport],
): { readonly which: 0 | 1; readonly reason: string; readonly t: number; readonly both: boolean } | null {
  const events = [a, b] as const;
  const stops = ([0, 1] as const).map((which) => {
    const e = events[which];
    const reason = e?.type === "run.finished" && typeof e.reason === "string" ? e.reason : undefined;
    if (e !== null && reason !== undefined && stoppedEarly(reason)) return { which, reason, t: e.t };
    const run = ends[which].run;
    if (e === null && stoppedEarly(run.stopReason))
      return { which, reason: run.stopReason, t: Date.parse(run.end) };
    return null;
  });
  // A run's own `run.finished` (the first run's first) before a trace that ended: it says where the run stopped.
  const stop = stops.find((s) => s !== null && events[s.which] !== null) ?? stops[0] ?? stops[1];
  return stop == null ? null : { ...stop, both: stops[0] !== null && stops[1] !== null };
}

/** Fields a behaviour print leaves out: they number the trace or name the scheduler (the report's own list, so a divergence lists only fields a print covers). */
export const BEHAVIOUR_IGNORED: readonly string[] = NOT_BEHAVIOUR;

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

  /**
   * Takes the prints from the trace's hasher, unless the trace already ran or is only a read-only
   * view of one (`readOnlyTrace`): then computes them.
   */
  attach(trace: TraceView): void {
    if (trace instanceof Trace && trace.length === 0) this.printer = trace.usePrints(BEHAVIOUR_IGNORED);
  }

  of(e: TraceEvent): number {
    return this.printer !== null ? this.printer.lastPrint : behaviourPrint(e);
  }
}

/** Keeps each event's behaviour print, in trace order. */
export class PrintRecorder implements TraceSink {
  prints = new Uint32Array(1 << 16);
  length = 0;
  private readonly print = new BehaviourPrints();

  attach(trace: TraceView): void {
    this.print.attach(trace);
  }

  onEvent(e: TraceEvent): void {
    if (this.length === this.prints.length) {
      const prints = new Uint32Array(this.length * 2);
      prints.set(this.prints);
      this.prints = prints;
    }
    this.prints[this.length] = this.print.of(e);
    this.length++;
  }
}

class PrintMatcher implements TraceSink {
  private index = 0;
  found: { index: number; event: TraceEvent } | null = null;
  private readonly print = new BehaviourPrints();

  constructor(private readonly reference: PrintRecorder) {}

  attach(trace: TraceView): void {
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

/** Captures the events at some trace positions. */
export class EventsAt implements TraceSink {
  private index = 0;
  readonly events = new Map<number, TraceEvent>();
  private readonly wanted: Set<number>;
  private readonly last: number;

  constructor(wanted: readonly number[]) {
    this.wanted = new Set(wanted);
    this.last = wanted.length === 0 ? -1 : Math.max(...wanted);
  }

  onEvent(e: TraceEvent): void {
    const i = this.index++;
    if (this.wanted.has(i)) this.events.set(i, e);
  }

  /** Whether every position wanted has been passed. */
  get done(): boolean {
    return this.index > this.last;
  }
}

/**
 * Runs several variants of one world (same seed: the same workload and chance, common random
 * numbers) and finds the first moment each run after the first behaves differently from it.
 */
export function compareRuns(
  inputs: readonly RunInput[],
  options: RunOptions = {},
  /** Events of the first run kept at most to show the divergences; past them it is replayed. */
  keep = KEPT_EVENTS_MAX,
): Comparison {
  checkRunInputs(inputs);
  const sequence = new CompareSequence(inputs, options, keep);
  return sequence.comparison(
    inputs.map((input, k) => inVariantOf(input, () => runWorld(input, sequence.optionsOf(k)).report)),
  );
}

/**
 * Throws a TypeError unless `inputs` is a list (each item is checked as `runWorld` checks its
 * input): from JavaScript, one compiled scenario in place of a list would fail as
 * `inputs.slice is not a function`.
 */
function checkRunInputs(inputs: unknown): void {
  if (Array.isArray(inputs)) return;
  const found = isCompiledScenario(inputs)
    ? "a compiled scenario: put it in a list, [compiled]"
    : jsValueText(inputs);
  throw new TypeError(
    `inputs: expected a list of compiled scenarios (compileScenario's results, e.g. [applyVariant(c, "buggy"), applyVariant(c, "fixed")]), found ${found}`,
  );
}

/**
 * `run()`, whose caller's sink's error (`SinkError`) says the variant of the run it threw in:
 * every run of a compare hands its events to the same sinks.
 */
function inVariantOf<T>(input: RunInput, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const variant = input.variantName;
    if (error instanceof SinkError && typeof variant === "string") throw error.inVariant(variant);
    throw error;
  }
}

/**
 * `compareRuns` with each run in turns of the event loop (`runWorldInTurns`), for a caller that
 * must answer signals while the runs go on this thread: the same comparison.
 */
export async function compareRunsInTurns(
  inputs: readonly RunInput[],
  options: RunOptions = {},
): Promise<Comparison> {
  checkRunInputs(inputs);
  const sequence = new CompareSequence(inputs, options);
  const reports: RunReport[] = [];
  for (const [k, input] of inputs.entries())
    reports.push((await runWorldInTurns(input, sequence.optionsOf(k))).report);
  return sequence.comparison(reports);
}

/**
 * The runs of a compare one after the other on this thread: the first records its behaviour
 * prints (and keeps its events while they are few), each other matches its own against them.
 */
class CompareSequence {
  private readonly recorder = new PrintRecorder();
  private readonly keeper: EventKeeper;
  private readonly matchers: readonly PrintMatcher[];

  constructor(
    private readonly inputs: readonly RunInput[],
    private readonly options: RunOptions,
    keep = KEPT_EVENTS_MAX,
  ) {
    this.keeper = new EventKeeper(keep);
    this.matchers = inputs.slice(1).map(() => new PrintMatcher(this.recorder));
  }

  /** The options of run `k`, with the sinks that record or match its prints. */
  optionsOf(k: number): RunOptions {
    const own = k === 0 ? [this.recorder, this.keeper] : [this.matchers[k - 1]];
    return { ...this.options, sinks: [...(this.options.sinks ?? []), ...own] };
  }

  /** The comparison, once every run has ended with its report (in run order). */
  comparison(reports: RunReport[]): Comparison {
    if (this.inputs.length === 0)
      return { reports: [], divergence: null, divergences: [], stoppedFirst: null, stops: [] };
    const recorder = this.recorder;
    const matched = this.matchers.map((matcher) => {
      const same = matcher.found === null && matcher.seen === recorder.length;
      return { index: same ? -1 : (matcher.found?.index ?? matcher.seen), b: matcher.found?.event ?? null };
    });
    const wanted = matched.map((m) => m.index).filter((i) => i >= 0 && i < recorder.length);
    const kept = this.keeper.events;
    const replayed = kept === null ? replayEventsAt(this.inputs[0], this.options, wanted) : null;
    const eventA = (index: number): TraceEvent | null =>
      index >= recorder.length
        ? null
        : kept !== null
          ? (kept[index] ?? null)
          : (replayed?.get(index) ?? null);
    return comparisonOf(
      reports,
      matched.map(({ index, b }) => ({ index, a: index < 0 ? null : eventA(index), b })),
    );
  }
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

/**
 * The events at some trace positions, by running again up to the last of them (determinism
 * makes them the same events). The replay is no run of the caller's: `options`' sinks and
 * watchers are not given it, or they would see the run's events a second time.
 */
export function replayEventsAt(
  input: RunInput,
  options: RunOptions,
  indices: readonly number[],
): Map<number, TraceEvent> {
  const probe = new EventsAt(indices);
  if (probe.done) return probe.events;
  const world = buildWorld(input, { ...options, sinks: [probe], watchers: [] });
  world.start();
  const replay = () => {
    while (!probe.done && world.sim.step()) {
      if (world.sim.now > world.horizonMs) break;
    }
  };
  // Stepping has none of the run loop's checks: a run that its wall budget stopped is replayed
  // under the same budget, held from outside, and gives the events found by then.
  const wallGuard = guardOf(options, input.config);
  const budgetMs = input.config.limits.wallBudgetMs;
  if (wallGuard !== undefined && budgetMs !== undefined) wallGuard(replay, budgetMs + WALL_GUARD_GRACE_MS);
  else replay();
  return probe.events;
}

/** The first position where two print sequences differ, or -1 when they are the same. */
export function firstDifference(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

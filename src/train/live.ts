import { CascadeChecker } from "../checks/index.js";
import { buildWorld, type RunInput, type RunOptions } from "../explore/run.js";
import {
  type RunClock,
  type RunOutcome,
  runClock,
  type TraceEvent,
  type TraceSink,
} from "../kernel/index.js";
import type { ActionSpec } from "../world/config.js";
import type { World } from "../world/world.js";
import { type LogLine, OnCallObserver } from "./observer.js";

/** An action a trainee took at a moment of a line (`what-if`). */
export interface Intervention {
  readonly atMs: number;
  readonly action: ActionSpec;
  /** As typed after `what-if`. */
  readonly text: string;
}

/**
 * A timeline of the session: the scenario's own (`original`, no interventions) or a fork, which
 * is its parent's interventions plus one. Lines are values: a fork never changes its parent.
 */
export interface Line {
  readonly name: string;
  readonly parent: string | null;
  readonly interventions: readonly Intervention[];
}

export const ORIGINAL = "original";

/** Whether two lines make the same world (the same actions at the same moments). */
export function sameInterventions(a: readonly Intervention[], b: readonly Intervention[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.atMs === b[i].atMs && actionKey(x.action) === actionKey(b[i].action))
  );
}

/**
 * An action as the world carries it out, whatever words asked for it: `rollback` is `deploy v1`,
 * `deploy fixed` is `deploy v2 panic-recovery early-return` (fixes are a set), so that the same
 * action at the same moment is the same line.
 */
export function actionKey(action: ActionSpec): string {
  return JSON.stringify(action.action === "deploy" ? { ...action, fixes: [...action.fixes].sort() } : action);
}

/** Event types that are never the cause of a crash: left out of the causal log to save memory. */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  "delivery.sent",
  "delivery.acked",
  "delivery.failed",
  "task.committed",
  "metrics.sampled",
  "log",
  "account.created",
  "schedule.created",
]);
const CAUSAL_EVENTS_MAX = 1_000_000;

/**
 * The events a causal chain can pass through (leases, firings, crashes, restarts, deletions), so
 * `why` can walk back from a crash without keeping the whole trace. Bounded: past the cap it
 * stops keeping and says so, and chains end where the log does.
 */
export class CausalLog implements TraceSink {
  readonly events: TraceEvent[] = [];
  truncated = false;

  onEvent(e: TraceEvent): void {
    if (LEAF_TYPES.has(e.type)) return;
    if (this.events.length >= CAUSAL_EVENTS_MAX) {
      this.truncated = true;
      return;
    }
    this.events.push(e);
  }
}

/**
 * The run input a line is: the scenario with the line's interventions added to its timeline, as
 * a scenario file would add them (after the scenario's own actions at the same instant, in the
 * order they were taken). A fork is then exactly that scenario: `run` on it gives the same
 * trace, trace hash and report, so a trainee's what-if can be rerun and checked outside the session.
 */
export function lineInput(input: RunInput, line: Line): RunInput {
  if (line.interventions.length === 0) return input;
  const added = line.interventions.map((i) => ({ ...i.action, atMs: i.atMs }));
  // A stable sort, as the scenario compiler's: actions at one instant keep their order.
  const timeline = [...input.config.timeline, ...added].sort((a, b) => a.atMs - b.atMs);
  return { ...input, config: { ...input.config, timeline } };
}

/**
 * One line's world, live: the line's input (see `lineInput`), advanced step by step. Determinism
 * makes this exact: a world run to `t` in one step or in ten is the same world. A line's
 * interventions are timeline actions from the start, not actions performed on a paused world:
 * performed at a pause, an action would come after everything else at that instant (the metrics
 * sample of that very second, say), where the same action in a scenario file comes before them.
 */
export class LiveWorld {
  readonly world: World;
  readonly observer = new OnCallObserver();
  readonly causes = new CausalLog();
  readonly cascade = new CascadeChecker();
  /** How the run's moments are written: dated when it spans more than one day (see `RunClock`). */
  readonly clock: RunClock;
  /** Set when the kernel stopped for a reason other than a pause (horizon, limit, halt). */
  stopped: RunOutcome | null = null;

  constructor(
    input: RunInput,
    private readonly line: Line,
    options: RunOptions,
    extraSinks: readonly TraceSink[] = [],
    /** Told of each on-call log line as it is written, with the world it was written in. */
    onLog?: (line: LogLine, world: World) => void,
  ) {
    this.clock = runClock(input.config.startMs, input.config.startMs + input.config.durationMs);
    this.world = buildWorld(lineInput(input, line), {
      ...options,
      sinks: [...(options.sinks ?? []), ...extraSinks],
    });
    for (const sink of [this.observer, this.causes, this.cascade]) this.world.sim.trace.addSink(sink);
    if (onLog !== undefined) this.observer.onLog = (l) => onLog(l, this.world);
    this.world.runUntil(input.config.startMs);
  }

  get now(): number {
    return this.world.sim.now;
  }

  get horizonMs(): number {
    return this.world.horizonMs;
  }

  get lineName(): string {
    return this.line.name;
  }

  /** Runs to `t` (the line's interventions at `t` included). */
  advanceTo(t: number): RunOutcome | null {
    if (this.stopped !== null) return null;
    const outcome = this.world.runUntil(Math.min(t, this.horizonMs));
    if (outcome.reason !== "paused" && outcome.reason !== "idle") {
      if (outcome.reason !== "horizon" || this.now >= this.horizonMs) this.stopped = outcome;
    }
    return outcome;
  }
}

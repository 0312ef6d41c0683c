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
import { OnCallObserver } from "./observer.js";

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
    a.every(
      (x, i) =>
        x.atMs === b[i].atMs &&
        JSON.stringify(x.action) === JSON.stringify(b[i].action) &&
        x.text === b[i].text,
    )
  );
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
 * One line's world, live: built from the scenario's input, advanced step by step, with the
 * line's interventions performed at their moments. Determinism makes this exact: a world run to
 * `t` in one step or in ten, with the same actions at the same moments, is the same world.
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
  private applied = 0;
  private line: Line;

  constructor(input: RunInput, line: Line, options: RunOptions, extraSinks: readonly TraceSink[] = []) {
    this.line = line;
    this.clock = runClock(input.config.startMs, input.config.startMs + input.config.durationMs);
    this.world = buildWorld(input, { ...options, sinks: [...(options.sinks ?? []), ...extraSinks] });
    for (const sink of [this.observer, this.causes, this.cascade]) this.world.sim.trace.addSink(sink);
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

  /** Runs to `t`, performing the line's interventions due on the way (those at `t` included). */
  advanceTo(t: number): RunOutcome | null {
    const target = Math.min(t, this.horizonMs);
    let outcome: RunOutcome | null = null;
    const steps = this.line.interventions;
    while (this.stopped === null && this.applied < steps.length && steps[this.applied].atMs <= target) {
      const step = steps[this.applied];
      outcome = this.step(step.atMs);
      if (this.stopped !== null) break;
      this.world.perform(step.action);
      this.applied++;
    }
    if (this.stopped === null) outcome = this.step(target);
    return outcome;
  }

  /** Performs an action now and carries on as the given line (a fork of this one). */
  fork(line: Line): void {
    const step = line.interventions[line.interventions.length - 1];
    this.line = line;
    this.world.perform(step.action);
    this.applied = line.interventions.length;
  }

  private step(t: number): RunOutcome {
    const outcome = this.world.runUntil(t);
    if (outcome.reason !== "paused" && outcome.reason !== "idle") {
      if (outcome.reason !== "horizon" || this.now >= this.horizonMs) this.stopped = outcome;
    }
    return outcome;
  }
}

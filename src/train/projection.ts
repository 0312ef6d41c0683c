import { type Metrics, MetricsCollector } from "../checks/index.js";
import { LaneRecorder, type WorkerLane } from "../checks/worker-lanes.js";
import type { RunInput, RunOptions } from "../explore/run.js";
import type { RunOutcome, TraceEvent, TraceSink } from "../kernel/index.js";
import { type Line, LiveWorld } from "./live.js";

/**
 * When the incident began and when it was over on a line ("all clear"), judged the way an
 * incident commander would: it starts with the first crash, bad dashboard sample or alert, and
 * is over from the first sample of the final stretch in which p99 lag is within the SLO, nothing
 * crashed in the last minute and no alert fires. It is deliberately not the report's
 * `recoveredAt` (DESIGN: after the last fix deploy, lag back within the SLO for good), and so has
 * another name: a what-if that fixes the fleet at 09:46 is all clear at 09:47 even though the
 * scenario's own 10:06 deploy still follows, and its `recoveredAt` waits for that deploy.
 */
export class AllClearWatch implements TraceSink {
  private startMs: number | null = null;
  firstPanicDeathMs: number | null = null;
  lastPanicDeathMs: number | null = null;
  private goodSinceMs: number | null = null;
  private readonly firing = new Set<string>();
  /**
   * The last sample, not judged yet: the alert rules are evaluated on it after it is traced, and
   * an alert they resolve (or fire) at its instant is part of what that sample shows. It is
   * judged once an event of a later instant comes, or the all clear is asked for.
   */
  private pending: { readonly t: number; readonly bad: boolean } | null = null;

  constructor(private readonly sloMs: number) {}

  onEvent(e: TraceEvent): void {
    if (this.pending !== null && e.t > this.pending.t) this.judgePending();
    switch (e.type) {
      case "worker.crashed":
        this.begin(e.t);
        if (e.reason === "panic") {
          this.firstPanicDeathMs ??= e.t;
          this.lastPanicDeathMs = e.t;
        }
        return;
      case "alert.fired":
        this.firing.add(String(e.rule));
        this.begin(e.t);
        this.goodSinceMs = null;
        return;
      case "alert.resolved":
        this.firing.delete(String(e.rule));
        return;
      case "metrics.sampled":
        this.judgePending();
        this.pending = { t: e.t, bad: Number(e.lagP99Ms) > this.sloMs || Number(e.crashesLastMinute) > 0 };
        return;
    }
  }

  /** When the incident began: its first crash, bad sample or alert; null: none yet. */
  get incidentStartMs(): number | null {
    this.judgePending();
    return this.startMs;
  }

  /** The start of the final good stretch after the incident began, or null (no incident, or none yet). */
  get allClearAtMs(): number | null {
    const startMs = this.incidentStartMs;
    if (startMs === null || this.goodSinceMs === null) return null;
    return this.goodSinceMs > startMs ? this.goodSinceMs : null;
  }

  private judgePending(): void {
    const sample = this.pending;
    if (sample === null) return;
    this.pending = null;
    if (sample.bad || this.firing.size > 0) {
      this.begin(sample.t);
      this.goodSinceMs = null;
    } else if (this.goodSinceMs === null) this.goodSinceMs = sample.t;
  }

  private begin(t: number): void {
    this.startMs ??= t;
  }
}

/** A line run to the horizon: what the trainee's choices would have led to. */
export interface Projection {
  readonly line: string;
  readonly metrics: Metrics;
  readonly incidentStartMs: number | null;
  /** When the incident was over for good (see `AllClearWatch`); null: not by the end. */
  readonly allClearAtMs: number | null;
  /** allClearAtMs − incidentStartMs; null without an incident or an all clear. */
  readonly timeToAllClearMs: number | null;
  /** The report's `recoveredAt` (as `run --json` gives it), in ms; null: not recovered. */
  readonly recoveredAtMs: number | null;
  readonly firstPanicDeathMs: number | null;
  /** When the cascade ended: the last panic death (null: none). */
  readonly lastPanicDeathMs: number | null;
  readonly lanes: readonly WorkerLane[];
  readonly endMs: number;
  readonly traceHash: string;
  readonly events: number;
  /** Why the run ended (`horizon`, or a limit). */
  readonly stopReason: string;
}

/**
 * `p` with its time to all clear measured from `fromMs`, the original's first sign of trouble,
 * as every line is measured in a session: a what-if's own crash (a `kill` at the start) must not
 * move where its incident began, or a later all clear could read as a shorter incident. A line
 * whose all clear came before `fromMs` had an incident of its own, before the original's: that
 * one is measured from its own start. Unchanged without an all clear or a `fromMs`.
 */
export function measuredFrom(p: Projection, fromMs: number | null): Projection {
  if (fromMs === null || p.incidentStartMs === null || p.allClearAtMs === null) return p;
  const start = p.allClearAtMs > fromMs ? fromMs : p.incidentStartMs;
  return { ...p, timeToAllClearMs: p.allClearAtMs - start };
}

/** Simulated time a projection runs between two chances for its host to stop it (Ctrl-C). */
export const PROJECTION_SLICE_MS = 30_000;

/** Rebuilds a line's world from the start and runs it to the horizon. */
export function projectLine(input: RunInput, line: Line, options: RunOptions): Projection {
  const run = projectLineInSlices(input, line, options, Number.POSITIVE_INFINITY);
  for (let step = run.next(); ; step = run.next()) if (step.done) return step.value;
}

/**
 * `projectLine` a slice of simulated time at a time, yielding between slices so that its host
 * can stop it (a projection takes seconds; a Ctrl-C should not wait for it). Determinism makes
 * the slicing invisible: the projection is the same as one run straight to the horizon.
 */
export function* projectLineInSlices(
  input: RunInput,
  line: Line,
  options: RunOptions,
  sliceMs = PROJECTION_SLICE_MS,
): Generator<void, Projection, void> {
  const collector = new MetricsCollector(input.checks);
  const lanes = new LaneRecorder();
  const watch = new AllClearWatch(input.config.sloMs);
  const live = new LiveWorld(input, line, options, [collector, lanes, watch]);
  const horizon = live.horizonMs;
  let last: RunOutcome | null = null;
  while (live.stopped === null && live.now < horizon) {
    last = live.advanceTo(Math.min(horizon, live.now + sliceMs)) ?? last;
    if (live.stopped === null && live.now < horizon) yield;
  }
  const outcome = live.stopped ?? last ?? live.world.runUntil(horizon);
  live.world.finish(outcome);
  const checked = collector.finish();
  const allClear = watch.allClearAtMs;
  return {
    line: line.name,
    metrics: checked.metrics,
    incidentStartMs: watch.incidentStartMs,
    allClearAtMs: allClear,
    timeToAllClearMs:
      allClear !== null && watch.incidentStartMs !== null ? allClear - watch.incidentStartMs : null,
    recoveredAtMs: checked.metrics.recoveredAt === null ? null : Date.parse(checked.metrics.recoveredAt),
    firstPanicDeathMs: watch.firstPanicDeathMs,
    lastPanicDeathMs: watch.lastPanicDeathMs,
    lanes: lanes.finish(horizon),
    endMs: live.now,
    traceHash: live.world.sim.trace.hash,
    events: live.world.sim.trace.length,
    stopReason: outcome.reason,
  };
}

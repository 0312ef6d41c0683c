import type { TraceEvent, TraceSink } from "../kernel/index.js";
import { stoppedEarly } from "./run-info.js";

/**
 * What a worker slot can be doing over an interval, as its lane in a report shows it, from the
 * least to the most to see: a merged stretch of lane, or a cell of the terminal's, shows its worst.
 * A renderer, which imports only types, ranks by a copy typed `LaneStatesByRank`: the compiler
 * holds it to this order.
 */
export const LANE_STATES_BY_RANK = ["stopped", "serving", "paused", "starting", "backoff"] as const;
export type LaneStatesByRank = typeof LANE_STATES_BY_RANK;

/** What a worker slot was doing over an interval, as its lane in a report shows it. */
export type LaneState = LaneStatesByRank[number];

export interface LaneSegment {
  readonly from: number;
  readonly to: number;
  readonly state: LaneState;
  /** Past the lane's cap: the changes of state merged into this segment, which shows their worst. */
  readonly merged?: number;
}

export interface LaneMark {
  readonly t: number;
  readonly seq: number;
  readonly kind: "panic" | "killed" | "poison-handoff";
  readonly schedule?: string;
}

export interface WorkerLane {
  readonly worker: string;
  readonly segments: LaneSegment[];
  /** The first crashes, up to a cap (`crashes` counts them all). */
  readonly marks: LaneMark[];
  /**
   * State changes past the segment cap (a very long crash loop): each merged into the last kept
   * segment (its `merged`), which shows the worst state among them, so the lane is drawn whole.
   */
  truncated: number;
  /** Every crash of the worker, those past the marks' cap too (absent in a report saved before). */
  crashes?: number;
}

/** How bad a state is to see (`LANE_STATES_BY_RANK`): a merged stretch of lane shows its worst. */
const STATE_RANK = Object.fromEntries(LANE_STATES_BY_RANK.map((state, rank) => [state, rank])) as Readonly<
  Record<LaneState, number>
>;

const SEGMENTS_PER_LANE_MAX = 2000;
const MARKS_PER_LANE_MAX = 500;

/**
 * Records each worker's lane (serving, starting, back-off, paused, stopped) from the trace,
 * with crash marks. Memory is bounded per worker.
 */
export class LaneRecorder implements TraceSink {
  private readonly lanes = new Map<string, WorkerLane>();
  private readonly open = new Map<string, { from: number; state: LaneState }>();
  private end = 0;
  /** When a run stopped by a limit ended: nothing is known of any lane after it. */
  private stoppedAt = Number.POSITIVE_INFINITY;
  /** Workers whose process is finishing its tasks under way before it stops (`worker.stopping`). */
  private readonly stopping = new Set<string>();

  onEvent(e: TraceEvent): void {
    if (e.type === "run.started" && typeof e.horizon === "number") this.end = e.horizon;
    if (e.type === "run.finished" && stoppedEarly(typeof e.reason === "string" ? e.reason : undefined))
      this.stoppedAt = e.t;
    const worker = typeof e.worker === "string" ? e.worker : null;
    if (worker === null) return;
    switch (e.type) {
      case "worker.started":
        this.enter(worker, e.t, "starting");
        return;
      case "worker.ready":
        this.enter(worker, e.t, "serving");
        return;
      case "worker.resumed":
        // Thawed while it stops: it serves nothing new.
        this.enter(worker, e.t, this.stopping.has(worker) ? "stopped" : "serving");
        return;
      case "worker.paused":
        this.enter(worker, e.t, "paused");
        return;
      case "worker.crashed":
        // Dead while it stopped: no back-off, the stop goes on to what follows it.
        this.enter(worker, e.t, this.stopping.delete(worker) ? "stopped" : "backoff");
        this.mark(worker, {
          t: e.t,
          seq: e.seq,
          kind: e.reason === "panic" ? "panic" : "killed",
          schedule: typeof e.schedule === "string" ? e.schedule : undefined,
        });
        return;
      case "worker.stopping":
        // It serves no new work from now on (as `workersUp` and the fleet's counts say), though
        // its process finishes the tasks it has under way until `worker.stopped`.
        this.stopping.add(worker);
        this.enter(worker, e.t, "stopped");
        return;
      case "worker.removed":
        // A scale-down's worker stopping already keeps the stop's start.
        if (!this.stopping.has(worker)) this.enter(worker, e.t, "stopped");
        return;
      case "worker.stopped":
        this.stopping.delete(worker);
        this.enter(worker, e.t, "stopped");
        return;
    }
  }

  private lane(worker: string): WorkerLane {
    let lane = this.lanes.get(worker);
    if (!lane) {
      lane = { worker, segments: [], marks: [], truncated: 0, crashes: 0 };
      this.lanes.set(worker, lane);
    }
    return lane;
  }

  private enter(worker: string, t: number, state: LaneState): void {
    const lane = this.lane(worker);
    const current = this.open.get(worker);
    if (current && current.state === state) return;
    if (current && t > current.from) {
      if (lane.segments.length < SEGMENTS_PER_LANE_MAX)
        lane.segments.push({ from: current.from, to: t, state: current.state });
      else {
        // Past the cap the last segment runs on, in the worst state it met: never a blank lane.
        const last = lane.segments[lane.segments.length - 1];
        const state = STATE_RANK[current.state] > STATE_RANK[last.state] ? current.state : last.state;
        lane.segments[lane.segments.length - 1] = {
          from: last.from,
          to: t,
          state,
          merged: (last.merged ?? 0) + 1,
        };
        lane.truncated++;
      }
    }
    this.open.set(worker, { from: t, state });
  }

  private mark(worker: string, mark: LaneMark): void {
    const lane = this.lane(worker);
    lane.crashes = (lane.crashes ?? 0) + 1;
    if (lane.marks.length < MARKS_PER_LANE_MAX) lane.marks.push(mark);
  }

  /** The lanes, closed at `endMs` (default: the run's horizon), in worker order (w1, w2, ... w10). */
  finish(endMs = this.end): WorkerLane[] {
    endMs = Math.min(endMs, this.stoppedAt);
    for (const [worker, current] of this.open) {
      const lane = this.lane(worker);
      if (endMs > current.from) lane.segments.push({ from: current.from, to: endMs, state: current.state });
    }
    this.open.clear();
    return [...this.lanes.values()].sort((a, b) => workerNumber(a.worker) - workerNumber(b.worker));
  }
}

function workerNumber(id: string): number {
  const n = Number.parseInt(id.replace(/^\D+/, ""), 10);
  return Number.isNaN(n) ? Number.MAX_SAFE_INTEGER : n;
}

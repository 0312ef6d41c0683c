import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { numberField } from "./event-view.js";

/**
 * What the dashboards showed over a run, column by column (one entry per kept sample), for the
 * charts of a report. Columns rather than rows keep the JSON small and feed a chart directly.
 */
export interface RunSeries {
  /** Time of each kept point (ms): the first sample of the bucket it stands for. */
  readonly t: number[];
  /**
   * Fleet size (worker slots), from `run.started` and `fleet.scaled`: the largest it was since the
   * sample before, up to this one, so that a scale-up shorter than a sample interval is still seen.
   */
  readonly fleet: number[];
  readonly workersUp: number[];
  readonly workersCrashLooping: number[];
  readonly crashesLastMinute: number[];
  readonly dueBacklog: number[];
  readonly lagP50Ms: number[];
  readonly lagP99Ms: number[];
  /** Samples per kept point (1 when nothing was merged; doubles each time the cap is hit). */
  readonly samplesPerPoint: number;
  /** `metrics.sampled` events seen. */
  readonly samples: number;
}

/** Points kept at most: a chart a few hundred pixels wide shows no more. */
export const SERIES_POINTS_MAX = 600;

type Column = Exclude<keyof RunSeries, "samplesPerPoint" | "samples">;

/**
 * How a bucket of samples becomes one point: the worst of the bucket, so a spike or a dip
 * shorter than a bucket stays visible after downsampling (an envelope, not an average).
 */
const MERGE: Record<Column, (a: number, b: number) => number> = {
  t: Math.min,
  fleet: Math.max,
  workersUp: Math.min,
  workersCrashLooping: Math.max,
  crashesLastMinute: Math.max,
  dueBacklog: Math.max,
  lagP50Ms: Math.max,
  lagP99Ms: Math.max,
};

const COLUMNS = Object.keys(MERGE) as Column[];

/**
 * Keeps the `metrics.sampled` series of a run, downsampled to at most `pointsMax` points: when
 * full, adjacent pairs merge (worst value wins) and later samples are bucketed twice as coarsely.
 * Memory is bounded by `pointsMax` whatever the run's length; the result depends on the trace
 * alone, so it is as deterministic as the run.
 */
export class SeriesRecorder implements TraceSink {
  private readonly cols: Record<Column, number[]>;
  private pending: Record<Column, number> | null = null;
  private pendingCount = 0;
  private perPoint = 1;
  private sampleCount = 0;
  private fleetSize = 0;
  /** The largest the fleet was since the last sample. */
  private fleetPeak = 0;

  constructor(readonly pointsMax = SERIES_POINTS_MAX) {
    if (!(pointsMax >= 2)) throw new RangeError("SeriesRecorder: pointsMax must be at least 2");
    this.cols = Object.fromEntries(COLUMNS.map((c) => [c, [] as number[]])) as Record<Column, number[]>;
  }

  onEvent(e: TraceEvent): void {
    if (e.type === "run.started") this.resize(numberField(e, "workers"));
    else if (e.type === "fleet.scaled") this.resize(numberField(e, "to"));
    else if (e.type === "metrics.sampled") this.sample(e);
  }

  private resize(size: number | undefined): void {
    this.fleetSize = size ?? this.fleetSize;
    this.fleetPeak = Math.max(this.fleetPeak, this.fleetSize);
  }

  private sample(e: TraceEvent): void {
    this.sampleCount++;
    const point: Record<Column, number> = {
      t: e.t,
      fleet: this.fleetPeak,
      workersUp: numberField(e, "workersUp") ?? 0,
      workersCrashLooping: numberField(e, "workersCrashLooping") ?? 0,
      crashesLastMinute: numberField(e, "crashesLastMinute") ?? 0,
      dueBacklog: numberField(e, "dueBacklog") ?? 0,
      lagP50Ms: numberField(e, "lagP50Ms") ?? 0,
      lagP99Ms: numberField(e, "lagP99Ms") ?? 0,
    };
    this.fleetPeak = this.fleetSize;
    if (this.pending === null) this.pending = point;
    else for (const c of COLUMNS) this.pending[c] = MERGE[c](this.pending[c], point[c]);
    this.pendingCount++;
    if (this.pendingCount < this.perPoint) return;
    this.push(this.pending);
    this.pending = null;
    this.pendingCount = 0;
  }

  private push(point: Record<Column, number>): void {
    if (this.cols.t.length >= this.pointsMax) this.halve();
    for (const c of COLUMNS) this.cols[c].push(point[c]);
  }

  /** Merges adjacent pairs: half the points, each standing for twice the samples. */
  private halve(): void {
    for (const c of COLUMNS) {
      const col = this.cols[c];
      const merged: number[] = [];
      for (let i = 0; i < col.length; i += 2)
        merged.push(i + 1 < col.length ? MERGE[c](col[i], col[i + 1]) : col[i]);
      this.cols[c] = merged;
    }
    this.perPoint *= 2;
  }

  /** The series so far; a partly filled last bucket is included as a point of its own. */
  finish(): RunSeries {
    const cols = Object.fromEntries(COLUMNS.map((c) => [c, this.cols[c].slice()])) as Record<
      Column,
      number[]
    >;
    if (this.pending !== null) {
      if (cols.t.length >= this.pointsMax) {
        // Fold the partial bucket into the last point rather than exceed the cap.
        const last = cols.t.length - 1;
        for (const c of COLUMNS) cols[c][last] = MERGE[c](cols[c][last], this.pending[c]);
      } else for (const c of COLUMNS) cols[c].push(this.pending[c]);
    }
    return { ...cols, samplesPerPoint: this.perPoint, samples: this.sampleCount };
  }
}

import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import type { RunInfo } from "./run-info.js";

/**
 * Serving workers over time, exact from events: a worker is up from `worker.ready` until its
 * `worker.crashed`, `worker.stopping` (it claims no more work, and only finishes what it has under
 * way), `worker.stopped` or `worker.removed`, but for the time it is frozen, from
 * `worker.paused` to `worker.resumed`: a frozen process serves nothing (the sampler's `workersUp`
 * gauge, which counts processes there, still counts it). Measured over intervals of positive
 * length, so the initial fleet coming up one event at a time at the start does not count as a
 * dip: the state during [t, t') is the state after every event at t.
 */
export class FleetChecker implements TraceSink {
  /** Workers serving now: up and not frozen. */
  private readonly up = new Set<string>();
  /** Workers frozen now (`worker.paused`, not yet resumed), whether up or not. */
  private readonly frozen = new Set<string>();
  /** Of `frozen`, those that are up: they serve again when resumed. */
  private readonly frozenUp = new Set<string>();
  private readySeen = false;
  private currentMs = Number.NaN;
  private minUp = Number.POSITIVE_INFINITY;
  private outageMs = 0;

  constructor(private readonly run: RunInfo) {}

  /** Reads the time of each event from `run` (see `RunInfo.nowMs`): observed first. */
  onEvent(e: TraceEvent, type: string = e.type): void {
    const t = this.run.nowMs;
    if (Number.isNaN(this.currentMs)) this.currentMs = t;
    if (t > this.currentMs) {
      this.close(this.currentMs, t);
      this.currentMs = t;
    }
    switch (type) {
      case "worker.ready": {
        const worker = e.worker;
        if (typeof worker !== "string") return;
        if (this.frozen.has(worker)) this.frozenUp.add(worker);
        else this.up.add(worker);
        this.readySeen = true;
        return;
      }
      case "worker.paused": {
        const worker = e.worker;
        if (typeof worker !== "string") return;
        this.frozen.add(worker);
        if (this.up.delete(worker)) this.frozenUp.add(worker);
        return;
      }
      case "worker.resumed": {
        const worker = e.worker;
        if (typeof worker !== "string") return;
        this.frozen.delete(worker);
        if (this.frozenUp.delete(worker)) this.up.add(worker);
        return;
      }
      case "worker.crashed":
      case "worker.stopping":
      case "worker.stopped":
      case "worker.removed": {
        const worker = e.worker;
        if (typeof worker !== "string") return;
        this.up.delete(worker);
        this.frozen.delete(worker);
        this.frozenUp.delete(worker);
        return;
      }
    }
  }

  /** Closes the last stretch at the end of the run. Call once. */
  finish(): void {
    const endMs = this.run.endMs;
    if (!Number.isNaN(this.currentMs) && this.currentMs < endMs) this.close(this.currentMs, endMs);
    if (this.readySeen && this.minUp === Number.POSITIVE_INFINITY) this.minUp = this.up.size;
  }

  /** Minimum serving workers after the first `worker.ready`; 0 if none ever got ready. */
  get workersMinUp(): number {
    return this.minUp === Number.POSITIVE_INFINITY ? 0 : this.minUp;
  }

  get fullOutageMs(): number {
    return this.outageMs;
  }

  get workersUpNow(): number {
    return this.up.size;
  }

  private close(fromMs: number, toMs: number): void {
    if (!this.readySeen) return;
    const horizonMs = this.run.horizonMs;
    const endMs = Number.isNaN(horizonMs) ? toMs : Math.min(toMs, horizonMs);
    if (endMs <= fromMs) return;
    if (this.up.size < this.minUp) this.minUp = this.up.size;
    if (this.up.size === 0) this.outageMs += endMs - fromMs;
  }
}

import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { viewAs } from "./event-view.js";
import type { RunInfo } from "./run-info.js";

/** A metrics sample, as remembered by the recovery checker. */
export interface SampleMark {
  readonly t: number;
  readonly seq: number;
  readonly lagP99Ms: number;
}

/**
 * What the dashboards said: the first alert, the largest p99 lag, and the recovery moment: after
 * the last `deploy.finished`, the first sample from which p99 lag is within the SLO at that
 * sample and every later one (a streaming "start of the final good run").
 */
export class RecoveryChecker implements TraceSink {
  alertAt: number | null = null;
  alertSeq: number | null = null;
  lagP99MsMax = 0;
  lastDeployFinishedAt: number | null = null;
  private candidate: SampleMark | null = null;

  constructor(private readonly run: RunInfo) {}

  onEvent(e: TraceEvent): void {
    switch (e.type) {
      case "alert.fired":
        if (this.alertAt === null) {
          this.alertAt = e.t;
          this.alertSeq = e.seq;
        }
        return;
      case "deploy.finished":
        this.lastDeployFinishedAt = e.t;
        this.candidate = null;
        return;
      case "metrics.sampled": {
        const lag = viewAs(e, "metrics.sampled").lagP99Ms;
        if (lag > this.lagP99MsMax) this.lagP99MsMax = lag;
        if (this.lastDeployFinishedAt === null) return;
        if (lag > this.run.sloMs) this.candidate = null;
        else if (this.candidate === null) this.candidate = { t: e.t, seq: e.seq, lagP99Ms: lag };
        return;
      }
    }
  }

  /** The recovery sample, or null (no deploy finished, or lag never came back for good). */
  get recovered(): SampleMark | null {
    return this.candidate;
  }
}

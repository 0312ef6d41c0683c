import type { TraceEvent } from "../kernel/trace.js";
import type { EventType } from "../world/events.js";
import { viewAs } from "./event-view.js";
import type { RunInfo } from "./run-info.js";
import type { SelectiveSink } from "./selective-sink.js";

/** A metrics sample, as remembered by the recovery checker. */
export interface SampleMark {
  readonly t: number;
  readonly seq: number;
  readonly lagP99Ms: number;
}

/** The scheduler a fleet rolls back to when a version misbehaves: a deploy to it is a fix. */
const LEGACY_SCHEDULER = "v1";

/**
 * What the dashboards said: the first alert, the largest p99 lag, and the recovery moment: at or
 * after the last fix deploy, the first sample from which p99 lag is within the SLO at that sample
 * and every later one (a streaming "start of the final good run"). A sample of the deploy's own
 * millisecond counts whichever of the two was traced first: a dashboard reads times, not seqs.
 *
 * A fix deploy is a `deploy.finished` (not one a newer deploy superseded) that leaves the fleet with a fix it did not run before
 * (the fleet runs what `run.started`, then each finished deploy, says), or that rolls it back to
 * the legacy `v1` from another scheduler. Any other deploy (the same fixes again, fewer fixes, a
 * new version without them) is not a fix: it does not move the search for recovery.
 */
export class RecoveryChecker implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = [
    "alert.fired",
    "run.started",
    "deploy.finished",
    "metrics.sampled",
  ];
  alertAt: number | null = null;
  alertSeq: number | null = null;
  lagP99MsMax = 0;
  lastFixDeployAt: number | null = null;
  private candidate: SampleMark | null = null;
  /** The last sample traced, whether or not a fix deploy came before it. */
  private lastSample: SampleMark | null = null;
  private fleetScheduler: string | null = null;
  private fleetFixes: readonly string[] = [];

  constructor(private readonly run: RunInfo) {}

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "alert.fired":
        if (this.alertAt === null) {
          this.alertAt = e.t;
          this.alertSeq = e.seq;
        }
        return;
      case "run.started": {
        const ev = viewAs(e, "run.started");
        this.fleetScheduler = ev.scheduler;
        this.fleetFixes = ev.fixes;
        return;
      }
      case "deploy.finished": {
        const ev = viewAs(e, "deploy.finished");
        // A rollout a newer deploy superseded (part-way, or in its last wait: `rolledOut`) is not
        // the fleet's last: the newer one decides.
        if (ev.supersededBy !== undefined) return;
        const fix =
          ev.fixes.some((f) => !this.fleetFixes.includes(f)) ||
          (ev.scheduler === LEGACY_SCHEDULER && this.fleetScheduler !== LEGACY_SCHEDULER);
        this.fleetScheduler = ev.scheduler;
        this.fleetFixes = ev.fixes;
        if (!fix) return;
        this.lastFixDeployAt = e.t;
        // A sample of the deploy's own millisecond counts, traced before it or after.
        const last = this.lastSample;
        this.candidate = last !== null && last.t === e.t && last.lagP99Ms <= this.run.sloMs ? last : null;
        return;
      }
      case "metrics.sampled": {
        const lag = viewAs(e, "metrics.sampled").lagP99Ms;
        if (lag > this.lagP99MsMax) this.lagP99MsMax = lag;
        const sample = { t: e.t, seq: e.seq, lagP99Ms: lag };
        this.lastSample = sample;
        if (this.lastFixDeployAt === null) return;
        if (lag > this.run.sloMs) this.candidate = null;
        else if (this.candidate === null) this.candidate = sample;
        return;
      }
    }
  }

  /** The recovery sample, or null (no fix deploy finished, or lag never came back for good). */
  get recovered(): SampleMark | null {
    return this.candidate;
  }
}

import type { TraceEvent } from "../kernel/trace.js";
import { viewAs } from "./event-view.js";

/**
 * Since when, without a break, the region could have fired a due: the store up (no
 * `store-outage` fault under way, until `t + durationMs` of its `fault.injected`) and some worker
 * serving (from its `worker.ready` or `worker.resumed` to its `worker.crashed`, `worker.stopped`,
 * `worker.removed` or `worker.paused`). A trace with no `worker.ready` shows no worker serving.
 * Memory is the set of serving workers and two times.
 */
export class ServingStretch {
  private readonly serving = new Set<string>();
  /** When the serving set last went from empty to not empty. */
  private servingSinceMs = Number.NEGATIVE_INFINITY;
  /** The latest end of a store outage so far. */
  private outageEndMsMax = Number.NEGATIVE_INFINITY;

  /** Reads the events named above; the caller passes only those (see `DeliveryChecker`). */
  onEvent(e: TraceEvent): void {
    switch (e.type) {
      case "worker.ready":
      case "worker.resumed": {
        if (this.serving.size === 0) this.servingSinceMs = e.t;
        this.serving.add(viewAs(e, "worker.resumed").worker);
        return;
      }
      case "fault.injected": {
        const ev = viewAs(e, "fault.injected");
        if (ev.fault !== "store-outage") return;
        const endMs = ev.durationMs === undefined ? Number.POSITIVE_INFINITY : e.t + ev.durationMs;
        if (endMs > this.outageEndMsMax) this.outageEndMsMax = endMs;
        return;
      }
      case "worker.crashed":
      case "worker.stopped":
      case "worker.removed":
      case "worker.paused":
        this.serving.delete(viewAs(e, "worker.removed").worker);
        return;
    }
  }

  /** When the stretch under way at t began, or null: at t the store is down or no worker serves. */
  sinceMs(t: number): number | null {
    if (this.serving.size === 0 || t < this.outageEndMsMax) return null;
    return Math.max(this.servingSinceMs, this.outageEndMsMax);
  }
}

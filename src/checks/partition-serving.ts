import type { TraceEvent } from "../kernel/trace.js";
import { ClockSkews } from "./clock-skews.js";
import { viewAs } from "./event-view.js";
import { entryOf } from "./maps.js";

/** A worker as far as firing goes: whether it serves, since when, and what may slow its fires. */
interface WorkerServing {
  /** From its `worker.ready` or `worker.resumed`; null while it does not serve. */
  sinceMs: number | null;
  /** Bumped when its process ends: a lease granted before then is not one the next process knows. */
  lives: number;
  /** Stopping (`worker.stopping`) until its process ends: a resume does not make it serve. */
  stopping: boolean;
}

/** Who holds a partition's lease, as the last `lease.acquired` said. */
interface PartitionOwner {
  readonly worker: string;
  readonly token: number;
  readonly acquiredAt: number;
  /** The owner's `lives` when it was granted. */
  readonly lives: number;
}

/**
 * Since when, without a break, a partition's dues could have been fired: its lease held (from a
 * `lease.acquired` to the owner's `lease.lost`, `lease.expired` or `lease.released` of that
 * lease, or the end of the owner's process) by a worker serving (from its `worker.ready` or
 * `worker.resumed` to its `worker.crashed`, `worker.stopping` (it claims nothing more from the
 * leases it drains), `worker.stopped`, `worker.removed` or `worker.paused`;
 * a scheduler that returned from `main(rt)` still holds its leases and fires nothing, which is its
 * own doing, so its worker serves on), and the store up (no `store-outage` fault under way, until
 * `t + durationMs` of its `fault.injected`). Only the owner fires a partition's dues: another
 * worker serving does not, until it takes the lease. Memory is a record per worker and per
 * partition, whatever the number of events.
 */
export class PartitionServing {
  private readonly workers = new Map<string, WorkerServing>();
  private readonly owners = new Map<number, PartitionOwner>();
  /** The clock skews set so far (Infinity behind for one of unknown size on the owner). */
  private readonly skews = new ClockSkews();
  /** The latest end of a store outage so far. */
  private outageEndMsMax = Number.NEGATIVE_INFINITY;

  /** Reads the events named above and `clock-skew` faults; the caller passes only those. */
  onEvent(e: TraceEvent): void {
    switch (e.type) {
      case "worker.ready":
      case "worker.resumed": {
        const w = this.worker(viewAs(e, "worker.resumed").worker);
        // Thawed while it stops, it serves nothing new (see `worker.stopping`).
        if (w.sinceMs === null && !w.stopping) w.sinceMs = e.t;
        return;
      }
      case "worker.paused":
        this.worker(viewAs(e, "worker.paused").worker).sinceMs = null;
        return;
      case "worker.stopping": {
        // Its process goes on, its leases drain: their dues wait for the next owner.
        const w = this.worker(viewAs(e, "worker.stopping").worker);
        w.sinceMs = null;
        w.stopping = true;
        return;
      }
      case "worker.crashed":
      case "worker.stopped":
      case "worker.removed": {
        const w = this.worker(viewAs(e, "worker.removed").worker);
        w.sinceMs = null;
        w.stopping = false;
        w.lives++;
        return;
      }
      case "lease.acquired": {
        const ev = viewAs(e, "lease.acquired");
        const lives = this.worker(ev.worker).lives;
        this.owners.set(ev.partition, { worker: ev.worker, token: ev.token, acquiredAt: e.t, lives });
        return;
      }
      case "lease.lost":
      case "lease.expired":
      case "lease.released": {
        // Only the lease it names ends: a new owner's, granted first in the instant, stays.
        const ev = viewAs(e, "lease.lost");
        const owner = this.owners.get(ev.partition);
        if (owner !== undefined && owner.token === ev.token && owner.worker === ev.worker)
          this.owners.delete(ev.partition);
        return;
      }
      case "fault.injected":
        this.faulted(e);
        return;
    }
  }

  /**
   * When the stretch under way at t in which `partition`'s dues could be fired began, or null: at
   * t the store is down, or no worker holds the partition's lease, or its owner does not serve.
   */
  sinceMs(partition: number | null, t: number): number | null {
    if (partition === null || t < this.outageEndMsMax) return null;
    const owner = this.owners.get(partition);
    if (owner === undefined) return null;
    const w = this.workers.get(owner.worker)!;
    if (w.sinceMs === null || w.lives !== owner.lives) return null;
    return Math.max(w.sinceMs, owner.acquiredAt, this.outageEndMsMax);
  }

  /** The largest behind clock skew of `partition`'s owner so far (0: none, or no owner). */
  ownerBehindMs(partition: number | null): number {
    const owner = partition === null ? undefined : this.owners.get(partition);
    if (owner === undefined) return 0;
    return this.skews.unknownOn(owner.worker)
      ? Number.POSITIVE_INFINITY
      : this.skews.of(owner.worker).behindMs;
  }

  private faulted(e: TraceEvent): void {
    const ev = viewAs(e, "fault.injected");
    if (ev.fault === "store-outage") {
      const endMs = ev.durationMs === undefined ? Number.POSITIVE_INFINITY : e.t + ev.durationMs;
      if (endMs > this.outageEndMsMax) this.outageEndMsMax = endMs;
      return;
    }
    // A clock behind fires its dues late by as much.
    this.skews.note(e);
  }

  private worker(id: string): WorkerServing {
    return entryOf(this.workers, id, (): WorkerServing => ({ sinceMs: null, lives: 0, stopping: false }));
  }
}

import type { TraceEvent } from "../kernel/trace.js";
import { ClockSkews } from "./clock-skews.js";
import { viewAs } from "./event-view.js";
import { entryOf } from "./maps.js";
import { qstashBackoffMs } from "./retry-checker.js";

/** Whichever worker claims a retry: `ClockSkews.spreadDuring` reads "" as every worker. */
const ANY_WORKER: readonly string[] = [""];

/** A fire whose delivery failed at the destination and that has not been acked since. */
export interface FailedFire {
  /**
   * Its sends that failed: a `delivery.failed` counts only with a `delivery.sent` of it since the
   * last one, so that a retry asked for twice after one send (by a retry task that did not send;
   * the port refuses two in one transaction) is not taken for a later retry. A retry's number is
   * taken no higher.
   */
  failures: number;
  /** Whether it was sent since its last failure: the next failure is a new send's. */
  sentSinceFailure: boolean;
  /** The retry the last failure asked for (1 for the first); 0 once dead-lettered. */
  retry: number;
  /** When the last failure was traced (its task's commit), and its seq. */
  failedAt: number;
  seq: number;
  /** When the scheduler set that retry for (`delivery.failed.retryAt`); null: dead-lettered. */
  retryAt: number | null;
  /**
   * When that retry was due at the latest: the scheduler's time, or QStash's back-off after the
   * failure plus the clock-skew allowance if that is sooner (NaN once dead-lettered). A module
   * that parks its retry later than QStash would is judged from QStash's time, not its own.
   */
  owedAt: number;
  /** QStash's back-off and the clock-skew allowance that `owedAt` was bounded by, in ms. */
  backoffMs: number;
  allowanceMs: number;
  /** Whether the fire was sent or answered again since the last failure: the retry came. */
  retried: boolean;
  /** Whether a failure of it came inside its SLO window (the ledger's destination failure). */
  destinationBad: boolean;
  /** Whether a retry of it was found late, once (it is counted once). */
  late: boolean;
}

/**
 * The fires whose delivery failed at the destination, per schedule and due, followed until an ack
 * takes them out (a dead-lettered one stays to the end, as the store keeps it): when each one's
 * retry was owed, and whether it came. QStash's back-off (min(86400, e^(2.5 n)) s for retry n,
 * the checks' own copy) bounds how long a retry may wait, plus the spread of the clock skews in
 * effect from the failure to that owed time (the failing worker's clock ahead sets it late, the
 * claiming worker's behind runs it late; which worker claims it is not known until it sends, so a
 * skew on any worker counts, but one over or replaced before the failure does not, nor one set
 * after the owed time); after a skew of unknown size, the scheduler's own time is taken. Shared by
 * `no-missed-delivery` (a failed fire is judged from its retry's time) and
 * `deliveries-on-time-after-quiet` (a destination failure excuses lateness only when the retry
 * came in time). Memory: one entry per fire failing now, whatever the number of events.
 */
export class FailedFires {
  /** Fires held now. */
  size = 0;
  private readonly bySchedule = new Map<string, Map<number, FailedFire>>();
  private readonly skews = new ClockSkews();

  get(schedule: string, due: number): FailedFire | undefined {
    return this.bySchedule.get(schedule)?.get(due);
  }

  /** A `delivery.failed` at t: the retry it asks for (`retryAt` null: none, dead-lettered). */
  failed(
    schedule: string,
    due: number,
    attempt: number,
    retryAt: number | null,
    t: number,
    seq: number,
  ): FailedFire {
    let fire = this.get(schedule, due);
    if (fire === undefined) {
      fire = {
        // Its first failure answers a send: the fire's own, before any failure was traced.
        failures: 0,
        sentSinceFailure: true,
        retry: 0,
        failedAt: t,
        seq,
        retryAt,
        owedAt: Number.NaN,
        backoffMs: 0,
        allowanceMs: 0,
        retried: false,
        destinationBad: false,
        late: false,
      };
      this.keep(schedule, due, fire);
    }
    if (fire.sentSinceFailure) fire.failures++;
    fire.sentSinceFailure = false;
    fire.failedAt = t;
    fire.seq = seq;
    fire.retryAt = retryAt;
    fire.retried = false;
    // The retry's number as the trace says it, but no higher than the sends that failed: a module
    // that numbers its first retry 10, or asks for four after one send, does not earn QStash's
    // wait for the tenth or the fourth.
    fire.retry = retryAt === null ? 0 : Math.min(attempt + 1, fire.failures);
    fire.backoffMs = retryAt === null ? 0 : qstashBackoffMs(fire.retry);
    this.owe(fire);
    return fire;
  }

  /**
   * Sets when `fire`'s retry was owed at the latest, by the skews noted so far: QStash's back-off
   * after the failure plus the spread of the skews in effect, on any worker (whichever claims the
   * retry is not known until it sends it), from the failure to that owed time. The owed time and
   * the skews in effect until it depend on each other: it is widened until no further skew falls
   * in, at most once per skew set. A skew set later than the owed time moved no clock the retry
   * went by, so a time found by the skews noted until then is final.
   */
  private owe(fire: FailedFire): void {
    if (fire.retryAt === null) {
      fire.allowanceMs = 0;
      fire.owedAt = Number.NaN;
      return;
    }
    const fromMs = fire.failedAt;
    const backoffEndMs = fromMs + fire.backoffMs;
    if (this.skews.unknown) {
      fire.allowanceMs = Number.POSITIVE_INFINITY;
      fire.owedAt = fire.retryAt;
      return;
    }
    let allowanceMs = 0;
    for (let i = 0; i <= this.skews.windowCount; i++) {
      const toMs = Math.min(fire.retryAt, backoffEndMs + allowanceMs);
      const spread = this.skews.spreadDuring(ANY_WORKER, fromMs, toMs);
      const widenedMs = spread.aheadMs + spread.behindMs;
      if (widenedMs === allowanceMs) break;
      allowanceMs = widenedMs;
    }
    fire.allowanceMs = allowanceMs;
    fire.owedAt = Math.min(fire.retryAt, backoffEndMs + allowanceMs);
  }

  /** A `delivery.dead-lettered`: no retry is owed any more (the fire counts as delivered). */
  deadLettered(schedule: string, due: number, t: number, seq: number): void {
    this.failed(schedule, due, 0, null, t, seq);
  }

  /** A `delivery.sent` of the fire: its next failure is another send's. */
  sent(schedule: string, due: number): void {
    const fire = this.get(schedule, due);
    if (fire !== undefined) fire.sentSinceFailure = true;
  }

  /**
   * The fire was sent or answered again at t (a `delivery.sent`, `delivery.failed` or
   * `delivery.acked`): its retry came, if one was awaited. Returns the fire when this is the
   * first sign of that retry, for the caller to judge its time.
   */
  retried(schedule: string, due: number): FailedFire | undefined {
    const fire = this.get(schedule, due);
    if (fire === undefined || fire.retried || fire.retryAt === null) return undefined;
    fire.retried = true;
    return fire;
  }

  /** Delivered: the fire's failures say nothing more. */
  acked(schedule: string, due: number): void {
    const byDue = this.bySchedule.get(schedule);
    if (byDue === undefined || !byDue.delete(due)) return;
    this.size--;
    if (byDue.size === 0) this.bySchedule.delete(schedule);
  }

  /**
   * A `fault.injected`: a clock skew widens the allowance of the retries awaited and owed at or
   * after it (one owed before it was set, or already come, is not moved).
   */
  faulted(e: TraceEvent): void {
    this.skews.note(e);
    if (this.size === 0 || viewAs(e, "fault.injected").fault !== "clock-skew") return;
    for (const [, , fire] of this.entries()) if (!fire.retried && fire.owedAt >= e.t) this.owe(fire);
  }

  /** Every fire held, by schedule and due (at the end: the retries never sent). */
  *entries(): Generator<[string, number, FailedFire]> {
    for (const [schedule, byDue] of this.bySchedule)
      for (const [due, fire] of byDue) yield [schedule, due, fire];
  }

  private keep(schedule: string, due: number, fire: FailedFire): void {
    entryOf(this.bySchedule, schedule, () => new Map<number, FailedFire>()).set(due, fire);
    this.size++;
  }
}

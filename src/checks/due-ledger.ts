import { nextFireAfter } from "../world/cron.js";
import { type FailedFire, FailedFires } from "./failed-fires.js";
import type { RunInfo } from "./run-info.js";
import {
  type DueRange,
  OPEN_COUNTED,
  OPEN_DESTINATION_FAILED,
  OPEN_STRIDE,
  owedWhileDeleted,
  type ScheduleBook,
  type ScheduleRecord,
} from "./schedule-book.js";
import type { DeliveryCounts } from "./types.js";

/** A due that was not delivered within its SLO: kept (the latest few) to show in a verdict. */
export interface BadDue {
  readonly schedule: string;
  readonly account: string;
  readonly due: number;
  /** The last event that named the schedule when the due went bad. */
  readonly seq: number;
  /** Whether its delivery failed at the destination inside the SLO window. */
  readonly destinationFailed: boolean;
}

/** A counted due, bad after its destination failed, whose retry came later than it was owed. */
export interface LateRetry {
  readonly schedule: string;
  readonly due: number;
  /** The retry owed (1 for the first), when it was owed at the latest, and its failure's seq. */
  readonly retry: number;
  readonly owedAt: number;
  readonly seq: number;
  /** When it was sent after all (or answered), or null: not by the end. */
  readonly sentAt: number | null;
}

/**
 * The ledger's counts: the RunReport's `deliveries` (`DeliveryCounts`), every one kept (a report of
 * an earlier version may lack some), but `afterDeletion`, which the deletion checker counts. A
 * count the ledger keeps is added there first, so that it reaches the report's type too.
 */
export type DueCounts = Required<Omit<DeliveryCounts, "afterDeletion">>;

const LATEST_BAD_MAX = 10;

/**
 * Delivery accounting by watermark. Per schedule, every cron fire time up to `genThrough` has been
 * generated (classified as counted or not, given the schedule's status at that time); generated
 * dues wait in `open` until their SLO window ends, then settle: on time, or into a range of
 * undelivered dues (`late`) that a later ack turns late and the end of the run turns missed.
 * An ack at or below the watermark that matches nothing open or undelivered is a duplicate.
 *
 * Every ack of a fire whose SLO window ends by the end of the run counts once: the first of a
 * counted due on time or late, the first of a due owed to nobody (not counted, see below: its
 * account deleted at its time, say, and the ack after the account was created again) `unowed`,
 * any later one a duplicate, and one for a time the cron never had (or of an unknown schedule)
 * an unexpected due. Acks of fires in the run's last SLO window are not judged, as their dues are not.
 *
 * Generation is lazy: a schedule advances only when an event names it, and at `finish()`, so an
 * idle schedule costs nothing however long the run. Memory per schedule is the dues inside one
 * SLO window plus a few ranges, never the history.
 *
 * A due is counted when, at its time d, the schedule exists (created before d, not deleted
 * at or before d), is neither paused nor quarantined, its account is not deleted at or before d,
 * and d + sloMs ≤ horizon: a status change at the very time of a due applies to it, but a
 * creation does not, since a schedule's first fire is strictly after it (the world's
 * `schedule.created.next` is always later than the event). A schedule the scheduler deleted
 * while its account was not deleted still exists for this (see `ScheduleRecord.removedLive`):
 * its cleanup was no one's to make, and its fires are owed.
 */
export class DueLedger {
  readonly counts: DueCounts = {
    due: 0,
    onTime: 0,
    late: 0,
    missed: 0,
    duplicate: 0,
    early: 0,
    deadLettered: 0,
    unowed: 0,
  };
  /** Acks for a due that is not a fire time of the schedule (or of an unknown schedule). */
  unexpectedDues = 0;
  /** Counted dues by due time; keys are cron fire times, so at most one per minute of the run. */
  readonly countedByTime = new Map<number, number>();
  /** Counted dues not delivered within the SLO (late or missed), by due time. */
  readonly badByTime = new Map<number, number>();
  /**
   * Of those, the ones whose delivery failed at the destination within the SLO window (an HTTP
   * error or a timeout): their retries follow QStash's back-off, which can pass the SLO on its own.
   */
  readonly destinationBadByTime = new Map<number, number>();
  /**
   * Of those, the ones whose retry came later than an SLO after it was owed, or not at all by the
   * end (see `FailedFires`): the destination's failure does not excuse the scheduler's delay.
   */
  readonly lateRetryByTime = new Map<number, number>();
  /** The bad dues with the latest due times, ascending. */
  readonly latestBad: BadDue[] = [];
  /** The late retries with the latest due times, ascending. */
  readonly latestLateRetries: LateRetry[] = [];
  /** Fires whose delivery failed at the destination, followed until acked. */
  readonly failedFires = new FailedFires();
  /** Accounts with at least one late or missed due. */
  readonly affectedAccounts = new Set<string>();
  private finished = false;

  constructor(
    private readonly run: RunInfo,
    private readonly book: ScheduleBook,
  ) {}

  /**
   * Brings a schedule up to time t: generates its dues before t (and at t if `inclusive`), and
   * settles those whose SLO window ended before t. Call before applying an event at t.
   * Strictly before t by default: a pause, a quarantine or a deletion (of the schedule or of its
   * account) at t, perhaps a few events later in the same instant, must still apply to the due
   * at t. `inclusive` generates the due at t with the schedule's status as it is.
   */
  advance(record: ScheduleRecord, t: number, inclusive = false): void {
    const sloMs = this.run.sloMs;
    const open = record.open;
    while (open.length > 0 && open[0] + sloMs < t) {
      const due = open[0];
      const deliveredAt = open[1];
      const flags = open[2];
      open.shift();
      open.shift();
      open.shift();
      this.settleOpen(record, due, deliveredAt, flags);
    }
    while (record.nextDue !== null && (record.nextDue < t || (inclusive && record.nextDue === t))) {
      const d = record.nextDue;
      const counted = this.classify(record, d);
      const deliveredAt = takeAhead(record, d, this);
      const failed = this.failedAhead(record, d);
      if (d + sloMs < t) this.settle(record, d, counted, deliveredAt, failed);
      else
        open.push(
          d,
          deliveredAt ?? Number.NaN,
          (counted ? OPEN_COUNTED : 0) | (failed ? OPEN_DESTINATION_FAILED : 0),
        );
      this.step(record, d);
    }
  }

  /** The first or a repeated `delivery.acked` for (schedule, due) at time t; call `advance` first. */
  acked(record: ScheduleRecord, due: number, t: number): void {
    if (record.failedOnce) {
      // An answer is the retry's send seen late at the latest; judged before the ack settles it.
      this.retrySeen(record, due, t);
      this.failedFires.acked(record.id, due);
    }
    if (record.spec === null) {
      this.unexpectedDues++;
      return;
    }
    if (due > record.genThrough) {
      if (record.ahead === null) record.ahead = [{ due, at: t }];
      else if (record.ahead.some((a) => a.due === due)) this.counts.duplicate++;
      else record.ahead.push({ due, at: t });
      return;
    }
    const i = openIndexOf(record, due);
    if (i >= 0) {
      if (Number.isNaN(record.open[i + 1])) record.open[i + 1] = t;
      else this.counts.duplicate++;
      return;
    }
    const counted = removeFromRanges(record, due);
    if (counted !== null) {
      // An undelivered due past its SLO window: late if it was owed, owed to nobody if not (a due
      // whose SLO window the horizon cuts is never settled before the horizon, so never found here).
      if (counted) this.counts.late++;
      else this.counts.unowed++;
      return;
    }
    if (isGeneratedFireTime(record, due)) this.counts.duplicate++;
    else this.unexpectedDues++;
  }

  /**
   * A `delivery.failed` for (schedule, due) at t: the destination answered with an error or not
   * in time, and the retry it asks for (`retryAt` null: dead-lettered). Only a due still inside its
   * SLO window is marked destination-failed, or one not due yet (fired early by a worker whose
   * clock runs ahead), marked when it falls due; call `advance` first.
   */
  destinationFailed(
    record: ScheduleRecord,
    failure: { readonly due: number; readonly attempt: number; readonly retryAt: number | null },
    t: number,
    seq: number,
  ): void {
    const due = failure.due;
    // A failure answers a send: the retry owed by an earlier failure came.
    if (record.failedOnce) this.retrySeen(record, due, t);
    record.failedOnce = true;
    const i = openIndexOf(record, due);
    if (i >= 0) record.open[i + 2] |= OPEN_DESTINATION_FAILED;
    const fire = this.failedFires.failed(record.id, due, failure.attempt, failure.retryAt, t, seq);
    if (i >= 0 || due > record.genThrough) fire.destinationBad = true;
  }

  /** A `delivery.sent` for (schedule, due) at t: a retry, if one was owed. */
  sent(record: ScheduleRecord, due: number, t: number): void {
    if (!record.failedOnce) return;
    this.retrySeen(record, due, t);
    this.failedFires.sent(record.id, due);
  }

  /** A `delivery.dead-lettered`: no retry is owed any more. */
  deadLettered(record: ScheduleRecord, due: number, t: number, seq: number): void {
    record.failedOnce = true;
    this.failedFires.deadLettered(record.id, due, t, seq);
  }

  /** Settles every schedule up to the horizon; what is still undelivered is missed. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const record of this.book.schedules.values()) this.settleAtEnd(record);
    this.book.confirmLiveCleanupDues(this.run.endMs);
    const endMs = this.run.endMs;
    for (const [schedule, due, fire] of this.failedFires.entries()) {
      // Dead-lettered (no retry owed: `retryAt` null) and never delivered: a missed due that
      // failed at the destination (an error or no answer in time), every attempt of it.
      if (fire.retryAt === null) {
        const record = this.book.get(schedule);
        if (record !== undefined && inCountedRange(record, due)) this.counts.deadLettered++;
        continue;
      }
      // A retry owed an SLO before the end and never sent: late by the end, at the least.
      if (fire.retried || fire.retryAt === null || !(fire.owedAt + this.run.sloMs <= endMs)) continue;
      const record = this.book.get(schedule);
      if (record !== undefined) this.lateRetry(record, due, fire, null);
    }
  }

  /** Judges the first sign at t that a failed fire's retry came: later than an SLO after it was owed? */
  private retrySeen(record: ScheduleRecord, due: number, t: number): void {
    const fire = this.failedFires.retried(record.id, due);
    if (fire !== undefined && t > fire.owedAt + this.run.sloMs) this.lateRetry(record, due, fire, t);
  }

  /**
   * Counts a late retry against a due bad after its destination failed (`destinationBadByTime`),
   * once: only a counted one, still undelivered when it is found (an ack judges before it settles).
   */
  private lateRetry(record: ScheduleRecord, due: number, fire: FailedFire, sentAt: number | null): void {
    if (fire.late || !fire.destinationBad || record.spec === null) return;
    if (sentAt !== null) {
      // Within the due's own SLO window it is not bad yet, whatever its retry did.
      if (sentAt <= due + this.run.sloMs) return;
      this.advance(record, sentAt);
    }
    if (!inCountedRange(record, due)) return;
    fire.late = true;
    increment(this.lateRetryByTime, due);
    keepLatest(this.latestLateRetries, {
      schedule: record.id,
      due,
      retry: fire.retry,
      owedAt: fire.owedAt,
      seq: fire.seq,
      sentAt,
    });
  }

  /** Counted-or-not for a due d given the schedule's status now (callers advance before changes). */
  private classify(record: ScheduleRecord, d: number): boolean {
    if (d <= record.createdAt) return false;
    if (record.deletedAt !== null && !owedWhileDeleted(record)) return false;
    if (record.paused || record.quarantined) return false;
    const deletion = this.book.deletedAccounts.get(record.account);
    if (deletion !== undefined && deletion.deletedAt <= d) {
      // Deleted already (by the scheduler, while its account was there): nothing to clean up.
      if (record.deletedAt !== null) return false;
      // An active schedule of a deleted account came due: a chance to clean up, once it fires
      // or stays live to the end.
      this.book.noteCleanupDue(record, d);
      return false;
    }
    return true;
  }

  /** Settles an open due from its numbers (see `OPEN_STRIDE`). */
  private settleOpen(record: ScheduleRecord, due: number, deliveredAt: number, flags: number): void {
    this.settle(
      record,
      due,
      (flags & OPEN_COUNTED) !== 0,
      Number.isNaN(deliveredAt) ? null : deliveredAt,
      (flags & OPEN_DESTINATION_FAILED) !== 0,
    );
  }

  private settle(
    record: ScheduleRecord,
    d: number,
    counted: boolean,
    deliveredAt: number | null,
    destinationFailed = false,
  ): void {
    const horizonMs = this.run.horizonMs;
    if (counted && (Number.isNaN(horizonMs) || d + this.run.sloMs <= horizonMs)) {
      this.counts.due++;
      increment(this.countedByTime, d);
      if (deliveredAt !== null) {
        this.counts.onTime++;
        if (deliveredAt < d) this.counts.early++;
        return;
      }
      increment(this.badByTime, d);
      if (destinationFailed) increment(this.destinationBadByTime, d);
      this.noteBad(record, d, destinationFailed);
      this.affectedAccounts.add(record.account);
      pushLate(record, d, true);
    } else if (deliveredAt === null) {
      pushLate(record, d, false);
    } else if (!counted) {
      this.counts.unowed++;
    }
  }

  private settleAtEnd(record: ScheduleRecord): void {
    const sloMs = this.run.sloMs;
    const endMs = this.run.endMs;
    const open = record.open;
    for (let i = 0; i < open.length; i += OPEN_STRIDE) {
      // Dues whose SLO window runs past the end cannot be judged.
      if (open[i] + sloMs <= endMs) this.settleOpen(record, open[i], open[i + 1], open[i + 2]);
    }
    open.length = 0;
    while (record.nextDue !== null && record.nextDue + sloMs <= endMs) {
      const d = record.nextDue;
      const counted = this.classify(record, d);
      this.settle(record, d, counted, takeAhead(record, d, this), this.failedAhead(record, d));
      this.step(record, d);
    }
    for (const range of record.late) if (range.counted) this.counts.missed += countFires(record, range);
    if (record.ahead !== null) this.settleAheadAtEnd(record);
  }

  /**
   * Acks still waiting for their due at the end (see `takeAhead`): those whose SLO window ended by
   * then were never generated, the schedule deleted first (or its cron run out). A fire time of the
   * schedule was owed to nobody; any other time is unexpected. One in the last SLO window is not
   * judged: a fire time there is the schedule's next due, left out as every due there is.
   */
  private settleAheadAtEnd(record: ScheduleRecord): void {
    const lastMs = this.run.endMs - this.run.sloMs;
    for (const { due } of record.ahead!) {
      if (due > lastMs) continue;
      if (isFireTime(record, due)) this.counts.unowed++;
      else this.unexpectedDues++;
    }
    record.ahead = null;
  }

  /** Whether due d, falling due now, failed at the destination before it did (see `destinationFailed`). */
  private failedAhead(record: ScheduleRecord, d: number): boolean {
    return record.failedOnce && this.failedFires.get(record.id, d)?.destinationBad === true;
  }

  private step(record: ScheduleRecord, d: number): void {
    record.genThrough = d;
    record.nextDue = nextFireAfter(record.spec!, d);
  }

  private noteBad(record: ScheduleRecord, d: number, destinationFailed: boolean): void {
    keepLatest(this.latestBad, {
      schedule: record.id,
      account: record.account,
      due: d,
      seq: record.lastSeq,
      destinationFailed,
    });
  }
}

/** Keeps `entry` among the `LATEST_BAD_MAX` latest by due time, ascending. */
function keepLatest<T extends { readonly due: number }>(list: T[], entry: T): void {
  if (list.length >= LATEST_BAD_MAX && entry.due <= list[0].due) return;
  let i = list.length;
  while (i > 0 && list[i - 1].due > entry.due) i--;
  list.splice(i, 0, entry);
  if (list.length > LATEST_BAD_MAX) list.shift();
}

/** Whether due d, a fire time, is among the schedule's undelivered counted dues. */
function inCountedRange(record: ScheduleRecord, d: number): boolean {
  for (const range of record.late) if (d >= range.from && d <= range.to) return range.counted;
  return false;
}

/** Where due `due` starts in the schedule's open dues, or -1. */
function openIndexOf(record: ScheduleRecord, due: number): number {
  const open = record.open;
  for (let i = 0; i < open.length; i += OPEN_STRIDE) if (open[i] === due) return i;
  return -1;
}

function increment(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The time of an early ack for due d, if any; early acks for times that are not fire times are dropped. */
function takeAhead(record: ScheduleRecord, d: number, ledger: DueLedger): number | null {
  const ahead = record.ahead;
  if (ahead === null) return null;
  let at: number | null = null;
  for (let i = ahead.length - 1; i >= 0; i--) {
    if (ahead[i].due === d) {
      at = ahead[i].at;
      ahead.splice(i, 1);
    } else if (ahead[i].due < d) {
      ledger.unexpectedDues++;
      ahead.splice(i, 1);
    }
  }
  if (ahead.length === 0) record.ahead = null;
  return at;
}

/** Appends an undelivered due, extending the last range when d is the fire time right after it. */
function pushLate(record: ScheduleRecord, d: number, counted: boolean): void {
  const late = record.late;
  const last = late[late.length - 1];
  if (last !== undefined && last.counted === counted && nextFireAfter(record.spec!, last.to) === d) {
    last.to = d;
  } else {
    late.push({ from: d, to: d, counted });
  }
}

/**
 * Takes due d out of the undelivered ranges; returns whether it was counted, or null if it is in
 * none (not a fire time, or delivered before). Splitting a range needs only the fire time after d.
 */
function removeFromRanges(record: ScheduleRecord, d: number): boolean | null {
  const late = record.late;
  const spec = record.spec!;
  for (let i = 0; i < late.length; i++) {
    const range = late[i];
    if (d < range.from) return null;
    if (d > range.to) continue;
    if (d !== range.from && nextFireAfter(spec, d - 1) !== d) return null;
    const after = nextFireAfter(spec, d);
    const parts: DueRange[] = [];
    if (range.from < d) parts.push({ from: range.from, to: d - 1, counted: range.counted });
    if (after !== null && after <= range.to)
      parts.push({ from: after, to: range.to, counted: range.counted });
    late.splice(i, 1, ...parts);
    return range.counted;
  }
  return null;
}

/** The number of fire times in a range: walked once, at the end, for the dues it leaves missed. */
function countFires(record: ScheduleRecord, range: DueRange): number {
  let n = 0;
  for (let x: number | null = range.from; x !== null && x <= range.to; x = nextFireAfter(record.spec!, x))
    n++;
  return n;
}

function isGeneratedFireTime(record: ScheduleRecord, d: number): boolean {
  return d <= record.genThrough && isFireTime(record, d);
}

/** Whether d is one of the schedule's fire times, from its first due on. */
function isFireTime(record: ScheduleRecord, d: number): boolean {
  if (record.spec === null || record.firstDue === null || d < record.firstDue) return false;
  return d === record.firstDue || nextFireAfter(record.spec, d - 1) === d;
}

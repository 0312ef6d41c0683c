import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { DueLedger } from "./due-ledger.js";
import { viewAs } from "./event-view.js";
import { PartitionServing } from "./partition-serving.js";
import type { RunInfo } from "./run-info.js";
import { OPEN_STRIDE, ScheduleBook, type ScheduleRecord } from "./schedule-book.js";

/** Sizes of the live state, for the memory-shape test and for `aftershock` diagnostics. */
export interface DeliveryStateSize {
  readonly schedules: number;
  readonly openDues: number;
  readonly lateRanges: number;
  readonly aheadDues: number;
  readonly deletedAccounts: number;
  readonly restoredDeletions: number;
  readonly affectedAccounts: number;
  readonly dueTimes: number;
}

/**
 * Fires remembered by seq (a power of two): a send, ack or commit follows from its fire (its
 * `cause`), a few thousand events later in a region's bursts of a minute's fires.
 */
const FIRES_BY_SEQ = 1 << 14;

/**
 * The table of fires a run starts with (a power of two), doubled up to `FIRES_BY_SEQ` as the trace
 * grows past twice its size. A table of `FIRES_BY_SEQ` slots is a large object to V8 (128 KB),
 * which a run's start paid for whatever its length: about 7% of a generated exploration's time,
 * whose runs trace a few thousand events each.
 */
const FIRES_BY_SEQ_MIN = 1 << 10;

/**
 * Dues and deliveries: feeds the schedule lifecycle into the `ScheduleBook` and acks into the
 * `DueLedger`, always advancing a schedule's ledger to the event's time before a status change,
 * so each due is classified with the status it had at its own time.
 */
export class DeliveryChecker implements TraceSink {
  readonly book = new ScheduleBook();
  readonly ledger: DueLedger;
  /**
   * Whether a partition's dues could be fired, for an operator's stop of an unfired one (and for
   * `MissedChecker`, which reads it after this checker has seen the event).
   */
  readonly serving = new PartitionServing();
  /**
   * The records of the latest fires and failures, by their seq modulo the table's size (allocated at
   * the first fire): the events that follow from one find their schedule's record there, rather
   * than in the book's map of every schedule, whose entries a large book scatters in memory. A slot
   * is a hint, taken when its record has the schedule's id (one record per id, for good).
   */
  private fireRecords: (ScheduleRecord | undefined)[] | null = null;

  constructor(private readonly run: RunInfo) {
    this.ledger = new DueLedger(run, this.book);
    this.book.unfiredChance = (record, due, t) => this.firableSlackMs(record, due, t) >= 0;
  }

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "schedule.created": {
        const ev = viewAs(e, "schedule.created");
        const existing = this.book.get(ev.schedule);
        if (existing) this.ledger.advance(existing, e.t, true);
        this.book.create(ev.schedule, ev, e.t, e.seq);
        return;
      }
      case "schedule.deleted": {
        const record = this.touch(e);
        if (!record || record.deletedAt !== null) return;
        // A schedule deleted at t is not live at t, as one paused or quarantined at t is not: its
        // due at t, if any, is generated uncounted (an ack for it, fired first in the instant,
        // still finds it).
        this.ledger.advance(record, e.t);
        const ev = viewAs(e, "schedule.deleted");
        this.stopped(record, ev.by, e.t);
        // A live account's schedule the scheduler deleted is not out of scheduling: its dues stay
        // owed, generated as a live one's.
        if (this.book.deleteSchedule(record, ev.by, ev.worker ?? "", e.t, e.seq, e.cause)) return;
        this.ledger.advance(record, e.t, true);
        record.nextDue = null;
        return;
      }
      case "schedule.paused": {
        const record = this.touch(e);
        if (!record) return;
        this.ledger.advance(record, e.t);
        record.paused = viewAs(e, "schedule.paused").paused;
        if (record.paused) this.stopped(record, "operator", e.t);
        return;
      }
      case "schedule.quarantined":
      case "task.quarantined": {
        const record = this.touch(e);
        if (!record) return;
        this.ledger.advance(record, e.t);
        this.stopped(
          record,
          type === "task.quarantined" ? "scheduler" : viewAs(e, "schedule.quarantined").by,
          e.t,
        );
        record.quarantined = true;
        return;
      }
      case "account.deleted": {
        const account = viewAs(e, "account.deleted").account;
        this.book.deleteAccount(account, e.t, e.seq);
        // Its schedules the scheduler deleted before are owed no more: deleted, as the cleanup would.
        for (const record of this.book.owedRemoved) {
          if (record.account !== account) continue;
          this.ledger.advance(record, e.t, true);
          record.nextDue = null;
          this.book.owedRemoved.delete(record);
        }
        return;
      }
      case "account.created": {
        const account = viewAs(e, "account.created").account;
        if (!this.book.deletedAccounts.has(account)) return;
        // Created again (rare): its schedules' dues so far were under the deletion.
        for (const record of this.book.schedules.values())
          if (record.account === account) this.ledger.advance(record, e.t);
        this.book.restoreAccount(account, e.t, e.seq);
        return;
      }
      case "schedule.fired": {
        const ev = viewAs(e, "schedule.fired");
        const seq = e.seq;
        const record = this.named(ev.schedule, seq);
        if (record === undefined) return;
        this.rememberFire(record, seq);
        const due = ev.due;
        if (record.unackedFireDue === null) {
          record.unackedFireDue = due;
          record.unackedFireSeq = seq;
        }
        if (this.book.deletedAccounts.size !== 0) this.book.fired(record, due, ev.task, seq);
        return;
      }
      case "store.refused":
        if (this.book.pendingCleanupFires.size !== 0) {
          const ev = viewAs(e, "store.refused");
          this.book.refused(e.cause, ev.account, ev.task);
          if (ev.task !== undefined) this.book.finishedTask(ev.task);
        }
        this.touch(e);
        return;
      case "task.committed": {
        const ev = viewAs(e, "task.committed");
        if (this.book.pendingCleanupFires.size !== 0) this.book.finishedTask(ev.task);
        this.namedAfter(ev.schedule, e.seq, e.cause);
        return;
      }
      case "delivery.acked":
        this.acked(e);
        return;
      case "worker.ready":
      case "worker.resumed":
      case "worker.crashed":
      case "worker.stopping":
      case "worker.stopped":
      case "worker.removed":
      case "worker.paused":
      case "lease.acquired":
      case "lease.lost":
      case "lease.expired":
      case "lease.released":
      case "fault.injected":
        this.serving.onEvent(e);
        if (type === "fault.injected") this.ledger.failedFires.faulted(e);
        this.touch(e);
        return;
      case "delivery.failed": {
        const record = this.touch(e);
        if (!record) return;
        this.rememberFire(record, e.seq);
        if (this.pastHorizon(e.t)) return;
        this.ledger.advance(record, e.t);
        this.ledger.destinationFailed(record, viewAs(e, "delivery.failed"), e.t, e.seq);
        return;
      }
      case "delivery.sent": {
        const ev = viewAs(e, "delivery.sent");
        const record = this.namedAfter(ev.schedule, e.seq, e.cause);
        // Only a fire that failed before waits for a send: most sends are first attempts.
        if (!record?.failedOnce || this.pastHorizon(e.t)) return;
        this.ledger.sent(record, ev.due, e.t);
        return;
      }
      case "delivery.dead-lettered": {
        const record = this.touch(e);
        if (record) this.ledger.deadLettered(record, viewAs(e, "delivery.dead-lettered").due, e.t, e.seq);
        return;
      }
      default:
        this.touch(e);
    }
  }

  finish(): void {
    this.ledger.finish();
  }

  stateSize(): DeliveryStateSize {
    let openDues = 0;
    let lateRanges = 0;
    let aheadDues = 0;
    for (const record of this.book.schedules.values()) {
      openDues += record.open.length / OPEN_STRIDE;
      lateRanges += record.late.length;
      aheadDues += record.ahead?.length ?? 0;
    }
    return {
      schedules: this.book.schedules.size,
      openDues,
      lateRanges,
      aheadDues,
      deletedAccounts: this.book.deletedAccounts.size,
      restoredDeletions: this.book.restoredDeletions.length,
      affectedAccounts: this.ledger.affectedAccounts.size,
      dueTimes:
        this.ledger.countedByTime.size +
        this.ledger.badByTime.size +
        this.ledger.destinationBadByTime.size +
        this.ledger.lateRetryByTime.size,
    };
  }

  private acked(e: TraceEvent): void {
    const ev = viewAs(e, "delivery.acked");
    const t = e.t;
    // Beyond the horizon the run is over: a delivery then does not rescue a missed due.
    if (this.pastHorizon(t)) return;
    const record = this.namedAfter(ev.schedule, e.seq, e.cause);
    if (!record) {
      this.ledger.unexpectedDues++;
      return;
    }
    const due = ev.due;
    if (record.unackedFireDue === due) record.unackedFireDue = null;
    this.ledger.advance(record, t);
    this.ledger.acked(record, due, t);
  }

  /**
   * The schedule stopped at t by `by`, with its unfired due since its account's deletion, if any
   * (see `ScheduleBook.stopped`): a chance to clean up if a task of the scheduler stopped it (a
   * `cleanup` deletion, a `scheduler` quarantine): one ran for it. An operator's stop withdrew it
   * only if it came soon after the due, within the SLO (a healthy scheduler fires a due within
   * it), or while nothing could fire it: the store down (a runbook quarantine during a store
   * outage, say), or the schedule's partition with no owner or an owner not serving (dead, its
   * lease not yet taken over); the SLO counted from when the store was up and the partition held
   * by a serving worker again, plus that owner's largest clock skew behind (its clock fires its
   * dues late by as much). A due left unfired longer than that was the scheduler's chance, a
   * stuck one's included.
   */
  private stopped(record: ScheduleRecord, by: string, t: number): void {
    const due = record.cleanupDue;
    if (due === null) return;
    const chance = by !== "operator" || this.firableSlackMs(record, due, t) > 0;
    this.book.stopped(record, chance);
  }

  /**
   * How long the schedule's due could have been fired by t beyond what a healthy scheduler needs:
   * the time since the due, or since the store was up and its partition held by a serving worker
   * again if later, less the SLO and the owner's largest clock skew behind. -Infinity while
   * nothing could fire it at t. An operator's stop (see `stopped`) and a due left unfired to the
   * end or to its account's re-creation (see `ScheduleBook.unfiredChance`, where a whole SLO since
   * the due counts, as it does for a delivery) are judged alike: a dead or paused owner, its lease
   * not taken over, is no scheduler's chance to clean up.
   */
  private firableSlackMs(record: ScheduleRecord, due: number, t: number): number {
    const sinceMs = this.serving.sinceMs(record.partition, t);
    if (sinceMs === null) return Number.NEGATIVE_INFINITY;
    return t - Math.max(due, sinceMs) - this.run.sloMs - this.serving.ownerBehindMs(record.partition);
  }

  private pastHorizon(t: number): boolean {
    return !Number.isNaN(this.run.horizonMs) && t > this.run.horizonMs;
  }

  /** The schedule the event names, remembering the event as the schedule's latest. */
  private touch(e: TraceEvent): ScheduleRecord | undefined {
    return this.named(e.schedule, e.seq);
  }

  /**
   * `touch` for the schedule and seq an event carries, read where its type is known: a read of
   * a field from events of one type is quicker than one from events of any type.
   */
  private named(schedule: unknown, seq: number): ScheduleRecord | undefined {
    if (typeof schedule !== "string") return undefined;
    const record = this.book.get(schedule);
    if (record) record.lastSeq = seq;
    return record;
  }

  /** `named` for an event that follows from `cause`, a fire or failure of the schedule most often. */
  private namedAfter(schedule: unknown, seq: number, cause: number | null): ScheduleRecord | undefined {
    if (this.fireRecords !== null && cause !== null) {
      const record = this.fireRecords[cause & (this.fireRecords.length - 1)];
      if (record !== undefined && record.id === schedule) {
        record.lastSeq = seq;
        return record;
      }
    }
    return this.named(schedule, seq);
  }

  /** Keeps the record of the fire or failure at `seq` for the events that follow from it. */
  private rememberFire(record: ScheduleRecord, seq: number): void {
    let records = this.fireRecords;
    if (records === null) {
      records = new Array<ScheduleRecord | undefined>(FIRES_BY_SEQ_MIN);
      this.fireRecords = records;
    } else if (seq >= 2 * records.length && records.length < FIRES_BY_SEQ) {
      records = grownFireRecords(records);
      this.fireRecords = records;
    }
    records[seq & (records.length - 1)] = record;
  }
}

/**
 * The table of fires twice as large. The slot of a seq there is its old slot or the one a size
 * above, which one unknown here: a record goes to both, and each stays a hint, as every slot is.
 */
function grownFireRecords(records: readonly (ScheduleRecord | undefined)[]): (ScheduleRecord | undefined)[] {
  const size = records.length;
  const grown = new Array<ScheduleRecord | undefined>(2 * size);
  for (let i = 0; i < size; i++) {
    grown[i] = records[i];
    grown[i + size] = records[i];
  }
  return grown;
}

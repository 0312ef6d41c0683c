import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { nextFireAfter } from "../world/cron.js";
import type { Disturbances } from "./disturbances.js";
import { isDisturbance } from "./disturbances.js";
import type { DueLedger } from "./due-ledger.js";
import { textField, viewAs } from "./event-view.js";
import type { FailedFire, FailedFires } from "./failed-fires.js";
import { formatDuration, plural, seconds } from "./format.js";
import type { PartitionServing } from "./partition-serving.js";
import type { RunInfo } from "./run-info.js";
import type { LiveRemoval, ScheduleBook, ScheduleRecord } from "./schedule-book.js";
import { pushEvent, type Verdict } from "./types.js";

/** Whether a partition's dues could be fired at a removal: since when (null: not then), and how late its owner's clock runs. */
interface ServedAt {
  readonly sinceMs: number | null;
  readonly behindMs: number;
}

/** A schedule or account taken out of scheduling: when, the event that did it, and who could fire its dues then. */
interface Removal {
  readonly t: number;
  readonly seq: number;
  /** What happened, for a verdict: `its schedule was quarantined`, `its account was deleted`. */
  readonly what: string;
  /** At t, for the partition of each schedule it took out (one for a schedule, an account's several). */
  readonly served: ReadonlyMap<number | null, ServedAt>;
}

/** A stretch of time that was not calm (a disturbance, or no worker up), widened by the bound. */
interface Unsettled {
  readonly from: number;
  to: number;
  /** The first disturbance event of the stretch, or null (no worker up, nothing else). */
  seq: number | null;
}

/** Sizes of the live state, for the memory-shape test. */
export interface MissedStateSize {
  readonly removals: number;
  /** Fires with a destination failure not delivered since: a dead-lettered one is kept to the end, as the store keeps it. */
  readonly failedFires: number;
  readonly unsettledStretches: number;
}

/** The first missed fire found, with why it counts. */
interface MissedFire {
  readonly record: ScheduleRecord;
  readonly due: number;
  readonly failure: FailedFire | undefined;
  /** The first removal after it fell due, which came after it was overdue (`overdueAt`); null: none. */
  readonly removal: Removal | null;
  /** When it was overdue as that removal found it (NaN without one). */
  readonly overdueAt: number;
}

/**
 * `no-missed-delivery`, the at-least-once promise: every fire that falls due is delivered, even
 * when it fell due during chaos (a crash between sending and committing, a lease handoff, a store
 * outage, a stalled worker). `deliveries-on-time-after-quiet` judges only dues after the quiet
 * point; this judges every counted due (the `deliveries` metrics' rule: the schedule live and its
 * account not deleted at the due time, its SLO window inside the run) that had its chance:
 *
 * - A fire is judged when a calm stretch of B + SLO follows its due time before the end: no
 *   disturbance (the quiet checker's: a fault, an operator action, a crash, a worker pause or
 *   resume, a finished deploy, each until its stated end) and a worker up throughout. B is the
 *   quiet bound (default max(5 min, 2 × SLO)), standing in for the lease TTL and restart delays
 *   the trace does not carry. A fire with no such stretch after it is still pending, not lost.
 * - A fire whose delivery failed at the destination is judged from its last retry's due time in
 *   the same way: the time the scheduler set, or QStash's back-off after the failure (plus the
 *   clock-skew allowance) if that is sooner (see `FailedFires`): a retry parked a day away does
 *   not leave the fire pending for good. One whose retries ran out (`delivery.dead-lettered`) counts as delivered: every
 *   attempt was sent and failed at the destination (an error or a timeout), the message sits in the dead-letter queue
 *   for its owner to see. That is the destination's failure, reported, not a silent loss.
 * - A fire still undelivered when its schedule was paused, deleted or quarantined (an operator's,
 *   or `task.quarantined`: a poison task set aside and reported), or its account deleted, before
 *   it was overdue, is exempt: nobody owes a delivery for a schedule taken out of scheduling. It
 *   is overdue an SLO after its due time (or its retry's), and an SLO after the end of any
 *   unsettled stretch it was still due in (a disturbance and the bound after it: a store outage, a
 *   crash and its handoff, a worker paused, a clock skewed). And, as `deleted-schedules-cleaned`
 *   judges an operator's stop (`PartitionServing`, one notion for both), only once its partition
 *   was served: at the removal its lease held by a serving worker with the store up, for an SLO
 *   (plus that owner's largest clock skew behind) counted from its due time or from when that
 *   stretch of serving began, whichever is later. A graceful stop in a rolling deploy and the
 *   lease hand-off after it are not disturbances, yet nobody fires the partition meanwhile. A
 *   removal after that does not excuse it: the fire was owed, and dropped, before anyone took the
 *   schedule out.
 *
 * A judged fire with no `delivery.acked` by the horizon is missed. Streaming: the calm stretches
 * reduce to one number (the latest due time a calm stretch of B + SLO followed) and a few
 * unsettled stretches; removals are kept per schedule and account, destination failures per fire
 * that had one, a schedule's oldest unacked firing on its record (`DeliveryChecker` keeps it);
 * the missed fires themselves are the ledger's undelivered ranges, walked once at the end.
 */
export class MissedChecker implements TraceSink {
  /** The current stretch of disturbance: from, and until (its latest stated end). NaN: none yet. */
  private busyFromMs = Number.NaN;
  private busyUntilMs = Number.NaN;
  private busySeq: number | null = null;
  /** When a worker was first up: no calm stretch starts before it. */
  private firstUpMs = Number.NaN;
  /** When the last disturbance ends, as `disturbances` said at the last event (-Infinity: none). */
  private disturbedUntilMs = Number.NEGATIVE_INFINITY;
  /** The disturbances' `changes` when `disturbed` last read them. */
  private changesSeen = 0;
  /** The latest due time that a calm stretch of B + SLO followed; -Infinity: none yet. */
  private judgeUntilMs = Number.NEGATIVE_INFINITY;
  private readonly unsettled: Unsettled[] = [];
  private currentMs = Number.NaN;
  private workersUp = 0;
  /** When each schedule was paused, deleted or quarantined, in time order. */
  private readonly removedSchedules = new Map<string, Removal[]>();
  /** When each account was deleted, in time order. */
  private readonly removedAccounts = new Map<string, Removal[]>();
  /**
   * By schedule, the dues a worker fired before their due time (its clock ahead) while their
   * account was deleted, and never fired since with the account there: owed to nobody when they
   * ran, whatever the account's creation again by the due time. Rare.
   */
  private readonly firedEarlyWhileDeleted = new Map<string, Set<number>>();
  /**
   * `fleet` sees each event first: its count of workers up includes the event's change; so does
   * the ledger's `failedFires`, the fires failing at the destination (`DeliveryChecker` feeds it),
   * and `disturbances`, when the last disturbance ends (the quiet checker's quiet point).
   */
  constructor(
    private readonly run: RunInfo,
    private readonly book: ScheduleBook,
    private readonly fleet: { readonly workersUpNow: number },
    private readonly failures: FailedFires,
    private readonly serving: Pick<PartitionServing, "sinceMs" | "ownerBehindMs">,
    private readonly disturbances: Pick<Disturbances, "endMs" | "changes">,
  ) {}

  /** Reads the time of each event from `run` (see `RunInfo.nowMs`): observed first. */
  onEvent(e: TraceEvent, type: string = e.type): void {
    const t = this.run.nowMs;
    if (t > this.currentMs || Number.isNaN(this.currentMs)) {
      // No worker served during [currentMs, t): not calm, once the fleet has been up at all.
      if (this.workersUp === 0 && !Number.isNaN(this.firstUpMs)) this.disturb(this.currentMs, t, null);
      this.currentMs = t;
    }
    this.noteEvent(e, type);
    this.workersUp = this.fleet.workersUpNow;
    if (this.workersUp > 0 && Number.isNaN(this.firstUpMs)) this.firstUpMs = t;
  }

  /** Closes the last calm stretch at the end of the run. Call once, after the ledger's `finish`. */
  finish(): void {
    const endMs = this.run.endMs;
    if (this.workersUp === 0 && !Number.isNaN(this.firstUpMs) && this.currentMs < endMs)
      this.disturb(this.currentMs, endMs, null);
    this.closeCalm(endMs);
    if (!Number.isNaN(this.busyFromMs)) this.pushUnsettled();
  }

  /** What the checker holds: removals by schedule and account, fires that failed, unsettled stretches. */
  stateSize(): MissedStateSize {
    let removals = 0;
    for (const list of this.removedSchedules.values()) removals += list.length;
    for (const list of this.removedAccounts.values()) removals += list.length;
    return {
      removals,
      failedFires: this.failures.size,
      unsettledStretches: this.unsettled.length,
    };
  }

  verdict(ledger: DueLedger): Verdict {
    const clock = this.run.clock;
    const boundMs = this.run.quietBoundMs;
    const calm = `${formatDuration(boundMs + this.run.sloMs)} of calm (no disturbance and a worker up: the quiet bound ${formatDuration(boundMs)} + the SLO ${formatDuration(this.run.sloMs)})`;
    let judged = 0;
    let duringChaos = 0;
    for (const [due, n] of ledger.countedByTime) {
      if (due > this.judgeUntilMs) continue;
      judged += n;
      if (this.unsettledAt(due) !== undefined) duringChaos += n;
    }
    const tally = this.tallyUndelivered();
    const exempt = exemptions(tally, clock);
    // Exempt fires are not judged, whatever their due time: not counted as judged in chaos either.
    judged -= tally.exemptJudged;
    duringChaos -= tally.exemptInChaos;
    const events: number[] = [];
    if (judged <= 0) {
      return {
        property: "no-missed-delivery",
        ok: true,
        exercised: false,
        detail: `not exercised: no fire was followed by ${calm} before the end${exempt}${this.liveRemovalsNote()}`,
        events,
      };
    }
    const judgedText = `${plural(judged, "fire")} due by ${clock.precise(this.judgeUntilMs)}`;
    const rule = `${duringChaos} due during a disturbance or within ${formatDuration(boundMs)} after one; a fire is judged when ${calm} follows it before the end${exempt}`;
    const first = tally.first;
    if (first === null) {
      return {
        property: "no-missed-delivery",
        ok: true,
        exercised: true,
        detail: `all ${judgedText} were delivered by the horizon (${rule})${this.liveRemovalsNote()}`,
        events,
      };
    }
    const { record, due, failure, removal } = first;
    const firedSeq = record.unackedFireDue === due ? record.unackedFireSeq : undefined;
    if (firedSeq !== undefined) pushEvent(events, firedSeq);
    if (failure !== undefined) pushEvent(events, failure.seq);
    if (removal !== null) pushEvent(events, removal.seq);
    const chaos = this.unsettledAt(due);
    if (chaos?.seq != null) pushEvent(events, chaos.seq);
    pushEvent(events, record.lastSeq);
    const retried = failure === undefined ? "" : retryText(failure, clock);
    // Only the schedule's oldest unacked firing is kept: with none kept the trace may still have one.
    const fired = firedSeq !== undefined ? ", fired but never delivered" : "";
    const removed =
      removal === null
        ? ""
        : `, already overdue at ${clock.precise(first.overdueAt)} when ${removal.what} at ${clock.precise(removal.t)}`;
    const wiped = record.removedLive === null ? "" : `, ${liveRemovalText(record.removedLive, clock)}`;
    if (record.removedLive !== null) pushEvent(events, record.removedLive.seq);
    return {
      property: "no-missed-delivery",
      ok: false,
      exercised: true,
      detail: `${tally.missed} of ${judgedText} ${tally.missed === 1 ? "was" : "were"} never delivered by the horizon, first ${record.id} (account ${record.account}) due ${clock.precise(due)}${fired}${retried}${wiped}${removed} (${rule})${this.liveRemovalsNote()}`,
      events,
    };
  }

  /**
   * How many live accounts' schedules the scheduler deleted, or "": their fires were owed all the
   * same, and those it dropped count missed (in a verdict that holds, they were all delivered
   * or still pending at the end).
   */
  private liveRemovalsNote(): string {
    const n = this.book.liveRemovals.count;
    if (n === 0) return "";
    return `; the scheduler deleted ${plural(n, "schedule")} of accounts not deleted (a cleanup takes a deleted account's schedules alone), ${n === 1 ? "its" : "their"} fires owed all the same`;
  }

  /**
   * The quiet checker's disturbances, one reading for both: each disturbance lasts to the latest
   * end so far (every one before the stretch it opens ended before it), and an effect cut short
   * (a pause by a kill, a clock skew set right) brings the open stretch's end back to the new latest.
   */
  private disturbed(e: TraceEvent, type: string): void {
    // Unchanged since the last event read here (most events): the same end, and `e` no disturbance
    // (one changes them), so nothing to do (see `Disturbances.changes`).
    if (this.disturbances.changes === this.changesSeen) return;
    this.changesSeen = this.disturbances.changes;
    const endMs = this.disturbances.endMs;
    if (endMs === null) return;
    // Cut short: the open stretch lasted to the old end (no stretch of no worker up reaches past
    // now), and now lasts to the new one, never before now.
    if (endMs < this.disturbedUntilMs) this.busyUntilMs = endMs;
    this.disturbedUntilMs = endMs;
    if (isDisturbance(e, type)) this.disturb(e.t, endMs, e.seq);
  }

  /** Starts or widens a stretch of disturbance [fromMs, untilMs]; a new one ends the calm before it. */
  private disturb(fromMs: number, untilMs: number, seq: number | null): void {
    if (!Number.isNaN(this.busyUntilMs) && fromMs <= this.busyUntilMs) {
      if (untilMs > this.busyUntilMs) this.busyUntilMs = untilMs;
      if (this.busySeq === null) this.busySeq = seq;
      return;
    }
    this.closeCalm(fromMs);
    if (!Number.isNaN(this.busyFromMs)) this.pushUnsettled();
    this.busyFromMs = fromMs;
    this.busyUntilMs = untilMs;
    this.busySeq = seq;
  }

  /** The calm stretch that ends at toMs: from the last disturbance's end (or the first worker up). */
  private closeCalm(toMs: number): void {
    if (Number.isNaN(this.firstUpMs)) return;
    const fromMs = Number.isNaN(this.busyUntilMs)
      ? this.firstUpMs
      : Math.max(this.busyUntilMs, this.firstUpMs);
    const needMs = this.run.quietBoundMs + this.run.sloMs;
    if (toMs - fromMs >= needMs) this.judgeUntilMs = toMs - needMs;
  }

  /** Keeps the stretch of disturbance that just closed, widened by the bound the system may take to settle. */
  private pushUnsettled(): void {
    const to = this.busyUntilMs + this.run.quietBoundMs;
    const last = this.unsettled[this.unsettled.length - 1];
    if (last !== undefined && this.busyFromMs <= last.to) {
      last.to = Math.max(last.to, to);
      if (last.seq === null) last.seq = this.busySeq;
    } else {
      this.unsettled.push({ from: this.busyFromMs, to, seq: this.busySeq });
    }
  }

  /** The unsettled stretch a due time falls in, if any (a handful of stretches per run). */
  private unsettledAt(t: number): Unsettled | undefined {
    for (const u of this.unsettled) if (t >= u.from && t < u.to) return u;
    return undefined;
  }

  /** Disturbances and removals. */
  private noteEvent(e: TraceEvent, type: string): void {
    switch (type) {
      case "schedule.paused":
        if (viewAs(e, "schedule.paused").paused) this.removeSchedule(e);
        return;
      case "schedule.deleted": {
        // The scheduler's deletion of a live account's schedule takes nothing out of scheduling:
        // its fires stay owed, and one it drops is missed (see `ScheduleRecord.removedLive`).
        const record = this.book.get(viewAs(e, "schedule.deleted").schedule);
        if (record?.removedLive?.seq !== e.seq) this.removeSchedule(e);
        return;
      }
      case "schedule.quarantined":
      case "task.quarantined":
        this.removeSchedule(e);
        return;
      case "schedule.fired":
        if (this.book.deletedAccounts.size !== 0 || this.firedEarlyWhileDeleted.size !== 0) this.fired(e);
        return;
      case "account.deleted": {
        const account = viewAs(e, "account.deleted").account;
        const served = new Map<number | null, ServedAt>();
        // Account deletions are few: a walk over the schedules for each is cheap.
        for (const record of this.book.schedules.values())
          if (record.account === account && !served.has(record.partition))
            served.set(record.partition, this.servedAt(record.partition, e.t));
        noteRemoval(this.removedAccounts, account, e, served);
        return;
      }
      default:
        this.disturbed(e, type);
    }
  }

  /** Keeps a fire run early for a deleted account; a fire of the same due for an account there takes it back. */
  private fired(e: TraceEvent): void {
    const ev = viewAs(e, "schedule.fired");
    let dues = this.firedEarlyWhileDeleted.get(ev.schedule);
    if (e.t < ev.due && this.book.deletedAccounts.has(ev.account)) {
      if (dues === undefined) {
        dues = new Set();
        this.firedEarlyWhileDeleted.set(ev.schedule, dues);
      }
      dues.add(ev.due);
    } else if (dues !== undefined && !this.book.deletedAccounts.has(ev.account)) {
      dues.delete(ev.due);
      if (dues.size === 0) this.firedEarlyWhileDeleted.delete(ev.schedule);
    }
  }

  private removeSchedule(e: TraceEvent): void {
    const schedule = textField(e, "schedule");
    if (schedule === undefined) return;
    const partition = this.book.get(schedule)?.partition ?? null;
    noteRemoval(this.removedSchedules, schedule, e, new Map([[partition, this.servedAt(partition, e.t)]]));
  }

  private servedAt(partition: number | null, t: number): ServedAt {
    return { sinceMs: this.serving.sinceMs(partition, t), behindMs: this.serving.ownerBehindMs(partition) };
  }

  /**
   * Walks the ledger's undelivered counted dues (what the metric counts missed) and sorts them:
   * exempt, not judged yet, or missed; keeps the earliest missed.
   */
  private tallyUndelivered(): Tally {
    const tally: Tally = {
      missed: 0,
      removed: 0,
      firstRemoved: null,
      deadLettered: 0,
      pending: 0,
      exemptJudged: 0,
      exemptInChaos: 0,
      first: null,
    };
    for (const record of this.book.schedules.values()) {
      if (record.spec === null) continue;
      for (const range of record.late) {
        if (!range.counted) continue;
        for (
          let d: number | null = range.from;
          d !== null && d <= range.to;
          d = nextFireAfter(record.spec, d)
        )
          this.sortUndelivered(record, d, tally);
      }
    }
    return tally;
  }

  private sortUndelivered(record: ScheduleRecord, due: number, tally: Tally): void {
    if (this.firedEarlyWhileDeleted.get(record.id)?.has(due)) {
      // Its account was deleted when it ran: as if deleted at the fire, before the due time.
      tally.removed++;
      noteFirstRemoved(tally, {
        record,
        due,
        why: "fired early, by a clock ahead, while its account was deleted",
      });
      this.exempt(due, tally);
      return;
    }
    const failure = this.failures.get(record.id, due);
    const judgedFromMs = failure === undefined || failure.retryAt === null ? due : failure.owedAt;
    const scheduleRemovals = this.removedSchedules.get(record.id);
    const accountRemovals = this.removedAccounts.get(record.account);
    let removal: Removal | null = null;
    let overdueAt = Number.NaN;
    if (scheduleRemovals !== undefined || accountRemovals !== undefined) {
      const settledMs = this.overdueAt(judgedFromMs);
      const owed = (r: Removal) => this.owedAt(r, record.partition, judgedFromMs, settledMs);
      const bySchedule = removedBefore(scheduleRemovals, due, owed);
      const byAccount = removedBefore(accountRemovals, due, owed);
      // The first to come excused it (an account's deletion, say, before its cleanup deleted the schedule).
      const excusing =
        bySchedule === null || (byAccount !== null && byAccount.t < bySchedule.t) ? byAccount : bySchedule;
      if (excusing !== null) {
        tally.removed++;
        noteFirstRemoved(tally, { record, due, why: this.removedText(excusing, owed(excusing)) });
        this.exempt(due, tally);
        return;
      }
      removal = firstRemovalAfter(scheduleRemovals, accountRemovals, due);
      if (removal !== null) overdueAt = owed(removal);
    }
    if (failure !== undefined && failure.retryAt === null) {
      tally.deadLettered++;
      this.exempt(due, tally);
      return;
    }
    if (judgedFromMs > this.judgeUntilMs) {
      tally.pending++;
      this.exempt(due, tally);
      return;
    }
    tally.missed++;
    if (tally.first === null || due < tally.first.due)
      tally.first = { record, due, failure, removal, overdueAt };
  }

  /**
   * When a fire owed from `fromMs` (its due time, or its retry's) was overdue: an SLO after it, or
   * an SLO after the end of each unsettled stretch it was still owed in (the stretches are in
   * time order, so one pass carries it through a chain of them).
   */
  private overdueAt(fromMs: number): number {
    const sloMs = this.run.sloMs;
    let at = fromMs + sloMs;
    for (const u of this.unsettled) {
      if (u.from >= at) break;
      if (u.to > fromMs && u.to + sloMs > at) at = u.to + sloMs;
    }
    return at;
  }

  /**
   * When a fire owed from `fromMs` was overdue as `removal` found it: after `settledMs` (see
   * `overdueAt`), and an SLO plus the owner's clock behind after its partition's stretch of
   * serving under way at the removal began (or `fromMs`, if later). Infinity: not served then.
   */
  private owedAt(removal: Removal, partition: number | null, fromMs: number, settledMs: number): number {
    const served = removal.served.get(partition);
    if (served === undefined || served.sinceMs === null) return Number.POSITIVE_INFINITY;
    return Math.max(settledMs, Math.max(fromMs, served.sinceMs) + this.run.sloMs + served.behindMs);
  }

  /** Why a removal excused a fire: what it was, when, and when the fire would have been overdue. */
  private removedText(removal: Removal, overdueAtMs: number): string {
    const clock = this.run.clock;
    const overdue = Number.isFinite(overdueAtMs)
      ? `overdue only at ${clock.precise(overdueAtMs)}`
      : "its partition not served then";
    return `${removal.what} at ${clock.precise(removal.t)}, ${overdue}`;
  }

  /** An exempt fire counted among those due by the latest judged due time takes itself out of them. */
  private exempt(due: number, tally: Tally): void {
    if (due > this.judgeUntilMs) return;
    tally.exemptJudged++;
    if (this.unsettledAt(due) !== undefined) tally.exemptInChaos++;
  }
}

const REMOVED: Readonly<Record<string, string>> = {
  "schedule.paused": "its schedule was paused",
  "schedule.deleted": "its schedule was deleted",
  "schedule.quarantined": "its schedule was quarantined",
  "task.quarantined": "its schedule was quarantined",
  "account.deleted": "its account was deleted",
};

/** A live account's schedule the scheduler deleted, in words: when, and by whose task. */
export function liveRemovalText(removal: LiveRemoval, clock: RunInfo["clock"]): string {
  const by = removal.worker === "" ? "a cleanup" : `${removal.worker}'s cleanup`;
  return `its schedule deleted by ${by} at ${clock.precise(removal.t)} though its account was not deleted`;
}

/** What became of a missed fire's retry, in words: the time it was owed, and the scheduler's if later. */
function retryText(failure: FailedFire, clock: RunInfo["clock"]): string {
  const { retryAt, owedAt } = failure;
  if (retryAt === null) return "";
  if (retryAt <= owedAt)
    return `, its delivery failed at the destination and the retry due ${clock.precise(retryAt)} never arrived`;
  const allowance = failure.allowanceMs > 0 ? `, plus ${seconds(failure.allowanceMs)} s for clock skew` : "";
  return `, its delivery failed at the destination and retry ${failure.retry}, owed by ${clock.precise(owedAt)} (QStash's back-off of ${seconds(failure.backoffMs)} s after the failure${allowance}; the scheduler set it ${formatDuration(retryAt - failure.failedAt)} after), never arrived`;
}

/** Keeps a removal of `id` (a schedule or an account), in time order. */
function noteRemoval(
  removals: Map<string, Removal[]>,
  id: string,
  e: TraceEvent,
  served: ReadonlyMap<number | null, ServedAt>,
): void {
  const removal = { t: e.t, seq: e.seq, what: REMOVED[e.type] ?? "its schedule was removed", served };
  const list = removals.get(id);
  if (list === undefined) removals.set(id, [removal]);
  else list.push(removal);
}

/** The first removal at or after `due` and before the fire was overdue by `owed` (a status change at the due time applies to it), or null. */
function removedBefore(
  removals: readonly Removal[] | undefined,
  due: number,
  owed: (r: Removal) => number,
): Removal | null {
  if (removals === undefined) return null;
  for (const r of removals) if (r.t >= due && r.t < owed(r)) return r;
  return null;
}

/** The earliest removal at or after `due`, of the schedule or of its account, or null. */
function firstRemovalAfter(
  schedule: readonly Removal[] | undefined,
  account: readonly Removal[] | undefined,
  due: number,
): Removal | null {
  let first: Removal | null = null;
  for (const list of [schedule, account]) {
    const r = list?.find((x) => x.t >= due);
    if (r !== undefined && (first === null || r.t < first.t)) first = r;
  }
  return first;
}

/** An undelivered fire a removal excused, and why, in words. */
interface RemovedFire {
  readonly record: ScheduleRecord;
  readonly due: number;
  readonly why: string;
}

function noteFirstRemoved(tally: Tally, fire: RemovedFire): void {
  if (tally.firstRemoved === null || fire.due < tally.firstRemoved.due) tally.firstRemoved = fire;
}

interface Tally {
  missed: number;
  /** Undelivered when its schedule was paused, deleted or quarantined, or its account deleted, before it was overdue. */
  removed: number;
  /** Of those, the earliest due, and why it was excused: a verdict names it. */
  firstRemoved: RemovedFire | null;
  /** Retries ran out at the destination: in the dead-letter queue. */
  deadLettered: number;
  /** No calm stretch followed its due time (or its last retry's) before the end. */
  pending: number;
  /** Of the exempt ones, those due by the latest judged due time: not judged after all. */
  exemptJudged: number;
  /** Of those, the ones due during a disturbance (or within the bound after one). */
  exemptInChaos: number;
  first: MissedFire | null;
}

/** The exempt undelivered fires, in words, or "". */
function exemptions(tally: Tally, clock: RunInfo["clock"]): string {
  const parts: string[] = [];
  const removed = tally.firstRemoved;
  if (tally.removed > 0 && removed !== null)
    parts.push(
      `${tally.removed} undelivered when ${tally.removed === 1 ? "its schedule was" : "their schedules were"} paused, deleted or quarantined, or the account deleted, before ${tally.removed === 1 ? "it was" : "they were"} overdue (${tally.removed === 1 ? "" : "first "}${removed.record.id} (account ${removed.record.account}) due ${clock.precise(removed.due)}: ${removed.why})`,
    );
  if (tally.deadLettered > 0)
    parts.push(
      `${tally.deadLettered} dead-lettered after every attempt failed at the destination (each sent, and answered with an error or not in time; reported in the dead-letter queue)`,
    );
  if (tally.pending > 0)
    parts.push(
      `${tally.pending} still pending at the end (no calm stretch after ${tally.pending === 1 ? "it" : "them"})`,
    );
  // Counted over the whole run: an exempt fire may fall due after the last judged due time.
  return parts.length === 0 ? "" : `; exempt, whenever due: ${parts.join("; ")}`;
}

import { type CronSpec, nextFireAfter, parseCron } from "../world/cron.js";
import { FirstFew } from "./format.js";

/**
 * Fire times of a schedule whose SLO window passed without a delivery: every fire time in
 * [from, to]. `from` is a fire time; `to` is at or after the last one in the range and before the
 * next fire time outside it, so that taking a due out is two cron look-ups, never a walk.
 */
export interface DueRange {
  from: number;
  to: number;
  /** Whether these dues count in the delivery metrics (see `DueLedger`). */
  readonly counted: boolean;
}

/**
 * A generated due still inside its SLO window takes `OPEN_STRIDE` numbers of its schedule's
 * `open`: its due time, the time of its first `delivery.acked` (NaN: none yet), and its flags.
 * Numbers side by side in one array of doubles rather than an object per due: a region's hour
 * generates half a million dues, and an object with two boxed times for each was read through
 * three pointers and outlived the young generation (a large share of the run's collections).
 */
export const OPEN_STRIDE = 3;
/** The due counts in the delivery metrics (see `DueLedger`). */
export const OPEN_COUNTED = 1;
/** A delivery attempt for it failed at the destination (`delivery.failed`). */
export const OPEN_DESTINATION_FAILED = 2;

/**
 * A schedule the scheduler deleted (`schedule.deleted` by `cleanup`, not an operator's) while its
 * account was not deleted: a live account's schedule wiped, not cleaned up. Its fires stay owed.
 */
export interface LiveRemoval {
  readonly schedule: string;
  readonly account: string;
  readonly t: number;
  readonly seq: number;
  /** The worker whose task deleted it ("" when the trace does not say). */
  readonly worker: string;
}

/** A due acked before the ledger generated it (a worker firing early, e.g. under clock skew). */
export interface AheadDue {
  readonly due: number;
  readonly at: number;
}

/**
 * What the checks know of one schedule: its identity and status from the lifecycle events, and
 * the due ledger's watermark state. Memory is a few fields plus short lists (dues in the SLO
 * window, ranges of undelivered dues, early acks), whatever the number of events.
 */
export interface ScheduleRecord {
  readonly id: string;
  account: string;
  partition: number | null;
  /** Null when the trace's cron text does not parse: the schedule's dues cannot be judged. */
  spec: CronSpec | null;
  createdAt: number;
  createdSeq: number;
  deletedAt: number | null;
  deletedSeq: number | null;
  /**
   * The scheduler's latest deletion of it while its account was not deleted (null: none). While
   * that is its deletion (`deletedSeq` is its seq), its dues are generated and counted as a live
   * schedule's, until its account's deletion or its creation again: no one took it out of
   * scheduling who may.
   */
  removedLive: LiveRemoval | null;
  paused: boolean;
  quarantined: boolean;
  /** Seq of the last event that named this schedule: points a reader at it. */
  lastSeq: number;
  /**
   * The earliest due, live and at or after its account's deletion, that no worker has fired yet
   * (null: none): a chance to clean up once a fire or the end of the run confirms it, none if
   * the schedule is paused, quarantined or deleted first (see `ScheduleBook.noteCleanupDue`).
   */
  cleanupDue: number | null;
  /**
   * The oldest fire not acked yet when it fired (null: none), and the seq of its
   * `schedule.fired`: a lost fire keeps it for good, so a verdict can point at its firing.
   */
  unackedFireDue: number | null;
  unackedFireSeq: number;

  /**
   * Whether a delivery of one of its dues failed at the destination or was dead-lettered, ever:
   * until then the ledger's `FailedFires` holds nothing of it, and is not asked.
   */
  failedOnce: boolean;

  /** First due time, from `schedule.created.next` (null: it never fires). */
  firstDue: number | null;
  /** Every fire time ≤ this has been generated and classified; -Infinity before the first. */
  genThrough: number;
  /** The next fire time to generate, or null when there is none (deleted, cron exhausted). */
  nextDue: number | null;
  /** Dues inside their SLO window, oldest first, `OPEN_STRIDE` numbers each. */
  readonly open: number[];
  readonly late: DueRange[];
  /**
   * Acks for dues not generated yet, oldest first; null while there are none (nearly always): a
   * due generated reads this field alone, not a list of its own in another part of memory.
   */
  ahead: AheadDue[] | null;
}

/** A deleted account: when its deletion committed, and whether cleanup had a chance to happen. */
export interface AccountDeletion {
  readonly account: string;
  readonly deletedAt: number;
  readonly seq: number;
  /**
   * Earliest due of an active schedule of this account at or after the deletion that was a
   * chance to clean up (it fired, or its schedule stayed live to the end), or null.
   */
  firstOpportunityDue: number | null;
  /** Whether a due that would have been a chance was stopped (paused, quarantined, deleted) unfired. */
  stoppedUnfired: boolean;
  /** Whether a due left unfired to the end (or the re-creation) came while nothing could fire it. */
  unservedUnfired: boolean;
}

/**
 * A deletion undone by the account's creation again, after one of its schedules had come due:
 * cleanup had its chance, and is judged on what was left when the account came back.
 */
export interface RestoredDeletion {
  readonly deletion: AccountDeletion;
  readonly restoredAt: number;
  /** The account's schedules that still existed when it was created again. */
  readonly left: readonly ScheduleRecord[];
}

/**
 * A fire of a deleted account's due whose task has not finished yet: a chance to clean up unless
 * the store refused that task a call it needed (its account read or its schedules' listing, or
 * its commit, which rolled the cleanup back).
 */
interface PendingCleanupFire {
  readonly record: ScheduleRecord;
  readonly due: number;
  /**
   * When the chance came, as a due the deletion checker judges: the due itself, or the deletion
   * for a due before it fired after it (a backlog drained after the deletion).
   */
  readonly chanceAt: number;
  readonly task: string;
  /** The seq of its `schedule.fired`: the task's own calls follow from it. */
  readonly seq: number;
  refused: boolean;
}

/** Schedules and deleted accounts, as the trace describes them. Mutated by `DeliveryChecker`. */
export class ScheduleBook {
  readonly schedules = new Map<string, ScheduleRecord>();
  /** Accounts deleted and not created again since. */
  readonly deletedAccounts = new Map<string, AccountDeletion>();
  /** Deletions of accounts created again since, for which cleanup had a chance (rare). */
  readonly restoredDeletions: RestoredDeletion[] = [];
  /** Account deletions seen, those of accounts created again since included. */
  deletions = 0;
  /** Fires of deleted accounts' dues not finished yet, by task (see `PendingCleanupFire`). */
  readonly pendingCleanupFires = new Map<string, PendingCleanupFire>();
  /** The scheduler's deletions of schedules whose account was not deleted: the first few, and how many. */
  readonly liveRemovals = new FirstFew<LiveRemoval>();
  /**
   * Schedules the scheduler deleted while their account was not deleted, whose dues are still
   * owed (see `ScheduleRecord.removedLive`): none in a run of a scheduler that cleans up only
   * deleted accounts.
   */
  readonly owedRemoved = new Set<ScheduleRecord>();
  /**
   * By account created again after a deletion: the seq of its latest re-creation. A cleanup whose
   * task began before it (its fire came first) read the account while it was deleted.
   */
  private readonly restoredAtSeq = new Map<string, number>();
  /**
   * By schedule: the latest due whose fire the store refused a call: it and the dues before it
   * were no chance to clean up (the next due is). Rare: a flaky store and a deleted account.
   */
  private readonly cleanupExcusedThrough = new Map<string, number>();
  /** Parsed cron expressions, shared: thousands of schedules use a handful of them. */
  private readonly specs = new Map<string, CronSpec | null>();
  /**
   * Whether a live schedule's `cleanupDue`, still unfired at t (the end, or its account's
   * re-creation), was a chance to clean up: `DeliveryChecker` judges whether anything could have
   * fired it. Until it is set, always.
   */
  unfiredChance: (record: ScheduleRecord, due: number, t: number) => boolean = () => true;

  get(schedule: string): ScheduleRecord | undefined {
    return this.schedules.get(schedule);
  }

  /** Adds a schedule, or revives a deleted one with the same id (its ledger carries on). */
  create(
    id: string,
    fields: { account: string; partition: number; cron: string; next: number | null },
    t: number,
    seq: number,
  ): ScheduleRecord {
    const spec = this.specOf(fields.cron);
    const existing = this.schedules.get(id);
    if (existing) {
      existing.account = fields.account;
      existing.partition = fields.partition;
      existing.spec = spec;
      existing.deletedAt = null;
      existing.deletedSeq = null;
      this.owedRemoved.delete(existing);
      existing.paused = false;
      existing.quarantined = false;
      existing.lastSeq = seq;
      existing.nextDue = reviveNext(existing, fields.next);
      return existing;
    }
    const record: ScheduleRecord = {
      id,
      account: fields.account,
      partition: fields.partition,
      spec,
      createdAt: t,
      createdSeq: seq,
      deletedAt: null,
      deletedSeq: null,
      removedLive: null,
      paused: false,
      quarantined: false,
      lastSeq: seq,
      cleanupDue: null,
      unackedFireDue: null,
      unackedFireSeq: -1,
      failedOnce: false,
      firstDue: fields.next,
      genThrough: Number.NEGATIVE_INFINITY,
      nextDue: spec === null ? null : fields.next,
      open: [],
      late: [],
      ahead: null,
    };
    this.schedules.set(id, record);
    return record;
  }

  /**
   * The schedule was deleted at t (`schedule.deleted` at seq, `by` whom, by `worker`'s task,
   * following from `cause`, the task's fire): whether that was the scheduler's deletion of a live
   * account's schedule, which leaves its dues owed (see `ScheduleRecord.removedLive`). An operator
   * may delete any schedule; the scheduler's cleanup is for a deleted account's schedules alone,
   * and a cleanup whose task began while the account was deleted is one (the account created again
   * since, before its commit: the task read it deleted, as the user meant it then).
   */
  deleteSchedule(
    record: ScheduleRecord,
    by: string,
    worker: string,
    t: number,
    seq: number,
    cause: number | null,
  ): boolean {
    record.deletedAt = t;
    record.deletedSeq = seq;
    if (by === "operator" || this.deletedAccounts.has(record.account)) return false;
    const restoredAt = this.restoredAtSeq.get(record.account);
    if (restoredAt !== undefined && (cause === null || cause < restoredAt)) return false;
    const removal = { schedule: record.id, account: record.account, t, seq, worker };
    record.removedLive = removal;
    this.liveRemovals.add(removal);
    this.owedRemoved.add(record);
    return true;
  }

  /** Records an account deletion; a repeated one keeps the first (when it first committed). */
  deleteAccount(account: string, t: number, seq: number): void {
    if (this.deletedAccounts.has(account)) return;
    this.deletions++;
    this.deletedAccounts.set(account, {
      account,
      deletedAt: t,
      seq,
      firstOpportunityDue: null,
      stoppedUnfired: false,
      unservedUnfired: false,
    });
  }

  /**
   * Records an account created again at t after its deletion: it exists from now on, so what is
   * sent for it and the schedules it still has are its own again. The caller settles the
   * account's schedules up to now first, while the deletion still holds for their earlier dues,
   * so that whether one came due since the deletion is known, and kept with what was left.
   */
  restoreAccount(account: string, t: number, seq: number): void {
    const deletion = this.deletedAccounts.get(account);
    if (deletion === undefined) return;
    this.restoredAtSeq.set(account, seq);
    for (const fire of this.pendingCleanupFires.values())
      if (fire.record.account === account) this.settleCleanupFire(fire);
    const left: ScheduleRecord[] = [];
    for (const record of this.schedules.values()) {
      if (record.account !== account || record.deletedAt !== null) continue;
      // Still live when the account came back: its unfired due was a chance if it could be fired.
      this.confirmUnfired(record, t);
      left.push(record);
    }
    this.deletedAccounts.delete(account);
    if (deletion.firstOpportunityDue === null) return;
    this.restoredDeletions.push({ deletion, restoredAt: t, left });
  }

  /**
   * A live schedule of a deleted account came due at d. It is a chance to clean up only if a
   * worker fires it, or if the schedule is still live at the end (or when the account comes
   * back) and could have been fired (see `unfiredChance`): an operator's pause, quarantine or deletion before any fire (a poison schedule
   * stopped while the store was down, say) left the scheduler nothing to run.
   */
  noteCleanupDue(record: ScheduleRecord, d: number): void {
    const excused = this.cleanupExcusedThrough.get(record.id);
    if (excused !== undefined && d <= excused) return;
    if (record.cleanupDue === null || d < record.cleanupDue) record.cleanupDue = d;
  }

  /**
   * A worker fired the schedule's due (`schedule.fired` at `seq`, task `task`) after its account's
   * deletion: the cleanup had its chance then, unless the store refuses the task a call before it
   * finishes. So does a fire of a due before the deletion (a backlog the scheduler drains late):
   * the task reads the account after its deletion all the same, and the cleanup comes at the
   * first fire at or after the deletion, whatever its due. Such a chance is dated at the deletion.
   */
  fired(record: ScheduleRecord, due: number, task: string, seq: number): void {
    const deletion = this.deletedAccounts.get(record.account);
    if (deletion === undefined) return;
    const chanceAt = Math.max(due, deletion.deletedAt);
    // A fire again of the same task: the attempt before it ended without finishing (a recovered
    // panic, a refused read), so it was no chance of its own; the due is judged on the attempt
    // that finishes, or at the end if none does. A refusal on the way still excuses it.
    const refused = this.pendingCleanupFires.get(task)?.refused ?? false;
    this.pendingCleanupFires.set(task, { record, due, chanceAt, task, seq, refused });
  }

  /**
   * The store refused a call that followed from the event `cause`: a read of `account`, or the
   * commit of `task`. Only a pending fire's own call of its own account or task excuses it: a
   * refusal of another task's, or of a claim, took nothing from this one.
   */
  refused(cause: number | null, account: string | undefined, task: string | undefined): void {
    for (const fire of this.pendingCleanupFires.values()) {
      if (fire.seq !== cause) continue;
      if (task !== undefined ? task === fire.task : account === fire.record.account) fire.refused = true;
    }
  }

  /** The task finished (committed, or its commit refused): its fire's chance is settled. */
  finishedTask(task: string): void {
    const fire = this.pendingCleanupFires.get(task);
    if (fire !== undefined) this.settleCleanupFire(fire);
  }

  private settleCleanupFire(fire: PendingCleanupFire): void {
    const { record, due, chanceAt } = fire;
    this.pendingCleanupFires.delete(fire.task);
    if (!this.deletedAccounts.has(record.account)) return;
    if (fire.refused) {
      const excused = this.cleanupExcusedThrough.get(record.id);
      if (excused === undefined || due > excused) this.cleanupExcusedThrough.set(record.id, due);
      if (record.cleanupDue !== null && record.cleanupDue <= due) record.cleanupDue = null;
      return;
    }
    const pending = record.cleanupDue;
    record.cleanupDue = null;
    this.confirmCleanupDue(record, pending === null ? chanceAt : Math.min(pending, chanceAt));
  }

  /**
   * The schedule stopped (paused, quarantined, deleted) with its `cleanupDue`, if any, unfired.
   * `chance`: whether that due was a chance to clean up all the same (see
   * `DeliveryChecker.stopped`); if not, the stop withdrew it.
   */
  stopped(record: ScheduleRecord, chance: boolean): void {
    const pending = record.cleanupDue;
    if (pending === null) return;
    record.cleanupDue = null;
    if (chance) {
      this.confirmCleanupDue(record, pending);
      return;
    }
    const deletion = this.deletedAccounts.get(record.account);
    if (deletion !== undefined) deletion.stoppedUnfired = true;
  }

  /** At the end (endMs): a schedule still live with an unfired due that could be fired was a chance left untaken. */
  confirmLiveCleanupDues(endMs: number): void {
    for (const fire of this.pendingCleanupFires.values()) this.settleCleanupFire(fire);
    for (const record of this.schedules.values()) this.confirmUnfired(record, endMs);
  }

  /** Settles the live schedule's unfired `cleanupDue`, if any, at t (see `unfiredChance`). */
  private confirmUnfired(record: ScheduleRecord, t: number): void {
    const due = record.cleanupDue;
    if (due === null) return;
    record.cleanupDue = null;
    if (this.unfiredChance(record, due, t)) {
      this.confirmCleanupDue(record, due);
      return;
    }
    const deletion = this.deletedAccounts.get(record.account);
    if (deletion !== undefined) deletion.unservedUnfired = true;
  }

  private confirmCleanupDue(record: ScheduleRecord, d: number | null): void {
    const deletion = this.deletedAccounts.get(record.account);
    if (d === null || deletion === undefined) return;
    if (deletion.firstOpportunityDue === null || d < deletion.firstOpportunityDue)
      deletion.firstOpportunityDue = d;
  }

  private specOf(cron: string): CronSpec | null {
    if (this.specs.has(cron)) return this.specs.get(cron) ?? null;
    let spec: CronSpec | null;
    try {
      spec = parseCron(cron);
    } catch {
      spec = null;
    }
    this.specs.set(cron, spec);
    return spec;
  }
}

/** Whether the schedule's deletion, if any, left its dues owed (see `ScheduleRecord.removedLive`). */
export function owedWhileDeleted(record: ScheduleRecord): boolean {
  return record.removedLive !== null && record.removedLive.seq === record.deletedSeq;
}

function reviveNext(record: ScheduleRecord, next: number | null): number | null {
  if (record.spec === null || next === null) return null;
  if (record.firstDue === null) record.firstDue = next;
  // Dues already generated stay settled; a revived schedule resumes after them.
  return next > record.genThrough ? next : nextFireAfter(record.spec, record.genThrough);
}

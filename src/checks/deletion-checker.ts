import type { TraceEvent } from "../kernel/trace.js";
import type { EventType } from "../world/events.js";
import { viewAs } from "./event-view.js";
import { listSome, plural } from "./format.js";
import type { RunInfo } from "./run-info.js";
import type { AccountDeletion, ScheduleBook, ScheduleRecord } from "./schedule-book.js";
import type { SelectiveSink } from "./selective-sink.js";
import { pushEvent, type Verdict } from "./types.js";

/** A message sent for an account after its deletion committed. */
export interface LateSend {
  readonly seq: number;
  readonly t: number;
  readonly schedule: string;
  readonly account: string;
  readonly deletedAt: number;
  /** The seq of the account's deletion. */
  readonly deletionSeq: number;
  /**
   * The seq of the event the send followed from (its task's `schedule.fired`, or for a retry the
   * failure that asked for it) when that came before the deletion, or its message was sent so
   * already: a message fired before the deletion and sent after it. Null otherwise.
   */
  readonly firedBeforeSeq: number | null;
}

const LATE_SENDS_KEPT = 5;
const LAZY = "cleanup is lazy: only accounts whose schedules came due are judged";

/**
 * Account deletion: messages sent after a deletion committed (`afterDeletion`), schedules of
 * deleted accounts left at the end, and whether the scheduler cleaned up what it had a chance to.
 * Reads the schedule book that `DeliveryChecker` keeps (it must see each event first).
 */
export class DeletionChecker implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = ["delivery.sent"];
  afterDeletion = 0;
  /** Of `afterDeletion`, the sends of messages fired before their account's deletion. */
  firedBeforeDeletion = 0;
  readonly firstLateSends: LateSend[] = [];
  /**
   * Messages fired before their account's deletion and sent after it, so that a retry of one
   * (whose cause is its failure, after the deletion) is told as fired before it too. Only sends
   * after a deletion add to it: none in a run that holds the property.
   */
  private readonly firedBeforeMessages = new Set<string>();

  constructor(
    private readonly run: RunInfo,
    private readonly book: ScheduleBook,
  ) {}

  onEvent(e: TraceEvent, type: string = e.type): void {
    if (type !== "delivery.sent") return;
    const ev = viewAs(e, "delivery.sent");
    const deletion = this.book.deletedAccounts.get(ev.account);
    if (deletion === undefined || deletion.deletedAt >= e.t) return;
    this.afterDeletion++;
    // Seqs are in trace order: a cause traced before the deletion came before it.
    const firedBefore =
      (e.cause !== null && e.cause < deletion.seq) || this.firedBeforeMessages.has(ev.message);
    if (firedBefore) {
      this.firedBeforeDeletion++;
      this.firedBeforeMessages.add(ev.message);
    }
    if (this.firstLateSends.length < LATE_SENDS_KEPT) {
      this.firstLateSends.push({
        seq: e.seq,
        t: e.t,
        schedule: ev.schedule,
        account: ev.account,
        deletedAt: deletion.deletedAt,
        deletionSeq: deletion.seq,
        firedBeforeSeq: firedBefore ? e.cause : null,
      });
    }
  }

  /** Schedules of deleted accounts that still exist. */
  leftSchedules(): ScheduleRecord[] {
    const left: ScheduleRecord[] = [];
    for (const record of this.book.schedules.values()) {
      if (record.deletedAt === null && this.book.deletedAccounts.has(record.account)) left.push(record);
    }
    return left;
  }

  noDeliveryAfterDeletionVerdict(): Verdict {
    const deleted = this.book.deletions;
    if (this.afterDeletion === 0) {
      return {
        property: "no-delivery-after-deletion",
        ok: true,
        exercised: deleted > 0,
        detail:
          deleted > 0
            ? `no message was sent for any of the ${deleted} deleted accounts after its deletion committed`
            : "not exercised: no account was deleted",
        events: [],
      };
    }
    const events: number[] = [];
    for (const s of this.firstLateSends) {
      pushEvent(events, s.deletionSeq);
      if (s.firedBeforeSeq !== null) pushEvent(events, s.firedBeforeSeq);
      pushEvent(events, s.seq);
    }
    const clock = this.run.clock;
    const first = this.firstLateSends.map(
      (s) =>
        `${s.schedule} at ${clock.precise(s.t)} (${s.account} deleted at ${clock.precise(s.deletedAt)}${s.firedBeforeSeq !== null ? ", fired before that" : ""})`,
    );
    return {
      property: "no-delivery-after-deletion",
      ok: false,
      exercised: true,
      detail: `${plural(this.afterDeletion, "message was", "messages were")} sent for deleted accounts after their deletion committed: ${listSome(first, 3, this.afterDeletion)}${this.firedBeforeNote()}`,
      events,
    };
  }

  /**
   * Why a message fired before the deletion counts: the brief says a schedule's deletion stops new
   * messages, not those already created, and says nothing of an account's; the property assumes
   * an account's deletion stops them all, so that a reviewer does not read its failure, for a
   * scheduler that fired before the deletion and sent after it, as a fix left undone.
   */
  private firedBeforeNote(): string {
    const n = this.firedBeforeDeletion;
    if (n === 0) return "";
    const which =
      n === this.afterDeletion
        ? n === 1
          ? "this one"
          : `all ${n} here`
        : `${n} of the ${this.afterDeletion} here`;
    return (
      `; a message fired before its account's deletion and sent after it counts too (${which}): this ` +
      "property holds a scheduler to sending nothing for an account once its deletion committed, an " +
      "assumption of ours (a schedule's deletion stops new messages, not those already created)"
    );
  }

  /**
   * Call after the ledger has finished: cleanup opportunities are found while settling dues. A
   * deletion is judged once one of the account's schedules came due after it, at least an SLO
   * before the end; a deletion the account's creation again undid is judged the same way up to
   * that creation, on the schedules it found still there.
   */
  deletedSchedulesCleanedVerdict(left: readonly ScheduleRecord[]): Verdict {
    const sloMs = this.run.sloMs;
    const judgedNow = new Set<string>();
    for (const deletion of this.book.deletedAccounts.values()) {
      const due = deletion.firstOpportunityDue;
      if (due !== null && due <= this.run.endMs - sloMs) judgedNow.add(deletion.account);
    }
    const judged = new Set(judgedNow);
    const failing: UncleanedSchedule[] = [];
    for (const r of left)
      if (judgedNow.has(r.account))
        failing.push({ record: r, deletion: this.book.deletedAccounts.get(r.account)!, restoredAt: null });
    for (const { deletion, restoredAt, left: leftThen } of this.book.restoredDeletions) {
      if (deletion.firstOpportunityDue! > restoredAt - sloMs) continue;
      judged.add(deletion.account);
      for (const record of leftThen) failing.push({ record, deletion, restoredAt });
    }
    const unjudgedNote = this.unjudgedNote(left, judgedNow);
    if (this.book.liveRemovals.count > 0) return this.liveRemovalsVerdict(failing, unjudgedNote);
    if (judged.size === 0) {
      return {
        property: "deleted-schedules-cleaned",
        ok: true,
        exercised: false,
        detail: `not exercised: ${this.book.deletions === 0 ? "no account was deleted" : "no schedule of a deleted account came due in time to be judged"} (${LAZY})${unjudgedNote}`,
        events: [],
      };
    }
    if (failing.length === 0) {
      return {
        property: "deleted-schedules-cleaned",
        ok: true,
        exercised: true,
        detail: `every schedule of the ${plural(judged.size, "deleted account")} judged was deleted (${LAZY})${unjudgedNote}`,
        events: [],
      };
    }
    const events: number[] = [];
    return {
      property: "deleted-schedules-cleaned",
      ok: false,
      exercised: true,
      detail: `${this.uncleanedText(failing, events)}${unjudgedNote}`,
      events,
    };
  }

  /** The schedules of deleted accounts never cleaned up, in words, their events added to `events`. */
  private uncleanedText(failing: readonly UncleanedSchedule[], events: number[]): string {
    const deletions: string[] = [];
    const clock = this.run.clock;
    for (const { record, deletion, restoredAt } of failing) {
      pushEvent(events, deletion.seq);
      pushEvent(events, record.lastSeq);
      const again = restoredAt === null ? "" : ` and created again at ${clock.precise(restoredAt)}`;
      const text = `${deletion.account} deleted at ${clock.precise(deletion.deletedAt)}${again}`;
      if (!deletions.includes(text)) deletions.push(text);
    }
    return `${plural(failing.length, "schedule")} of deleted accounts never cleaned up: ${listSome(
      failing.map((f) => f.record.id),
    )} (${listSome(deletions, 3)}; ${LAZY})`;
  }

  /**
   * The converse: the scheduler deleted schedules whose account was not deleted (a cleanup is for
   * a deleted account's schedules alone; an operator may delete any), beside any schedules of
   * deleted accounts left (`failing`).
   */
  private liveRemovalsVerdict(failing: readonly UncleanedSchedule[], unjudgedNote: string): Verdict {
    const events: number[] = [];
    const removals = this.book.liveRemovals;
    const clock = this.run.clock;
    const said = removals.items.map((r) => {
      pushEvent(events, r.seq);
      return `${r.schedule} (account ${r.account}) at ${clock.precise(r.t)}${r.worker === "" ? "" : ` by ${r.worker}`}`;
    });
    const wiped = `the scheduler deleted ${plural(removals.count, "schedule")} of accounts not deleted: ${said.join(", ")}${removals.more()} (a cleanup takes a deleted account's schedules alone)`;
    const uncleaned = failing.length === 0 ? "" : `; and ${this.uncleanedText(failing, events)}`;
    return {
      property: "deleted-schedules-cleaned",
      ok: false,
      exercised: true,
      detail: `${wiped}${uncleaned}${unjudgedNote}`,
      events,
    };
  }

  /**
   * What remains of deletions not judged, and why: no due since, the dues stopped unfired, or
   * left unfired while no worker served their partition.
   */
  private unjudgedNote(left: readonly ScheduleRecord[], judged: ReadonlySet<string>): string {
    let noDue = 0;
    let stopped = 0;
    let unserved = 0;
    for (const r of left) {
      if (judged.has(r.account)) continue;
      const deletion = this.book.deletedAccounts.get(r.account);
      if (deletion?.stoppedUnfired) stopped++;
      else if (deletion?.unservedUnfired) unserved++;
      else noDue++;
    }
    let note = "";
    if (noDue > 0) note += `; ${plural(noDue, "schedule")} of accounts with no due since the deletion remain`;
    if (stopped > 0) {
      note += `; ${plural(stopped, "schedule")} of accounts whose dues since the deletion were stopped (paused, quarantined or deleted) before one fired ${stopped === 1 ? "remains" : "remain"}`;
    }
    if (unserved > 0) {
      note += `; ${plural(unserved, "schedule")} of accounts whose dues since the deletion came while no worker served their partition ${unserved === 1 ? "remains" : "remain"}`;
    }
    return note;
  }
}

/** A schedule of a judged deletion still there at the end, or when its account came back. */
interface UncleanedSchedule {
  readonly record: ScheduleRecord;
  readonly deletion: AccountDeletion;
  readonly restoredAt: number | null;
}

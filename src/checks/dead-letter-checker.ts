import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { viewAs } from "./event-view.js";
import { FirstFew, plural } from "./format.js";
import type { DeadLetterExcuse, MessageAttempts } from "./message-ledger.js";
import { pushEvent, type Verdict } from "./types.js";

/** A message dead-lettered after the destination acknowledged it, with nothing between that may have undone the delivery. */
interface DeliveredDeadLetter {
  readonly message: string;
  readonly schedule: string;
  readonly t: number;
  readonly seq: number;
  readonly acknowledgedAt: number;
  readonly sent: number;
}

/** A message dead-lettered before every attempt its schedule's budget allows was sent. */
interface HastyDeadLetter {
  readonly message: string;
  readonly schedule: string;
  readonly t: number;
  readonly seq: number;
  readonly sent: number;
  readonly owed: number;
}

/**
 * `dead-letter-after-retries`: a message goes to the dead-letter queue only after every attempt
 * its schedule's retry budget allows was sent, `retries + 1` of them (QStash's rule: 3 retries
 * after the first attempt by default). Judged from the trace: the attempts are the message's
 * `delivery.sent` events, on any worker, counted by send and never by the scheduler's own
 * `attempt` numbers, and followed across a retry given a new message id. A send of the attempt
 * last sent with nothing between that could have made a worker send it again is the scheduler's
 * own quick re-send, not an attempt (the `MessageLedger` tells). A message the destination
 * acknowledged is not dead-lettered: its acknowledged sends count on, and a dead letter of it fails
 * whatever the count, unless something that may have undone the delivery came between the
 * acknowledgement and its next send (or the dead letter): a crash, lease change or injected panic
 * of the worker that delivered it, a refused or fenced commit of the task that delivered it (a
 * refused read or claim gives nothing back), or another worker sending it. Then the
 * delivery runs again (at-least-once) and its sends are counted anew; such a run of a retry that
 * delivered, counted short, is let off, as is a dead letter whose message the ledger may have
 * forgotten. The budget is the `retries` the world traces with `delivery.dead-lettered`,
 * from the schedule as the store holds it. The event's `attempts` is the scheduler's own count and
 * is not taken. The `MessageLedger` follows the messages for it.
 *
 * `no-missed-delivery` counts a dead-lettered fire as delivered (every attempt sent and failed,
 * with an error or a timeout, reported in the dead-letter queue); this is what keeps that from hiding a scheduler that gives
 * up on a failing destination early, when a retry might have delivered.
 */
export class DeadLetterChecker {
  /** Dead letters judged (those whose event carries the budget). */
  deadLetters = 0;
  /** Dead letters in a trace written before the budget was traced: not judged. */
  private withoutBudget = 0;
  /** The fewest attempts sent for any dead-lettered message, or null before the first. */
  private fewestSent: number | null = null;
  /** Dead letters counted short of a message delivered before (a delivering retry run again): not judged. */
  private deliveredBefore = 0;
  /** Dead letters counted short once the ledger had forgotten messages: not judged. */
  private forgottenShort = 0;
  /** The ledger's bound, for the verdict's words. */
  private followedMax = 0;

  /** The first few that came too early, and how many in all. */
  private readonly hasty = new FirstFew<HastyDeadLetter>();
  /** The first few of delivered messages, and how many in all. */
  private readonly delivered = new FirstFew<DeliveredDeadLetter>();

  /** The verdict of `dead-letter-after-retries`, its times written with the run's `clock`. */
  verdict(clock: RunClock): Verdict {
    if (this.deadLetters === 0) {
      return {
        property: "dead-letter-after-retries",
        ok: true,
        exercised: false,
        detail:
          this.unjudged === 0
            ? "not exercised: no message was dead-lettered"
            : `not exercised: ${plural(this.unjudged, "dead letter")} not judged (${this.unjudgedWhy()})`,
        events: [],
      };
    }
    if (this.hasty.count === 0 && this.delivered.count === 0) {
      return {
        property: "dead-letter-after-retries",
        ok: true,
        exercised: true,
        detail: `${
          this.deadLetters === 1
            ? `1 message was dead-lettered, after every attempt its schedule's retry budget allows (${plural(this.fewestSent ?? 0, "attempt")} sent)`
            : `${this.deadLetters} messages were dead-lettered, each after every attempt its schedule's retry budget allows (${plural(this.fewestSent ?? 0, "attempt")} sent at the fewest)`
        }${this.unjudged === 0 ? "" : `; ${this.unjudged} more not judged (${this.unjudgedWhy()})`}`,
        events: [],
      };
    }
    const events: number[] = [];
    const details: string[] = [];
    if (this.hasty.count > 0) details.push(this.hastyText(clock, events));
    if (this.delivered.count > 0) details.push(this.deliveredText(clock, events));
    return {
      property: "dead-letter-after-retries",
      ok: false,
      exercised: true,
      detail: details.join("; "),
      events,
    };
  }

  private hastyText(clock: RunClock, events: number[]): string {
    const said = this.hasty.items.map((h) => {
      pushEvent(events, h.seq);
      return `${h.message} (schedule ${h.schedule}) at ${clock.precise(h.t)} after ${plural(h.sent, "attempt")} sent of the ${h.owed} its retry budget allows`;
    });
    const one = this.hasty.count === 1;
    return `${plural(this.hasty.count, "message was", "messages were")} dead-lettered before ${one ? "its" : "their"} retries ran out: ${said.join("; ")}${this.hasty.more()}; a retry might have delivered ${one ? "it" : "them"}`;
  }

  private deliveredText(clock: RunClock, events: number[]): string {
    const said = this.delivered.items.map((d) => {
      pushEvent(events, d.seq);
      return `${d.message} (schedule ${d.schedule}) acknowledged at ${clock.precise(d.acknowledgedAt)} after ${plural(d.sent, "attempt")} sent, dead-lettered at ${clock.precise(d.t)}`;
    });
    const one = this.delivered.count === 1;
    return `${plural(this.delivered.count, "message was", "messages were")} dead-lettered after the destination acknowledged ${one ? "it" : "them"}: ${said.join("; ")}${this.delivered.more()}, with nothing between that may have undone the delivery (no crash, lease change or injected panic on the worker that delivered it, no refused or fenced commit of the task that delivered it, no other worker sending it); an acknowledged message must not go to the dead-letter queue, which reports it to its owner as undelivered`;
  }

  /** Dead letters not judged, for each reason. */
  private get unjudged(): number {
    return this.withoutBudget + this.deliveredBefore + this.forgottenShort;
  }

  /** Why some dead letters were not judged. */
  private unjudgedWhy(): string {
    const why: string[] = [];
    if (this.withoutBudget > 0)
      why.push("the trace does not carry the schedule's retry budget: written by an older aftershock");
    if (this.deliveredBefore > 0)
      why.push(
        `${plural(this.deliveredBefore, "message", "messages")} delivered by a retry and then sent again after something that may have undone the delivery (a crash, lease change or injected panic on the worker that delivered ${this.deliveredBefore === 1 ? "it" : "them"}, a refused or fenced commit of the task that delivered ${this.deliveredBefore === 1 ? "it" : "them"}, or a send by another worker): a retry that delivered, run again before it was committed`,
      );
    if (this.forgottenShort > 0)
      why.push(
        `${plural(this.forgottenShort, "message", "messages")} whose sends may have been forgotten, to keep the count of messages followed within ${this.followedMax}`,
      );
    return why.join("; ");
  }

  /**
   * Judges a `delivery.dead-lettered`, with what the `MessageLedger` knows of its message
   * (undefined: never sent, or forgotten), whether the ledger may have forgotten it, and how
   * many messages the ledger follows at once (`followedMax`).
   */
  deadLettered(
    e: TraceEvent,
    attempts: MessageAttempts | undefined,
    excuse: DeadLetterExcuse,
    followedMax: number,
  ): void {
    const ev = viewAs(e, "delivery.dead-lettered");
    this.followedMax = followedMax;
    if (ev.retries === undefined) {
      this.withoutBudget++;
      return;
    }
    const sent = attempts?.sent ?? 0;
    const owed = ev.retries + 1;
    // Delivered, with nothing between that may have undone it: whatever the count, the
    // dead-letter queue now holds a message the destination has.
    if (attempts !== undefined && !Number.isNaN(attempts.acknowledgedAt)) {
      this.deadLetters++;
      if (this.fewestSent === null || sent < this.fewestSent) this.fewestSent = sent;
      this.delivered.add({
        message: ev.message,
        schedule: ev.schedule,
        t: e.t,
        seq: e.seq,
        acknowledgedAt: attempts.acknowledgedAt,
        sent,
      });
      return;
    }
    // Counted short, but delivered before: a retry that delivered, run again after its worker
    // crashed or lost its lease before committing it (or on another worker), which failed and was
    // dead-lettered, its count begun at that run. Nothing was lost.
    if (sent < owed && excuse.deliveredBefore) {
      this.deliveredBefore++;
      return;
    }
    // A message the ledger may have forgotten, counted short: its first sends may be among what
    // was forgotten, so it is not judged rather than judged on a count that lost some.
    if (sent < owed && excuse.forgotten) {
      this.forgottenShort++;
      return;
    }
    this.deadLetters++;
    if (this.fewestSent === null || sent < this.fewestSent) this.fewestSent = sent;
    if (sent >= owed) return;
    this.hasty.add({ message: ev.message, schedule: ev.schedule, t: e.t, seq: e.seq, sent, owed });
  }
}

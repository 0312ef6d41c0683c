import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { viewAs } from "./event-view.js";
import { FirstFew, plural } from "./format.js";
import type { DeadLetterExcuse, MessageAttempts } from "./message-ledger.js";
import { pushEvent, type Verdict } from "./types.js";

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
 * own quick re-send, not an attempt (the `MessageLedger` tells). A dead letter counted short is
 * let off only when the trace acknowledged the message before it was sent again, or the ledger may
 * have forgotten it. The budget is the `retries` the world traces with `delivery.dead-lettered`,
 * from the schedule as the store holds it. The event's `attempts` is the scheduler's own count and
 * is not taken. The `MessageLedger` follows the messages for it.
 *
 * `no-missed-delivery` counts a dead-lettered fire as delivered (every attempt sent and refused,
 * reported in the dead-letter queue); this is what keeps that from hiding a scheduler that gives
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
    if (this.hasty.count === 0) {
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
    const said = this.hasty.items.map((h) => {
      pushEvent(events, h.seq);
      return `${h.message} (schedule ${h.schedule}) at ${clock.precise(h.t)} after ${plural(h.sent, "attempt")} sent of the ${h.owed} its retry budget allows`;
    });
    const more = this.hasty.more();
    const one = this.hasty.count === 1;
    return {
      property: "dead-letter-after-retries",
      ok: false,
      exercised: true,
      detail: `${plural(this.hasty.count, "message was", "messages were")} dead-lettered before ${one ? "its" : "their"} retries ran out: ${said.join("; ")}${more}; a retry might have delivered ${one ? "it" : "them"}`,
      events,
    };
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
        `${plural(this.deliveredBefore, "message", "messages")} delivered before it was sent again: a retry that delivered, run again after its worker died before committing it`,
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
    // Counted short, but delivered before: a retry that delivered, run again after its worker
    // died before committing it, which failed and was dead-lettered. Nothing was lost.
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

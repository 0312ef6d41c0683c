import type { RunClock } from "../kernel/time.js";
import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { viewAs } from "./event-view.js";
import { plural } from "./format.js";
import { pushEvent, type Verdict } from "./types.js";

/** How many of the messages dead-lettered too early a verdict names. */
const HASTY_SHOWN_MAX = 3;

/**
 * Most messages whose sends are counted at once. A message leaves the count when acknowledged or
 * dead-lettered; one given up otherwise (its account deleted during its retries, its worker dead
 * mid-request) would stay for the rest of the run, so past this the oldest is forgotten, and a
 * dead letter the count no longer knows is not judged (never judged too early on a lost count).
 */
export const SENT_TRACKED_MAX = 50_000;

/** A message dead-lettered before every attempt its schedule's budget allows was sent. */
interface HastyDeadLetter {
  readonly message: string;
  readonly schedule: string;
  readonly t: number;
  readonly seq: number;
  readonly sent: number;
  readonly owed: number;
}

/** Sizes of the live state, for the memory-shape test. */
export interface DeadLetterStateSize {
  /** Messages sent and not acknowledged since: in flight, being retried, or given up some other way. */
  readonly unackedMessages: number;
}

/**
 * `dead-letter-after-retries`: a message goes to the dead-letter queue only after every attempt
 * its schedule's retry budget allows was sent, `retries + 1` of them (QStash's rule: 3 retries
 * after the first attempt by default). Judged from the trace: the attempts are the message's
 * `delivery.sent` events since its last acknowledgement, on any worker; the budget is the
 * `retries` the world traces with `delivery.dead-lettered`, from the schedule as the store holds
 * it. The event's `attempts` is the scheduler's own count and is not taken.
 *
 * `no-missed-delivery` counts a dead-lettered fire as delivered (every attempt sent and refused,
 * reported in the dead-letter queue); this is what keeps that from hiding a scheduler that gives
 * up on a failing destination early, when a retry might have delivered.
 */
export class DeadLetterChecker implements TraceSink {
  /** Dead letters judged (those whose event carries the budget). */
  deadLetters = 0;
  /** Dead letters not judged: in a trace written before the budget was traced, or of a forgotten message. */
  private unjudged = 0;
  private withoutBudget = 0;
  /** The fewest attempts sent for any dead-lettered message, or null before the first. */
  private fewestSent: number | null = null;
  /** Attempts sent per message since its last acknowledgement, oldest message first. */
  private readonly sent = new Map<string, number>();
  /** Messages forgotten to keep `sent` within its bound. */
  private forgotten = 0;
  /**
   * Messages of `sent` whose count began at a retry (attempt 1 or later) rather than at the first
   * attempt: sent again after they were acknowledged (a worker died before committing the retry
   * that delivered, and the retry ran again). A dead letter of one lost no delivery: not judged.
   */
  private readonly sentAfterAck = new Set<string>();
  /** Dead letters of a message acknowledged before: not judged. */
  private deliveredBefore = 0;

  constructor(private readonly trackedMax = SENT_TRACKED_MAX) {}
  private readonly hasty: HastyDeadLetter[] = [];
  private hastyCount = 0;

  onEvent(e: TraceEvent): void {
    switch (e.type) {
      case "delivery.sent": {
        const ev = viewAs(e, "delivery.sent");
        const sent = this.sent.get(ev.message);
        if (sent !== undefined) {
          this.sent.set(ev.message, sent + 1);
          return;
        }
        if (this.sent.size >= this.trackedMax) {
          const oldest = this.sent.keys().next().value as string;
          this.sent.delete(oldest);
          this.sentAfterAck.delete(oldest);
          this.forgotten++;
        }
        if (ev.attempt > 0) this.sentAfterAck.add(ev.message);
        this.sent.set(ev.message, 1);
        return;
      }
      case "delivery.acked": {
        const message = viewAs(e, "delivery.acked").message;
        this.sent.delete(message);
        if (this.sentAfterAck.size > 0) this.sentAfterAck.delete(message);
        return;
      }
      case "delivery.dead-lettered":
        this.deadLettered(e);
        return;
    }
  }

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
    if (this.hastyCount === 0) {
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
    const said = this.hasty.map((h) => {
      pushEvent(events, h.seq);
      return `${h.message} (schedule ${h.schedule}) at ${clock.precise(h.t)} after ${plural(h.sent, "attempt")} sent of the ${h.owed} its retry budget allows`;
    });
    const more = this.hastyCount > said.length ? ` (and ${this.hastyCount - said.length} more)` : "";
    const one = this.hastyCount === 1;
    return {
      property: "dead-letter-after-retries",
      ok: false,
      exercised: true,
      detail: `${plural(this.hastyCount, "message was", "messages were")} dead-lettered before ${one ? "its" : "their"} retries ran out: ${said.join("; ")}${more}; a retry might have delivered ${one ? "it" : "them"}`,
      events,
    };
  }

  stateSize(): DeadLetterStateSize {
    return { unackedMessages: this.sent.size + this.sentAfterAck.size };
  }

  /** Why some dead letters were not judged. */
  private unjudgedWhy(): string {
    const why: string[] = [];
    if (this.withoutBudget > 0)
      why.push("the trace does not carry the schedule's retry budget: written by an older aftershock");
    if (this.deliveredBefore > 0)
      why.push(
        `${plural(this.deliveredBefore, "message", "messages")} acknowledged before: a retry that delivered, run again after its worker died`,
      );
    if (this.forgotten > 0)
      why.push(`their sends were forgotten to keep the count within ${this.trackedMax} messages`);
    return why.join("; ");
  }

  private deadLettered(e: TraceEvent): void {
    const ev = viewAs(e, "delivery.dead-lettered");
    const counted = this.sent.get(ev.message);
    this.sent.delete(ev.message);
    if (this.sentAfterAck.size > 0 && this.sentAfterAck.delete(ev.message)) {
      this.unjudged++;
      this.deliveredBefore++;
      return;
    }
    if (ev.retries === undefined) {
      this.unjudged++;
      this.withoutBudget++;
      return;
    }
    const sent = counted ?? 0;
    const owed = ev.retries + 1;
    // Once the count forgot a message, one counted short may be that message sent again since
    // (its first sends forgotten): not judged rather than judged on a count that lost some.
    if (sent < owed && this.forgotten > 0) {
      this.unjudged++;
      return;
    }
    this.deadLetters++;
    if (this.fewestSent === null || sent < this.fewestSent) this.fewestSent = sent;
    if (sent >= owed) return;
    this.hastyCount++;
    if (this.hasty.length < HASTY_SHOWN_MAX) {
      this.hasty.push({ message: ev.message, schedule: ev.schedule, t: e.t, seq: e.seq, sent, owed });
    }
  }
}

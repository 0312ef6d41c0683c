import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { ClockSkews } from "./clock-skews.js";
import { viewAs } from "./event-view.js";
import { FirstFew, plural, seconds } from "./format.js";
import { pushEvent, type Verdict } from "./types.js";

/**
 * QStash's back-off before retry `retry` (1 for the first): min(86400, e^(2.5 n)) seconds, in ms
 * (12.182 s, 2m28s, 30m8s, ...). The checker's own copy: a check never asks the schedulers.
 */
export function qstashBackoffMs(retry: number): number {
  return Math.round(Math.min(86_400, Math.exp(2.5 * retry)) * 1000);
}

/** A retry sent before its back-off from the attempt before it had passed. */
interface HastyRetry {
  readonly message: string;
  readonly schedule: string;
  readonly attempt: number;
  readonly t: number;
  readonly seq: number;
  readonly waitedMs: number;
  readonly allowanceMs: number;
  /** An attempt sent again with nothing between (`attempt` is the attempt repeated). */
  readonly repeat: boolean;
  /** For a repeat: the attempt last sent (later than `attempt` when the repeat is numbered older). */
  readonly lastAttempt?: number;
  /** For a fire sent again under a new message id in its task: the message whose send failed. */
  readonly resentOf?: string;
}

/** A failed send its task ended with, asking neither a retry nor a dead letter (`delivery.failure-dropped`). */
interface DroppedFailure {
  readonly message: string;
  readonly schedule: string;
  readonly attempt: number;
  readonly status: number;
  readonly ended: "committed" | "abandoned";
  /** How the transaction it failed in ended, when its task went on in a new one (restart or rollback). */
  readonly rerun: "restarted" | "rolled back" | undefined;
  readonly t: number;
  readonly seq: number;
}

/** A task restarted or rolled back with no panic since a failed send, in words (after "its task, "). */
const RERUN_WORDS: Readonly<Record<NonNullable<DroppedFailure["rerun"]>, string>> = {
  restarted:
    "restarted with no panic reported since (its fire run again: sent anew, not retried after its back-off)",
  "rolled back": "rolled back with no panic reported since",
};

/** How a task ended with a failed send it asked neither a retry nor a dead letter for, in words. */
function droppedEnding(d: DroppedFailure): string {
  const task = d.rerun === undefined ? "its task" : `its task, ${RERUN_WORDS[d.rerun]},`;
  return d.ended === "abandoned"
    ? `${task} was let go, so its fire was due again at once: a retry with no back-off`
    : `${task} committed without it: the message is lost`;
}

/**
 * `retry-after-backoff`: a message's retry `n` is sent no sooner than QStash's back-off for it
 * (min(86400, e^(2.5 n)) s) after its attempt `n - 1` was first sent. A scheduler that retries at
 * once spends a failing destination's retry budget in seconds, while the destination is still
 * down, and dead-letters what a retry minutes later would have delivered: `dead-letter-after-
 * retries` counts the attempts, this is what keeps their spacing honest.
 *
 * Judged from the trace: each message's `delivery.sent` events and their `attempt`. Only the
 * first send of an attempt is judged, against the first send of the attempt before it: a send
 * repeated after its worker crashed or lost its lease (at-least-once) is the same attempt again,
 * and the failure that asked for the retry answered a send no earlier than that first one. A
 * retry is due by the wall clock of the worker that claims it, and its due time was set by the
 * wall clock of the worker that saw the failure: clock skew may make it run early by the spread
 * of the skews in effect on those workers during the wait (the largest ahead plus the largest
 * behind, of the skews set on the worker that sent the attempt before, saw it fail, or sent the
 * retry, that had not ended nor been replaced when the wait began and were set before it ended),
 * which the wait is allowed to be short by. A skew over before the wait, or set on another
 * worker, moved neither clock. The `MessageLedger` follows the messages for it: a retry sent
 * under a new message id is followed from the failure that asked for it to the send that failure
 * answered, whatever id either names.
 *
 * A send after a failure of the message that its own worker traced, with nothing since that may
 * have made that worker run the task again, is the retry the failure asked for whatever its number
 * says: one numbered as the attempt before (or older) is judged as the retry after the attempt last
 * begun, from that attempt's first send. Otherwise a send of the attempt last sent is a repeat, not
 * a retry, when something traced between may have made its worker run the task again: another
 * worker sent it, or its worker crashed, had a lease change hands or lost, or a panic injected, or
 * the commit of the task that sent it was refused or fenced (a refused read or claim, or another
 * task's refused commit, runs none of it again). With nothing between, it is the scheduler's own quick re-send, a
 * retry sent at once, and is judged as one: it fails, whatever the clock skews.
 *
 * A fire sent again under a new message id in the task whose send of it failed is a retry that no
 * message's own attempts show: a module that asks the retry of a failed send and at once posts the
 * fire again under another id doubles the traffic to a failing destination. The world traces a
 * failure as its task commits, so at each failure the ledger looks back over the last 4,096 sends
 * for the first send of that task after the failed one under another id (to the same destination:
 * the port holds a task's sends to its schedule's, so a fire's second message sent at once after
 * the first failed is judged so too). By the worker that sent the failed one and traced the
 * failure, sooner than QStash's first back-off after the failed send (the failure came no
 * earlier), it fails, naming both ids. No clock-skew allowance: nothing was due by a clock, the
 * task waited on its own. Not judged when a disturbance of that worker (a crash, a lease change or
 * loss, an injected panic) or a refused or fenced commit of the task came since the failed send,
 * which may have run the task again, nor when another worker sent for the task.
 *
 * A failed send that its task ends with, having asked neither a retry nor a dead letter for it
 * (the world traces `delivery.failure-dropped`), fails too: let go, the fire is due again at once
 * and sent anew, a retry with no back-off under whatever message id; committed, the message is
 * lost. A scheduler that does so on every failure sends a fire again each tick while its
 * destination is down, a retry storm no message's own attempts show. So does one whose task
 * restarts (`tx.restart()`, its fire run again at once) or rolls back (`tx.rollback()`, its
 * effects dropped) with no panic since the failure, and whose new transaction ends without a
 * retry or dead letter of it (`rerun`); one that asks for the retry there is judged by its send.
 */
export class RetryChecker {
  /** Retries judged (first sends of an attempt after the first, with the attempt before it seen). */
  retries = 0;
  /**
   * The closest a judged retry came to its back-off: its wait beyond it (negative: short of it,
   * within the clock-skew allowance), with the allowance it had then; null before the first.
   */
  private closest: { readonly beyondMs: number; readonly allowanceMs: number } | null = null;
  /** The clock skews set so far; after one of unknown size no retry is judged. */
  private readonly skews = new ClockSkews();
  private unjudged = 0;
  /** The first few that came too early, and how many in all. */
  private readonly hasty = new FirstFew<HastyRetry>();
  /** The first few failed sends dropped, and how many in all. */
  private readonly dropped = new FirstFew<DroppedFailure>();
  /** Of those, how many tasks were let go or restarted (their fire sent again at once). */
  private runAgain = 0;

  /** The verdict of `retry-after-backoff`, its times written with the run's `clock`. */
  verdict(clock: RunClock): Verdict {
    if (this.retries === 0 && this.dropped.count === 0) {
      return {
        property: "retry-after-backoff",
        ok: true,
        exercised: false,
        detail:
          this.unjudged === 0
            ? "not exercised: no message was retried"
            : `not exercised: ${this.unjudgedText()}`,
        events: [],
      };
    }
    if (this.hasty.count === 0 && this.dropped.count === 0) {
      return {
        property: "retry-after-backoff",
        ok: true,
        exercised: true,
        detail: `${plural(this.retries, "retry was", "retries were")} sent, ${this.retries === 1 ? "after its" : "each after its"} back-off${this.closestText()}${this.unjudged === 0 ? "" : `; ${this.unjudgedText()}`}`,
        events: [],
      };
    }
    const events: number[] = [];
    const parts: string[] = [];
    if (this.hasty.count > 0) parts.push(this.hastyText(clock, events));
    if (this.dropped.count > 0) parts.push(this.droppedText(clock, events));
    return {
      property: "retry-after-backoff",
      ok: false,
      exercised: true,
      // A message lost with no retry storm is not retried at all.
      detail: `${parts.join("; and ")}; ${this.hasty.count > 0 || this.runAgain > 0 ? "a destination that failed is retried while it may still be down" : "QStash retries a failed send after its back-off, then dead-letters it"}`,
      events,
    };
  }

  /** What the retries sent before their back-off were, their events added to `events`. */
  private hastyText(clock: RunClock, events: number[]): string {
    const said = this.hasty.items.map((h) => {
      pushEvent(events, h.seq);
      if (h.resentOf !== undefined)
        return `${h.message} (schedule ${h.schedule}) sent at ${clock.precise(h.t)} under a new message id, ${seconds(h.waitedMs)} s after ${h.resentOf} was sent in the same task and failed: its fire sent again at once, with nothing between that could make its worker run the task again (no crash, lease change or injected panic on its worker, no refused or fenced commit of its task), where even QStash's first back-off waits ${seconds(qstashBackoffMs(1))} s`;
      const again =
        (h.lastAttempt ?? h.attempt) === h.attempt
          ? `sent again at ${clock.precise(h.t)}, ${seconds(h.waitedMs)} s after it was last sent`
          : `sent at ${clock.precise(h.t)}, ${seconds(h.waitedMs)} s after attempt ${h.lastAttempt} was sent`;
      if (h.repeat)
        return `${h.message} (schedule ${h.schedule}) attempt ${h.attempt} ${again}, with nothing between that could make a worker send it again (no retry asked for it after a failed send, no other worker sending it, no refused or fenced commit of its task, and on its worker no crash, lease change or injected panic), where even QStash's first back-off waits ${seconds(qstashBackoffMs(1))} s`;
      const allowance = h.allowanceMs > 0 ? `, less ${seconds(h.allowanceMs)} s for clock skew` : "";
      return `${h.message} (schedule ${h.schedule}) retry ${h.attempt} sent at ${clock.precise(h.t)}, ${seconds(h.waitedMs)} s after attempt ${h.attempt - 1} was first sent, where QStash's back-off waits ${seconds(qstashBackoffMs(h.attempt))} s${allowance}`;
    });
    const more = this.hasty.more();
    return `${plural(this.hasty.count, "retry was", "retries were")} sent before ${this.hasty.count === 1 ? "its" : "their"} back-off: ${said.join("; ")}${more}`;
  }

  /** What the failed sends dropped were, their events added to `events`. */
  private droppedText(clock: RunClock, events: number[]): string {
    const said = this.dropped.items.map((d) => {
      pushEvent(events, d.seq);
      const answer = d.status === 0 ? "no answer in time" : `HTTP ${d.status}`;
      return `${d.message} (schedule ${d.schedule}) attempt ${d.attempt} failed (${answer}), and at ${clock.precise(d.t)} ${droppedEnding(d)}`;
    });
    const n = this.dropped.count;
    return `${plural(n, "failed send was", "failed sends were")} neither retried after ${n === 1 ? "its" : "their"} back-off nor dead-lettered: ${said.join("; ")}${this.dropped.more()}`;
  }

  /** A failed send its task ended with, asking neither a retry nor a dead letter (`delivery.failure-dropped`). */
  droppedFailure(e: TraceEvent): void {
    const ev = viewAs(e, "delivery.failure-dropped");
    if (ev.ended === "abandoned" || ev.rerun === "restarted") this.runAgain++;
    this.dropped.add({
      message: ev.message,
      schedule: ev.schedule,
      attempt: ev.attempt,
      status: ev.status,
      ended: ev.ended,
      rerun: ev.rerun,
      t: e.t,
      seq: e.seq,
    });
  }

  /** How close the closest retry came to its back-off, and the allowance it had. */
  private closestText(): string {
    const c = this.closest;
    if (c === null) return "";
    if (c.beyondMs >= 0) return ` (${seconds(c.beyondMs)} s beyond it at the least)`;
    return ` less the clock-skew allowance (the closest ${seconds(-c.beyondMs)} s short of its back-off, within the ${seconds(c.allowanceMs)} s the clock skews set allow)`;
  }

  private unjudgedText(): string {
    return `${plural(this.unjudged, "retry", "retries")} not judged, after a clock skew whose size the trace does not say`;
  }

  /**
   * Judges the first send of retry `attempt` of `message`, `waitedMs` after the first send of the
   * attempt before it, by `workers` (those that sent that attempt or saw it fail, and the one that
   * sent the retry; "" for one the ledger did not keep). The `MessageLedger` follows the messages
   * and calls this.
   */
  retried(
    e: TraceEvent,
    schedule: string,
    message: string,
    attempt: number,
    waitedMs: number,
    workers: readonly string[],
  ): void {
    if (this.skews.unknown) {
      this.unjudged++;
      return;
    }
    this.retries++;
    const spread = this.skews.spreadDuring(workers, e.t - waitedMs, e.t);
    const allowanceMs = spread.aheadMs + spread.behindMs;
    const beyondMs = waitedMs - qstashBackoffMs(attempt);
    if (beyondMs + allowanceMs >= 0) {
      if (this.closest === null || beyondMs < this.closest.beyondMs) this.closest = { beyondMs, allowanceMs };
      return;
    }
    this.hasty.add({ message, schedule, attempt, t: e.t, seq: e.seq, waitedMs, allowanceMs, repeat: false });
  }

  /**
   * Judges attempt `attempt` of `message` sent again `waitedMs` after its last send, of attempt
   * `lastAttempt` (`attempt` or later), with nothing between that could have made its worker run
   * it again (the `MessageLedger` tells): a retry sent before any back-off, whatever its number.
   * No clock-skew allowance: nothing was due by a clock.
   */
  repeated(
    e: TraceEvent,
    schedule: string,
    message: string,
    attempt: number,
    waitedMs: number,
    lastAttempt: number,
  ): void {
    this.retries++;
    this.hasty.add({
      message,
      schedule,
      attempt,
      t: e.t,
      seq: e.seq,
      waitedMs,
      allowanceMs: 0,
      repeat: true,
      lastAttempt,
    });
  }

  /**
   * Judges `message`, sent at `t` (event `seq`) `waitedMs` after the failed send of `failed` in the
   * same task by the same worker, with nothing between that could have made it run the task again
   * (the `MessageLedger` tells): its fire sent again under a new message id, a retry whatever its
   * number, judged against QStash's first back-off. No clock-skew allowance: nothing was due by a
   * clock, the task waited (or not) on its own.
   */
  resent(t: number, seq: number, schedule: string, message: string, failed: string, waitedMs: number): void {
    this.retries++;
    const beyondMs = waitedMs - qstashBackoffMs(1);
    if (beyondMs >= 0) {
      if (this.closest === null || beyondMs < this.closest.beyondMs)
        this.closest = { beyondMs, allowanceMs: 0 };
      return;
    }
    this.hasty.add({
      message,
      schedule,
      attempt: 1,
      t,
      seq,
      waitedMs,
      allowanceMs: 0,
      repeat: false,
      resentOf: failed,
    });
  }

  /** A clock skew set on a worker (`fault.injected`, `clock-skew`): it widens the allowance while in effect. */
  skewed(e: TraceEvent): void {
    this.skews.note(e);
  }
}

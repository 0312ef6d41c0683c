import type { TraceEvent } from "../kernel/trace.js";
import { stringDigest } from "../kernel/trace.js";
import type { EventType, WorldEvent } from "../world/events.js";
import { DeadLetterChecker } from "./dead-letter-checker.js";
import { viewAs } from "./event-view.js";
import { RetryChecker } from "./retry-checker.js";
import type { SelectiveSink } from "./selective-sink.js";

/**
 * Most messages followed at once. A message leaves the ledger when acknowledged or dead-lettered
 * (whatever attempt numbers its scheduler gave it);
 * one given up otherwise (its account deleted during its retries, its worker dead mid-request)
 * would stay for the rest of the run, so past this the oldest is forgotten, and what the ledger no
 * longer knows is not judged (never judged on a count that lost some).
 */
export const MESSAGES_FOLLOWED_MAX = 50_000;

/**
 * Messages acknowledged lately, remembered exactly with their sends, when and by which worker: a
 * delivery may run again after its worker crashed or lost its lease before committing it (or on
 * another worker), fail, and be dead-lettered with a count that began at that run; with nothing
 * between, the acknowledged sends count on and a dead letter of the message fails. Older retried
 * ones go to a filter (`MessageFilter`), which may let such a dead letter off but never judges one
 * it should not; older ones sent once are forgotten (sent again, they are counted anew).
 */
export const RECENTLY_DELIVERED_MAX = 10_000;

/**
 * Sends remembered by what they followed from (their `cause`), newest last: a failure that names
 * a message id never sent (a scheduler that gives each retry a new id) is matched to the send it
 * answers, which followed from the same task, among these. Past it, such a retry is not followed.
 */
export const RECENT_SENDS_MAX = 4096;

/**
 * Tasks whose commit was refused or fenced lately (`store.refused` of a `commit`, `task.fenced`),
 * remembered by task with when: their work given back, they may send their messages again. Past
 * it the oldest is forgotten, and a task the ledger no longer knows is taken for one given back
 * since the time of the last forgotten (never judged on what it forgot).
 */
export const TASKS_GIVEN_BACK_MAX = 4096;

/**
 * Whose clocks a retry's wait went by: the worker that sent the attempt before (`before`; "" when
 * the ledger did not keep it, and none saw it fail: any), the one that saw it fail, and the one
 * that sent the retry.
 */
function clocksOf(last: MessageAttempts, before: string, worker: string): string[] {
  return [before === "" ? last.failedBy : before, last.failedBy, worker];
}

/** Below V8's small integers (2^30 on every platform it runs on): about twelve days, in ms. */
const SMALL_INTEGER_MAX = 2 ** 30;

/** What the trace says of one message since it was first sent. */
export interface MessageAttempts {
  /** Its `delivery.sent` events. */
  sent: number;
  /** The attempt last begun (the `attempt` of its first send)... */
  attempt: number;
  /** ...and when that first send was. */
  firstSentAt: number;
  /**
   * Whether it was followed from its first attempt (attempt 0), by the scheduler's numbering: a
   * message first seen at a retry was forgotten (`MESSAGES_FOLLOWED_MAX`), sent again after its
   * acknowledgement (a delivering retry run again, a worker that lost its lease sending late), or
   * is numbered so by its scheduler. Its spacing is not judged; its sends are still counted.
   */
  readonly followed: boolean;
  /** When it was last sent... */
  lastSentAt: number;
  /** ...and by which worker ("" when the ledger did not keep it: a message sent once at attempt 0)... */
  lastWorker: string;
  /** ...and task (its `task`; "" when the ledger did not keep it). */
  lastTask: string;
  /** Whether a failure of it was traced since it was last sent: the next send is a retry, whatever its number... */
  failedSince: boolean;
  /** ...by which worker ("" before the first) and when (see `sentAfterFailure`). */
  failedBy: string;
  failedAt: number;
  /**
   * When the destination acknowledged it with nothing traced after that could have undone the
   * delivery (its worker's crash or lease loss, another worker sending it): its count went on past
   * the acknowledgement, and a dead letter of it is of a delivered message. NaN: none.
   */
  acknowledgedAt: number;
  /**
   * Whether a retry of it was delivered, then it was sent again (or dead-lettered) after something
   * that may have undone the delivery: its count began anew there, so a short one is not judged.
   */
  deliveredBefore: boolean;
}

/** Sizes of the live state, for the memory-shape test. */
export interface MessageLedgerStateSize {
  /** Messages held: sent and neither acknowledged nor dead-lettered (at most `MESSAGES_FOLLOWED_MAX`). */
  readonly followedMessages: number;
  /** Messages acknowledged lately and not sent since (at most `RECENTLY_DELIVERED_MAX`). */
  readonly acknowledgedMessages: number;
}

/**
 * A fixed-size set of messages that may say yes of one it never held (a Bloom filter, 1 Mbit,
 * three probes): a dead letter it may hold is let off, never one it does not. Its memory stays the
 * same however many are added; it says yes of one in a thousand others after about 200,000.
 */
class MessageFilter {
  /**
   * Made at the first message added (null: nothing added, no probe needed): most runs add none,
   * and an exploration's runs each paid for 128 KB of zeroes.
   */
  private bits: Uint32Array | null = null;

  add(message: string): void {
    if (this.bits === null) this.bits = new Uint32Array(FILTER_BITS / 32);
    const bits = this.bits;
    for (const bit of probes(message)) bits[bit >>> 5] |= 1 << (bit & 31);
  }

  mayHold(message: string): boolean {
    const bits = this.bits;
    if (bits === null) return false;
    for (const bit of probes(message)) if ((bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    return true;
  }
}

const FILTER_BITS = 1 << 20;

/** Three bit positions for `message` (double hashing of its FNV-1a digest). */
function probes(message: string): number[] {
  const h1 = stringDigest(message) >>> 0;
  const h2 = (Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d) | 1) >>> 0;
  return [0, 1, 2].map((i) => (h1 + i * h2) % FILTER_BITS);
}

/** Why a dead letter counted short may not be judged, as far as the ledger can tell. */
export interface DeadLetterExcuse {
  /** The ledger may have forgotten the message (its first sends among what it forgot). */
  readonly forgotten: boolean;
  /**
   * The destination acknowledged the message, then something that may have undone the delivery
   * (its worker's crash or lease loss, another worker) came before it was sent again or
   * dead-lettered; or it was a retried message delivered long ago, as far as the filter can tell.
   */
  readonly deliveredBefore: boolean;
}

/**
 * The messages in flight, from their `delivery.sent` events to their acknowledgement or dead
 * letter, on any worker: one entry per message, shared by the two properties that judge them
 * (`retry-after-backoff`: the spacing of its attempts; `dead-letter-after-retries`: their number),
 * so that a delivery costs one map entry, not one per property.
 */
export class MessageLedger implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = [
    "delivery.sent",
    "delivery.acked",
    "delivery.dead-lettered",
    "delivery.failed",
    // A failed send its task neither retried nor dead-lettered (a user's module alone makes it).
    "delivery.failure-dropped",
    // A clock skew; a panic injected in a task (what may make a worker send an attempt again).
    "fault.injected",
    // What may make a worker send an attempt again (at-least-once), as the world traces it, never
    // what the scheduler does at will (its report of a panic, `panic.recovered`; its restart of a
    // task, a `schedule.fired` run again; a read or claim it asks for until one is refused): see
    // `separated`. A refused or fenced commit gives back its own task's work alone.
    "worker.crashed",
    "lease.acquired",
    "lease.expired",
    "lease.released",
    "lease.lost",
    "task.fenced",
    "store.refused",
  ];
  readonly retry = new RetryChecker();
  readonly deadLetter = new DeadLetterChecker();
  /** Messages forgotten to keep the ledger within its bound. */
  forgotten = 0;
  private readonly forgottenIds = new MessageFilter();
  /**
   * Messages acknowledged lately and not sent since: their entry in `messages` holds their slot in
   * the rings below, written in turn, the oldest overwritten (see `RECENTLY_DELIVERED_MAX`). Rings,
   * not objects per acknowledgement: most messages are acknowledged, and this allocates nothing for
   * them. They grow to their bound as acknowledgements come (a short run, most of a sweep's, never
   * fills them).
   */
  private readonly acknowledgedMessages: string[] = [];
  /** ...what the ledger held of each (its attempts, or a plain number: sent once, at attempt 0)... */
  private readonly acknowledgedAttempts: (MessageAttempts | number)[] = [];
  /** ...when, by which worker and in which task the destination acknowledged it. */
  private readonly acknowledgedAt: number[] = [];
  private readonly acknowledgedBy: string[] = [];
  private readonly acknowledgedTask: string[] = [];
  private acknowledgedNext = 0;
  /** How many entries of `messages` are acknowledgements (the others are in flight). */
  private acknowledgedHeld = 0;
  /**
   * By message, the slot of an acknowledgement hidden behind the same id in flight again (a failure
   * that gave its retry the id of a message acknowledged): it shows again when that leaves.
   */
  private readonly acknowledgedBehind = new Map<string, number>();
  private readonly deliveredLongAgo = new MessageFilter();
  /**
   * By message in flight: its attempts; or, for one sent once at its first attempt (most messages,
   * until their acknowledgement), only when, as a small integer from `origin` (nothing allocated).
   * By message acknowledged lately and not sent since: its slot in the rings above, as a negative
   * small integer (`slotHeld`). One map for both: the acknowledgement of a message changes its
   * entry in place, rather than moving it from a map to another, and a send looks it up once.
   * Messages in flight keep the order the ledger began to follow them in (their first send, a send
   * again after their acknowledgement, a new id), whose oldest `makeRoom` forgets.
   */
  private readonly messages = new Map<string, MessageAttempts | number>();
  /** Where `oldestInFlight` stopped in `messages` (null: at its start). */
  private flightCursor: MapIterator<[string, MessageAttempts | number]> | null = null;
  /** The time `messages`' plain numbers count from: the first send's. */
  private origin = Number.NaN;
  /** The latest sends' causes and messages, a ring (see `RECENT_SENDS_MAX`); -1: no cause. */
  private readonly recentCauses = new Float64Array(RECENT_SENDS_MAX).fill(-1);
  private readonly recentMessages: string[] = new Array<string>(RECENT_SENDS_MAX).fill("");
  private recentNext = 0;
  /**
   * ...and their tasks, times, seqs and workers, in the same slots: what a failure
   * reads to find a send of its task under a new message id (`resentInTask`). They grow to the
   * ring's size as sends come (a short run never fills them), then are written in place.
   */
  private readonly recentTasks: string[] = [];
  private readonly recentAt: number[] = [];
  private readonly recentSeqs: number[] = [];
  private readonly recentWorkers: string[] = [];
  /**
   * ...and, in the same slots, the slots of the send of the same task before and after it (-1:
   * none), and by task the slot of its latest send still in the ring: a failure finds its task's
   * sends around the failed one without reading the sends of other tasks between (thousands when
   * a failing destination fails every send of a busy region).
   */
  private readonly recentPrevOfTask = new Int32Array(RECENT_SENDS_MAX).fill(-1);
  private readonly recentNextOfTask = new Int32Array(RECENT_SENDS_MAX).fill(-1);
  private readonly taskLatestSlot = new Map<string, number>();
  /** When something last happened that may make a worker send an attempt again, on any worker... */
  private disturbedAt = Number.NEGATIVE_INFINITY;
  /** ...and on each worker. */
  private readonly workerDisturbedAt = new Map<string, number>();
  /** By task, when its commit was last refused or fenced (see `TASKS_GIVEN_BACK_MAX`)... */
  private readonly taskGivenBackAt = new Map<string, number>();
  /** ...and the latest such time the ledger forgot. */
  private taskForgottenAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly followedMax = MESSAGES_FOLLOWED_MAX) {}

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "delivery.sent":
        this.sent(e);
        return;
      case "delivery.acked": {
        // Delivered: no longer in flight, but remembered lately: its delivery may run again (see
        // `RECENTLY_DELIVERED_MAX`), or its scheduler send or dead-letter it anyway.
        const ev = viewAs(e, "delivery.acked");
        const known = this.messages.get(ev.message);
        if (known === undefined || isSlot(known)) return;
        this.rememberAcknowledged(ev.message, known, e.t, ev.worker, ev.task);
        return;
      }
      case "delivery.dead-lettered":
        this.deadLettered(e);
        return;
      case "delivery.failed":
        this.failed(e);
        return;
      case "delivery.failure-dropped":
        this.retry.droppedFailure(e);
        return;
      case "fault.injected":
        if (e.fault === "clock-skew") this.retry.skewed(e);
        // A panic the world threw in a task: its scheduler may run the task again.
        else if (e.fault === "inject-panic") this.disturbed(e);
        return;
      // What may make a worker send an attempt again (see `separated`), named one by one so that
      // a type read here is a type listed in `eventTypes`.
      case "worker.crashed":
      case "lease.acquired":
      case "lease.expired":
      case "lease.released":
      case "lease.lost":
        this.disturbed(e);
        return;
      case "task.fenced":
        this.givenBack(viewAs(e, "task.fenced").task, e.t);
        return;
      case "store.refused": {
        // A refused read or claim gives nothing back: only a commit, of the task it names.
        const ev = viewAs(e, "store.refused");
        if (ev.call === "commit" && ev.task !== undefined) this.givenBack(ev.task, e.t);
        return;
      }
    }
  }

  stateSize(): MessageLedgerStateSize {
    return {
      followedMessages: this.messages.size - this.acknowledgedHeld,
      acknowledgedMessages: this.acknowledgedHeld + this.acknowledgedBehind.size,
    };
  }

  /**
   * A dead letter, judged with the message's sends: counted on past an acknowledgement nothing
   * undid (a dead letter of a delivered message), or excused when something that may have undone
   * the delivery came between (see `DeadLetterExcuse`).
   */
  private deadLettered(e: TraceEvent): void {
    const ev = viewAs(e, "delivery.dead-lettered");
    const message = ev.message;
    const held = this.messages.get(message);
    const inFlight = held !== undefined && !isSlot(held);
    // No send since the acknowledgement: no run again failed, whatever came between.
    const known = inFlight
      ? this.attemptsOf(held)
      : held === undefined
        ? undefined
        : this.afterAcknowledgement(message, slotOf(held), ev.worker, false);
    const resumed = known !== undefined && !Number.isNaN(known.acknowledgedAt);
    const excuse: DeadLetterExcuse = {
      forgotten: this.forgotten > 0 && this.forgottenIds.mayHold(message),
      deliveredBefore:
        known?.deliveredBefore === true || (!resumed && this.deliveredLongAgo.mayHold(message)),
    };
    this.deadLetter.deadLettered(e, known, excuse, this.followedMax);
    if (inFlight) this.leaveFlight(message);
  }

  /**
   * A message acknowledged in `slot`, sent again (`resent`) or dead-lettered now by `worker`: its
   * attempts up to the acknowledgement, which count on (`acknowledgedAt` set) when nothing that may
   * have undone the delivery came between: a crash, lease change or panic injected in a task of the
   * worker that delivered it, a refused or fenced commit of the task that delivered it, or another
   * worker sending it (the disturbances of `separated`). Otherwise its sends from now on are counted anew, as a
   * delivery run again (at-least-once), and one whose delivery was a retry is marked
   * `deliveredBefore`. A dead letter with no send since counts on whatever came between: a run
   * again sends before it fails. It leaves the acknowledged messages.
   */
  private afterAcknowledgement(
    message: string,
    slot: number,
    worker: string,
    resent: boolean,
  ): MessageAttempts {
    this.messages.delete(message);
    this.acknowledgedHeld--;
    const attempts = this.attemptsOf(this.acknowledgedAttempts[slot])!;
    const by = this.acknowledgedBy[slot];
    const at = this.acknowledgedAt[slot];
    if (attempts.lastWorker === "") attempts.lastWorker = by;
    if (attempts.lastTask === "") attempts.lastTask = this.acknowledgedTask[slot];
    const undone =
      by !== worker ||
      this.workerDisturbedSince(by, at) ||
      this.givenBackSince(this.acknowledgedTask[slot], at);
    if (resent && undone)
      // Once a retry delivered it, every run again is one of that delivered retry, however many
      // times it was undone: its count began anew at the last one.
      attempts.deliveredBefore ||= attempts.sent > 1;
    else attempts.acknowledgedAt = at;
    return attempts;
  }

  /** A message's attempts as the ledger holds them (a plain number: sent once, at attempt 0). */
  private attemptsOf(known: MessageAttempts | number | undefined): MessageAttempts | undefined {
    if (typeof known !== "number") return known;
    return firstAttempts(this.origin + known, 0, "", "", false);
  }

  /**
   * A crash, a lease that changed hands or was lost, a panic injected in a task: after one, a worker
   * may send an attempt again without a retry being asked for (the task run again, at-least-once),
   * so a repeat after it is not judged. Only what the world traces and the scheduler cannot cause at
   * will: its report of a recovered panic (`panic.recovered`) is its own word, its restart of a task
   * (`tx.restart()`, a `schedule.fired` run again) its own call, made on a healthy task as freely,
   * and a read or claim the store refused something it may ask for in a loop until one is (with
   * any failure rate) that gives no task back; a repeat behind any would be let off. A refused or
   * fenced commit gives back its own task alone (`givenBack`). A fire claimed again comes after one
   * of these (the crash, lease change or refused commit that gave its work back) or on another worker.
   */
  private disturbed(e: TraceEvent): void {
    const worker = (e as { worker?: unknown }).worker;
    this.disturbedAt = e.t;
    if (typeof worker === "string") this.workerDisturbedAt.set(worker, e.t);
  }

  /** `task`'s commit refused or fenced at `t`: its work given back, it may run again. */
  private givenBack(task: string, t: number): void {
    this.taskGivenBackAt.delete(task);
    if (this.taskGivenBackAt.size >= TASKS_GIVEN_BACK_MAX) {
      const [oldest, at] = this.taskGivenBackAt.entries().next().value as [string, number];
      this.taskGivenBackAt.delete(oldest);
      this.taskForgottenAt = Math.max(this.taskForgottenAt, at);
    }
    this.taskGivenBackAt.set(task, t);
  }

  /** Whether something that may make `worker` send an attempt again happened to it at `t` or later. */
  private workerDisturbedSince(worker: string, t: number): boolean {
    return (this.workerDisturbedAt.get(worker) ?? Number.NEGATIVE_INFINITY) >= t;
  }

  /** Whether `task`'s work may have been given back at `t` or later (see `TASKS_GIVEN_BACK_MAX`). */
  private givenBackSince(task: string, t: number): boolean {
    if (this.taskGivenBackAt.size === 0 && this.taskForgottenAt < t) return false;
    return (this.taskGivenBackAt.get(task) ?? this.taskForgottenAt) >= t;
  }

  /**
   * Whether something traced since `last` was last sent may have made `worker` send its attempt
   * again in `task`: a failure of it, another worker, a refused or fenced commit of the task that
   * sent it (which `task` is: another task's run is not a run again of it), or a disturbance on that
   * worker (on any worker when the ledger did not keep which worker sent it).
   */
  private separated(last: MessageAttempts, worker: string, task: string): boolean {
    if (last.failedSince) return true;
    if ((last.lastTask === "" || last.lastTask === task) && this.givenBackSince(task, last.lastSentAt))
      return true;
    if (last.lastWorker === "") return this.disturbedAt >= last.lastSentAt;
    if (last.lastWorker !== worker) return true;
    return this.workerDisturbedSince(worker, last.lastSentAt);
  }

  /**
   * Whether a send numbered `attempt` (no later than the attempt last begun) by `worker` is the
   * retry a failure asked for, whatever its number says: the failure was traced by that worker and
   * nothing that may make a worker send an attempt again happened to it, nor to `task`'s commit,
   * since. A retry numbered as the attempt before would otherwise escape the spacing check. On
   * another worker, or after a disturbance, it may be a worker that lost its lease sending what it
   * claimed before, or the task run again after its commit (with its retry) was refused: a repeat.
   */
  private sentAfterFailure(last: MessageAttempts, attempt: number, worker: string, task: string): boolean {
    if (!last.failedSince || attempt > last.attempt || last.failedBy !== worker) return false;
    if (this.givenBackSince(task, last.failedAt)) return false;
    return !this.workerDisturbedSince(worker, last.failedAt);
  }

  /**
   * A failure: the message's next send is a retry. One naming a message never sent (a retry given
   * a new id) is matched to the send it answers, which the world names (`answers`), or in an older
   * trace the latest that followed from the same task (the same `cause`), and the message is
   * followed under its new id from then on.
   */
  private failed(e: TraceEvent): void {
    const ev = viewAs(e, "delivery.failed");
    const message = ev.message;
    const held = this.messages.get(message);
    let known = held === undefined || isSlot(held) ? undefined : held;
    // The world names the send a failure under a new id answers; a trace written before it did
    // is matched by its cause.
    const answered = ev.answers ?? (known === undefined ? this.sentUnder(e.cause) : message);
    if (answered !== undefined) this.resentInTask(ev, answered);
    if (known === undefined) {
      if (answered === undefined) return;
      known = this.messages.get(answered);
      if (known === undefined || isSlot(known)) return;
      this.leaveFlight(answered);
    }
    const attempts = this.attemptsOf(known)!;
    attempts.failedSince = true;
    attempts.failedBy = viewAs(e, "delivery.failed").worker;
    attempts.failedAt = e.t;
    if (held !== undefined && isSlot(held)) {
      // Its acknowledgement waits behind the message in flight again, which goes last in order.
      this.messages.delete(message);
      this.acknowledgedHeld--;
      this.acknowledgedBehind.set(message, slotOf(held));
    }
    this.messages.set(message, attempts);
  }

  /**
   * Judges the first send of the failure `ev`'s task, after its failed send of `answered`, under
   * another message id, by the worker that sent it and traced the failure (to the same destination:
   * the port holds a task's sends to its schedule's): the fire sent again under a new id, a retry
   * no message's own attempts show (the world traces a failure when its task commits, so such a
   * send comes before it). Read from the ring of the latest sends, back to the failed send; not
   * judged when a disturbance of the worker, or a refused or fenced commit of the task, came since
   * the failed send (the task may have run again), when another worker sent for the task since,
   * nor when the ring no longer holds the failed send.
   */
  private resentInTask(ev: WorldEvent<"delivery.failed">, answered: string): void {
    const task = ev.task;
    const latest = this.taskLatestSlot.get(task);
    // The common case: the failed send was its task's latest (a send under a new id comes after it).
    if (latest === undefined || this.recentMessages[latest] === answered) return;
    // Its task's latest send of `answered`, back over the task's own sends alone: a link whose slot
    // a later send took (the ring went round) ends the walk.
    let failedSlot = -1;
    for (let slot = latest; ; ) {
      const prev = this.recentPrevOfTask[slot];
      if (prev === -1 || this.recentTasks[prev] !== task || this.recentSeqs[prev] >= this.recentSeqs[slot])
        break;
      if (this.recentMessages[prev] === answered) {
        failedSlot = prev;
        break;
      }
      slot = prev;
    }
    const worker = ev.worker;
    if (failedSlot === -1 || this.recentWorkers[failedSlot] !== worker) return;
    for (let slot = this.recentNextOfTask[failedSlot]; slot !== -1; slot = this.recentNextOfTask[slot]) {
      if (this.recentMessages[slot] === answered) continue;
      if (this.recentWorkers[slot] !== worker) return;
      const failedAt = this.recentAt[failedSlot];
      if (this.workerDisturbedSince(worker, failedAt)) return;
      if (this.givenBackSince(task, failedAt)) return;
      this.retry.resent(
        this.recentAt[slot],
        this.recentSeqs[slot],
        ev.schedule,
        this.recentMessages[slot],
        answered,
        this.recentAt[slot] - failedAt,
      );
      return;
    }
  }

  /**
   * `message` is no longer in flight (acknowledgement aside): an acknowledgement of it hidden
   * behind (see `acknowledgedBehind`) shows again.
   */
  private leaveFlight(message: string): void {
    this.messages.delete(message);
    if (this.acknowledgedBehind.size === 0) return;
    const slot = this.acknowledgedBehind.get(message);
    if (slot === undefined) return;
    this.acknowledgedBehind.delete(message);
    this.messages.set(message, slotHeld(slot));
    this.acknowledgedHeld++;
  }

  /** The message of the latest send that followed from `cause`, if the ring still holds it. */
  private sentUnder(cause: number | null): string | undefined {
    if (cause === null) return undefined;
    for (let i = 1; i <= RECENT_SENDS_MAX; i++) {
      const slot = (this.recentNext - i + RECENT_SENDS_MAX) % RECENT_SENDS_MAX;
      if (this.recentCauses[slot] === cause) return this.recentMessages[slot];
    }
    return undefined;
  }

  /**
   * Remembers `message` acknowledged at `t` by `worker` in the next slot, in place of the oldest:
   * a retried one goes to the filter of messages delivered long ago, one sent once is forgotten.
   */
  private rememberAcknowledged(
    message: string,
    known: MessageAttempts | number,
    t: number,
    worker: string,
    task: string,
  ): void {
    const slot = this.acknowledgedNext;
    this.acknowledgedNext = (slot + 1) % RECENTLY_DELIVERED_MAX;
    // In flight until now: its entry becomes the acknowledgement, in place (one hidden behind it,
    // older, is overwritten).
    this.messages.set(message, slotHeld(slot));
    this.acknowledgedHeld++;
    if (this.acknowledgedBehind.size > 0) this.acknowledgedBehind.delete(message);
    if (slot === this.acknowledgedMessages.length) {
      this.acknowledgedMessages.push(message);
      this.acknowledgedAttempts.push(known);
      this.acknowledgedAt.push(t);
      this.acknowledgedBy.push(worker);
      this.acknowledgedTask.push(task);
      return;
    }
    const oldest = this.acknowledgedMessages[slot];
    if (oldest !== message && this.forgetAcknowledged(oldest, slot)) {
      const held = this.acknowledgedAttempts[slot];
      if (typeof held !== "number" && held.sent > 1) this.deliveredLongAgo.add(oldest);
    }
    this.acknowledgedMessages[slot] = message;
    this.acknowledgedAttempts[slot] = known;
    this.acknowledgedAt[slot] = t;
    this.acknowledgedBy[slot] = worker;
    this.acknowledgedTask[slot] = task;
  }

  /** Forgets `message`'s acknowledgement if it is still the one in `slot`; whether it was. */
  private forgetAcknowledged(message: string, slot: number): boolean {
    if (this.messages.get(message) === slotHeld(slot)) {
      this.messages.delete(message);
      this.acknowledgedHeld--;
      return true;
    }
    if (this.acknowledgedBehind.size === 0 || this.acknowledgedBehind.get(message) !== slot) return false;
    this.acknowledgedBehind.delete(message);
    return true;
  }

  /** Makes room for one more message in flight, forgetting the oldest past the bound. */
  private makeRoom(): void {
    if (this.messages.size - this.acknowledgedHeld < this.followedMax) return;
    const oldest = this.oldestInFlight();
    this.leaveFlight(oldest);
    this.forgottenIds.add(oldest);
    this.forgotten++;
  }

  /**
   * The message in flight followed the longest ago. Acknowledgements met before it go last
   * (where they are in `messages` says nothing): passed over once, not at every message forgotten.
   *
   * Read from where the last search stopped (`flightCursor`), not from the start of `messages`:
   * what lies before that place is gone (the messages forgotten, the acknowledgements moved last),
   * and a map keeps the places of the entries it deleted until it grows or shrinks, so a search
   * from the start walked over every one of them (about 20 µs a message forgotten, with 50,000 in
   * flight during a destination's outage). A map's iterator sees the entries set after it was made.
   */
  private oldestInFlight(): string {
    let passed = 0;
    for (;;) {
      this.flightCursor ??= this.messages.entries();
      const next = this.flightCursor.next();
      // Run to its end, an iterator is done for good, whatever is set later.
      if (next.done === true) {
        this.flightCursor = null;
        break;
      }
      const [message, held] = next.value;
      if (!isSlot(held)) return message;
      if (++passed > this.acknowledgedHeld) break;
      this.messages.delete(message);
      this.messages.set(message, held);
    }
    throw new Error("message ledger: no message in flight to forget");
  }

  private sent(e: TraceEvent): void {
    const ev = viewAs(e, "delivery.sent");
    const next = this.recentNext;
    const task = ev.task;
    this.recentCauses[next] = e.cause ?? -1;
    this.recentMessages[next] = ev.message;
    if (next === this.recentTasks.length) {
      this.recentTasks.push(task);
      this.recentAt.push(e.t);
      this.recentSeqs.push(e.seq);
      this.recentWorkers.push(ev.worker);
    } else {
      // The oldest send leaves the ring: its task's index forgets it if it was the latest.
      const old = this.recentTasks[next];
      if (this.taskLatestSlot.get(old) === next) this.taskLatestSlot.delete(old);
      this.recentTasks[next] = task;
      this.recentAt[next] = e.t;
      this.recentSeqs[next] = e.seq;
      this.recentWorkers[next] = ev.worker;
    }
    this.recentNextOfTask[next] = -1;
    const previous = this.taskLatestSlot.get(task);
    this.recentPrevOfTask[next] = previous ?? -1;
    if (previous !== undefined) this.recentNextOfTask[previous] = next;
    this.taskLatestSlot.set(task, next);
    this.recentNext = (next + 1) % RECENT_SENDS_MAX;
    const known = this.messages.get(ev.message);
    let last: MessageAttempts;
    if (known !== undefined && !isSlot(known)) {
      last = this.attemptsOf(known)!;
      if (typeof known === "number") this.messages.set(ev.message, last);
    } else {
      const acknowledged =
        known === undefined
          ? undefined
          : this.afterAcknowledgement(ev.message, slotOf(known), ev.worker, true);
      this.makeRoom();
      if (acknowledged === undefined || Number.isNaN(acknowledged.acknowledgedAt)) {
        this.firstSent(e.t, ev, acknowledged?.deliveredBefore === true);
        return;
      }
      // Sent again after an acknowledgement with nothing between: the count goes on.
      last = acknowledged;
      this.messages.set(ev.message, last);
    }
    // The same attempt again, or one numbered older, with nothing between that could have made its
    // worker run it again: not another attempt, but a retry sent at once (a scheduler's own quick
    // re-send), whatever number the scheduler gives it: a module that posts attempt 1, then 0, in
    // one task delivers every message twice.
    if (ev.attempt <= last.attempt && !this.separated(last, ev.worker, ev.task)) {
      this.retry.repeated(e, ev.schedule, ev.message, ev.attempt, e.t - last.lastSentAt, last.attempt);
      this.sentAgain(last, e.t, ev.worker, ev.task);
      return;
    }
    const retry = this.sentAfterFailure(last, ev.attempt, ev.worker, ev.task);
    const before = last.lastWorker;
    last.sent++;
    this.sentAgain(last, e.t, ev.worker, ev.task);
    // After a failure its worker traced, the retry after the attempt last begun, whatever its
    // number. Otherwise the same attempt again (a repeat after a crash), or one older than the
    // last begun (a worker that lost its lease sending what it claimed before), is no retry.
    const attempt = retry ? last.attempt + 1 : ev.attempt;
    if (attempt <= last.attempt) return;
    if (last.followed && attempt === last.attempt + 1)
      this.retry.retried(
        e,
        ev.schedule,
        ev.message,
        attempt,
        e.t - last.firstSentAt,
        clocksOf(last, before, ev.worker),
      );
    last.attempt = attempt;
    last.firstSentAt = e.t;
  }

  /**
   * The first send the ledger follows of a message, `ev` at `t` (`deliveredBefore`: after its
   * delivery, and something that may have undone it).
   */
  private firstSent(t: number, ev: WorldEvent<"delivery.sent">, deliveredBefore: boolean): void {
    const { message, attempt, worker } = ev;
    if (Number.isNaN(this.origin)) this.origin = t;
    const since = t - this.origin;
    // Kept as a small integer, unboxed: the first send of most messages allocates nothing.
    if (attempt === 0 && !deliveredBefore && since >= 0 && since < SMALL_INTEGER_MAX)
      this.messages.set(message, since);
    else this.messages.set(message, firstAttempts(t, attempt, worker, ev.task, deliveredBefore));
  }

  private sentAgain(last: MessageAttempts, t: number, worker: string, task: string): void {
    last.lastSentAt = t;
    last.lastWorker = worker;
    last.lastTask = task;
    last.failedSince = false;
  }
}

/** Whether an entry of the ledger's `messages` is an acknowledgement (a slot), not a message in flight. */
function isSlot(held: MessageAttempts | number): boolean {
  return typeof held === "number" && held < 0;
}

/** Slot `slot` of the acknowledgement rings as an entry of `messages`: negative, below any time held. */
function slotHeld(slot: number): number {
  return -1 - slot;
}

/** The slot of an entry of `messages` that is an acknowledgement (`isSlot`). */
function slotOf(held: MessageAttempts | number): number {
  return -1 - (held as number);
}

/**
 * A message's attempts after its first send, at `t` of `attempt` by `worker`'s `task` ("" when not
 * known): followed from attempt 0 on; `deliveredBefore` when a retry delivered it before.
 */
function firstAttempts(
  t: number,
  attempt: number,
  worker: string,
  task: string,
  deliveredBefore: boolean,
): MessageAttempts {
  return {
    sent: 1,
    attempt,
    firstSentAt: t,
    followed: attempt === 0,
    lastSentAt: t,
    lastWorker: worker,
    lastTask: task,
    failedSince: false,
    failedBy: "",
    failedAt: Number.NaN,
    acknowledgedAt: Number.NaN,
    deliveredBefore,
  };
}

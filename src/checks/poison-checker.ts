import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { type EventType, isRetryTaskId } from "../world/events.js";
import { ClockSkews } from "./clock-skews.js";
import { viewAs } from "./event-view.js";
import { describeTask, FirstFew, plural, seconds } from "./format.js";
import { entryOf } from "./maps.js";
import type { SelectiveSink } from "./selective-sink.js";
import { pushEvent, type Verdict } from "./types.js";

/**
 * The most panics a task may have in a row in one process before it ends (quarantined,
 * committed, dead-lettered). v2 quarantines after `panicAttemptsMax` (3 by default), so any
 * setting up to 10 meets it; with v2's back-off doubling from 1 s the tenth panic comes some
 * 8.5 minutes after the first. A task that panicked ten times in a row is poison by any reading,
 * and a scheduler still retrying it is looping on it.
 */
export const POISON_PANICS_MAX = 10;

/**
 * The least wait between a recovered panic and the task's next panic in the same process: v2's
 * first back-off (`panicRetryBaseMs`, 1 s, doubling after). A retry sooner than that is a retry
 * at once, which spends a poison task's attempts in one burst and burns the worker's time on it.
 */
export const PANIC_RETRY_WAIT_MS_MIN = 1000;

/** A task's panics in a row in one worker process, since its first there. */
interface Streak {
  readonly worker: string;
  /** The task's account: a read of it the store refused may have made the scheduler let go. */
  readonly account: string;
  /** The task's partition: a lease of it taken again by the worker may start the task twice. */
  readonly partition: number;
  /** Panics in the streak. */
  count: number;
  lastT: number;
  lastSeq: number;
  /** A start of the task on this worker (`schedule.fired`) since its last panic. */
  startedSince: boolean;
  /** Already reported as too long (a streak is named once). */
  reported: boolean;
}

/** A panic that came sooner after the task's recovered panic than a retry may. */
interface HastyPanic {
  readonly task: string;
  readonly schedule: string;
  readonly worker: string;
  readonly t: number;
  readonly seq: number;
  readonly previousSeq: number;
  readonly waitedMs: number;
  readonly allowanceMs: number;
}

/** A task that panicked more than `POISON_PANICS_MAX` times in a row in one process. */
interface EndlessStreak {
  readonly task: string;
  readonly schedule: string;
  readonly worker: string;
  readonly t: number;
  readonly seq: number;
}

function poisonVerdict(ok: boolean, exercised: boolean, detail: string, events: number[] = []): Verdict {
  return { property: "poison-task-isolated", ok, exercised, detail, events };
}

/** The task, schedule, worker and partition of a panic. */
interface PanicOf {
  readonly task: string;
  readonly schedule: string;
  readonly account: string;
  readonly worker: string;
  readonly partition: number;
  /** The lease token the panicking goroutine claimed the task under, when the trace says it. */
  readonly token?: number;
}

/** Sizes of the live state, for the memory-shape test. */
export interface PoisonStateSize {
  /**
   * Tasks whose streak of panics in one process is open, tasks a process may run twice, and tasks
   * first started on a partition taken again: tasks under way, at most.
   */
  readonly poisonStreaks: number;
  /** Partitions followed per worker process (held, let go, taken again): at most 3 × workers × partitions. */
  readonly partitionsFollowed: number;
}

/**
 * `poison-task-isolated`: a task that keeps panicking is retried with back-off and isolated
 * within a bound (DESIGN: "retried with backoff and quarantined after a bounded number of
 * attempts"). Judged from the trace, never from the scheduler's own numbers (`attempt`,
 * `retryInMs`): a task's panics are its `panic.recovered` events and the panic death
 * (`worker.crashed`, reason `panic`) that names it. In one worker process, each panic after a
 * recovered one must come at least `PANIC_RETRY_WAIT_MS_MIN` after it, and the task must not
 * panic more than `POISON_PANICS_MAX` times in a row there.
 *
 * A streak is one process's: each worker retries the task in a goroutine of its own, and a panic
 * on another worker (which took the task over while this one was paused, say) is not a retry of
 * this one's. It ends with the task (`task.committed`, `task.quarantined`,
 * `delivery.dead-lettered`, or this worker's `task.fenced`), with the process (any
 * `worker.crashed`, which is how a panic death ends it, or `worker.stopped`), and when this worker
 * starts the task again without it having panicked since its last start (the start before ended
 * some other way, an abandon the trace does not show). A panic the process did not recover is
 * `no-panic-death`'s failure: the next one is on a new process, not a retry. A call of the worker
 * the store refused (`store.refused`) ends a streak when it is the task's commit (a quarantine
 * rolled back, the task due again at once); a refused read or claim names no task and ends no
 * fire's streak (a fire let go for it is fired again, which ends its streak as a second start),
 * but a read of an account ends its message retries' (they have no start in the trace).
 *
 * A worker that takes a partition it held before in the same process (`lease.acquired` again,
 * after losing it) may claim a task there that a goroutine of its earlier tenure is still running
 * or retrying. A panic names the lease token its goroutine claimed the task under
 * (`panic.recovered`'s `token`): a panic under an older token than the worker's current one there
 * is the earlier tenure's goroutine, and is left out; the current tenure's goroutine is judged on
 * its own panics, whenever the task fell due (a store outage may keep the worker from firing it
 * in its earlier tenure, and another worker run it and die before the worker takes the partition
 * back). A panic that does not name its token (a trace written before it was traced) cannot be
 * told from the other goroutine's, so there a task is not judged again in that process until it
 * ends if the worker could have fired it in its earlier tenure (see `maybeEarlierTenure`); a task
 * first started after it is. The verdict counts the panics left out.
 *
 * The wait is measured on true time. A scheduler that waits by its wall clock may be cut short
 * by a clock skew set on its worker: the wait may be short by the spread of the skews in effect
 * on that worker's clock between the two panics (the largest ahead plus the largest behind); a
 * skew over, or replaced, before the wait began moved nothing of it.
 */
export class PoisonChecker implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = [
    "schedule.fired",
    "panic.recovered",
    "worker.crashed",
    "worker.stopped",
    "task.committed",
    "task.quarantined",
    "task.fenced",
    "delivery.dead-lettered",
    "fault.injected",
    "lease.acquired",
    "lease.lost",
    "lease.expired",
    "lease.released",
    "worker.paused",
    "worker.resumed",
    "store.refused",
  ];
  /** Panics judged: a task's second or later panic in a row in one process. */
  retried = 0;
  /** The longest streak seen. */
  private longest = 0;
  /** The shortest wait of a judged panic after the one before it, or null before the first. */
  private shortestWaitMs: number | null = null;
  /** Open streaks by task, then by worker: each process retries the task in its own goroutine. */
  private readonly streaks = new Map<string, Map<string, Streak>>();
  /** Per worker, the partitions its process has acquired (see `leased`). */
  private readonly held = new Map<string, Map<number, number>>();
  /** Per worker, its process's latest pause: its start, and its end (Infinity while it lasts). */
  private readonly lastPause = new Map<string, { readonly from: number; to: number }>();
  /**
   * Per worker, the partitions its process held and let go (lost, expired, released), with the
   * last time it could have fired a task there: the end of that tenure, or its pause before it.
   */
  private readonly letGo = new Map<string, Map<number, number>>();
  /** Per worker, the partitions its process took again, with the end of its earlier tenure. */
  private readonly reacquired = new Map<string, Map<number, number>>();
  /**
   * Per worker, tasks first started anywhere (`attempt` 1) on a partition it took again, until
   * they end: no other goroutine can have them, so they are judged as any.
   */
  private readonly firstStarts = new Map<string, Set<string>>();
  /** Panics left unjudged because their worker may have been running the task twice. */
  private unjudged = 0;
  /** The largest clock-skew allowance that let a wait under the least one pass (0: none did). */
  private allowanceUsedMs = 0;
  /** Per worker, tasks its process may be running in two goroutines: not judged there. */
  private readonly twice = new Map<string, Set<string>>();
  /** The clock skews set so far; after one of unknown size no wait is judged. */
  private readonly skews = new ClockSkews();
  private readonly hasty = new FirstFew<HastyPanic>();
  private readonly endless = new FirstFew<EndlessStreak>();

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "schedule.fired": {
        const ev = viewAs(e, "schedule.fired");
        if (ev.attempt === 1 && this.reacquired.size > 0 && this.reacquired.get(ev.worker)?.has(ev.partition))
          this.firstStart(ev.task, ev.worker);
        if (this.streaks.size > 0) this.started(ev);
        return;
      }
      case "panic.recovered": {
        const ev = viewAs(e, "panic.recovered");
        this.panicked(e, ev);
        return;
      }
      case "worker.crashed": {
        const ev = viewAs(e, "worker.crashed");
        if (ev.reason === "panic" && ev.task !== undefined)
          this.panicked(e, {
            task: ev.task,
            schedule: ev.schedule ?? "",
            account: ev.account ?? "",
            worker: ev.worker,
            partition: ev.partition ?? -1,
          });
        this.processEnded(ev.worker);
        return;
      }
      case "worker.stopped":
        this.processEnded(viewAs(e, "worker.stopped").worker);
        return;
      case "task.committed":
      case "task.quarantined":
      case "delivery.dead-lettered": {
        const ev = viewAs(e, "task.committed");
        if (this.streaks.size > 0) this.streaks.delete(ev.task);
        this.ended(ev.task);
        return;
      }
      case "task.fenced": {
        // The fence ends the goroutine that tried to commit, not another worker's.
        const ev = viewAs(e, "task.fenced");
        if (this.streaks.size > 0) this.forget(ev.task, ev.worker);
        return;
      }
      case "lease.acquired":
        this.leased(viewAs(e, "lease.acquired"));
        return;
      case "lease.lost":
      case "lease.released":
        this.tenureEnded(viewAs(e, "lease.lost"), e.t);
        return;
      case "lease.expired": {
        // The store let claims under it go on until it expired, not until the expiry was seen.
        const ev = viewAs(e, "lease.expired");
        this.tenureEnded(ev, Math.min(e.t, ev.expiredAt));
        return;
      }
      case "worker.paused":
        this.lastPause.set(viewAs(e, "worker.paused").worker, { from: e.t, to: Number.POSITIVE_INFINITY });
        return;
      case "worker.resumed": {
        const pause = this.lastPause.get(viewAs(e, "worker.resumed").worker);
        if (pause !== undefined) pause.to = e.t;
        return;
      }
      case "store.refused":
        if (this.streaks.size > 0) this.refused(viewAs(e, "store.refused"));
        return;
      case "fault.injected":
        this.faulted(e);
        return;
    }
  }

  /** The verdict of `poison-task-isolated`, its times written with the run's `clock`. */
  verdict(clock: RunClock): Verdict {
    // Panics left out are said, so that "10 at the most" is not read as counting them.
    const leftOut =
      this.unjudged === 0
        ? ""
        : `; ${plural(this.unjudged, "panic", "panics")} on partitions their worker took back not judged (the task may have run in two goroutines there)`;
    if (this.retried === 0)
      return poisonVerdict(
        true,
        false,
        `not exercised: no task panicked again in a process that had recovered its panic${leftOut}`,
      );
    if (this.hasty.count === 0 && this.endless.count === 0) {
      const each = this.retried === 1 ? "" : "each ";
      const shortest =
        this.retried === 1 || this.shortestWaitMs === null
          ? ""
          : ` (the shortest wait ${seconds(this.shortestWaitMs)} s)`;
      const allowance =
        this.allowanceUsedMs > 0 ? `, less up to ${seconds(this.allowanceUsedMs)} s for clock skew` : "";
      // After a clock skew of unknown size no wait is judged: say so, rather than a wait.
      const waits = this.skews.unknown
        ? "their waits not judged (a clock skew of unknown size was set)"
        : `${each}at least ${seconds(PANIC_RETRY_WAIT_MS_MIN)} s after it${allowance}${shortest}`;
      return poisonVerdict(
        true,
        true,
        `${plural(this.retried, "panic came", "panics came")} after a recovered panic of the same task in the same process, ${waits}, and no task panicked more than ${POISON_PANICS_MAX} times in a row (${this.longest} at the most)${leftOut}`,
      );
    }
    const events: number[] = [];
    const said: string[] = [];
    for (const h of this.hasty.items) {
      pushEvent(events, h.previousSeq);
      pushEvent(events, h.seq);
      const allowance = h.allowanceMs > 0 ? `, less ${seconds(h.allowanceMs)} s for clock skew` : "";
      said.push(
        `${describeTask(h.task, h.schedule)} panicked again on ${h.worker} at ${clock.precise(h.t)}, ${seconds(h.waitedMs)} s after its recovered panic, where a retry waits at least ${seconds(PANIC_RETRY_WAIT_MS_MIN)} s${allowance}`,
      );
    }
    for (const s of this.endless.items) {
      pushEvent(events, s.seq);
      said.push(
        `${describeTask(s.task, s.schedule)} panicked ${POISON_PANICS_MAX + 1} times in a row on ${s.worker} by ${clock.precise(s.t)} and was still not quarantined`,
      );
    }
    const parts: string[] = [];
    // Counted as panics and as runs of panics, never as tasks: one task may have several of each.
    if (this.hasty.count > 0)
      parts.push(
        `${plural(this.hasty.count, "retry of a panicking task came", "retries of panicking tasks came")} without back-off${this.hasty.more()}`,
      );
    if (this.endless.count > 0)
      parts.push(
        `${plural(this.endless.count, "run", "runs")} of more than ${POISON_PANICS_MAX} panics of one task in a row went on with the task never isolated${this.endless.more()}`,
      );
    return poisonVerdict(
      false,
      true,
      `${parts.join(" and ")}: ${said.join("; ")}; a poison task retried at once or for ever holds its worker instead of being set aside`,
      events,
    );
  }

  stateSize(): PoisonStateSize {
    let open = 0;
    for (const byWorker of this.streaks.values()) open += byWorker.size;
    let partitions = 0;
    for (const held of this.held.values()) partitions += held.size;
    for (const again of this.reacquired.values()) partitions += again.size;
    for (const tasks of this.twice.values()) open += tasks.size;
    for (const tasks of this.firstStarts.values()) open += tasks.size;
    for (const gone of this.letGo.values()) partitions += gone.size;
    return { poisonStreaks: open, partitionsFollowed: partitions };
  }

  /** A second start of a task on a worker without a panic since the first ends its streak there. */
  private started(ev: { readonly task: string; readonly worker: string }): void {
    const streak = this.streaks.get(ev.task)?.get(ev.worker);
    if (streak === undefined) return;
    if (streak.startedSince) this.forget(ev.task, ev.worker);
    else streak.startedSince = true;
  }

  private forget(task: string, worker: string): void {
    const byWorker = this.streaks.get(task);
    if (byWorker === undefined) return;
    byWorker.delete(worker);
    if (byWorker.size === 0) this.streaks.delete(task);
  }

  private panicked(e: TraceEvent, ev: PanicOf): void {
    const { task, schedule, worker } = ev;
    if (ev.token !== undefined) {
      // The panic says its goroutine's tenure: one of an earlier tenure is left out, and the
      // current tenure's goroutine is judged on its own panics.
      if (this.ofEarlierTenure(ev.worker, ev.partition, ev.token)) {
        this.unjudged++;
        return;
      }
    } else if (this.maybeRunTwice(e, ev)) {
      return;
    }
    let byWorker = this.streaks.get(task);
    const streak = byWorker?.get(worker);
    if (streak === undefined) {
      if (byWorker === undefined) {
        byWorker = new Map();
        this.streaks.set(task, byWorker);
      }
      byWorker.set(worker, {
        worker,
        account: ev.account,
        partition: ev.partition,
        count: 1,
        lastT: e.t,
        lastSeq: e.seq,
        startedSince: false,
        reported: false,
      });
      return;
    }
    this.retried++;
    this.judgeWait(e, task, schedule, worker, streak);
    streak.count++;
    if (streak.count > this.longest) this.longest = streak.count;
    if (streak.count > POISON_PANICS_MAX && !streak.reported) {
      streak.reported = true;
      this.endless.add({ task, schedule, worker, t: e.t, seq: e.seq });
    }
    streak.lastT = e.t;
    streak.lastSeq = e.seq;
    streak.startedSince = false;
  }

  private judgeWait(e: TraceEvent, task: string, schedule: string, worker: string, streak: Streak): void {
    if (this.skews.unknown) return;
    const waitedMs = e.t - streak.lastT;
    if (this.shortestWaitMs === null || waitedMs < this.shortestWaitMs) this.shortestWaitMs = waitedMs;
    // Only the worker's skews in effect between the two panics moved the clock its wait went by.
    const skew = this.skews.spreadDuring([worker], streak.lastT, e.t);
    const allowanceMs = skew.aheadMs + skew.behindMs;
    if (waitedMs + allowanceMs >= PANIC_RETRY_WAIT_MS_MIN) {
      if (waitedMs < PANIC_RETRY_WAIT_MS_MIN && allowanceMs > this.allowanceUsedMs)
        this.allowanceUsedMs = allowanceMs;
      return;
    }
    this.hasty.add({
      task,
      schedule,
      worker,
      t: e.t,
      seq: e.seq,
      previousSeq: streak.lastSeq,
      waitedMs,
      allowanceMs,
    });
  }

  /**
   * Whether a panic that does not say its goroutine's lease token (a trace written before it was
   * traced, a panic death) is left unjudged because its worker may run the task twice: a task it
   * had streaks of when it took the partition again, or one it could have fired in its earlier
   * tenure there (see `maybeEarlierTenure`).
   */
  private maybeRunTwice(e: TraceEvent, ev: PanicOf): boolean {
    const { task, worker } = ev;
    if (this.twice.size > 0 && this.twice.get(worker)?.has(task) === true) {
      this.unjudged++;
      return true;
    }
    // A panic death ends its process: nothing after it is a retry, so it is left as any.
    if (this.reacquired.size > 0 && e.type !== "worker.crashed" && this.maybeEarlierTenure(e, ev)) {
      // Only a panic that would have been judged (one after the task's first here) is left out.
      if (this.streaks.get(task)?.has(worker) === true) this.unjudged++;
      this.runsTwice(task, worker);
      return true;
    }
    return false;
  }

  /**
   * Whether a goroutine that claimed a task under `token` is one of an earlier tenure of its
   * worker's process on the partition: the worker took the partition again since, under another
   * token. A worker that lost the partition and did not take it again runs the task in that one
   * goroutine, judged as any.
   */
  private ofEarlierTenure(worker: string, partition: number, token: number): boolean {
    const current = this.held.get(worker)?.get(partition);
    return current !== undefined && current !== token;
  }

  /**
   * A worker took a partition. Taken again in the same process, the tasks it had under way there
   * may run twice from now on: their streaks end (a panic under the new token starts another), and
   * where panics do not name their token those tasks are not judged again in that process; a task
   * started after it is judged as any.
   */
  private leased(ev: { readonly worker: string; readonly partition: number; readonly token: number }): void {
    const held = entryOf(this.held, ev.worker, () => new Map<number, number>());
    const first = !held.has(ev.partition);
    held.set(ev.partition, ev.token);
    if (first) return;
    const ended = this.letGo.get(ev.worker)?.get(ev.partition) ?? Number.POSITIVE_INFINITY;
    this.letGo.get(ev.worker)?.delete(ev.partition);
    entryOf(this.reacquired, ev.worker, () => new Map<number, number>()).set(ev.partition, ended);
    for (const [task, byWorker] of [...this.streaks]) {
      if (byWorker.get(ev.worker)?.partition === ev.partition) this.runsTwice(task, ev.worker);
    }
  }

  /**
   * A worker's process let a partition it held go at t: the last time it could have fired a task
   * there is then, or the start of a pause it was in at t (an expiry is often seen after the
   * worker resumed).
   */
  private tenureEnded(
    ev: { readonly worker: string; readonly partition: number; readonly token: number },
    t: number,
  ): void {
    // Only the lease of this process's current tenure: not an older one's, seen late.
    if (this.held.get(ev.worker)?.get(ev.partition) !== ev.token) return;
    const gone = entryOf(this.letGo, ev.worker, () => new Map<number, number>());
    const pause = this.lastPause.get(ev.worker);
    const end = pause !== undefined && pause.from <= t && t <= pause.to ? pause.from : t;
    // The tenure's first end counts: the worker learns of an expiry (`lease.lost`) later.
    gone.set(ev.partition, Math.min(end, gone.get(ev.partition) ?? end));
  }

  /**
   * Whether a panic on a partition its worker took again may be of a goroutine of its earlier
   * tenure there: not when the task's fire was its first start anywhere, nor when the task fell
   * due after that tenure's end (on a clock skewed ahead, after that end less the skew); a
   * message retry has no start in the trace, and is left unjudged there.
   */
  private maybeEarlierTenure(e: TraceEvent, ev: PanicOf): boolean {
    const ended = this.reacquired.get(ev.worker)?.get(ev.partition);
    if (ended === undefined) return false;
    if (this.firstStarts.get(ev.worker)?.has(ev.task) === true) return false;
    const due = (e as { readonly due?: unknown }).due;
    if (isRetryTaskId(ev.task) || typeof due !== "number") return true;
    return due <= ended + this.skews.of(ev.worker).aheadMs;
  }

  /**
   * A task ended (committed, quarantined, dead-lettered): no goroutine of it is left anywhere,
   * and none can come (a due committed is never handed out again).
   */
  private ended(task: string): void {
    if (this.twice.size > 0) for (const tasks of this.twice.values()) tasks.delete(task);
    if (this.firstStarts.size > 0) for (const tasks of this.firstStarts.values()) tasks.delete(task);
  }

  private firstStart(task: string, worker: string): void {
    entryOf(this.firstStarts, worker, () => new Set<string>()).add(task);
  }

  /** A task the worker may be running in two goroutines: its streak ends, and it is not judged. */
  private runsTwice(task: string, worker: string): void {
    this.forget(task, worker);
    entryOf(this.twice, worker, () => new Set<string>()).add(task);
  }

  /**
   * A call the store refused: its task's commit ends the task's streak on the worker; a read of
   * an account ends the worker's streaks of that account's message retries, which have no start
   * in the trace to show they were let go and claimed again (a fire's second start shows it).
   */
  private refused(ev: {
    readonly worker: string;
    readonly call: string;
    readonly task?: string;
    readonly account?: string;
  }): void {
    if (ev.call === "commit") {
      if (ev.task !== undefined) this.forget(ev.task, ev.worker);
      return;
    }
    if (ev.account === undefined) return;
    for (const [task, byWorker] of [...this.streaks]) {
      if (isRetryTaskId(task) && byWorker.get(ev.worker)?.account === ev.account)
        this.forget(task, ev.worker);
    }
  }

  /** Every streak of a process that ended (its goroutines went with it). */
  private processEnded(worker: string): void {
    this.endStreaksOf(worker);
    this.held.delete(worker);
    this.reacquired.delete(worker);
    this.twice.delete(worker);
    this.firstStarts.delete(worker);
    this.letGo.delete(worker);
    this.lastPause.delete(worker);
  }

  /** Ends every open streak on a worker. */
  private endStreaksOf(worker: string): void {
    for (const task of [...this.streaks.keys()]) this.forget(task, worker);
  }

  private faulted(e: TraceEvent): void {
    this.skews.note(e);
  }
}

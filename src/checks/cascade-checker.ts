import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import type { EventType } from "../world/events.js";
import { viewAs } from "./event-view.js";
import { describeTask, listSome, plural } from "./format.js";
import type { ScheduleBook } from "./schedule-book.js";
import type { SelectiveSink } from "./selective-sink.js";
import { pushEvent, type Verdict } from "./types.js";

/** One process termination caused by a panic. */
export interface PanicDeath {
  readonly worker: string;
  readonly incarnation: number;
  readonly t: number;
  readonly seq: number;
  readonly schedule?: string;
  readonly account?: string;
  readonly task?: string;
  readonly partition?: number;
  readonly error?: string;
  /** The goroutine the panic escaped (`scheduler` for a scheduler's main loop). */
  readonly goroutine?: string;
}

/**
 * The distinct workers panics killed, in the order of their first death: of one schedule (in
 * `poison`) or of one task, a schedule's firing for one due time (in `poisonTasks`).
 */
export interface PoisonRecord {
  readonly schedule: string;
  /** The task, for a record of one task; absent for a schedule's. */
  readonly task?: string;
  readonly victims: PanicDeath[];
  deaths: number;
}

const FIRST_DEATHS_MAX = 5;

const NOTHING_PANICKED =
  "not exercised: no task panicked, no panic was injected and no deleted account's schedule fired";

/**
 * Cascade and panic deaths: groups `worker.crashed` with reason `panic` by the root task that
 * threw (its `task`: one schedule's firing for one due time, which a crash leaves due for the
 * next owner), and counts the distinct workers (incarnations of one worker count once). One
 * worker crash-looping on a poison task is depth 1, not a cascade; nor are two separate panics
 * of one schedule's tasks for different due times, each killing one worker. Deaths are also
 * grouped by schedule, for the poison schedules a reader is shown.
 */
export class CascadeChecker implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = [
    "fault.injected",
    "schedule.fired",
    "worker.crashed",
    "panic.recovered",
    "task.quarantined",
  ];
  panicDeaths = 0;
  crashes = 0;
  panicsRecovered = 0;
  tasksQuarantined = 0;
  firstPanicAt: number | null = null;
  readonly firstDeaths: PanicDeath[] = [];
  /** By schedule, in the order of each schedule's first panic death. */
  readonly poison = new Map<string, PoisonRecord>();
  /**
   * By task, in the order of each task's first panic death: the cascade's unit. A death whose
   * event names no task (another tool's trace) counts under its schedule's name.
   */
  readonly poisonTasks = new Map<string, PoisonRecord>();
  /**
   * Panic deaths whose `worker.crashed` names no task: a panic in a goroutine started without
   * one (a scheduler's main loop, which may run tasks inline). They are not pinned to a task:
   * such a process may have many fired and unfinished (one batch claimed, run in turn), and even
   * the tasks open at every death of one chain may be several, so a guess could name a healthy
   * task as a cascade's root. `no-cascade` says it did not judge them.
   */
  readonly outsideTasks = { deaths: 0, goroutines: new Set<string>(), workers: new Set<string>() };
  /** Panics injected into tasks (`fault.injected` of `inject-panic`). */
  panicsInjected = 0;
  /** Fires of a schedule of an account deleted before them: the path of the May 8 panic. */
  firedAfterDeletion = 0;

  /** `book`, kept by the delivery checker, says which accounts are deleted (none without it). */
  constructor(private readonly book?: ScheduleBook) {}

  /**
   * Whether the run gave a panic a chance to kill a process: a task panicked (recovered or not),
   * a panic was injected, or a deleted account's schedule fired (the path that panics without
   * the `early-return` fix). A run with none of these keeps both properties trivially.
   */
  get exercised(): boolean {
    return this.panicDeaths + this.panicsRecovered + this.panicsInjected + this.firedAfterDeletion > 0;
  }

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "fault.injected":
        if (viewAs(e, "fault.injected").fault === "inject-panic") this.panicsInjected++;
        return;
      case "schedule.fired":
        if (this.book?.deletedAccounts.has(viewAs(e, "schedule.fired").account)) this.firedAfterDeletion++;
        return;
      case "worker.crashed":
        this.crashed(e);
        return;
      case "panic.recovered":
        this.panicsRecovered++;
        if (this.firstPanicAt === null) this.firstPanicAt = e.t;
        return;
      case "task.quarantined":
        this.tasksQuarantined++;
        return;
    }
  }

  /** The task that killed the most distinct workers (the first to get there on a tie). */
  worst(): PoisonRecord | null {
    let worst: PoisonRecord | null = null;
    for (const record of this.poisonTasks.values()) {
      if (worst === null || record.victims.length > worst.victims.length) worst = record;
    }
    return worst;
  }

  get cascadeDepth(): number {
    return this.worst()?.victims.length ?? 0;
  }

  get cascade(): boolean {
    return this.cascadeDepth >= 2;
  }

  /**
   * The verdict of `no-cascade`, its times written with the run's `clock`. A hold is not exercised
   * when the panic deaths it could not judge (see `outsideTasks`) may have made one: with them,
   * panics killed two or more workers, and any one task may have been each process's.
   */
  noCascadeVerdict(clock: RunClock): Verdict {
    const judged = this.judgedVerdict(clock);
    if (!judged.ok || this.outsideTasks.deaths === 0) return judged;
    const killed = this.panickedWorkers();
    if (killed < 2) return { ...judged, detail: `${judged.detail}${this.notJudged()}` };
    const deaths = this.outsideTasks.deaths;
    return {
      ...judged,
      exercised: false,
      detail: `not exercised: ${plural(deaths, "panic death")} outside any task's goroutine (in ${this.outsidePlaces()}) ${deaths === 1 ? "was" : "were"} not judged, since the trace does not say which task each process was running; with ${deaths === 1 ? "it" : "them"}, panics killed ${killed} workers, possibly one task in turn. Pass each task as rt.go's third argument (rt.go(label, body, tx)), in a goroutine of its own rather than inline in a loop, so that a panic names its task. Of the panics in tasks: ${judged.detail}`,
    };
  }

  /** The distinct workers panics killed, in a task or not. */
  private panickedWorkers(): number {
    const workers = new Set(this.outsideTasks.workers);
    for (const record of this.poisonTasks.values()) for (const v of record.victims) workers.add(v.worker);
    return workers.size;
  }

  /** The verdict on the panic deaths in tasks alone. */
  private judgedVerdict(clock: RunClock): Verdict {
    const worst = this.worst();
    if (worst === null) {
      if (this.outsideTasks.deaths > 0)
        return {
          property: "no-cascade",
          ok: true,
          exercised: true,
          detail: "no panic in a task killed any worker",
          events: [],
        };
      return {
        property: "no-cascade",
        ok: true,
        exercised: this.exercised,
        detail: this.exercised ? "no panic killed any worker" : NOTHING_PANICKED,
        events: [],
      };
    }
    const events: number[] = [];
    for (const v of worst.victims) pushEvent(events, v.seq);
    const died = worst.victims.map((v) => `${v.worker} at ${clock.precise(v.t)}`);
    if (worst.victims.length < 2) return this.noCascadeHeld(worst, events);
    return {
      property: "no-cascade",
      ok: false,
      exercised: true,
      detail: `schedule ${worst.schedule} killed ${worst.victims.length} workers in turn: ${died.join(", ")} (${plural(worst.deaths, "panic death")} in task ${describeTask(worst.task, worst.schedule)})${this.notJudged()}`,
      events,
    };
  }

  /** What `no-cascade` says of the panic deaths outside any task (see `outsideTasks`), or "". */
  private notJudged(): string {
    const { deaths } = this.outsideTasks;
    if (deaths === 0) return "";
    return `; ${plural(deaths, "panic death")} outside any task's goroutine (in ${this.outsidePlaces()}): not judged, as the trace does not say which task, if any, each process had under way`;
  }

  /** `goroutine scheduler, on 3 workers`: where the panic deaths outside any task were. */
  private outsidePlaces(): string {
    const names = [...this.outsideTasks.goroutines];
    return `${names.length === 1 ? "goroutine" : "goroutines"} ${listSome(names, 3)}, on ${plural(this.outsideTasks.workers.size, "worker")}`;
  }

  /** No task killed two workers: a crash loop on one worker, or separate panics on several. */
  private noCascadeHeld(worst: PoisonRecord, events: number[]): Verdict {
    const tasks = [...this.poisonTasks.values()];
    const workers = new Set(tasks.map((r) => r.victims[0].worker));
    if (workers.size === 1) {
      const times = worst.deaths === 1 ? "once" : `${worst.deaths} times`;
      return {
        property: "no-cascade",
        ok: true,
        exercised: true,
        detail: `panics stayed on one worker: ${worst.schedule} killed ${worst.victims[0].worker} ${times} (a crash loop, not a cascade)`,
        events,
      };
    }
    const each = tasks.map((r) => `${describeTask(r.task, r.schedule)} killed ${r.victims[0].worker}`);
    return {
      property: "no-cascade",
      ok: true,
      exercised: true,
      detail: `no task killed more than one worker: ${listSome(each, 3)} (separate panics, not a cascade)`,
      events,
    };
  }

  /** The verdict of `no-panic-death`, its times written with the run's `clock`. */
  noPanicDeathVerdict(clock: RunClock): Verdict {
    if (this.panicDeaths === 0) {
      const recovered =
        this.panicsRecovered > 0
          ? `; ${plural(this.panicsRecovered, "panic was", "panics were")} recovered inside their task`
          : "";
      return {
        property: "no-panic-death",
        ok: true,
        exercised: this.exercised,
        detail: this.exercised ? `no worker process died of a panic${recovered}` : NOTHING_PANICKED,
        events: [],
      };
    }
    const events: number[] = [];
    for (const d of this.firstDeaths) pushEvent(events, d.seq);
    const deaths = this.firstDeaths.map((d) => `${d.worker} at ${clock.precise(d.t)} in ${deathPlace(d)}`);
    const more = this.panicDeaths > deaths.length ? ` (first ${deaths.length} shown)` : "";
    return {
      property: "no-panic-death",
      ok: false,
      exercised: true,
      detail: `${plural(this.panicDeaths, "worker process", "worker processes")} died of a panic: ${listSome(deaths, FIRST_DEATHS_MAX)}${more}`,
      events,
    };
  }

  private crashed(e: TraceEvent): void {
    const ev = viewAs(e, "worker.crashed");
    this.crashes++;
    if (ev.reason !== "panic") return;
    this.panicDeaths++;
    if (this.firstPanicAt === null) this.firstPanicAt = e.t;
    const death: PanicDeath = {
      worker: ev.worker,
      incarnation: ev.incarnation,
      t: e.t,
      seq: e.seq,
      schedule: ev.schedule,
      account: ev.account,
      task: ev.task,
      partition: ev.partition,
      error: ev.error,
      goroutine: ev.goroutine,
    };
    if (this.firstDeaths.length < FIRST_DEATHS_MAX) this.firstDeaths.push(death);
    if (ev.schedule === undefined) {
      this.outsideTasks.deaths++;
      if (ev.goroutine !== undefined) this.outsideTasks.goroutines.add(ev.goroutine);
      this.outsideTasks.workers.add(ev.worker);
      return;
    }
    countDeath(this.poison, ev.schedule, { schedule: ev.schedule }, death);
    countDeath(this.poisonTasks, ev.task ?? ev.schedule, { schedule: ev.schedule, task: ev.task }, death);
  }
}

/**
 * Where a panic that killed a process was: its task, or, for a panic outside any task (a
 * scheduler's main loop), the goroutine it escaped, as the key events name it.
 */
function deathPlace(d: PanicDeath): string {
  if (d.task === undefined && d.schedule === undefined && d.goroutine !== undefined)
    return `goroutine ${d.goroutine}`;
  return describeTask(d.task, d.schedule);
}

/** Adds a panic death to the record under `key`, made from `fresh` the first time. */
function countDeath(
  records: Map<string, PoisonRecord>,
  key: string,
  fresh: { readonly schedule: string; readonly task?: string },
  death: PanicDeath,
): void {
  let record = records.get(key);
  if (!record) {
    record = { ...fresh, victims: [], deaths: 0 };
    records.set(key, record);
  }
  record.deaths++;
  if (!record.victims.some((v) => v.worker === death.worker)) record.victims.push(death);
}

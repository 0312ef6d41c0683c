import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { type EventType, isFireTaskOf } from "../world/events.js";
import { viewAs } from "./event-view.js";
import { describeTask, FirstFew, plural } from "./format.js";
import type { SelectiveSink } from "./selective-sink.js";
import { pushEvent, type Verdict } from "./types.js";

/**
 * The panics a task must have had before its schedule may be quarantined: its first attempt and
 * at least one retry. One panic may be transient (an injected fault, a store hiccup); a schedule
 * set aside for it stops firing for good, silently for its owner, while a retry would have
 * delivered it.
 */
export const QUARANTINE_PANICS_MIN = 2;

/** A quarantine that came before its task had panicked `QUARANTINE_PANICS_MIN` times. */
interface HastyQuarantine {
  readonly schedule: string;
  readonly task: string;
  readonly t: number;
  readonly seq: number;
  readonly panics: number;
  /** The panic events of the task before it (more than `panics`: some reported one panic again). */
  readonly reports: number;
  /** The seqs of the task's first few panic events before it. */
  readonly panicSeqs: readonly number[];
}

/** How many panic events of a task a verdict names at most. */
const PANIC_SEQS_NAMED = QUARANTINE_PANICS_MIN + 1;

/**
 * A task's panics: how many were counted, how many events said so, and the seqs of the first few
 * (a verdict names at most those).
 */
interface TaskPanics {
  count: number;
  reports: number;
  readonly seqs: number[];
  /** A start of the task or a panic injected in it was traced since the last panic counted. */
  fresh: boolean;
  /** The seq of the last panic injected in the task (`fault.injected`), or -1. */
  lastInjected: number;
}

/** Sizes of the live state, for the memory-shape test. */
export interface QuarantineStateSize {
  /** Tasks that panicked and have neither committed nor been quarantined since. */
  readonly panickingTasks: number;
}

/**
 * `quarantine-after-retries`: a scheduler sets a schedule aside (`task.quarantined`) only for a
 * poison task, one that panicked on its first attempt and again on a retry (DESIGN: "retried with
 * backoff and quarantined after a bounded number of attempts"). Judged from the trace, never from
 * the scheduler's own count (the event's `attempts`): the task's panics are its `panic.recovered`
 * events and the panic deaths (`worker.crashed`, reason `panic`) that name it, on any worker; a
 * task's commit ends its count.
 *
 * A report is the scheduler's word (`rt.errors.recoveredPanic` traces whatever it is given), so a
 * panic counts only with a world-traced run to have thrown in: at most one per start of the task
 * (`schedule.fired`: its first, a `tx.restart()`, a run on the next owner) or panic injected in it
 * (`fault.injected`). One panic reported twice, with or without a wait, is one panic. Two limits:
 * a message retry's run again after a recovered panic is not traced, so each of its panics counts
 * unless it follows the same injected panic as the last counted; and a report of a panic nothing
 * threw, in a run of its own (a scheduler that restarts a healthy task and reports it again), counts
 * as the world cannot tell a scheduler's own exception from one it made up. An operator's quarantine (`schedule.quarantined`) is a runbook
 * step, not the scheduler's, and is not judged.
 *
 * `no-missed-delivery` exempts the fires of a quarantined schedule; this is what keeps that
 * exemption from hiding a scheduler that drops healthy schedules.
 */
export class QuarantineChecker implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = [
    "panic.recovered",
    "worker.crashed",
    "task.quarantined",
    "task.committed",
    "schedule.fired",
    "fault.injected",
  ];
  /** The panics of the task of the last `task.quarantined` judged (0: quarantined with none). */
  lastQuarantinePanics = 0;
  /** Quarantines by the scheduler (`task.quarantined`). */
  quarantines = 0;
  /** The fewest panics any quarantined task had, or null before the first quarantine. */
  private fewestPanics: number | null = null;
  /** Panics by task, while the task is open (it panicked, and has not committed since). */
  private readonly panics = new Map<string, TaskPanics>();
  /** The first few that came too early, and how many in all. */
  private readonly hasty = new FirstFew<HastyQuarantine>();

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "panic.recovered": {
        const ev = viewAs(e, "panic.recovered");
        this.panicked(ev.task, isFireTaskOf(ev.task, ev.schedule), e);
        return;
      }
      case "worker.crashed": {
        const ev = viewAs(e, "worker.crashed");
        if (ev.reason === "panic" && ev.task !== undefined)
          this.panicked(ev.task, isFireTaskOf(ev.task, ev.schedule), e);
        return;
      }
      case "schedule.fired":
        if (this.panics.size > 0) this.started(viewAs(e, "schedule.fired").task, -1);
        return;
      case "fault.injected": {
        const ev = viewAs(e, "fault.injected");
        if (ev.fault === "inject-panic" && ev.task !== undefined) this.started(ev.task, e.seq);
        return;
      }
      case "task.quarantined":
        this.quarantined(e);
        return;
      case "task.committed":
        if (this.panics.size > 0) this.panics.delete(viewAs(e, "task.committed").task);
        return;
    }
  }

  /** The verdict of `quarantine-after-retries`, its times written with the run's `clock`. */
  verdict(clock: RunClock): Verdict {
    if (this.quarantines === 0) {
      return {
        property: "quarantine-after-retries",
        ok: true,
        exercised: false,
        detail: "not exercised: the scheduler quarantined no schedule",
        events: [],
      };
    }
    if (this.hasty.count === 0) {
      return {
        property: "quarantine-after-retries",
        ok: true,
        exercised: true,
        detail:
          this.quarantines === 1
            ? `1 schedule was quarantined, after its task panicked on its first attempt and on a retry (${plural(this.fewestPanics ?? 0, "panic")})`
            : `${this.quarantines} schedules were quarantined, each after its task panicked on its first attempt and on a retry (${plural(this.fewestPanics ?? 0, "panic")} at the fewest)`,
        events: [],
      };
    }
    const events: number[] = [];
    const said = this.hasty.items.map((h) => {
      for (const seq of h.panicSeqs) pushEvent(events, seq);
      pushEvent(events, h.seq);
      const reported = h.reports > h.panics ? ` (reported ${h.reports} times)` : "";
      const panicked =
        h.panics === 0
          ? "without a panic"
          : `after its task ${describeTask(h.task, h.schedule)} panicked only once${reported}, with no retry`;
      return `${h.schedule} at ${clock.precise(h.t)} ${panicked}`;
    });
    const more = this.hasty.more();
    return {
      property: "quarantine-after-retries",
      ok: false,
      exercised: true,
      detail: `${plural(this.hasty.count, "schedule was", "schedules were")} quarantined before a retry could deliver: ${said.join("; ")}${more}; a schedule quarantined stops firing for good`,
      events,
    };
  }

  stateSize(): QuarantineStateSize {
    return { panickingTasks: this.panics.size };
  }

  /**
   * A panic event of `task` (`fire`: a schedule's fire, whose every start the world traces as
   * `schedule.fired`, told from a message retry by its id, `isFireTaskOf`): counted if a start of the task or a
   * panic injected in it was traced since the last counted (a message retry's runs again are not
   * traced: its panics count unless the same injected panic was counted already), or if it
   * follows from nothing traced.
   */
  private panicked(task: string, fire: boolean, e: TraceEvent): void {
    const panics = this.panics.get(task);
    if (panics === undefined) {
      this.panics.set(task, { count: 1, reports: 1, seqs: [e.seq], fresh: false, lastInjected: -1 });
      return;
    }
    panics.reports++;
    if (panics.seqs.length < PANIC_SEQS_NAMED) panics.seqs.push(e.seq);
    // A panic that follows from nothing traced (a trace written by hand, or by an older aftershock)
    // cannot be told from a report again: it counts.
    const again = !panics.fresh && e.cause !== null && (fire || e.cause === panics.lastInjected);
    if (!again) panics.count++;
    panics.fresh = false;
  }

  /** A start of `task`, or a panic injected in it (`injected`, its seq; -1 for a start). */
  private started(task: string, injected: number): void {
    let panics = this.panics.get(task);
    if (panics === undefined) {
      // An injected panic's task is followed from the throw, so its report is counted against it.
      if (injected < 0) return;
      panics = { count: 0, reports: 0, seqs: [], fresh: true, lastInjected: injected };
      this.panics.set(task, panics);
      return;
    }
    panics.fresh = true;
    if (injected >= 0) panics.lastInjected = injected;
  }

  private quarantined(e: TraceEvent): void {
    const ev = viewAs(e, "task.quarantined");
    this.quarantines++;
    const found = this.panics.get(ev.task);
    this.panics.delete(ev.task);
    const panics = found?.count ?? 0;
    this.lastQuarantinePanics = panics;
    const reports = found?.reports ?? 0;
    const seqs = found?.seqs ?? [];
    if (this.fewestPanics === null || panics < this.fewestPanics) this.fewestPanics = panics;
    if (panics >= QUARANTINE_PANICS_MIN) return;
    this.hasty.add({
      schedule: ev.schedule,
      task: ev.task,
      t: e.t,
      seq: e.seq,
      panics,
      reports,
      panicSeqs: seqs,
    });
  }
}

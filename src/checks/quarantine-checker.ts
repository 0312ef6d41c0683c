import type { RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import type { EventType } from "../world/events.js";
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
  /** The seqs of the task's panics before it. */
  readonly panicSeqs: readonly number[];
}

/** A task's panics: how many, and the seqs of the first few (a verdict names at most those). */
interface TaskPanics {
  count: number;
  readonly seqs: number[];
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
 * task's commit ends its count. An operator's quarantine (`schedule.quarantined`) is a runbook
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
  ];
  /** Quarantines by the scheduler (`task.quarantined`). */
  quarantines = 0;
  /** The fewest panics any quarantined task had, or null before the first quarantine. */
  private fewestPanics: number | null = null;
  /** Panics by task, while the task is open (it panicked, and has not committed since). */
  private readonly panics = new Map<string, TaskPanics>();
  /** The first few that came too early, and how many in all. */
  private readonly hasty = new FirstFew<HastyQuarantine>();

  onEvent(e: TraceEvent): void {
    switch (e.type) {
      case "panic.recovered":
        this.panicked(viewAs(e, "panic.recovered").task, e.seq);
        return;
      case "worker.crashed": {
        const ev = viewAs(e, "worker.crashed");
        if (ev.reason === "panic" && ev.task !== undefined) this.panicked(ev.task, e.seq);
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
      const panicked =
        h.panics === 0
          ? "without a panic"
          : `after its task ${describeTask(h.task, h.schedule)} panicked only once, with no retry`;
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

  private panicked(task: string, seq: number): void {
    const panics = this.panics.get(task);
    if (panics === undefined) {
      this.panics.set(task, { count: 1, seqs: [seq] });
      return;
    }
    panics.count++;
    if (panics.seqs.length < QUARANTINE_PANICS_MIN) panics.seqs.push(seq);
  }

  private quarantined(e: TraceEvent): void {
    const ev = viewAs(e, "task.quarantined");
    this.quarantines++;
    const found = this.panics.get(ev.task);
    this.panics.delete(ev.task);
    const panics = found?.count ?? 0;
    const seqs = found?.seqs ?? [];
    if (this.fewestPanics === null || panics < this.fewestPanics) this.fewestPanics = panics;
    if (panics >= QUARANTINE_PANICS_MIN) return;
    this.hasty.add({ schedule: ev.schedule, task: ev.task, t: e.t, seq: e.seq, panics, panicSeqs: seqs });
  }
}

import {
  isoOf,
  notAppliedText,
  onWorkerText,
  type RunClock,
  readableDetail,
  stepPaceText,
} from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { clockSkewOf, type EventType } from "../world/events.js";
import { numberField, textField, viewAs } from "./event-view.js";
import { describeTask, formatDuration, plural } from "./format.js";
import { isHolderDeath } from "./holder-death.js";
import type { SampleMark } from "./recovery-checker.js";
import type { ScheduleBook } from "./schedule-book.js";
import type { SelectiveSink } from "./selective-sink.js";
import type { TimelineEntry } from "./types.js";

export const TIMELINE_ENTRIES_MAX = 200;

/**
 * Entries that mark the story's turns (a deletion, operator actions, deploys, faults, alerts), kept
 * past `TIMELINE_ENTRIES_MAX` up to this many more: a long cascade's crashes and hand-offs fill the
 * cap early, and the fix deploy and the alerts after it are what a postmortem reads the list for.
 * Deploys and alerts have this many more of their own (`TURN_TYPES`).
 */
export const TIMELINE_LANDMARKS_MAX = 200;

/** The event types of landmark entries (see `TIMELINE_LANDMARKS_MAX`). */
const LANDMARK_EVENT_TYPES = [
  "account.deleted",
  "alert.fired",
  "alert.resolved",
  "deploy.started",
  "deploy.finished",
  "operator.action",
  "fault.injected",
  "fault.skipped",
  "scheduler.returned",
] as const satisfies readonly EventType[];
const LANDMARK_TYPES: ReadonlySet<string> = new Set(LANDMARK_EVENT_TYPES);

/**
 * The landmarks a postmortem reads the list for, deploys and alerts, kept under a cap of their own
 * (`TIMELINE_LANDMARKS_MAX` more): a run that deletes a hundred accounts or injects a fault every
 * few minutes fills the other landmarks' cap, and the fix deploy after them must still be told.
 */
const TURN_TYPES: ReadonlySet<string> = new Set([
  "alert.fired",
  "alert.resolved",
  "deploy.started",
  "deploy.finished",
  "scheduler.returned",
] satisfies EventType[]);

/**
 * An entry's text, or how to write it with the run's clock: a moment an entry names besides its
 * own is dated when the run spans more than one day, which is known only at the end.
 */
type EntryText = string | ((clock: RunClock) => string);

/** An entry as kept until `finish` writes its text. */
type Draft = Omit<TimelineEntry, "text"> & { readonly text: EntryText };

/** A schedule whose task killed a worker, tracked per partition to spot its hand-offs. */
interface PoisonHolder {
  readonly schedule: string;
  /** The worker its latest panic death killed, and when. */
  lastVictim: string;
  lastDeathAt: number;
  /** The worker it was last handed to since that death (reported once per worker). */
  handedTo: string | null;
  retired: boolean;
}

/** A clock skew's key event: when it ends by its duration, and what ended it sooner, if anything did. */
interface SkewNote {
  readonly untilMs: number;
  ended: { readonly t: number; readonly how: string } | null;
}

/**
 * Leases that expired while their holders were up (not crashed since they took them): a stall,
 * a store the renewals did not reach or reached late. Not a skewed clock: the heartbeat that
 * renews leases keeps true time, not the worker's wall clock. Told as one entry per burst, at its first
 * expiry, since a store outage lets every lease of the fleet expire at once.
 */
interface StallBurst {
  /** Expiries by the worker that held the lease, in the order first seen. */
  readonly byHolder: Map<string, number>;
  count: number;
  /** When the first and the last of them ran out (they are traced when found, later). */
  expiredFrom: number;
  expiredTo: number;
  /** Of those, taken by another worker, and taken back by their own holder. */
  moved: number;
  back: number;
  /**
   * The holder of each partition whose lease expired and that nobody has taken since: the
   * expiry is traced when a renewal finds it (the partition is then free) or when another worker
   * takes it over.
   */
  readonly untaken: Map<number, string>;
  lastAt: number;
}

/** Expiries this close to the burst's last one join it. */
const STALL_BURST_GAP_MS = 60_000;
/** Holders named in a burst's entry; the rest are counted. */
const STALL_HOLDERS_NAMED = 6;

/**
 * The story of a run for a human: deletions, panics, deaths, hand-offs of poison schedules to the
 * next worker, quarantines, alerts, deploys, operator actions, faults, leases that expired while
 * their holders were up, and the recovery moment.
 * Capped at `TIMELINE_ENTRIES_MAX` entries, landmarks aside (`TIMELINE_LANDMARKS_MAX`), with a
 * "... N more" note where the first entry left out would have been.
 *
 * A hand-off is a `lease.acquired` of a partition holding a schedule that caused a panic death,
 * by a worker other than its latest victim, after that death. Partitions of schedules come from
 * the crash itself or from the schedule book (`schedule.created`).
 */
export class TimelineRecorder implements SelectiveSink {
  /** The event types `onEvent` reads (see `SelectiveSink`). */
  readonly eventTypes: readonly EventType[] = [
    "worker.crashed",
    "worker.stopped",
    "lease.expired",
    "lease.acquired",
    "panic.recovered",
    "task.quarantined",
    "schedule.quarantined",
    "schedule.deleted",
    "worker.removed",
    ...LANDMARK_EVENT_TYPES,
  ];
  private readonly entries: Draft[] = [];
  private more = 0;
  /** The first entry left out: where the note of those left out goes. */
  private firstLeftOut: { readonly t: string; readonly seq: number } | null = null;
  private landmarks = 0;
  /** Turn entries kept (`TURN_TYPES`), under a cap of their own. */
  private turns = 0;
  private turnsLeftOut = 0;
  private routine = 0;
  private landmarksLeftOut = 0;
  private panicSeen = false;
  private recoveredPanicSeen = false;
  private readonly poisonByPartition = new Map<number, PoisonHolder[]>();
  private readonly poisonBySchedule = new Map<string, PoisonHolder>();
  /** Seqs of `worker.crashed`: an expiry caused by one is told by the crash. */
  private readonly crashSeqs = new Set<number>();
  private burst: StallBurst | null = null;
  /** By worker, its last clock skew's entry while it may be on (see `skewed`). */
  private readonly skews = new Map<string, SkewNote>();

  constructor(
    private readonly book: ScheduleBook,
    readonly capacity = TIMELINE_ENTRIES_MAX,
    /**
     * The check that judged each `task.quarantined` before this recorder sees it (a sink ahead of
     * it): how many panics the task had.
     */
    private readonly quarantines: { readonly lastQuarantinePanics: number },
  ) {}

  onEvent(e: TraceEvent, type: string = e.type): void {
    switch (type) {
      case "account.deleted": {
        const ev = viewAs(e, "account.deleted");
        this.add(
          e,
          `account ${ev.account} deleted (${plural(ev.schedules, "schedule")} left for lazy cleanup)`,
        );
        return;
      }
      case "worker.removed": {
        // A skew on it ends with it (the disturbance does too): its entry says when.
        const worker = String(e.worker);
        const note = this.skews.get(worker);
        if (note !== undefined && note.ended === null && note.untilMs > e.t)
          note.ended = { t: e.t, how: `${worker} removed` };
        this.skews.delete(worker);
        return;
      }
      case "worker.crashed":
        this.crashSeqs.add(e.seq);
        this.crashed(e);
        return;
      case "worker.stopped":
        // A frozen worker killed by a deploy, restart or scale-down: it could not shut down and
        // hand its leases back, which run out by this death (told here, not as a stall). So for
        // a stop in a store outage, which could not give them back either.
        if (!isHolderDeath(e)) return;
        this.crashSeqs.add(e.seq);
        if (e.graceful === false)
          this.add(
            e,
            `${String(e.worker)} killed while frozen (${String(e.why)}): it could not hand back the leases it still held, which run out`,
          );
        else
          this.add(
            e,
            `${String(e.worker)} stopped in a store outage (${String(e.why)}): it could not give back ${plural(Number(e.unreleased), "lease")}, which run out`,
          );
        return;
      case "lease.expired":
        this.leaseExpired(e);
        return;
      case "lease.acquired":
        this.stallTaken(e);
        this.leaseAcquired(e);
        return;
      case "panic.recovered":
        this.panicRecovered(e);
        return;
      case "task.quarantined": {
        const ev = viewAs(e, "task.quarantined");
        this.retire(ev.schedule);
        // A scheduler may quarantine a task for other reasons (failed sends): not told as panics.
        const panicked = this.quarantines.lastQuarantinePanics > 0;
        this.add(
          e,
          panicked
            ? `${ev.worker} quarantined poison task ${describeTask(ev.task)} after ${plural(ev.attempts, "panic")}`
            : `${ev.worker} quarantined task ${describeTask(ev.task)} after ${plural(ev.attempts, "attempt")}, with no panic`,
        );
        return;
      }
      case "schedule.quarantined": {
        const ev = viewAs(e, "schedule.quarantined");
        this.retire(ev.schedule);
        this.add(e, `schedule ${ev.schedule} of ${ev.account} quarantined by ${ev.by}`);
        return;
      }
      case "schedule.deleted":
        this.retire(viewAs(e, "schedule.deleted").schedule);
        return;
      case "alert.fired": {
        const ev = viewAs(e, "alert.fired");
        const held = ev.forMs === undefined ? "" : `, held ${formatDuration(ev.forMs)}`;
        this.add(e, `alert ${ev.rule} fired: ${ev.metric} = ${ev.value} (threshold ${ev.threshold}${held})`);
        return;
      }
      case "alert.resolved": {
        const ev = viewAs(e, "alert.resolved");
        this.add(e, `alert ${ev.rule} resolved: ${ev.metric} = ${ev.value}`);
        return;
      }
      case "deploy.started": {
        const ev = viewAs(e, "deploy.started");
        this.add(
          e,
          `deploy of ${variantName(ev.scheduler, ev.fixes)} started: ${plural(ev.workers, "worker")}, one at a time, ${stepPaceText(ev.stepDelayMs)}`,
        );
        return;
      }
      case "deploy.finished": {
        const ev = viewAs(e, "deploy.finished");
        const deploy = `deploy of ${variantName(ev.scheduler, ev.fixes)}`;
        // Superseded in its last wait (`rolledOut`): every worker it had to replace was replaced (a
        // new process started, which may have died starting) or removed, so not part-way.
        this.add(
          e,
          ev.supersededBy === undefined
            ? `${deploy} finished`
            : ev.rolledOut === true
              ? `${deploy} rolled out (every worker it had to replace was replaced or removed); a newer deploy (#${ev.supersededBy}) supersedes it before its last step's wait is over`
              : `${deploy} stopped part-way: a newer deploy (#${ev.supersededBy}) supersedes it`,
        );
        return;
      }
      case "operator.action": {
        const ev = viewAs(e, "operator.action");
        const detail = readableDetail(ev.detail);
        // The world's detail usually restates the action ("delete-account acct-1"): say it once.
        const said = detail.startsWith(ev.action) ? detail : `${ev.action}${detail ? ` (${detail})` : ""}`;
        // A worker drawn at random is named, since the action's own text says only `random`.
        const text = ev.worker === undefined ? said : `${said} (drew ${ev.worker})`;
        // An armed fault (`arm-panic`, `arm-hang`) is traced as an action, but no operator did it.
        if (ev.action.startsWith("arm-")) this.add(e, `fault: ${detail || ev.action}`);
        else this.add(e, `operator: ${text}${notAppliedText(ev.applied, ev.reason)}`);
        return;
      }
      case "fault.injected": {
        const ev = viewAs(e, "fault.injected");
        const detail = readableDetail(ev.detail, e.task);
        const text = `fault ${ev.fault}${onWorkerText(detail, ev.worker)}: ${detail}`;
        if (ev.fault === "clock-skew" && ev.worker !== undefined) this.skewed(e, ev.worker, ev.detail, text);
        else this.add(e, text);
        return;
      }
      case "scheduler.returned":
        this.add(
          e,
          `${String(e.worker)}'s scheduler returned from main(rt): it claims no work until its process restarts`,
        );
        return;
      case "fault.skipped": {
        const ev = viewAs(e, "fault.skipped");
        this.add(e, `fault ${ev.fault}${ev.worker ? ` on ${ev.worker}` : ""} not fired: ${ev.reason}`);
        return;
      }
    }
  }

  /**
   * The entries, with the recovery moment (known only at the end) in its place and the overflow
   * note; the moments their texts name are written with the run's `clock`.
   */
  finish(recovered: SampleMark | null, sloMs: number, clock: RunClock): TimelineEntry[] {
    const out = this.entries.map(
      (d): TimelineEntry => ({ ...d, text: typeof d.text === "string" ? d.text : d.text(clock) }),
    );
    if (recovered !== null) {
      const entry: TimelineEntry = {
        t: isoOf(recovered.t),
        seq: recovered.seq,
        type: "recovered",
        text: `recovered: p99 delivery lag ${formatDuration(recovered.lagP99Ms)} is within the SLO of ${formatDuration(sloMs)} and stays there`,
      };
      let i = out.length;
      while (i > 0 && out[i - 1].seq > recovered.seq) i--;
      out.splice(i, 0, entry);
    }
    if (this.more > 0 && this.firstLeftOut !== null) {
      // At the first entry left out: what follows it is listed only where it is a landmark.
      const { t, seq } = this.firstLeftOut;
      let i = out.length;
      while (i > 0 && out[i - 1].seq > seq) i--;
      const which =
        this.turnsLeftOut > 0
          ? ""
          : this.landmarksLeftOut > 0
            ? ` (deploys and alerts still are; of deletions, faults and operator actions, ${this.landmarksLeftOut} are not either)`
            : " (deletions, deploys, faults, alerts and operator actions still are)";
      out.splice(i, 0, { t, seq, type: "more", text: `... ${this.more} more from here not listed${which}` });
    }
    return out;
  }

  /** Entries kept plus poison holders and crashes: bounded by the cap, poison schedules and crashes. */
  stateSize(): number {
    return (
      this.entries.length + this.poisonBySchedule.size + this.crashSeqs.size + (this.burst?.untaken.size ?? 0)
    );
  }

  /**
   * A clock skew: one of 0 says it set the clock right (its duration means nothing); another says,
   * once a later skew of the same worker replaced it while it was on, or the worker left the fleet
   * (`worker.removed`), when that came.
   */
  private skewed(e: TraceEvent, worker: string, detail: string, text: string): void {
    const skewMs = clockSkewOf(detail);
    const before = this.skews.get(worker);
    if (before !== undefined && before.untilMs > e.t)
      before.ended = { t: e.t, how: skewMs === 0 ? "set right" : "replaced by another skew" };
    if (skewMs === 0) {
      this.skews.delete(worker);
      this.add(e, `fault clock-skew: ${worker}'s clock set right`);
      return;
    }
    const durationMs = numberField(e, "durationMs");
    const note: SkewNote = {
      untilMs: durationMs === undefined ? Number.POSITIVE_INFINITY : e.t + durationMs,
      ended: null,
    };
    this.skews.set(worker, note);
    this.add(e, (clock) =>
      note.ended === null ? text : `${text} (${note.ended.how} at ${clock.precise(note.ended.t)})`,
    );
  }

  private add(e: TraceEvent, text: EntryText): void {
    const turn = TURN_TYPES.has(e.type);
    const landmark = !turn && LANDMARK_TYPES.has(e.type);
    const full = turn
      ? this.turns >= TIMELINE_LANDMARKS_MAX
      : landmark
        ? this.landmarks >= TIMELINE_LANDMARKS_MAX
        : this.routine >= this.capacity;
    if (full) {
      this.more++;
      if (turn) this.turnsLeftOut++;
      else if (landmark) this.landmarksLeftOut++;
      this.firstLeftOut ??= { t: isoOf(e.t), seq: e.seq };
      return;
    }
    if (turn) this.turns++;
    else if (landmark) this.landmarks++;
    else this.routine++;
    const worker = textField(e, "worker");
    // An alert's rule, so that a summary can tell one rule's flaps apart from another's.
    const rule = e.type === "alert.fired" || e.type === "alert.resolved" ? textField(e, "rule") : undefined;
    const entry: Draft = {
      t: isoOf(e.t),
      seq: e.seq,
      type: e.type,
      ...(worker === undefined ? {} : { worker }),
      ...(rule === undefined ? {} : { rule }),
      text,
    };
    this.entries.push(entry);
  }

  private crashed(e: TraceEvent): void {
    const ev = viewAs(e, "worker.crashed");
    if (ev.reason !== "panic") {
      this.add(e, `${ev.worker} was killed (incarnation ${ev.incarnation})`);
      return;
    }
    const where =
      ev.task !== undefined || ev.schedule !== undefined
        ? `task ${describeTask(ev.task, ev.schedule)}`
        : `goroutine ${ev.goroutine ?? "?"}`;
    const first = this.panicSeen ? "" : "first panic: ";
    this.panicSeen = true;
    this.add(
      e,
      `${first}${ev.worker} died: panic in ${where}${locationText(ev.location)}${ev.error ? ` (${ev.error})` : ""}`,
    );
    if (ev.schedule !== undefined) this.poisoned(ev.schedule, ev.partition, ev.worker, e.t);
  }

  private panicRecovered(e: TraceEvent): void {
    const ev = viewAs(e, "panic.recovered");
    const first = !this.panicSeen;
    this.panicSeen = true;
    if (this.recoveredPanicSeen) return;
    this.recoveredPanicSeen = true;
    const prefix = first ? "first panic: " : "first recovered panic: ";
    this.add(
      e,
      `${prefix}${ev.worker} recovered a panic in task ${describeTask(ev.task)}${locationText(ev.location)} (${ev.error}) and kept running`,
    );
  }

  private poisoned(schedule: string, partition: number | undefined, worker: string, t: number): void {
    let holder = this.poisonBySchedule.get(schedule);
    if (!holder) {
      const where = partition ?? this.book.get(schedule)?.partition ?? null;
      holder = { schedule, lastVictim: worker, lastDeathAt: t, handedTo: null, retired: false };
      this.poisonBySchedule.set(schedule, holder);
      if (where !== null) {
        const list = this.poisonByPartition.get(where) ?? [];
        list.push(holder);
        this.poisonByPartition.set(where, list);
      }
    }
    holder.lastVictim = worker;
    holder.lastDeathAt = t;
    holder.handedTo = null;
    // Quarantining one task does not cure the schedule if its next task kills again.
    holder.retired = false;
  }

  private leaseAcquired(e: TraceEvent): void {
    const ev = viewAs(e, "lease.acquired");
    const holders = this.poisonByPartition.get(ev.partition);
    if (!holders) return;
    for (const holder of holders) {
      if (holder.retired || ev.worker === holder.lastVictim || ev.worker === holder.handedTo) continue;
      holder.handedTo = ev.worker;
      const took = ev.previous
        ? `took over partition ${ev.partition} from ${ev.previous}`
        : `took the free lease of partition ${ev.partition}`;
      const { schedule, lastVictim, lastDeathAt } = holder;
      this.add(
        e,
        (clock) =>
          `${ev.worker} ${took}, and with it poison schedule ${schedule} (it killed ${lastVictim} at ${clock.precise(lastDeathAt)})`,
      );
    }
  }

  /** A lease whose holder had not crashed since taking it: counted in the burst it belongs to. */
  private leaseExpired(e: TraceEvent): void {
    if (e.cause !== null && this.crashSeqs.has(e.cause)) return;
    const ev = viewAs(e, "lease.expired");
    let burst = this.burst;
    if (burst === null || e.t - burst.lastAt > STALL_BURST_GAP_MS) {
      const fresh: StallBurst = {
        byHolder: new Map(),
        count: 0,
        expiredFrom: ev.expiredAt,
        expiredTo: ev.expiredAt,
        moved: 0,
        back: 0,
        untaken: new Map(),
        lastAt: e.t,
      };
      this.burst = burst = fresh;
      this.add(e, (clock) => stallText(fresh, clock));
    }
    burst.count++;
    burst.lastAt = e.t;
    burst.expiredFrom = Math.min(burst.expiredFrom, ev.expiredAt);
    burst.expiredTo = Math.max(burst.expiredTo, ev.expiredAt);
    burst.byHolder.set(ev.worker, (burst.byHolder.get(ev.worker) ?? 0) + 1);
    burst.untaken.set(ev.partition, ev.worker);
  }

  /** Who took a lease of the last burst: another worker, or its holder again. */
  private stallTaken(e: TraceEvent): void {
    const ev = viewAs(e, "lease.acquired");
    const holder = this.burst?.untaken.get(ev.partition);
    if (holder === undefined || this.burst === null) return;
    this.burst.untaken.delete(ev.partition);
    if (ev.worker === holder) this.burst.back++;
    else this.burst.moved++;
  }

  private retire(schedule: string): void {
    const holder = this.poisonBySchedule.get(schedule);
    if (holder) holder.retired = true;
  }
}

/** A burst of leases that expired while their holders were up, as its entry says it. */
function stallText(burst: StallBurst, clock: RunClock): string {
  const holders = [...burst.byHolder];
  const taken = [
    burst.moved > 0 ? `${burst.moved} taken by another worker` : "",
    burst.back > 0 ? `${burst.back} taken back by ${burst.count === 1 ? "it" : "their holder"}` : "",
  ].filter((part) => part !== "");
  const after = taken.length === 0 ? "" : `; ${taken.join(", ")}`;
  const when =
    burst.expiredFrom === burst.expiredTo
      ? `at ${clock.precise(burst.expiredFrom)}`
      : `from ${clock.precise(burst.expiredFrom)} to ${clock.precise(burst.expiredTo)}`;
  if (holders.length === 1) {
    const [holder] = holders[0];
    const what = burst.count === 1 ? "a lease" : plural(burst.count, "lease");
    return `${what} of ${holder} expired ${when} while ${holder} was up: not renewed in time (a stall, the store unreachable or slow)${after}`;
  }
  const named = holders.slice(0, STALL_HOLDERS_NAMED).map(([w, n]) => `${w} ${n}`);
  const rest = holders.length - named.length;
  const others = rest > 0 ? `, ${plural(rest, "other")}` : "";
  return `${plural(burst.count, "lease")} of ${holders.length} workers expired ${when} while they were up (${named.join(", ")}${others}): not renewed in time (a stall, the store unreachable or slow)${after}`;
}

function variantName(scheduler: string, fixes: readonly string[]): string {
  return fixes.length === 0 ? scheduler : `${scheduler} + ${fixes.join(", ")}`;
}

export { readableDetail };

/** ` at ./mine.mjs:80:20`: where in a scheduler module a panic came from, when the trace says it. */
function locationText(location: string | undefined): string {
  return location === undefined ? "" : ` at ${location}`;
}

import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import type { Disturbances } from "./disturbances.js";
import type { DueLedger } from "./due-ledger.js";
import { formatDuration, plural } from "./format.js";
import type { RunInfo } from "./run-info.js";
import { pushEvent, type Verdict } from "./types.js";

/**
 * Liveness after the storm: the quiet point q is the end of the last disturbance (fault,
 * operator action, finished deploy, crash, worker pause or resume), or the start. A disturbance
 * that lasts says so in the trace (`durationMs` of a `fault.injected` or a `worker.paused`) and
 * ends at t + durationMs, or when its effect was cut short (a pause by a kill or a restart, a
 * clock skew by a later skew of its worker or its removal: see `Disturbances`, which the missed
 * checker reads too); the others end when they happen. Every counted due at or after q + B
 * must be delivered on time, B being `quietBoundMs` (default max(5 min, 2 × SLO), standing in
 * for the lease TTL and restart delays that the trace does not carry). A due whose delivery
 * failed at the destination inside its SLO window is excused: the destination's errors are the
 * workload's (`failureRate`), not a disturbance, and QStash's retry back-off (12 s, then 2.5 min)
 * can pass the SLO with the scheduler doing everything right. The deliveries metrics still count
 * it late or missed. Excused only if each retry came within the SLO after it was owed (the
 * time the scheduler set, or QStash's back-off after the failure if sooner, see `FailedFires`):
 * a scheduler that parks a retry a day away, or never sends it, is late by its own doing.
 *
 * A quiet period also needs a worker to serve: with none up at any moment after q (a fleet
 * scaled to 0, every worker removed) nothing can be delivered and nothing is judged. Every
 * operator action that applied is a disturbance, a scale-down or a kill included; arming a fault,
 * or an action the control plane refused, is not (see `isDisturbance`).
 *
 * Streaming: q is never before the last event seen (an effect cut short ends at the event that
 * cut it), so it suffices that the ledger keeps counted and bad dues by due time (cron fire times:
 * one key per minute of the run at most) and judges at the end; whether a worker served after q
 * is one flag, reset when q moves.
 */
export class QuietChecker implements TraceSink {
  quietAt: number | null = null;
  /** Time of the last event seen, and the workers up after it (the state until the next one). */
  private currentMs = Number.NaN;
  private workersUp = 0;
  /** Whether a worker was up during some stretch of time after the quiet point. */
  private servedAfterQuiet = false;
  /** The disturbances' `changes` when the quiet point was last read from them. */
  private changesSeen = 0;

  /**
   * `fleet` sees each event first: its count of workers up includes the event's change; so do the
   * `disturbances`, which set the quiet point.
   */
  constructor(
    private readonly run: RunInfo,
    private readonly fleet: { readonly workersUpNow: number },
    private readonly disturbances: Pick<Disturbances, "latest" | "changes">,
  ) {}

  /** The event of the disturbance that sets the quiet point, or null: none. */
  get quietSeq(): number | null {
    return this.disturbances.latest?.seq ?? null;
  }

  /** Reads the time of each event from `run` (see `RunInfo.nowMs`): observed first. */
  onEvent(_e: TraceEvent): void {
    const t = this.run.nowMs;
    if (!Number.isNaN(this.currentMs) && t > this.currentMs) {
      // The stretch [currentMs, t) had `workersUp` serving; it counts if it reaches past q.
      if (this.workersUp > 0 && t > this.quietPointMs) this.servedAfterQuiet = true;
    }
    if (Number.isNaN(this.currentMs) || t > this.currentMs) this.currentMs = t;
    this.disturbed();
    this.workersUp = this.fleet.workersUpNow;
  }

  private disturbed(): void {
    // Unchanged since the last event (most events): the same end (see `Disturbances.changes`).
    if (this.disturbances.changes === this.changesSeen) return;
    this.changesSeen = this.disturbances.changes;
    const endMs = this.disturbances.latest?.endMs ?? null;
    if (endMs === this.quietAt) return;
    // Every stretch seen so far ends by now ≤ the new q: none of them is after it.
    this.servedAfterQuiet = false;
    this.quietAt = endMs;
  }

  /** The quiet point: the end of the last disturbance, or the start of the run. */
  get quietPointMs(): number {
    return this.quietAt ?? this.run.startMs;
  }

  /** What the quiet point is, in words. */
  private describeQuietPoint(): string {
    const at = this.run.clock.precise;
    const d = this.disturbances.latest;
    if (d === null) return `the start at ${at(this.quietPointMs)}`;
    if (d.lastingMs === 0) return `the last ${d.type} at ${at(this.quietPointMs)}`;
    const cut = d.cutBy === null ? "" : `, cut short when ${d.cutBy}`;
    return `the end at ${at(this.quietPointMs)} of the ${d.label} at ${at(d.fromMs)} (${formatDuration(d.lastingMs)}${cut})`;
  }

  /** Whether a worker was up at some moment after the quiet point, up to the end of the run. */
  get servedAfterQuietPoint(): boolean {
    if (this.servedAfterQuiet) return true;
    const endMs = this.run.endMs;
    return this.workersUp > 0 && endMs > this.quietPointMs && endMs > this.currentMs;
  }

  verdict(ledger: DueLedger): Verdict {
    const boundMs = this.run.quietBoundMs;
    const fromMs = this.quietPointMs + boundMs;
    const judged = sumFrom(ledger.countedByTime, fromMs);
    const lateRetries = sumFrom(ledger.lateRetryByTime, fromMs);
    const excused = sumFrom(ledger.destinationBadByTime, fromMs) - lateRetries;
    const bad = sumFrom(ledger.badByTime, fromMs) - excused;
    const besides =
      excused === 0
        ? ""
        : `; ${excused} more ${excused === 1 ? "was" : "were"} late or missed after ${excused === 1 ? "its" : "their"} destination failed (retried with QStash's back-off, or dead-lettered, and not counted against the scheduler)`;
    const window = `${this.run.clock.precise(fromMs)} (quiet point: ${this.describeQuietPoint()}, + the quiet bound ${formatDuration(boundMs)})`;
    const events: number[] = [];
    if (this.quietSeq !== null) pushEvent(events, this.quietSeq);
    // A quiet point at or past the end has no time after it: that is said below, as no due after it.
    if (this.quietPointMs < this.run.endMs && !this.servedAfterQuietPoint) {
      return {
        property: "deliveries-on-time-after-quiet",
        ok: true,
        exercised: false,
        detail: `not exercised: no worker was up after the quiet point (${this.describeQuietPoint()}), so there was no quiet period in which to deliver`,
        events,
      };
    }
    if (judged === 0) {
      return {
        property: "deliveries-on-time-after-quiet",
        ok: true,
        exercised: false,
        detail: `not exercised: no due after the quiet point; none falls at or after ${window} with its SLO window inside the run`,
        events,
      };
    }
    if (bad === 0) {
      return {
        property: "deliveries-on-time-after-quiet",
        ok: true,
        exercised: true,
        detail:
          excused === 0
            ? `all ${plural(judged, "due")} from ${window} were delivered within the SLO of ${formatDuration(this.run.sloMs)}`
            : `${judged - excused} of ${plural(judged, "due")} from ${window} were delivered within the SLO of ${formatDuration(this.run.sloMs)}${besides}`,
        events,
      };
    }
    const examples = ledger.latestBad.filter((b) => b.due >= fromMs && !b.destinationFailed).reverse();
    for (const b of examples) pushEvent(events, b.seq);
    const clock = this.run.clock;
    const named = examples.slice(0, 3).map((b) => `${b.schedule} due ${clock.precise(b.due)}`);
    return {
      property: "deliveries-on-time-after-quiet",
      ok: false,
      exercised: true,
      detail: `${bad} of ${plural(judged, "due")} from ${window} were late or missed (SLO ${formatDuration(this.run.sloMs)})${named.length > 0 ? `, latest: ${named.join(", ")}` : ""}${this.lateRetriesText(ledger, lateRetries, fromMs, events)}${besides}`,
      events,
    };
  }

  /** The bad dues whose destination failed but whose retry came late, in words, or "". */
  private lateRetriesText(ledger: DueLedger, count: number, fromMs: number, events: number[]): string {
    if (count === 0) return "";
    const clock = this.run.clock;
    const late = ledger.latestLateRetries.filter((r) => r.due >= fromMs).reverse();
    for (const r of late) pushEvent(events, r.seq);
    const named = late.slice(0, 3).map((r) => {
      const sent = r.sentAt === null ? "not sent by the end" : `sent at ${clock.precise(r.sentAt)}`;
      return `${r.schedule} due ${clock.precise(r.due)} (retry ${r.retry} owed at ${clock.precise(r.owedAt)}, so due by ${clock.precise(r.owedAt + this.run.sloMs)}; ${sent})`;
    });
    const one = count === 1;
    const their = one ? "its" : "their";
    return `; ${count} of them ${one ? "counts" : "count"} against the scheduler although ${their} destination failed, as ${their} retry was not sent within the SLO of when it was owed (QStash's back-off after the failure, with any clock-skew allowance, or the scheduler's time if sooner)${named.length > 0 ? `: ${named.join(", ")}` : ""}`;
  }
}

function sumFrom(byTime: ReadonlyMap<number, number>, fromMs: number): number {
  let total = 0;
  for (const [due, n] of byTime) if (due >= fromMs) total += n;
  return total;
}

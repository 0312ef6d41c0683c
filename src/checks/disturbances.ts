import type { TraceEvent } from "../kernel/trace.js";
import { clockSkewOf } from "../world/events.js";
import { numberField, textField } from "./event-view.js";

/** Events after which the system is entitled to a while to settle down. */
export const DISTURBANCES: ReadonlySet<string> = new Set([
  "fault.injected",
  "operator.action",
  "deploy.finished",
  "worker.crashed",
  "worker.paused",
  "worker.resumed",
]);

/**
 * Whether `e` disturbs the system (one of `DISTURBANCES`). Arming a fault (`operator.action`
 * `arm-panic` or `arm-hang`) is not: nothing happens until the panic or the hang strikes, which is
 * traced then (`fault.injected`), and one that never strikes disturbs nothing. Nor is an operator
 * action the control plane refused (`applied: false`): it changed nothing.
 */
export function isDisturbance(e: TraceEvent, type: string = e.type): boolean {
  if (!DISTURBANCES.has(type)) return false;
  if (type !== "operator.action") return true;
  return e.applied !== false && !textField(e, "action")?.startsWith("arm-");
}

/**
 * How long a disturbance says it lasts: the `durationMs` of a fault or a worker pause that has one,
 * else 0. A clock skew of 0 sets a clock right: it acts at once, whatever duration it was given.
 */
export function lastingMs(e: TraceEvent): number {
  if (e.type !== "fault.injected" && e.type !== "worker.paused") return 0;
  const durationMs = numberField(e, "durationMs");
  if (durationMs === undefined || durationMs <= 0) return 0;
  if (e.type === "fault.injected" && e.fault === "clock-skew" && skewOf(e) === 0) return 0;
  return durationMs;
}

function skewOf(e: TraceEvent): number | undefined {
  const detail = textField(e, "detail");
  return detail === undefined ? undefined : clockSkewOf(detail);
}

/** One disturbance, as the quiet point may be the end of it. */
export interface Disturbance {
  readonly seq: number;
  readonly type: string;
  /** What it was, in words: `store-outage fault`, `worker.crashed`. */
  readonly label: string;
  readonly fromMs: number;
  /** How long it said it would last (0: it acted at once). */
  readonly lastingMs: number;
  /** When it ended: `fromMs + lastingMs`, or sooner if something cut it short. */
  endMs: number;
  /** What cut it short, in words (`w2 stopped (restart)`), or null. */
  cutBy: string | null;
}

/** An effect that lasts on one worker, and what ends it early. */
type Hold = "process" | "pause" | "host";

interface LiveEffect {
  readonly d: Disturbance;
  readonly hold: Hold;
}

/**
 * The disturbances of a trace and when each ended, for the liveness checks (`QuietChecker`,
 * `MissedChecker`): one reading for both, so that they agree on when the system was quiet.
 *
 * A disturbance that lasts says so (`durationMs`) and ends then, unless its effect ended sooner,
 * as the README has it ("a fault or pause that lasts ends when its effect does"). Effects on one
 * worker are kept while they last, and cut short by what ends them:
 * - a pause (`worker.paused`, and the `pause-worker` fault that froze it) ends when the worker
 *   resumes, crashes (a kill while frozen) or is stopped (a restart or scale-down kills it frozen);
 * - a hang given a duration ends with its worker's process (a crash or a stop drops the task);
 * - a clock skew, on the worker's host, survives restarts, and ends when a later skew of the same
 *   worker replaces it (`skew: 0s` sets the clock right at once) or the worker leaves the fleet
 *   (`worker.removed`: a stopping worker claims no more work).
 * Others (a store outage, an HTTP fault) end when they say.
 *
 * The quiet point is the latest end of them all (`latest`); cutting an effect short may bring it
 * back, never before the event that cut it. Memory: the live effects of each worker (as many as
 * its faults under way) and the latest of those over.
 */
export class Disturbances {
  /** The disturbance that ends last (the later one of a tie), or null: none so far. */
  latest: Disturbance | null = null;
  /**
   * How many times `latest` was worked out again: it, and its end, change only then (an effect cut
   * short is one of those under way). A reader that saw this count need not read them again: the
   * end, a number or null, is a number allocated at each read, and most events change nothing.
   */
  changes = 0;
  /** The one that ends last of those over, or cut short, or that acted at once. */
  private settled: Disturbance | null = null;
  /** By worker, its effects that may still be under way. */
  private readonly live = new Map<string, LiveEffect[]>();

  /** When the last disturbance ended, or null: none so far. */
  get endMs(): number | null {
    return this.latest === null ? null : this.latest.endMs;
  }

  /**
   * Notes an event of `type` (its own, read once by a caller that has it): a disturbance, or one
   * that ends an effect under way. Its worker is read only then: most events are neither, with
   * no effect under way.
   */
  note(e: TraceEvent, type: string = e.type): void {
    let changed = false;
    if (this.live.size !== 0) {
      const worker = textField(e, "worker");
      if (worker !== undefined) changed = this.cut(e, worker);
    }
    if (isDisturbance(e, type)) {
      this.add(e, textField(e, "worker"));
      changed = true;
    }
    if (!changed) return;
    this.latest = this.findLatest();
    this.changes++;
  }

  /** Ends early the effects on `worker` that `e` ends; true if it ended any. */
  private cut(e: TraceEvent, worker: string): boolean {
    const effects = this.live.get(worker);
    if (effects === undefined) return false;
    const ends = endsOf(e);
    if (ends === null) return false;
    const by = cutText(e, worker);
    const kept = effects.filter((effect) => {
      if (!ends.includes(effect.hold)) return true;
      if (effect.d.endMs > e.t) {
        effect.d.endMs = e.t;
        effect.d.cutBy = by;
      }
      this.settle(effect.d);
      return false;
    });
    if (kept.length === effects.length) return false;
    if (kept.length === 0) this.live.delete(worker);
    else this.live.set(worker, kept);
    return true;
  }

  private add(e: TraceEvent, worker: string | undefined): void {
    const lasting = lastingMs(e);
    const d: Disturbance = {
      seq: e.seq,
      type: e.type,
      label: e.type === "fault.injected" ? `${textField(e, "fault")} fault` : e.type,
      fromMs: e.t,
      lastingMs: lasting,
      endMs: e.t + lasting,
      cutBy: null,
    };
    const hold = worker === undefined || lasting === 0 ? null : holdOf(e);
    if (hold === null) {
      this.settle(d);
      return;
    }
    const effects = this.live.get(worker!);
    if (effects === undefined) this.live.set(worker!, [{ d, hold }]);
    else effects.push({ d, hold });
  }

  private settle(d: Disturbance): void {
    if (this.settled === null || later(d, this.settled)) this.settled = d;
  }

  /** The latest end of all: the one over, or an effect under way (a handful per worker). */
  private findLatest(): Disturbance | null {
    let latest = this.settled;
    for (const effects of this.live.values())
      for (const { d } of effects) if (latest === null || later(d, latest)) latest = d;
    return latest;
  }
}

/** Whether `a` ends after `b`, or with it and was traced after it. */
function later(a: Disturbance, b: Disturbance): boolean {
  return a.endMs > b.endMs || (a.endMs === b.endMs && a.seq > b.seq);
}

/** How an effect that lasts on a worker can be cut short, or null for one that ends when it says. */
function holdOf(e: TraceEvent): Hold | null {
  if (e.type === "worker.paused") return "pause";
  switch (e.fault) {
    case "pause-worker":
      return "pause";
    case "hang":
      return "process";
    case "clock-skew":
      return "host";
    default:
      return null;
  }
}

/** The effects on its worker that `e` ends, or null: none. */
function endsOf(e: TraceEvent): readonly Hold[] | null {
  switch (e.type) {
    case "worker.resumed":
      return ["pause"];
    case "worker.crashed":
    case "worker.stopped":
      return ["pause", "process"];
    case "worker.removed":
      return ["host"];
    case "fault.injected":
      return e.fault === "clock-skew" ? ["host"] : null;
    default:
      return null;
  }
}

/** What cut an effect short, in words. */
function cutText(e: TraceEvent, worker: string): string {
  switch (e.type) {
    case "worker.resumed":
      return `${worker} resumed`;
    case "worker.crashed":
      return e.reason === "killed" ? `${worker} killed` : `${worker} crashed`;
    case "worker.stopped": {
      const why = textField(e, "why");
      return `${worker} stopped${why === undefined ? "" : ` (${why})`}`;
    }
    case "worker.removed":
      return `${worker} removed from the fleet`;
    default:
      return skewOf(e) === 0 ? `${worker}'s clock set right` : `a later skew of ${worker}'s clock`;
  }
}

import type { TraceEvent } from "../kernel/trace.js";
import { clockSkewOf } from "../world/events.js";
import { viewAs } from "./event-view.js";
import { entryOf } from "./maps.js";

/** The largest skews ahead of and behind real time a clock has had, in ms. */
export interface SkewSpread {
  aheadMs: number;
  behindMs: number;
}

/** A skew in effect on one worker's clock from `fromMs` to `untilMs` (true time). */
interface SkewWindow {
  readonly fromMs: number;
  untilMs: number;
  readonly skewMs: number;
}

/**
 * The clock skews a trace has set (`fault.injected`, fault `clock-skew`), as the checks that allow
 * for them read them: the size is in the event's words (`w3 clock +5000 ms ...`), the trace has no
 * field of it. Keeps when each skew was in effect (a later skew of a worker replaces its earlier one, as the fault sets a clock, and a skew
 * ends after its `durationMs`), and whether the size of one could not be read. Memory: one entry
 * per worker skewed and one per skew set (as many as the scenario's clock-skew faults).
 */
export class ClockSkews {
  /** A skew whose size the trace does not say was set, on any worker. */
  unknown = false;
  private readonly unknownWorkers = new Set<string>();
  /** By worker, the skews set on its clock in the order set (the last one possibly still in effect). */
  private readonly windows = new Map<string, SkewWindow[]>();

  /** Notes a `fault.injected` event; any fault but a clock skew is passed over. */
  note(e: TraceEvent): void {
    const ev = viewAs(e, "fault.injected");
    if (ev.fault !== "clock-skew") return;
    const skewMs = clockSkewOf(ev.detail);
    if (skewMs === undefined) {
      this.unknown = true;
      if (ev.worker !== undefined) this.unknownWorkers.add(ev.worker);
      return;
    }
    if (ev.worker === undefined) return;
    this.setWindow(ev.worker, e.t, skewMs, ev.durationMs);
  }

  /** How many skews of known size other than 0 were set with a worker (each one a window). */
  windowCount = 0;

  /** A worker's spread so far (both 0: none set, or only ones of unknown size). */
  of(worker: string): Readonly<SkewSpread> {
    return this.spreadDuring([worker], Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /**
   * The spread of the skews in effect at some time from `fromMs` to `toMs` on any of `workers`
   * (every worker when one of them is "", a worker the trace did not name): how much a wait
   * between a time one of them set by its clock and the time another read by its own may be short
   * or long. A skew that ended, or was replaced, before `fromMs` does not count, nor one set after
   * `toMs`, nor any of another worker.
   */
  spreadDuring(workers: readonly string[], fromMs: number, toMs: number): SkewSpread {
    const spread: SkewSpread = { aheadMs: 0, behindMs: 0 };
    if (this.windows.size === 0) return spread;
    const every = workers.includes("");
    for (const [worker, windows] of this.windows) {
      if (!every && !workers.includes(worker)) continue;
      for (const w of windows) if (w.fromMs <= toMs && w.untilMs >= fromMs) widen(spread, w.skewMs);
    }
    return spread;
  }

  /** `worker`'s clock set `skewMs` off at `t`, for `durationMs` (to the end of the run without one). */
  private setWindow(worker: string, t: number, skewMs: number, durationMs: number | undefined): void {
    const windows = entryOf(this.windows, worker, (): SkewWindow[] => []);
    const last = windows.at(-1);
    if (last !== undefined && last.untilMs > t) last.untilMs = t;
    // A skew of 0 sets the clock right: it ends the one before and widens nothing.
    if (skewMs === 0) return;
    this.windowCount++;
    windows.push({
      fromMs: t,
      untilMs: durationMs === undefined ? Number.POSITIVE_INFINITY : t + durationMs,
      skewMs,
    });
  }

  /** Whether a skew of unknown size was set on the worker. */
  unknownOn(worker: string): boolean {
    return this.unknownWorkers.has(worker);
  }
}

function widen(spread: SkewSpread, skewMs: number): void {
  if (skewMs > 0) spread.aheadMs = Math.max(spread.aheadMs, skewMs);
  else spread.behindMs = Math.max(spread.behindMs, -skewMs);
}

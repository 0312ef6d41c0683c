import type { TraceEvent } from "../kernel/trace.js";
import { clockSkewOf } from "../world/events.js";
import { viewAs } from "./event-view.js";

/** The largest skews ahead of and behind real time a clock has had, in ms. */
export interface SkewSpread {
  aheadMs: number;
  behindMs: number;
}

const NONE: Readonly<SkewSpread> = { aheadMs: 0, behindMs: 0 };

/**
 * The clock skews a trace has set (`fault.injected`, fault `clock-skew`), as the checks that allow
 * for them read them: the size is in the event's words (`w3 clock +5000 ms ...`), the trace has no
 * field of it. Keeps the largest ahead and behind per worker and over all, and whether the size of
 * one could not be read. Memory: one entry per worker skewed.
 */
export class ClockSkews {
  /** The largest over every skew set, whichever worker. */
  readonly all: SkewSpread = { aheadMs: 0, behindMs: 0 };
  /** A skew whose size the trace does not say was set, on any worker. */
  unknown = false;
  private readonly byWorker = new Map<string, SkewSpread>();
  private readonly unknownWorkers = new Set<string>();

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
    widen(this.all, skewMs);
    if (ev.worker === undefined) return;
    let spread = this.byWorker.get(ev.worker);
    if (spread === undefined) {
      spread = { aheadMs: 0, behindMs: 0 };
      this.byWorker.set(ev.worker, spread);
    }
    widen(spread, skewMs);
  }

  /** A worker's spread so far (both 0: none set, or only ones of unknown size). */
  of(worker: string): Readonly<SkewSpread> {
    return this.byWorker.get(worker) ?? NONE;
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

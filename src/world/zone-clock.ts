import { DAY_MS } from "../kernel/time.js";

/**
 * The UTC offset of an IANA time zone at any instant, and the instants where it changes (the
 * daylight-saving shifts), read from the platform's ICU data through `Intl`. Offsets are probed
 * once per UTC day boundary and memoised per zone; a day whose two ends differ holds one shift,
 * found to the second by bisection.
 *
 * Assumed, as Temporal's own resolution of local times assumes: at most one shift per UTC day,
 * and never two that cancel within one day. tzdata has no such day in living memory.
 */
export interface ZoneShift {
  /** The first instant (ms) at the new offset. */
  readonly atMs: number;
  /** Local minus UTC (ms) just before `atMs`. */
  readonly offsetBeforeMs: number;
  /** Local minus UTC (ms) from `atMs` on; larger than before for a spring-forward. */
  readonly offsetAfterMs: number;
}

/** Entries kept per zone before the memo starts over: about 270 years of days. */
const DAYS_KEPT_MAX = 100_000;

const LONG_OFFSET = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  /** Offset at the start of day k (instant k * DAY_MS). */
  private readonly boundaryOffsets = new Map<number, number>();
  /** The shift inside day k, or null when the day has none. */
  private readonly dayShifts = new Map<number, ZoneShift | null>();

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  }

  /** Local time minus UTC, in ms, at `ms`. */
  offsetAt(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    const shift = this.shiftOfDay(day);
    if (shift === null) return this.boundaryOffset(day);
    return ms < shift.atMs ? shift.offsetBeforeMs : shift.offsetAfterMs;
  }

  /** The first shift whose instant lies in (fromMs, toMs], or null. */
  firstShiftIn(fromMs: number, toMs: number): ZoneShift | null {
    const last = Math.floor(toMs / DAY_MS);
    for (let day = Math.floor(fromMs / DAY_MS); day <= last; day++) {
      const shift = this.shiftOfDay(day);
      if (shift !== null && shift.atMs > fromMs && shift.atMs <= toMs) return shift;
    }
    return null;
  }

  /** The last shift whose instant lies in (fromMs, toMs], or null. */
  lastShiftIn(fromMs: number, toMs: number): ZoneShift | null {
    const first = Math.floor(fromMs / DAY_MS);
    for (let day = Math.floor(toMs / DAY_MS); day >= first; day--) {
      const shift = this.shiftOfDay(day);
      if (shift !== null && shift.atMs > fromMs && shift.atMs <= toMs) return shift;
    }
    return null;
  }

  private shiftOfDay(day: number): ZoneShift | null {
    const known = this.dayShifts.get(day);
    if (known !== undefined) return known;
    const before = this.boundaryOffset(day);
    const after = this.boundaryOffset(day + 1);
    const shift = before === after ? null : this.bisect(day, before, after);
    if (this.dayShifts.size >= DAYS_KEPT_MAX) this.dayShifts.clear();
    this.dayShifts.set(day, shift);
    return shift;
  }

  /** Finds, to the second, the first instant of day `day` at offset `after`. */
  private bisect(day: number, before: number, after: number): ZoneShift {
    let lo = (day * DAY_MS) / 1000; // at `before`
    let hi = ((day + 1) * DAY_MS) / 1000; // at `after`
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.probe(mid * 1000) === before) lo = mid;
      else hi = mid;
    }
    return { atMs: hi * 1000, offsetBeforeMs: before, offsetAfterMs: after };
  }

  private boundaryOffset(day: number): number {
    const known = this.boundaryOffsets.get(day);
    if (known !== undefined) return known;
    const offset = this.probe(day * DAY_MS);
    if (this.boundaryOffsets.size >= DAYS_KEPT_MAX) this.boundaryOffsets.clear();
    this.boundaryOffsets.set(day, offset);
    return offset;
  }

  /** Asks ICU: "GMT", "GMT+10:30", "GMT-04:56:02" (a local mean time). */
  private probe(ms: number): number {
    const name = this.format.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "";
    const m = LONG_OFFSET.exec(name);
    if (m === null) throw new Error(`cannot read the UTC offset of ${this.zone} from "${name}"`);
    if (m[1] === undefined) return 0;
    const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return (m[1] === "-" ? -seconds : seconds) * 1000;
  }
}

const clocks = new Map<string, ZoneClock>();

/** The memoised clock of `zone` (a name `Intl` accepts). */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}

import { Cron } from "croner";

/**
 * Cron expressions of schedules, parsed by croner: five fields, minute resolution, UTC unless
 * prefixed with `CRON_TZ=<IANA zone>` (as QStash accepts). Fire times are memoised per
 * expression, since thousands of schedules share a handful of expressions and a timezone-aware
 * next() costs tens of microseconds.
 *
 * Dates appear here only as values handed to croner, never to read the real clock.
 */
export interface CronSpec {
  /** The text as written, with any CRON_TZ prefix. */
  readonly text: string;
  readonly pattern: string;
  /** IANA zone, or null for UTC. */
  readonly timezone: string | null;
}

export class CronError extends Error {
  override readonly name = "CronError";
}

const TZ_PREFIX = /^CRON_TZ=(\S+)\s+(.*)$/;

const parsed = new Map<string, CronSpec>();

/** Parses and validates an expression; throws CronError saying what is wrong. Memoised by text. */
export function parseCron(text: string): CronSpec {
  const known = parsed.get(text);
  if (known) return known;
  const spec = parseCronUncached(text);
  if (parsed.size >= CACHE_ENTRIES_MAX) parsed.clear();
  parsed.set(text, spec);
  return spec;
}

function parseCronUncached(text: string): CronSpec {
  const trimmed = text.trim();
  if (/^CRON_TZ=(\s|$)/.test(trimmed))
    throw new CronError(
      'empty time zone after CRON_TZ= (write the zone right after it, like "CRON_TZ=Europe/Paris 0 9 * * *")',
    );
  const match = TZ_PREFIX.exec(trimmed);
  const timezone = match ? match[1] : null;
  const pattern = (match ? match[2] : trimmed).trim();
  const fields = pattern.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) {
    throw new CronError(
      `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length} in "${pattern}"`,
    );
  }
  if (timezone !== null && !isTimeZone(timezone))
    throw new CronError(`unknown time zone "${timezone}" in CRON_TZ`);
  try {
    makeCron(pattern, timezone);
  } catch (error) {
    throw new CronError(error instanceof Error ? error.message : String(error));
  }
  return { text: trimmed, pattern, timezone };
}

/** The zone names ICU lists, one per zone (Asia/Calcutta, not its alias Asia/Kolkata), read once. */
let canonicalZones: ReadonlySet<string> | null = null;

function isTimeZone(zone: string): boolean {
  // A listed name is found in a set. Building a formatter is the test for the rest (aliases
  // such as US/Eastern, and names that are wrong), but its first use loads ICU's time-zone data,
  // which takes about 30 ms: the largest single cost of reading a scenario.
  canonicalZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (canonicalZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function makeCron(pattern: string, timezone: string | null): Cron {
  return new Cron(
    pattern,
    timezone === null
      ? { paused: true, utcOffset: 0, mode: "5-part" }
      : { paused: true, timezone, mode: "5-part" },
  );
}

/** A query further than this past the computed fire times restarts the computation there. */
const FAR_AHEAD_MS = 7 * 24 * 3_600_000;

/**
 * Fire times computed at a time: few at first, doubling up to the most. A run of an hour asks
 * an every-minute expression for about 60 times, and croner's first calls run cold (not yet
 * compiled), so 256 up front cost a short run more than all the fire times it used.
 */
const CHUNK_FIRST = 16;
const CHUNK_MAX = 256;

/** Fire times of one expression, computed forward in chunks and kept sorted. */
class FireTimes {
  private readonly cron: Cron;
  private times: number[] = [];
  private origin = Number.NaN;
  private chunk = CHUNK_FIRST;

  constructor(spec: CronSpec) {
    this.cron = makeCron(spec.pattern, spec.timezone);
  }

  /** The first fire time strictly after `afterMs`, or null if there is none. */
  next(afterMs: number): number | null {
    // Start over when asked about an earlier time, or about a time well past what is computed
    // (another run far ahead): stepping there from the cached end could take millions of steps.
    const last = this.times.length > 0 ? this.times[this.times.length - 1] : Number.NaN;
    if (
      Number.isNaN(this.origin) ||
      afterMs < this.origin ||
      (!Number.isNaN(last) && afterMs - last > FAR_AHEAD_MS)
    ) {
      this.restart(afterMs);
    }
    while (this.times.length === 0 || this.times[this.times.length - 1] <= afterMs) {
      if (!this.extend()) return null;
    }
    // Binary search for the first time > afterMs.
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] > afterMs) hi = mid;
      else lo = mid + 1;
    }
    const found = this.times[lo];
    // Keep memory bounded: drop what lies far behind the caller.
    if (lo > 4096) {
      this.origin = this.times[lo - 1];
      this.times = this.times.slice(lo);
    }
    return found;
  }

  private restart(afterMs: number): void {
    this.origin = afterMs;
    this.times = [];
    this.chunk = CHUNK_FIRST;
    const first = this.cron.nextRun(new Date(afterMs));
    if (first) this.times.push(first.getTime());
  }

  private extend(): boolean {
    const last = this.times[this.times.length - 1];
    if (last === undefined) return false;
    const more = this.cron.nextRuns(this.chunk, new Date(last));
    this.chunk = Math.min(CHUNK_MAX, this.chunk * 2);
    if (more.length === 0) return false;
    for (const d of more) this.times.push(d.getTime());
    return true;
  }
}

const cache = new Map<string, FireTimes>();
const CACHE_ENTRIES_MAX = 50_000;

/** The first fire time of `spec` strictly after `afterMs`, or null if it never fires again. */
export function nextFireAfter(spec: CronSpec, afterMs: number): number | null {
  let fire = cache.get(spec.text);
  if (!fire) {
    if (cache.size >= CACHE_ENTRIES_MAX) cache.clear();
    fire = new FireTimes(spec);
    cache.set(spec.text, fire);
  }
  return fire.next(afterMs);
}

/** Every fire time in (fromMs, toMs], in order, at most `limit` of them. */
export function fireTimesBetween(spec: CronSpec, fromMs: number, toMs: number, limit = 1_000_000): number[] {
  const out: number[] = [];
  let t = nextFireAfter(spec, fromMs);
  while (t !== null && t <= toMs && out.length < limit) {
    out.push(t);
    t = nextFireAfter(spec, t);
  }
  return out;
}

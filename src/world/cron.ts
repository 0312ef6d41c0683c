import { Cron } from "croner";
import { DAY_MS, plural } from "../kernel/time.js";
import { cronFieldProblem } from "./cron-field-problem.js";
import { neverFiresReason } from "./cron-never-fires.js";
import { type ZoneClock, zoneClock } from "./zone-clock.js";

/**
 * Cron expressions of schedules, parsed by croner: five fields, minute resolution, UTC unless
 * prefixed with `CRON_TZ=<IANA zone>` (as QStash accepts). Fire times are memoised per
 * expression, since thousands of schedules share a handful of expressions and a timezone-aware
 * next() costs tens of microseconds.
 *
 * Dates appear here only as values handed to croner, never to read the real clock.
 *
 * Daylight-saving shifts follow Vixie cron's rule, whatever the spelling of the fields. croner
 * matches the fields against local wall times (read as if UTC, so that croner's own handling of
 * shifts never applies); this module maps each wall time to its instant:
 * - a schedule whose hour field takes every hour (`*`, `0-23`) follows the wall clock: a wall
 *   time skipped by a spring-forward does not happen, one repeated by a fall-back happens twice;
 * - any other (fixed hours: `2`, `1-3`, `0,12`, every second hour) fires once per wall time: one
 *   inside a spring-forward gap fires at the shift (the first instant after the gap), one repeated
 *   by a fall-back fires at its first occurrence only.
 * Whether the hour field takes every hour is read from the hours it matches, not from its spelling,
 * so that two spellings of one schedule fire alike (Vixie looks for a leading `*`).
 */
export interface CronSpec {
  /** The text as written, with any CRON_TZ prefix. */
  readonly text: string;
  /** The five fields, a nickname written out (`@daily` is `0 0 * * *`). */
  readonly pattern: string;
  /** IANA zone, or null for UTC. */
  readonly timezone: string | null;
}

/**
 * A bad cron expression: the message says what is wrong, once; `expected` is an example where
 * one helps (the shape of the five fields, a zone name), `suggestion` a corrected expression
 * where there is an obvious one, and `zone` an unknown CRON_TZ zone (a caller may look for a
 * near name).
 */
export class CronError extends Error {
  override readonly name = "CronError";
  constructor(
    message: string,
    readonly advice: {
      readonly expected?: string;
      readonly suggestion?: string;
      readonly zone?: string;
    } = {},
  ) {
    super(message);
  }
}

/** The five fields, for a message about their number. */
const FIELDS_EXPECTED = 'minute hour day-of-month month day-of-week, like "*/5 * * * *"';
const ZONE_EXAMPLE = "CRON_TZ=Europe/Paris 0 9 * * *";
/** The five fields after a zone prefix, for a message about their number. */
const ZONE_FIELDS_EXPECTED = `minute hour day-of-month month day-of-week, like "${ZONE_EXAMPLE}"`;

/** A zone prefix and what follows it: nothing, for a prefix written alone (its fields missing). */
const TZ_PREFIX = /^CRON_TZ=(\S+)(?:\s+(.*))?$/;

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
  checkZonePrefix(trimmed);
  const match = TZ_PREFIX.exec(trimmed);
  const timezone = match ? match[1] : null;
  const pattern = expandNickname((match ? (match[2] ?? "") : trimmed).trim());
  const fields = pattern.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) throw fieldCountError(fields, timezone);
  if (timezone !== null && !isTimeZone(timezone))
    throw new CronError(`unknown time zone "${timezone}" after CRON_TZ=`, {
      expected: "an IANA zone name, like Europe/Paris or America/New_York",
      zone: timezone,
    });
  const fieldProblem = cronFieldProblem(fields);
  if (fieldProblem !== null) throw new CronError(fieldProblem);
  let cron: Cron;
  try {
    cron = makeCron(pattern);
  } catch (error) {
    throw new CronError(cronerProblem(error));
  }
  // croner gives up after searching thousands of years: an expression with no fire by then has none.
  if (cron.nextRun(new Date(Date.UTC(2000, 0, 1))) === null)
    throw new CronError(`never fires: ${neverFiresReason(pattern)}`);
  return { text: trimmed, pattern, timezone };
}

/**
 * Refuses an empty CRON_TZ=, a misspelt prefix (`TZ=`, `cron_tz=`, `CRON_TZ:`) and a zone written
 * without one (`Europe/Berlin 0 9 * * *`), each with the expression to write where it parses:
 * counted as fields, the zone would be taken for a seconds field and dropped from the fix.
 */
function checkZonePrefix(trimmed: string): void {
  const zoneExpected = { expected: `a zone name, like "${ZONE_EXAMPLE}"` };
  if (/^CRON_TZ=(\s|$)/.test(trimmed)) throw new CronError("no time zone after CRON_TZ=", zoneExpected);
  if (trimmed.startsWith("CRON_TZ=")) return;
  checkTrailingZone(trimmed);
  const [first, ...rest] = trimmed.split(/\s+/);
  const prefix = /^([A-Za-z][\w-]*[=:])(.*)$/.exec(first);
  const zone = prefix === null ? first : prefix[2];
  const known = zoneWritten(zone);
  if (prefix === null && known === null) return;
  if (prefix !== null && known === null && !/tz/i.test(prefix[1])) {
    throw new CronError(`${prefix[1]} is no part of a cron expression: the only prefix is CRON_TZ=<zone>`, {
      expected: ZONE_FIELDS_EXPECTED,
    });
  }
  const message =
    prefix === null
      ? `"${first}" is a time zone: it is written as a prefix, CRON_TZ=${known}`
      : `the time-zone prefix is CRON_TZ=, not ${prefix[1]}`;
  if (zone === "") throw new CronError(message, zoneExpected);
  const fixed = [`CRON_TZ=${known ?? zone}`, ...rest].join(" ");
  throw new CronError(message, parses(fixed) ? { suggestion: `"${fixed}"` } : {});
}

/**
 * Refuses a zone written after the fields (`0 9 * * * CRON_TZ=Europe/Berlin`, with another prefix
 * or none), as crontab lines and other schedulers' configs put it: counted as a sixth field, it
 * would be taken for a leading seconds field. Only six words or more are looked at, so that five
 * fields (`0 9 * * MON`) cost no ICU time-zone load.
 */
function checkTrailingZone(trimmed: string): void {
  const fields = trimmed.split(/\s+/);
  if (fields.length < 6) return;
  const last = fields[fields.length - 1];
  const prefix = /^([A-Za-z][\w-]*[=:])(.*)$/.exec(last);
  if (prefix !== null && !/tz/i.test(prefix[1])) return;
  const known = zoneWritten(prefix === null ? last : prefix[2]);
  if (known === null) return;
  const fixed = [`CRON_TZ=${known}`, ...fields.slice(0, -1)].join(" ");
  throw new CronError(
    `the time zone is written before the fields, as a prefix: CRON_TZ=${known}`,
    parses(fixed) ? { suggestion: `"${fixed}"` } : {},
  );
}

/**
 * `zone` as a CRON_TZ= zone is written, or null if it names none: a zone in another case is
 * given its own (`europe/berlin` is Europe/Berlin); an alias is kept (EST stays EST). Only a word
 * with a letter is looked up, so a field (`*`, `0`, `@daily`) costs no ICU time-zone load.
 */
function zoneWritten(zone: string): string | null {
  if (!/^[A-Za-z][\w+\-/]*$/.test(zone) || !isTimeZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/**
 * Too few or too many fields, counted after any zone prefix, which is no field: a prefix alone
 * has none (`CRON_TZ=Europe/Berlin` is its five fields missing, not one field). Six are a trailing year (AWS's, Quartz's seventh) when the last
 * looks like one, else most likely a leading seconds field (croner's, Quartz's); the five left
 * are suggested only if they parse, so the fix offered is never refused in turn.
 */
function fieldCountError(fields: readonly string[], timezone: string | null): CronError {
  const afterZone = timezone === null ? "" : ` after CRON_TZ=${timezone}`;
  const expected = timezone === null ? FIELDS_EXPECTED : ZONE_FIELDS_EXPECTED;
  if (fields.length === 0) {
    const missing = timezone === null ? "" : ": the five fields come after the zone";
    return new CronError(`no fields${afterZone}${missing}`, { expected });
  }
  if (fields.length !== 6)
    return new CronError(`${plural(fields.length, "field")}${afterZone}, not 5`, { expected });
  const year = /^(?:19[7-9]\d|2\d{3})(?:[-,/]\d+)*$/.test(fields[5]);
  const message = year
    ? "6 fields: a trailing year field is not supported (schedules repeat every year)"
    : "6 fields: a leading seconds field is not supported (schedules fire on the minute)";
  const prefix = timezone === null ? "" : `CRON_TZ=${timezone} `;
  const five = `${prefix}${(year ? fields.slice(0, 5) : fields.slice(1)).join(" ")}`;
  return new CronError(message, parses(five) ? { suggestion: `"${five}"` } : {});
}

function parses(text: string): boolean {
  try {
    parseCron(text);
    return true;
  } catch {
    return false;
  }
}

/** croner's message for a pattern it refuses, without its class name. */
function cronerProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^CronPattern: /, "")
    .replace(/^Syntax error, /, "")
    .replace(/, Type: \w+$/, "");
}

/** Vixie cron's nicknames, which croner knows too; written out so every pattern has five fields. */
const NICKNAMES: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

function expandNickname(pattern: string): string {
  if (!pattern.startsWith("@")) return pattern;
  const fields = NICKNAMES[pattern.toLowerCase()];
  if (fields !== undefined) return fields;
  const expected = `five fields, or one of ${Object.keys(NICKNAMES).join(", ")}`;
  if (pattern.toLowerCase() === "@reboot")
    throw new CronError("@reboot runs at start-up, not at a time", { expected });
  throw new CronError(`unknown nickname ${pattern}`, { expected });
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

/** A croner matching `pattern` against wall times held as UTC instants (local time read as UTC). */
function makeCron(pattern: string): Cron {
  return new Cron(pattern, { paused: true, utcOffset: 0, mode: "5-part" });
}

/** Whether the hour field of `pattern` takes all 24 hours, as `*` does, however it is spelled. */
function takesEveryHour(pattern: string): boolean {
  const hourField = pattern.trim().split(/\s+/)[1];
  const dayStart = Date.UTC(2000, 0, 1);
  const fires = makeCron(`0 ${hourField} * * *`).nextRuns(24, new Date(dayStart - 1));
  return fires.length === 24 && fires[23].getTime() < dayStart + DAY_MS;
}

/** Longest a fixed-time schedule's fall-back overlap can be: the repeated wall times it skips. */
const FALL_BACK_MS_MAX = DAY_MS;
/** Shifts one query may step over; a query never meets more than a few. */
const SHIFTS_PER_QUERY_MAX = 10_000;

/** The next fire of an expression in a time zone, by the daylight-saving rule above. */
class ZonedFires {
  private readonly cron: Cron;
  private readonly clock: ZoneClock;
  private readonly fixedTime: boolean;

  constructor(pattern: string, zone: string) {
    this.cron = makeCron(pattern);
    this.clock = zoneClock(zone);
    this.fixedTime = !takesEveryHour(pattern);
  }

  /** The first fire strictly after `afterMs`, or null if there is none. */
  next(afterMs: number): number | null {
    let t = afterMs;
    for (let shifts = 0; shifts < SHIFTS_PER_QUERY_MAX; shifts++) {
      const offset = this.clock.offsetAt(t + 1);
      let wallAfter = t + offset;
      if (this.fixedTime) {
        // After a fall-back the wall times up to the old offset's end were lived once already.
        const back = this.clock.lastShiftIn(t + 1 - FALL_BACK_MS_MAX, t + 1);
        if (back !== null && back.offsetBeforeMs > back.offsetAfterMs)
          wallAfter = Math.max(wallAfter, back.atMs + back.offsetBeforeMs - 1);
      }
      const wall = this.wallAfter(wallAfter);
      if (wall === null) return null;
      const candidate = wall - offset;
      const shift = this.clock.firstShiftIn(t + 1, candidate);
      if (shift === null) return candidate;
      if (this.fixedTime && shift.offsetAfterMs > shift.offsetBeforeMs) {
        // Spring-forward: wall times [before, after) never happen; a fire among them runs at the shift.
        const skipped = this.wallAfter(shift.atMs + shift.offsetBeforeMs - 1);
        if (skipped !== null && skipped < shift.atMs + shift.offsetAfterMs) return shift.atMs;
      }
      t = shift.atMs - 1;
    }
    throw new Error(`cron: more than ${SHIFTS_PER_QUERY_MAX} time-zone shifts between two fires`);
  }

  private wallAfter(wallMs: number): number | null {
    const next = this.cron.nextRun(new Date(wallMs));
    return next === null ? null : next.getTime();
  }
}

/** The first fire of `spec` strictly after `afterMs`, computed without any memo. */
export function makeFireStepper(spec: CronSpec): (afterMs: number) => number | null {
  if (spec.timezone !== null) {
    const zoned = new ZonedFires(spec.pattern, spec.timezone);
    return (afterMs) => zoned.next(afterMs);
  }
  const cron = makeCron(spec.pattern);
  return (afterMs) => cron.nextRun(new Date(afterMs))?.getTime() ?? null;
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
  private readonly step: (afterMs: number) => number | null;
  private times: number[] = [];
  private origin = Number.NaN;
  private chunk = CHUNK_FIRST;

  constructor(spec: CronSpec) {
    this.step = makeFireStepper(spec);
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
    const first = this.step(afterMs);
    if (first !== null) this.times.push(first);
  }

  private extend(): boolean {
    let last = this.times[this.times.length - 1];
    if (last === undefined) return false;
    const before = this.times.length;
    for (let i = 0; i < this.chunk; i++) {
      const next = this.step(last);
      if (next === null) break;
      this.times.push(next);
      last = next;
    }
    this.chunk = Math.min(CHUNK_MAX, this.chunk * 2);
    return this.times.length > before;
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

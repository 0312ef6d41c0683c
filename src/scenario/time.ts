import { DAY_MS, HOUR_MS, isoOf, MINUTE_MS, SECOND_MS, type TimeMs } from "../kernel/index.js";
import { DURATION_PATTERN, joinedWithoutSpaces, parseDuration } from "./duration.js";

/**
 * Times as scenario files write them. `start` is an ISO instant in UTC; every `at` is one of
 * - an ISO instant: `2026-05-08T09:44:30Z`,
 * - a time of day on the start's UTC date: `09:44`, `09:44:30` or `09:44:30.500` (never rolled to the next day:
 *   a time of day before the start is an error, so nobody is surprised by a silent roll-over),
 * - an offset from the start: `+14m30s`.
 * Parsing is split from resolving so that syntax can be checked before the start is known. No
 * form has spaces, even around it, exactly as the schema's patterns say.
 */

/** A parsed `at`, not yet placed on the timeline. */
export type TimeRef =
  | { readonly form: "instant"; readonly ms: TimeMs }
  | { readonly form: "time-of-day"; readonly sinceMidnightMs: number }
  | { readonly form: "relative"; readonly offsetMs: number };

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string; readonly suggestion?: string };

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z$/;
// Milliseconds after the seconds, up to three digits, exactly as an instant takes them.
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
/**
 * `11pm`, `11:55 PM`, `9:45:00.250pm`: a 12-hour clock, read only to say what to write instead.
 * Seconds come only after minutes and milliseconds only after seconds, as in `TIME_OF_DAY`.
 */
const TWELVE_HOUR = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*([ap])\.?m\.?$/i;

/**
 * JSON Schema patterns (shown to editors; the parser gives the precise diagnosis). They accept
 * exactly what the parser accepts, except instants that do not exist (`2026-02-30`, before 1970).
 */
export const INSTANT_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?Z$";
const TIME_OF_DAY_PATTERN = "^([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,3})?)?$";
export const AT_PATTERN = `${INSTANT_PATTERN}|${TIME_OF_DAY_PATTERN}|^\\+${DURATION_PATTERN.slice(1)}`;

/** The latest instant the ISO form above can write, 9999-12-31T23:59:59.999Z; a run ends by it. */
export const INSTANT_MS_MAX: TimeMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Parses an ISO instant in UTC (ending in `Z`). */
export function parseInstant(text: string): Parsed<TimeMs> {
  return /\s/.test(text) ? spacedTime(text, instantOf, "an instant") : instantOf(text);
}

function instantOf(text: string): Parsed<TimeMs> {
  const match = INSTANT.exec(text);
  if (!match) return diagnoseInstant(text);
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const ms = Number((match[7] ?? "").padEnd(3, "0"));
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC silently carries out-of-range fields (Feb 30 → Mar 2): reject what does not round-trip.
  const expected = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${pad2(s)}`;
  if (y < 1970) return { ok: false, message: "instants before 1970 are not supported" };
  if (!isoOf(t).startsWith(expected)) {
    return { ok: false, message: `there is no such instant as ${text}` };
  }
  return { ok: true, value: t };
}

/** Parses the syntax of an `at`. */
export function parseTimeRef(text: string): Parsed<TimeRef> {
  return /\s/.test(text) ? spacedTime(text, timeRefOf, "a time") : timeRefOf(text);
}

function timeRefOf(text: string): Parsed<TimeRef> {
  if (text.startsWith("+")) {
    const duration = parseDuration(text.slice(1));
    if (!duration.ok) {
      const suggestion = duration.suggestion === undefined ? undefined : `+${duration.suggestion}`;
      return { ok: false, message: `bad offset from the start: ${duration.message}`, suggestion };
    }
    return { ok: true, value: { form: "relative", offsetMs: duration.ms } };
  }
  if (text.startsWith("-") && parseDuration(text.slice(1)).ok) {
    return {
      ok: false,
      message: `an offset counts forward from the start (+5m): ${text} would be before the start, and a run has nothing before it`,
    };
  }
  const timeOfDay = timeOfDayOf(text);
  if (timeOfDay !== null) return timeOfDay;
  const misread = misreadClock(text);
  if (misread !== null) return misread;
  if (/^\d{4}-/.test(text)) {
    const instant = instantOf(text);
    return instant.ok ? { ok: true, value: { form: "instant", ms: instant.value } } : instant;
  }
  const asDuration = parseDuration(text);
  if (asDuration.ok || /^\d+[a-z]/i.test(text)) {
    return {
      ok: false,
      message: "an offset from the start begins with +",
      suggestion: `+${asDuration.ok ? text : (asDuration.suggestion ?? text)}`,
    };
  }
  return { ok: false, message: AT_FORMS };
}

/** A time of day (`09:44`, `09:44:30.500`) in range, or why it is out of range; null: not that form. */
function timeOfDayOf(text: string): Parsed<TimeRef> | null {
  const clock = TIME_OF_DAY.exec(text);
  if (clock === null) return null;
  const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
  const ms = Number((clock[4] ?? "").padEnd(3, "0"));
  if (h > 23 || m > 59 || s > 59) {
    return { ok: false, message: `there is no time of day ${text} (use 00:00 to 23:59:59.999)` };
  }
  return {
    ok: true,
    value: { form: "time-of-day", sinceMidnightMs: h * HOUR_MS + m * MINUTE_MS + s * SECOND_MS + ms },
  };
}

/**
 * A time of day written as people say it (`11pm`, `23:55Z`): refused with the 24-hour UTC form,
 * rather than read by the offset check as a duration missing its `+` (`+11pm`). A form is
 * suggested only when it exists: `25:00Z` and `13pm` are told what is wrong with them instead.
 */
function misreadClock(text: string): Parsed<never> | null {
  const withoutZ = text.endsWith("Z") ? timeOfDayOf(text.slice(0, -1)) : null;
  if (withoutZ !== null) {
    const message = "a time of day is in UTC already: write it without Z";
    if (!withoutZ.ok) return { ok: false, message: `${withoutZ.message}, and ${message}` };
    return { ok: false, message, suggestion: text.slice(0, -1) };
  }
  const twelve = TWELVE_HOUR.exec(text);
  if (twelve === null) return null;
  const message = "a time of day is written on the 24-hour clock, in UTC";
  const [hour, minute = "00", second, millis] = twelve.slice(1, 5);
  const h = Number(hour);
  const wrong =
    h < 1 || h > 12
      ? "its hour runs 1 to 12"
      : Number(minute) > 59 || Number(second ?? 0) > 59
        ? "its minutes and seconds run 00 to 59"
        : null;
  if (wrong !== null) {
    return { ok: false, message: `${message}, and ${text} is no time on a 12-hour clock either: ${wrong}` };
  }
  const h24 = (h % 12) + (twelve[5].toLowerCase() === "p" ? 12 : 0);
  // The milliseconds are kept as written: the 24-hour form takes the same one to three digits.
  const fraction = millis === undefined ? "" : `.${millis}`;
  const suggestion = `${pad2(h24)}:${minute}${second === undefined ? "" : `:${second}${fraction}`}`;
  return { ok: false, message, suggestion };
}

/**
 * Why a time with spaces is refused. When the spaces are all that is wrong, the time without
 * them is the suggestion; otherwise the text, trimmed, is diagnosed as usual by `parse` (which
 * accepts no spaces: were it to, the trimmed text would be the joined one, handled first).
 */
function spacedTime<T>(text: string, parse: (text: string) => Parsed<T>, noun: string): Parsed<never> {
  const joined = joinedWithoutSpaces(text);
  if (joined !== null && joined !== "" && parse(joined).ok) {
    return { ok: false, message: `${noun} is written without spaces`, suggestion: joined };
  }
  const inner = parse(text.trim());
  return inner.ok ? { ok: false, message: `${noun} is written without spaces` } : inner;
}

/** Places a parsed `at` on the timeline of a run that starts at `startMs`. */
export function resolveTimeRef(ref: TimeRef, startMs: TimeMs): TimeMs {
  switch (ref.form) {
    case "instant":
      return ref.ms;
    case "relative":
      return startMs + ref.offsetMs;
    case "time-of-day":
      return Math.floor(startMs / DAY_MS) * DAY_MS + ref.sinceMidnightMs;
  }
}

/**
 * The first occurrence of a time of day (`sinceMidnightMs`, UTC) at or after `fromMs`: how the
 * CLI's `--until` and the training session read `00:05` in a run that crosses midnight (the next
 * day's). A scenario's `at` reads a time of day on the start's date instead (`resolveTimeRef`).
 */
export function timeOfDayFrom(sinceMidnightMs: number, fromMs: TimeMs): TimeMs {
  const sameDay = Math.floor(fromMs / DAY_MS) * DAY_MS + sinceMidnightMs;
  return sameDay >= fromMs ? sameDay : sameDay + DAY_MS;
}

/** The text that describes the accepted forms of an `at`. */
export const AT_FORMS =
  "a time is an ISO instant (2026-05-08T09:44:30Z), a time of day (09:44, 09:44:30 or 09:44:30.500) or an offset from the start (+14m30s)";

/** `2026-05-08T09:30:00Z`: an instant as people write it (milliseconds only when present). */
export function instantText(t: TimeMs): string {
  const iso = isoOf(t);
  return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
}

function diagnoseInstant(text: string): Parsed<TimeMs> {
  const loose = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    text,
  );
  if (loose) {
    const [, date, clock, zone] = loose;
    if (zone === undefined || zone.toUpperCase() === "Z") {
      const fixed = `${date}T${clock}Z`;
      return {
        ok: false,
        message:
          zone === undefined
            ? "times are UTC: end the instant with Z"
            : "write the instant as YYYY-MM-DDTHH:MM:SSZ",
        suggestion: parseInstant(fixed).ok ? fixed : undefined,
      };
    }
    const utc = parseInstant(`${date}T${clock}Z`);
    const sign = zone.startsWith("-") ? 1 : -1;
    const digits = zone.replace(/[^0-9]/g, "");
    const offsetMs = Number(digits.slice(0, 2)) * HOUR_MS + Number(digits.slice(2)) * MINUTE_MS;
    return {
      ok: false,
      message: "write the instant in UTC, ending in Z",
      suggestion: utc.ok ? instantText(utc.value + sign * offsetMs) : undefined,
    };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return { ok: false, message: "an instant needs a time of day", suggestion: `${text}T00:00:00Z` };
  }
  return { ok: false, message: "expected an ISO instant in UTC like 2026-05-08T09:30:00Z" };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

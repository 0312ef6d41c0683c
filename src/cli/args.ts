import { instantText, parseTimeRef, resolveTimeRef, timeOfDayFrom } from "../scenario/index.js";
import { optionError } from "./errors.js";

/** A non-negative integer option. */
export function parseSeed(text: string | undefined, flag = "--seed"): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw optionError(flag, `expected a whole number ≥ 0, found "${text}"`);
  return safeWholeNumber(text, flag, 0);
}

/** A positive integer option. */
export function parseCount(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw optionError(flag, `expected a whole number ≥ 1, found "${text}"`);
  return safeWholeNumber(text, flag, 1);
}

/**
 * The whole number the digits `text` write, refused past 2^53 - 1, the largest a number holds
 * exactly (one past it would be read as another): the message says that maximum.
 */
function safeWholeNumber(text: string, flag: string, least: number): number {
  if (!Number.isSafeInteger(Number(text)))
    throw optionError(
      flag,
      `expected a whole number from ${least} to 2^53 - 1 (${Number.MAX_SAFE_INTEGER}), found "${text}"`,
    );
  return Number(text);
}

/**
 * A time within a run: `10:00`, `+15m` or an ISO instant. A time of day is its first occurrence
 * at or after the start, as in a training session: in a run from 23:50, `00:05` is the next day's.
 */
export function parseUntil(
  text: string | undefined,
  startMs: number,
  endMs: number,
  flag = "--until",
): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseTimeRef(text);
  if (!parsed.ok) {
    const fix = parsed.suggestion === undefined ? "" : ` — did you mean ${parsed.suggestion}?`;
    throw optionError(flag, `${parsed.message}${fix}`);
  }
  const ref = parsed.value;
  const t =
    ref.form === "time-of-day" ? timeOfDayFrom(ref.sinceMidnightMs, startMs) : resolveTimeRef(ref, startMs);
  const span = `the run is ${instantText(startMs)} to ${instantText(endMs)}`;
  // The start itself is no use: a run stopped there has simulated nothing.
  if (t <= startMs) {
    const when = t === startMs ? "the start of the run" : `before the start (${instantText(startMs)})`;
    throw optionError(flag, `${text} is ${when}: it must be after the start (${span})`);
  }
  // A time of day before the start on its date, whose next occurrence is past the end.
  if (t > endMs && ref.form === "time-of-day" && resolveTimeRef(ref, startMs) < startMs)
    throw optionError(
      flag,
      `${text} does not fall within the run (${span}): a time of day is read as its first occurrence at or after the start; write an ISO instant or +offset from the start`,
    );
  if (t > endMs) throw optionError(flag, `${text} is after the run ends (${instantText(t)}; ${span})`);
  return t;
}

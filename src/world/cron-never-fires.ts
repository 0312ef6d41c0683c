import { Cron } from "croner";
import { listText } from "../kernel/time.js";

/**
 * Why a cron pattern that croner finds no fire for never fires, in words ("February has no
 * 30th"). Only a day of the month that none of the pattern's months has can cause it: a
 * restricted day of the week widens the days rather than narrowing them (croner, as Vixie cron,
 * fires when either day field matches). The values each field takes are read from croner by
 * stepping a one-field pattern through a year, so every syntax croner accepts is read alike.
 */

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** Days of each month in a leap year: the most a month ever has. */
const MONTH_DAYS_MAX = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The reason, or a general one when the fields are of a kind this reader does not explain. */
export function neverFiresReason(pattern: string): string {
  const [, , dayField, monthField] = pattern.trim().split(/\s+/);
  const days = [...new Set(dayField.split(",").flatMap(daysOf))].sort((a, b) => a - b);
  const months = valuesInYear(`0 0 1 ${monthField} *`, (d) => d.getUTCMonth());
  const impossible = days.length > 0 && months.every((m) => days.every((d) => d > MONTH_DAYS_MAX[m]));
  if (months.length === 0 || !impossible)
    return "no date matches its day-of-month, month and day-of-week fields";
  const monthWords = listText(months.map((m) => MONTH_NAMES[m]));
  const verb = months.length === 1 ? "has" : "have";
  return `${monthWords} ${verb} no ${listText(days.map(ordinal), "or")}`;
}

/**
 * The days of the month one part of the day field names. A weekday nearest a day (`30W`) names
 * that day, though in January it may fire on another (the 31st, for a Friday 30th); the last day
 * (`L`, `LW`) is a day every month has.
 */
function daysOf(part: string): number[] {
  const nearest = /^(\d+)W$/i.exec(part);
  if (nearest !== null) return [Number(nearest[1])];
  if (/L/i.test(part)) return [1];
  return valuesInYear(`0 0 ${part} 1 *`, (d) => d.getUTCDate());
}

/** The values `read` takes over the fires of `pattern` in the leap year 2000 (January for days). */
function valuesInYear(pattern: string, read: (d: Date) => number): number[] {
  try {
    const cron = new Cron(pattern, { paused: true, utcOffset: 0, mode: "5-part" });
    const start = Date.UTC(2000, 0, 1);
    const end = Date.UTC(2001, 0, 1);
    const fires = cron.nextRuns(366, new Date(start - 1)).filter((d) => d.getTime() < end);
    return [...new Set(fires.map(read))];
  } catch {
    return [];
  }
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/**
 * What is wrong with one of the five fields of a cron pattern, in the field's own terms
 * ("month 13 is out of range (1-12)"), read before croner sees the pattern. croner's own messages
 * count from zero and from its six-field form ("Invalid value for month: 12" for a 13, entry 2 for
 * the hour), which would send a reader to the wrong value. Only plain forms are read here
 * (numbers, names, `*`, `?`, ranges, lists, steps); anything else (croner's `L`, `W` and `#`) is
 * left for croner to accept or refuse.
 */

/** One of the five fields: its range and the names it takes (also read by `scenario/cron-rate.ts`). */
export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names croner takes for values (JAN, MON), upper case, the first for `min`. */
  readonly names: readonly string[];
  /** Added to the range in the message, where the range alone would surprise. */
  readonly note?: string;
  /** How many values a step may span, when not `max - min + 1` (7 is a second Sunday). */
  readonly size?: number;
  /** croner's extensions in this field (`L`, `W`, `#`), left to croner. */
  readonly extensions?: RegExp;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** minute, hour, day-of-month, month, day-of-week: in the order a pattern writes them. */
export const CRON_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59, names: [] },
  { name: "hour", min: 0, max: 23, names: [] },
  { name: "day-of-month", min: 1, max: 31, names: [], extensions: /[LW]/i },
  { name: "month", min: 1, max: 12, names: MONTHS },
  {
    name: "day-of-week",
    min: 0,
    max: 7,
    names: WEEKDAYS,
    note: "Sunday is 0 or 7",
    size: 7,
    extensions: /[L#]/i,
  },
];

/** The first problem in the five fields of a pattern, or null when croner should judge them. */
export function cronFieldProblem(fields: readonly string[]): string | null {
  for (let i = 0; i < CRON_FIELDS.length; i++) {
    const problem = fieldProblem(CRON_FIELDS[i], fields[i]);
    if (problem !== null) return problem;
  }
  return null;
}

function fieldProblem(field: CronField, text: string): string | null {
  const items = text.split(",");
  if (items.some((item) => item === ""))
    return `the ${field.name} field "${text}" has an empty entry (a list is written 1,15)`;
  for (const item of items) {
    const problem = itemProblem(field, item, text);
    if (problem !== null) return problem;
  }
  return null;
}

/** `item` is one entry of a list: `*`, `n` or `a-b`, each optionally `/step`. */
function itemProblem(field: CronField, item: string, text: string): string | null {
  if (field.name === "day-of-week" && item.includes("#")) return nthWeekdayProblem(field, item, text);
  // croner's extensions and its `?` are croner's to judge.
  if (item.includes("?") || field.extensions?.test(item) === true) return null;
  const slash = item.indexOf("/");
  const base = slash < 0 ? item : item.slice(0, slash);
  if (slash >= 0) {
    const problem = stepProblem(field, item.slice(slash + 1), text);
    if (problem !== null) return problem;
  }
  if (base === "*") return null;
  const bounds = base.split("-");
  if (bounds.length > 2) return notAForm(field, text);
  const values: number[] = [];
  for (const bound of bounds) {
    const value = fieldValue(field, bound);
    if (value === null) return notAForm(field, text);
    if (value < field.min || value > field.max) return outOfRange(field, bound);
    values.push(value);
  }
  if (values.length === 2 && values[0] > values[1])
    return `the ${field.name} range ${base} ends before it starts (write the smaller value first)`;
  // croner steps only from `*` or a range (Vixie cron too); `5/5` most likely means from 5 on.
  if (slash >= 0 && values.length === 1)
    return `a step from a single value in the ${field.name} field "${text}": write ${base}-${field.max}${item.slice(slash)} to step from ${base} on`;
  return null;
}

/** croner's `5#2` (the second Friday of the month): a weekday, then 1 to 5 or L. */
function nthWeekdayProblem(field: CronField, item: string, text: string): string | null {
  const day = item.slice(0, item.indexOf("#"));
  const nth = item.slice(item.indexOf("#") + 1);
  const value = fieldValue(field, day);
  if (value === null) return notAForm(field, text);
  if (value < field.min || value > field.max) return outOfRange(field, day);
  if (/^(?:[1-5]|L)$/i.test(nth)) return null;
  return `${field.name} ${item}: the nth weekday of a month is 1 to 5, or L for the last (${day}#1 is the first, ${day}#L the last)`;
}

function stepProblem(field: CronField, step: string, text: string): string | null {
  if (!/^\d+$/.test(step)) return notAForm(field, text);
  const size = field.size ?? field.max - field.min + 1;
  if (Number(step) === 0) return `a step of 0 in the ${field.name} field "${text}" (a step is 1 or more)`;
  if (Number(step) > size)
    return `a step of ${step} in the ${field.name} field "${text}" is more than the ${size} values it steps over`;
  return null;
}

/** The value of a number or a name (`JAN`, `mon`) in `field`, or null for any other text. */
export function fieldValue(field: CronField, bound: string): number | null {
  if (/^\d+$/.test(bound)) return Number(bound);
  const named = field.names.indexOf(bound.toUpperCase());
  return named < 0 ? null : field.min + named;
}

function outOfRange(field: CronField, value: string): string {
  const note = field.note === undefined ? "" : `, ${field.note}`;
  return `${field.name} ${value} is out of range (${field.min}-${field.max}${note})`;
}

/** For an entry that is none of the forms a field takes. */
function notAForm(field: CronField, text: string): string {
  const value = field.names.length > 0 ? `a number or name (${field.names[1]})` : "a number";
  return `the ${field.name} field "${text}" is not ${value}, a range (1-5), a list (1,15) or a step (*/5)`;
}

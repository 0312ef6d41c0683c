import { CRON_FIELDS, type CronField, fieldValue } from "../world/cron-field-problem.js";

/**
 * How often a cron expression fires on average, read from its fields, for the size estimates
 * of `caps.ts`. Stepping through fire times with croner costs tens of microseconds a fire,
 * too slow to estimate a week of `* * * * *` every time a scenario is parsed; an average rate
 * is all an estimate needs. Expressions are validated by `parseCron` before they get here;
 * a field this reader does not follow (`L`, `W`, `#`) counts as a single value.
 */

const DAYS_PER_MONTH_MEAN = 365.2425 / 12;

const [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK] = CRON_FIELDS;

/** Mean fires per day of a 5-field pattern (without its `CRON_TZ=` prefix). */
export function firesPerDay(pattern: string): number {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 5) return 24 * 60;
  const [minute, hour, dom, month, dow] = fields;
  const minutes = valuesOf(minute, MINUTE).size;
  const hours = valuesOf(hour, HOUR).size;
  const months = valuesOf(month, MONTH).size;
  const days = dayFraction(dom, dow);
  return minutes * hours * days * (months / 12);
}

/** The share of days a pattern's day-of-month and day-of-week fields let through. */
function dayFraction(dom: string, dow: string): number {
  const domAny = isAny(dom);
  const dowAny = isAny(dow);
  const domShare = Math.min(1, valuesOf(dom, DAY_OF_MONTH).size / DAYS_PER_MONTH_MEAN);
  const weekdays = new Set([...valuesOf(dow, DAY_OF_WEEK)].map((d) => d % 7));
  const dowShare = weekdays.size / 7;
  if (domAny && dowAny) return 1;
  if (domAny) return dowShare;
  if (dowAny) return domShare;
  // Both restricted: cron fires on days matching either (the Vixie rule croner follows).
  return 1 - (1 - domShare) * (1 - dowShare);
}

function isAny(field: string): boolean {
  return field === "*" || field === "?";
}

/** The values a field allows; an item this reader does not follow counts as one value. */
function valuesOf(field: string, spec: CronField): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const [range, stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const bounds = rangeOf(range, spec, stepText !== undefined);
    if (bounds === null || !Number.isInteger(step) || step < 1) {
      values.add(-1 - values.size); // a stand-in value, distinct from real ones and from each other
      continue;
    }
    for (let v = bounds[0]; v <= bounds[1]; v += step) values.add(v);
  }
  return values;
}

function rangeOf(range: string, spec: CronField, stepped: boolean): [number, number] | null {
  if (range === "*" || range === "?") return [spec.min, spec.max];
  const [from, to] = range.split("-");
  const lo = fieldValue(spec, from);
  if (lo === null) return null;
  if (to === undefined) return stepped ? [lo, spec.max] : [lo, lo];
  const hi = fieldValue(spec, to);
  return hi === null || hi < lo ? null : [lo, hi];
}

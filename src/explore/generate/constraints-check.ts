/**
 * What every generator checks of the constraints it is given, section by section, so that a
 * slip is a RangeError naming the constraint when the arbitrary is built, not documents other
 * than the constraints say, nor ones no scenario file takes (which `explore` would report as
 * `generated an invalid scenario` on every run).
 */
import { givenValueText } from "../../scenario/issue.js";

/** The RangeError for `field` (its full name), saying what it should be and what it is. */
export function constraintError(field: string, expected: string, found: unknown): RangeError {
  return new RangeError(`${field}: expected ${expected}, found ${givenValueText(found)}`);
}

/**
 * Throws for a section of constraints (`given`, named `prefix`; none, or null, is the defaults):
 * a number the section's `defaults` has given as anything but a number of 0 or more, finite
 * unless its default is not (`panicTotalMax`); a share past the whole (`…Rate`, `…Fraction`: 1;
 * `…Percent`: 100); a `…Min` above its `…Max` when both are given (one given alone past the
 * other's default moves it, as the generators always did); `mustDelete`'s times alike.
 */
export function checkSection(given: object | null | undefined, defaults: object, prefix: string): void {
  if (given === undefined || given === null) return;
  const values = given as Readonly<Record<string, unknown>>;
  const fallback = defaults as Readonly<Record<string, unknown>>;
  const field = (key: string) => `${prefix}.${key}`;
  for (const [key, value] of Object.entries(values)) {
    const standard = fallback[key];
    if (typeof standard !== "number") continue;
    const finite = Number.isFinite(standard);
    if (typeof value !== "number" || Number.isNaN(value) || value < 0 || (finite && !Number.isFinite(value)))
      throw constraintError(field(key), finite ? "a finite number ≥ 0" : "a number ≥ 0", value);
    const whole = /Percent$/.test(key) ? 100 : /(Rate|Fraction)(Max)?$/.test(key) ? 1 : null;
    if (whole !== null && value > whole) throw constraintError(field(key), `at most ${whole}`, value);
  }
  checkRanges(values, prefix);
  const must = values.mustDelete;
  if (must !== undefined && must !== null && typeof must === "object") {
    const times = must as Readonly<Record<string, unknown>>;
    for (const key of ["atMsMin", "atMsMax"])
      if (times[key] !== undefined) {
        const value = times[key];
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
          throw constraintError(`${prefix}.mustDelete.${key}`, "a finite number ≥ 0", value);
      }
    checkRanges(times, `${prefix}.mustDelete`);
  }
}

/** Throws for a `…Min` above its `…Max` in `values`, both given. */
function checkRanges(values: Readonly<Record<string, unknown>>, prefix: string): void {
  for (const [key, min] of Object.entries(values)) {
    if (!key.endsWith("Min")) continue;
    const maxKey = `${key.slice(0, -3)}Max`;
    const max = values[maxKey];
    if (typeof min === "number" && typeof max === "number" && min > max)
      throw new RangeError(`${prefix}.${key} (${min}) is above ${prefix}.${maxKey} (${max})`);
  }
}

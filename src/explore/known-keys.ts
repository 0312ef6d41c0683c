/**
 * Refuses a key an options object does not take: from JavaScript, a misspelt option
 * (`{ job: 2 }`, `{ seeed: 1 }`) would otherwise be ignored in silence, and the run made with
 * the default instead of what was meant.
 */
import { closest } from "../scenario/suggest.js";

/**
 * Throws a TypeError for the first key of `given` that is not in `known` (a key left undefined
 * is none: `{ ...opts, jobs: undefined }` spreads one in), naming it as `field(key)` and the
 * nearest known key, or all of them when none is near. `what` is what a key is, and what they
 * all are (`["option", "options"]`). `internal` keys are taken too, but neither listed nor
 * suggested: they are the project's own (a test's or the bench's), not a caller's to use.
 */
export function checkKnownKeys(
  given: object,
  known: readonly string[],
  field: (key: string) => string,
  what: readonly [string, string],
  internal: readonly string[] = [],
): void {
  const values = given as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(values)) {
    if (values[key] === undefined || known.includes(key) || internal.includes(key)) continue;
    const near = closest(key, known);
    throw new TypeError(
      `${field(key)}: no such ${what[0]}${near === undefined ? ` (the ${what[1]} are ${known.join(", ")})` : ` — did you mean ${near}?`}`,
    );
  }
}

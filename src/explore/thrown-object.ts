/**
 * A thrown object that is no Error, said by what it holds: `String()` of one says `[object
 * Object]`, which tells nothing of what the code under test threw.
 */
import { thrownText } from "../kernel/thrown.js";

/**
 * A thrown object (or array) that is no Error as a panic with it is said (`thrownText`: `{ code:
 * 42 } (not an Error)`, a Date by its instant in UTC), else null (an Error, or a
 * value `String()` says well). Null too for a Proxy whose traps throw: its callers say it as they
 * say any value they cannot read.
 */
export function thrownObjectText(value: unknown): string | null {
  try {
    if (typeof value !== "object" || value === null || value instanceof Error) return null;
    return thrownText(value);
  } catch {
    return null;
  }
}

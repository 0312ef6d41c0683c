import { parseTimeRef, resolveTimeRef } from "../scenario/index.js";
import { CliError } from "./errors.js";

/** A non-negative integer option. */
export function parseSeed(text: string | undefined, flag = "--seed"): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new CliError(`${flag}: expected a whole number ≥ 0, found "${text}"`);
  }
  return Number(text);
}

/** A positive integer option. */
export function parseCount(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new CliError(`${flag}: expected a whole number ≥ 1, found "${text}"`);
  }
  return Number(text);
}

/** A time within a run: `10:00`, `+15m` or an ISO instant. */
export function parseUntil(
  text: string | undefined,
  startMs: number,
  endMs: number,
  flag = "--until",
): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseTimeRef(text);
  if (!parsed.ok) throw new CliError(`${flag}: ${parsed.message}`);
  const t = resolveTimeRef(parsed.value, startMs);
  if (t <= startMs || t > endMs) {
    throw new CliError(
      `${flag}: ${text} is outside the run (${new Date(startMs).toISOString()} to ${new Date(endMs).toISOString()})`,
    );
  }
  return t;
}

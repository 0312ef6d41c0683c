/** Small helpers shared by the generators: durations as scenario text. */
import { formatDurationText } from "../../scenario/duration.js";

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;

/** `90` → `"1m30s"`: a whole number of seconds as a scenario duration. */
export function seconds(s: number): string {
  return formatDurationText(s * SECOND_MS);
}

/** `90` → `"+1m30s"`: an offset from the start of the run. */
export function offset(s: number): string {
  return `+${formatDurationText(s * SECOND_MS)}`;
}

/** Whole seconds in [minMs, maxMs] (rounded inwards), at least `floorS`. */
export function secondsRange(minMs: number, maxMs: number, floorS = 0): { min: number; max: number } {
  const min = Math.max(floorS, Math.ceil(minMs / SECOND_MS));
  return { min, max: Math.max(min, Math.floor(maxMs / SECOND_MS)) };
}

/**
 * `value`, and every object and list in it, frozen: the generators' exported defaults and
 * profiles are read by every arbitrary built after, explore's seed-named worlds included, so a
 * change to one (`SCENARIO_DEFAULTS.sloMs = 1000`) would change what a seed generates for the
 * whole process. Frozen, such a write throws (in strict code, as ES modules are).
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

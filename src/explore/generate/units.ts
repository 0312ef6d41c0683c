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

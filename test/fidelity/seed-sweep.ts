// Runs the May 8 scenario over many seeds, cut once the cascade is under way, and counts cascades.
import { runWorld } from "../../src/explore/run.js";
import { applyVariant, withEnd, withSeed } from "../../src/scenario/compile.js";
import { at, loadMay8 } from "./may8-scenario.js";

/**
 * The deletion is at 09:44:40 and the poison tasks first fire at 09:45:00; the sweep judges the
 * five minutes after that (by then the buggy cascade has crossed several workers) to keep 200
 * runs within the test budget. Nothing else happens in the scenario before the 10:06 deploy.
 */
export const SWEEP_END = at("09:50:00");

export interface SweepResult {
  cascades: number;
  depths: number[];
  /** Runs in which the deleted account's schedules were all removed by the window's end. */
  cleaned: number;
}

export function sweep(variant: string, seeds: readonly number[]): SweepResult {
  const { compiled } = loadMay8();
  const base = withEnd(applyVariant(compiled, variant)!, SWEEP_END);
  let cascades = 0;
  let cleaned = 0;
  const depths: number[] = [];
  for (const seed of seeds) {
    // Metrics alone are read: no worker lanes nor series are recorded (`judgeOnly`).
    const { report } = runWorld(withSeed(base, seed), { judgeOnly: true });
    if (report.metrics.cascade) cascades++;
    depths.push(report.metrics.cascadeDepth);
    if (report.metrics.deletionAt !== null && report.metrics.deletedSchedulesLeft === 0) cleaned++;
  }
  return { cascades, depths, cleaned };
}

export function seedRange(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

// Runs the May 8 scenario over many seeds, cut after the cascade window, and counts cascades.
import { runWorld } from "../../src/explore/run.js";
import { applyVariant, withEnd, withSeed } from "../../src/scenario/compile.js";
import { at, loadMay8 } from "./may8-scenario.js";

/**
 * The deletion is at 09:44:40 and nothing else happens until the 10:06 deploy, so a cascade,
 * if any, happens in between; the sweep stops at 09:58 to halve its cost.
 */
export const SWEEP_END = at("09:58:00");

export function sweep(variant: string, seeds: readonly number[]): { cascades: number; depths: number[] } {
  const { compiled } = loadMay8();
  const base = withEnd(applyVariant(compiled, variant)!, SWEEP_END);
  let cascades = 0;
  const depths: number[] = [];
  for (const seed of seeds) {
    const { report } = runWorld(withSeed(base, seed));
    if (report.metrics.cascade) cascades++;
    depths.push(report.metrics.cascadeDepth);
  }
  return { cascades, depths };
}

export function seedRange(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

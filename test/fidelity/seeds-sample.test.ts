// Shows, in the default run, that the May 8 outcome of each variant is no one-seed fluke: ten seeds
// spread over the range the long tier sweeps whole (seeds-*.long.test.ts, `npm run test:full`).
import { describe, expect, it } from "vitest";
import { sweep } from "./seed-sweep.js";

/** Seeds 7, 17, ..., 97: one in each tenth of the long tier's 1 to 100. */
const SAMPLE = Array.from({ length: 10 }, (_, i) => 7 + 10 * i);

describe("ten seeds of the May 8 scenario", () => {
  it("buggy cascades in at least 9, across several workers", () => {
    const { cascades, depths } = sweep("buggy", SAMPLE);
    // The long tier allows one seed in 100 without a cascade: at most one here.
    expect(cascades).toBeGreaterThanOrEqual(9);
    expect(depths.filter((d) => d >= 4).length).toBeGreaterThanOrEqual(5);
  });

  it("fixed cascades in none, and cleans the deleted account up in each", () => {
    const { cascades, depths, cleaned } = sweep("fixed", SAMPLE);
    expect(cascades).toBe(0);
    expect(Math.max(...depths)).toBe(0);
    expect(cleaned).toBe(SAMPLE.length);
  });
});

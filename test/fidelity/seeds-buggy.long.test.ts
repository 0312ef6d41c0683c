// Shows the May 8 cascade is not a one-seed fluke: over 100 seeds the buggy scheduler cascades in at least 99.
import { expect, it } from "vitest";
import { seedRange, sweep } from "./seed-sweep.js";

it("buggy cascades in at least 99 of 100 seeds", () => {
  const { cascades, depths } = sweep("buggy", seedRange(1, 100));
  expect(cascades).toBeGreaterThanOrEqual(99);
  // Not vacuous: the cascades reach several workers, not just two.
  expect(depths.filter((d) => d >= 4).length).toBeGreaterThanOrEqual(90);
}, 600_000);

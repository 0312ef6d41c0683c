// Shows the delivery-lag percentiles taken over lags and grouped backlog ages equal those of every age listed once per schedule and sorted.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lagPercentile, sortAgeGroups } from "../../src/world/lag-percentile.js";

/** The gauge's definition: nearest rank over every value, each group's age once per schedule. */
function expandedPercentile(
  lags: readonly number[],
  groups: readonly (readonly [number, number])[],
  q: number,
): number {
  const all = [...lags];
  for (const [age, count] of groups) for (let i = 0; i < count; i++) all.push(age);
  const sorted = Float64Array.from(all).sort();
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]);
}

const lagsArb = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.double({ min: 0, max: 2_000, noNaN: true })),
  {
    maxLength: 200,
  },
);
const groupsArb = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 1, max: 300 })),
  {
    selector: ([age]) => age,
    maxLength: 40,
  },
);
const qArb = fc.oneof(fc.constantFrom(0, 0.5, 0.99, 1), fc.double({ min: 0, max: 1, noNaN: true }));

describe("lag percentiles over grouped backlog ages", () => {
  it("equal the percentile of the lags and every schedule's age sorted together", () => {
    fc.assert(
      fc.property(lagsArb, groupsArb, qArb, (lags, groups, q) => {
        const sortedLags = Float64Array.from(lags).sort();
        const pairs = groups.flat();
        const schedules = sortAgeGroups(pairs);
        expect(schedules).toBe(groups.reduce((sum, [, count]) => sum + count, 0));
        expect(lagPercentile(sortedLags, pairs, schedules, q)).toBe(expandedPercentile(lags, groups, q));
      }),
      { numRuns: 2_000, seed: 1919 },
    );
  });

  it("are 0 with neither lags nor backlog, and take ties of a lag and an age as one value", () => {
    expect(lagPercentile(new Float64Array(0), [], 0, 0.99)).toBe(0);
    const pairs = [40, 2, 10, 3];
    expect(sortAgeGroups(pairs)).toBe(5);
    expect(pairs).toEqual([10, 3, 40, 2]);
    // 10, 10, 10, 10, 40, 40, 40: the 4th smallest is 10, the 7th 40.
    const lags = Float64Array.from([10, 40]);
    expect(lagPercentile(lags, pairs, 5, 0.5)).toBe(10);
    expect(lagPercentile(lags, pairs, 5, 0.99)).toBe(40);
  });
});

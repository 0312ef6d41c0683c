// Shows generated workloads keep to `schedulesMax`, named schedules included, and the named minimums with it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scenarioArbitrary } from "../../src/explore/generate/index.js";

describe("workload.schedulesMax", () => {
  it("caps the named schedules too, keeping namedAccountsMin accounts of namedSchedulesMin schedules", () => {
    // Three named accounts of up to three schedules each could be nine: the cap is five.
    const arb = scenarioArbitrary({
      workload: { schedulesMax: 5, namedAccountsMin: 2, namedSchedulesMin: 2 },
    });
    let cut = 0;
    for (const doc of fc.sample(arb, { numRuns: 60, seed: 3 })) {
      const named = doc.workload?.named ?? [];
      const schedules = named.reduce((n, a) => n + (a.schedules?.length ?? 0), 0);
      const perAccount = doc.workload?.schedulesPerAccount?.max ?? 0;
      expect(schedules + (doc.workload?.accounts ?? 0) * perAccount).toBeLessThanOrEqual(5);
      expect(named.length).toBeGreaterThanOrEqual(2);
      for (const a of named.slice(0, 2)) expect(a.schedules?.length).toBeGreaterThanOrEqual(2);
      if (schedules === 5) cut++;
    }
    expect(cut).toBeGreaterThan(0);
  });
});

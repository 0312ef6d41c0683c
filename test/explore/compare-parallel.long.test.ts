// Shows, in the long tier, the repetitions of compare-parallel.test.ts's cases: the parallel compare of three variants, with threads that keep events and without (five there, both ways), and of a module in JavaScript (TypeScript there, with its preload).
import { describe, expect, it } from "vitest";
import { compareRuns } from "../../src/explore/compare.js";
import { CompareThreads, compareRunsParallel } from "../../src/explore/compare-parallel.js";
import { built, comparesModuleOnThreads, tinyInputs } from "./compare-inputs.js";

describe("parallel compare", () => {
  it.skipIf(!built)("matches the sequential compare: same reports, same divergence", async () => {
    const inputs = tinyInputs();
    const sequential = compareRuns(inputs);
    const parallel = await compareRunsParallel(inputs);
    expect(JSON.stringify(parallel.reports)).toBe(JSON.stringify(sequential.reports));
    expect(parallel.divergence).not.toBeNull();
    expect(parallel.divergence).toEqual(sequential.divergence);
  });

  it.skipIf(!built)(
    "threads that keep no events replay to the divergence and find the same events",
    async () => {
      const inputs = tinyInputs();
      const sequential = compareRuns(inputs);
      const threads = CompareThreads.start(inputs.length, 0);
      expect(threads).not.toBeNull();
      const parallel = await compareRunsParallel(inputs, {}, threads);
      expect(parallel.divergence).toEqual(sequential.divergence);
      expect(parallel.divergence?.a?.type).toBeDefined();
    },
  );
});

describe("parallel compare of a user's scheduler module", () => {
  it.skipIf(!built)("imports mine.mjs on the worker threads and gives what one thread gives", () =>
    comparesModuleOnThreads("mine.mjs", false),
  );
});

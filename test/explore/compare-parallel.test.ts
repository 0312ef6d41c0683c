// Shows the parallel compare (a worker thread per variant) gives exactly what the sequential compare gives.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { compareRuns } from "../../src/explore/compare.js";
import { CompareThreads, compareRunsParallel } from "../../src/explore/compare-parallel.js";
import { bundledSchedulers, v2 } from "../../src/schedulers/index.js";
import { built, comparesModuleOnThreads, tinyInputs } from "./compare-inputs.js";

describe("compare with more than two variants", () => {
  const variants = ["buggy", "fixed", "v1", "early-return", "panic-recovery"];

  it("finds each later variant's own first divergence from the first, as a compare of that pair does", () => {
    const inputs = tinyInputs(variants);
    const all = compareRuns(inputs);
    const pairs = inputs.slice(1).map((input) => compareRuns([inputs[0], input]).divergence);
    expect(pairs.every((d) => d !== null)).toBe(true);
    expect(all.divergences).toEqual(pairs);
    expect(all.divergences.map((d) => d.variants)).toEqual(variants.slice(1).map((v) => ["buggy", v]));
    expect(all.divergence).toEqual(pairs[0]);
    // v1 parts from buggy well before the deletion that makes fixed part from it.
    const [fixed, v1] = all.divergences;
    expect(v1.index).toBeLessThan(fixed.index);
  });

  it.skipIf(!built)("gives the same divergences on worker threads, with or without replaying", async () => {
    const inputs = tinyInputs(variants);
    const sequential = compareRuns(inputs);
    const parallel = await compareRunsParallel(inputs);
    expect(JSON.stringify(parallel.reports)).toBe(JSON.stringify(sequential.reports));
    expect(parallel.divergences).toHaveLength(variants.length - 1);
    expect(parallel.divergences).toEqual(sequential.divergences);
    expect(parallel.divergence).not.toBeNull();
    expect(parallel.divergence).toEqual(sequential.divergence);
    // Threads that keep no events replay to each divergence and find the same events.
    const threads = CompareThreads.start(inputs.length, 0);
    expect(threads).not.toBeNull();
    const replayed = await compareRunsParallel(inputs, {}, threads);
    expect(replayed.divergences).toEqual(sequential.divergences);
    expect(replayed.divergence?.a?.type).toBeDefined();
  });

  it("lists no divergence for a variant that behaves as the first does", () => {
    const inputs = tinyInputs(["fixed", "buggy", "fixed"]);
    const c = compareRuns(inputs);
    expect(c.divergences.map((d) => d.variants)).toEqual([["fixed", "buggy"]]);
    expect(c.divergence?.variants).toEqual(["fixed", "buggy"]);
  });
});

describe("parallel compare and the wall-clock budget", () => {
  it.skipIf(!built)(
    "holds each thread's run to the budget when the caller has a clock, as the sequential compare does",
    async () => {
      // A budget of 0 ms: the first clock check (after 1,024 events) stops the run.
      const inputs = tinyInputs()
        .slice(0, 2)
        .map((input) => ({
          ...input,
          config: { ...input.config, limits: { ...input.config.limits, wallBudgetMs: 0 } },
        }));
      const clock = () => performance.now();
      const sequential = compareRuns(inputs, { wallClock: clock });
      const parallel = await compareRunsParallel(inputs, { wallClock: clock });
      for (const c of [sequential, parallel])
        expect(c.reports.map((r) => r.run.stopReason)).toEqual(["wall-budget", "wall-budget"]);
      // Without a clock there is no budget: the runs reach their horizon.
      const untimed = await compareRunsParallel(inputs);
      expect(untimed.reports.map((r) => r.run.stopReason)).toEqual(["horizon", "horizon"]);
    },
  );
});

describe("parallel compare of a user's scheduler module", () => {
  const both = ["early-return", "panic-recovery"];

  // A module in JavaScript too, in the long tier (compare-parallel.long.test.ts): the same threads, without the preload.
  it.skipIf(!built)("imports mine.ts on the worker threads and gives what one thread gives", () =>
    comparesModuleOnThreads("mine.ts", true),
  );

  it.skipIf(!built)("runs here when a thread cannot import a module, rather than fail", async () => {
    const [fixed] = tinyInputs(["fixed"]);
    const name = "module:./gone.mjs";
    const schedulers = bundledSchedulers().set(name, v2);
    const mine = {
      ...fixed,
      config: { ...fixed.config, scheduler: { name, fixes: both } },
      variantName: null,
    };
    const gone = pathToFileURL(join(tmpdir(), "aftershock-no-such-module.mjs")).href;
    const c = await compareRunsParallel([fixed, mine], { schedulers }, null, {
      modules: [{ name, url: gone }],
    });
    expect(JSON.stringify(c)).toBe(JSON.stringify(compareRuns([fixed, mine], { schedulers })));
  });

  it("runs here when the threads are not told of every module in the registry", async () => {
    const [fixed] = tinyInputs(["fixed"]);
    const schedulers = bundledSchedulers().set("module:./v2.mjs", v2);
    const mine = {
      ...fixed,
      config: { ...fixed.config, scheduler: { name: "module:./v2.mjs", fixes: both } },
      variantName: null,
    };
    // No thread is started for a run it could not import the scheduler of.
    const start = vi.spyOn(CompareThreads, "start");
    try {
      const c = await compareRunsParallel([fixed, mine], { schedulers }, null, { modules: [] });
      expect(start).not.toHaveBeenCalled();
      expect(c.divergence).toBeNull();
      expect(c.reports[1].variant.scheduler).toBe("module:./v2.mjs");
    } finally {
      start.mockRestore();
    }
  });

  it.skipIf(!built)("runs on threads when a module in the registry is one no run uses", async () => {
    // A scenario's own module, which the bundled variants run in place of: no thread imports it.
    const schedulers = bundledSchedulers().set("module:./own.mjs", v2);
    const inputs = tinyInputs(["buggy", "fixed"]);
    const start = vi.spyOn(CompareThreads, "start");
    try {
      const c = await compareRunsParallel(inputs, { schedulers }, null, { modules: [] });
      expect(start).toHaveBeenCalledWith(1);
      expect(JSON.stringify(c)).toBe(JSON.stringify(compareRuns(inputs, { schedulers })));
    } finally {
      start.mockRestore();
    }
  });
});

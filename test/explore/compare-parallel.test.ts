// Shows the parallel compare (a worker thread per variant) gives exactly what the sequential compare gives.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuns } from "../../src/explore/compare.js";
import { CompareThreads, compareRunsParallel } from "../../src/explore/compare-parallel.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TINY = join(ROOT, "test", "cli", "fixtures", "tiny.yaml");
const built = existsSync(join(ROOT, "dist", "src", "explore", "compare-worker.js"));

function tinyInputs(variants = ["buggy", "fixed", "early-return"]) {
  const parsed = parseScenario(readFileSync(TINY, "utf8"), TINY);
  if (!parsed.ok) throw new Error("fixture does not parse");
  const base = compileScenario(parsed.scenario);
  return variants.map((v) => applyVariant(base, v)!);
}

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
    expect(parallel.divergences).toHaveLength(variants.length - 1);
    expect(parallel.divergences).toEqual(sequential.divergences);
    expect(parallel.divergence).toEqual(sequential.divergence);
    const replayed = await compareRunsParallel(inputs, {}, CompareThreads.start(inputs.length, 0));
    expect(replayed.divergences).toEqual(sequential.divergences);
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

// Shows what the README promises of generated worlds in the library: generators.worldOf rebuilds a failure's world from its generationSeed before any shrink (under a fast-check global configuration of the caller's too, a module plan's with its module), and runScenario of a document's YAML names its variant as the CLI's run does, with runWorld's trace hash.
import fc from "fast-check";
import { afterEach, expect, it } from "vitest";
import { DEFAULT_PROPERTIES, explore, generators, runScenario, runWorld } from "../../src/index.js";

const plan = {
  mode: "generated",
  variant: "buggy",
  properties: DEFAULT_PROPERTIES,
  constraints: generators.sized(generators.TEST_SIZED, generators.cascadeAfterDeletion()),
  seed: 3,
} as const;

afterEach(() => fc.resetConfigureGlobal());

it("worldOf rebuilds a failure's world from its generationSeed, whatever fc.configureGlobal says, and runScenario of its YAML names the variant", async () => {
  const { failures } = await explore({ plan, runs: 2, shrinkRunsMax: 0 });
  const failure = failures[0];
  expect(failure?.generationSeed).toEqual(expect.any(Number));
  // A caller's tests' global configuration: with it, fc.sample of the same seed draws another world.
  fc.configureGlobal({ randomType: "mersenne", baseSize: "large" });
  const sampled = fc.sample(generators.scenarioArbitrary({ ...plan.constraints, variant: plan.variant }), {
    seed: failure.generationSeed!,
    numRuns: 1,
  })[0];
  const doc = generators.worldOf(plan, failure.generationSeed!);
  expect(sampled).not.toEqual(doc);
  expect(fc.readConfigureGlobal().randomType).toBe("mersenne"); // put back after
  const compiled = generators.compileDocument(doc);
  if (!compiled.ok) throw new Error(compiled.problems.join("; "));
  const byWorld = runWorld(compiled.compiled).report;
  expect(byWorld.traceHash).toBe(failure.traceHash);
  expect(byWorld.variant.name).toBeNull();
  const byText = runScenario(generators.documentYaml(doc), {}, "world.yaml").report;
  expect(byText.traceHash).toBe(failure.traceHash);
  expect(byText.variant.name).toBe("buggy");
});

it("worldOf gives a module plan's world its module as scheduler, and refuses a seed that is none", () => {
  const module = { path: "./mine.mjs", fixes: ["early-return"] };
  const withModule = generators.worldOf({ ...plan, module }, 12345);
  const without = generators.worldOf(plan, 12345);
  expect(withModule.scheduler).toEqual({ module: "./mine.mjs", fixes: ["early-return"] });
  expect({ ...withModule, scheduler: without.scheduler, description: without.description }).toEqual(without);
  expect(() => generators.worldOf(plan, 1.5)).toThrow(
    "generationSeed: expected a whole number from 0 to 2^31 - 1 (an ExploreFailure's generationSeed), found 1.5",
  );
  expect(() => generators.worldOf(null as never, 1)).toThrow(TypeError);
  expect(() => generators.worldOf({ ...plan, module: { path: "./mine.mjs" } as never }, 1)).toThrow(
    "plan.module: expected { path, fixes }",
  );
  // A scenario plan draws no worlds: its runs are its own scenario at seeds.
  expect(() => generators.worldOf({ mode: "scenario", variant: "fixed", baseSeed: 1 } as never, 1)).toThrow(
    'plan.mode: expected "generated"',
  );
});

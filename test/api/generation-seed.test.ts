// Shows what the README promises of generated worlds in the library: a failure's generationSeed rebuilds its world before any shrink, and runScenario of a document's YAML names its variant as the CLI's run does, with runWorld's trace hash.
import fc from "fast-check";
import { expect, it } from "vitest";
import { DEFAULT_PROPERTIES, explore, generators, runScenario, runWorld } from "../../src/index.js";

it("a failure's generationSeed rebuilds its world, and runScenario of its YAML names the variant", async () => {
  const plan = {
    mode: "generated",
    variant: "buggy",
    properties: DEFAULT_PROPERTIES,
    constraints: generators.sized(generators.TEST_SIZED, generators.cascadeAfterDeletion()),
    seed: 3,
  } as const;
  const { failures } = await explore({ plan, runs: 2, shrinkRunsMax: 0 });
  const failure = failures[0];
  expect(failure?.generationSeed).toEqual(expect.any(Number));
  const [doc] = fc.sample(generators.scenarioArbitrary({ ...plan.constraints, variant: plan.variant }), {
    seed: failure.generationSeed!,
    numRuns: 1,
  });
  const compiled = generators.compileDocument(doc);
  if (!compiled.ok) throw new Error(compiled.problems.join("; "));
  const byWorld = runWorld(compiled.compiled).report;
  expect(byWorld.traceHash).toBe(failure.traceHash);
  expect(byWorld.variant.name).toBeNull();
  const byText = runScenario(generators.documentYaml(doc), {}, "world.yaml").report;
  expect(byText.traceHash).toBe(failure.traceHash);
  expect(byText.variant.name).toBe("buggy");
});

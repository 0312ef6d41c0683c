// Shows that a fast-check global configuration in the caller's process (a test setup's) changes nothing that explore finds or shrinks, runs none of the caller's hooks, and is put back after.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_PROPERTIES, type ExploreOutcome, explore, generators } from "../../src/index.js";

const plan = {
  mode: "generated" as const,
  variant: "early-return" as const,
  properties: DEFAULT_PROPERTIES,
  constraints: generators.sized(generators.TEST_SIZED),
  seed: 9,
};

/** What an exploration found, as a reproducer would replay it: each failure's worlds and traces. */
function found(outcome: ExploreOutcome): unknown[] {
  return outcome.failures.map((f) => [
    f.run,
    f.traceHash,
    f.documentRun?.traceHash ?? null,
    f.shrink,
    generators.documentYaml(f.document!),
  ]);
}

async function explored(): Promise<ExploreOutcome> {
  return explore({ plan, runs: 12, jobs: 1, keepGoing: true, shrinkFailuresMax: 2, shrinkRunsMax: 40 });
}

/**
 * The exploration under no global configuration nor plugin, made once for the tests that compare
 * against it (each asks for it before it configures anything).
 */
let plainOutcome: Promise<ExploreOutcome> | undefined;
function exploredPlain(): Promise<ExploreOutcome> {
  plainOutcome ??= explored();
  return plainOutcome;
}

afterEach(() => fc.resetConfigureGlobal());

describe("explore under a fast-check global configuration", () => {
  it("finds and shrinks the same failures as without one, runs none of its hooks, and leaves it in place", async () => {
    const plain = await exploredPlain();
    expect(plain.failures.length).toBeGreaterThan(0);
    // Shrunk: the check that the shrinks ran, not only the search.
    expect(plain.failures.some((f) => (f.shrink?.steps ?? 0) > 0)).toBe(true);
    let hooks = 0;
    const config: fc.GlobalParameters = {
      randomType: "mersenne",
      baseSize: "xlarge",
      defaultSizeToMaxWhenMaxSpecified: true,
      endOnFailure: true,
      numRuns: 3,
      interruptAfterTimeLimit: 1,
      skipAllAfterTimeLimit: 1,
      asyncBeforeEach: async () => void hooks++,
      asyncAfterEach: async () => void hooks++,
    };
    fc.configureGlobal(config);
    const configured = await explored();
    expect(JSON.stringify(found(configured))).toBe(JSON.stringify(found(plain)));
    expect(configured.failures.map((f) => f.shrink)).toEqual(plain.failures.map((f) => f.shrink));
    expect(hooks).toBe(0);
    expect(fc.readConfigureGlobal()).toEqual(config);
  });

  it("generates the same documents from the generators' arbitraries whatever the global sizes", () => {
    // Lists allowed past fast-check's small size (10), where the size decides how long they grow.
    const constraints = generators.sized(plan.constraints, {
      timeline: { actionsMax: 40 },
      faults: { faultsMax: 40 },
      workload: { namedAccountsMax: 30 },
    });
    const lengths = (docs: generators.ScenarioDocument[]) =>
      docs.map((d) => [d.timeline?.length ?? 0, d.faults?.length ?? 0]);
    const plain = fc.sample(generators.scenarioArbitrary(constraints), { seed: 5, numRuns: 30 });
    expect(Math.max(...lengths(plain).flat())).toBeGreaterThan(0);
    // Sizes are read as an arbitrary is built: this one is built under the configuration.
    fc.configureGlobal({ baseSize: "xlarge", defaultSizeToMaxWhenMaxSpecified: true });
    const sized = fc.sample(generators.scenarioArbitrary(constraints), { seed: 5, numRuns: 30 });
    expect(lengths(sized)).toEqual(lengths(plain));
    expect(sized).toEqual(plain);
  });

  // Last: fast-check has no way to take a global plugin out, so it is switched off in place.
  it("finds and shrinks the same failures under a global plugin, which never runs in its checks", async () => {
    const plain = await exploredPlain();
    let on = true;
    let runs = 0;
    // Counts every try it wraps, and passes a shrink's tries after the first few (as a plugin may).
    const plugin: fc.Plugin<unknown> = () => ({
      decorateRun: (next) => (value) => {
        if (!on) return next(value);
        runs++;
        return runs > 5 ? null : next(value);
      },
    });
    fc.installGlobalPlugin(plugin);
    try {
      const plugged = await explored();
      expect(JSON.stringify(found(plugged))).toBe(JSON.stringify(found(plain)));
      expect(runs).toBe(0);
    } finally {
      on = false;
    }
  });
});

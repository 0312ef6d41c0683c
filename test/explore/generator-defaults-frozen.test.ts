// Shows that the generators' exported defaults and profiles are frozen all the way down, so no caller can change what a seed generates for the whole process.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generators } from "../../src/index.js";

const EXPORTED = {
  SCENARIO_DEFAULTS: generators.SCENARIO_DEFAULTS,
  FLEET_DEFAULTS: generators.FLEET_DEFAULTS,
  WORKLOAD_DEFAULTS: generators.WORKLOAD_DEFAULTS,
  TIMELINE_DEFAULTS: generators.TIMELINE_DEFAULTS,
  FAULT_DEFAULTS: generators.FAULT_DEFAULTS,
  PROPERTY_SIZED: generators.PROPERTY_SIZED,
  TEST_SIZED: generators.TEST_SIZED,
  CRON_MIX: generators.CRON_MIX,
  NAMED_CRON: generators.NAMED_CRON,
  TIMELINE_KINDS: generators.TIMELINE_KINDS,
};

/** The paths of the objects and lists in `value` that are not frozen. */
function unfrozen(value: unknown, path: string): string[] {
  if (value === null || typeof value !== "object") return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => unfrozen(v, `${path}.${k}`))];
}

describe("the generators' exported defaults and profiles", () => {
  it("are frozen, every object and list in them", () => {
    expect(Object.entries(EXPORTED).flatMap(([name, value]) => unfrozen(value, name))).toEqual([]);
  });

  it("refuse a write, and a seed generates what it did", () => {
    const before = fc.sample(generators.scenarioArbitrary(generators.TEST_SIZED), { seed: 3, numRuns: 2 });
    const writable = EXPORTED as unknown as Record<string, Record<string, unknown>>;
    expect(() => {
      writable.SCENARIO_DEFAULTS.sloMs = 1000;
    }).toThrow(TypeError);
    expect(() => {
      (writable.FLEET_DEFAULTS as Record<string, unknown>).workersMax = 3;
    }).toThrow(TypeError);
    expect(() => {
      (writable.PROPERTY_SIZED.fleet as Record<string, unknown>).workersMin = 1;
    }).toThrow(TypeError);
    expect(() => (generators.CRON_MIX as string[]).push("0 0 * * *")).toThrow(TypeError);
    expect(() => (generators.FAULT_DEFAULTS.kinds as string[]).pop()).toThrow(TypeError);
    const after = fc.sample(generators.scenarioArbitrary(generators.TEST_SIZED), { seed: 3, numRuns: 2 });
    expect(after).toEqual(before);
  });
});

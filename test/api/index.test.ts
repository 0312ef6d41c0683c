// Shows the programmatic API: runScenario and compareVariants return data, and bad text becomes a ScenarioError.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareVariants, runScenario, ScenarioError } from "../../src/index.js";

const TINY = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");

describe("programmatic API", () => {
  it("runs a scenario from its text and judges the variant's expectations", () => {
    const { report, expectations } = runScenario(TINY, { variant: "buggy" }, "tiny.yaml");
    expect(report.metrics.cascade).toBe(true);
    expect(expectations.map((e) => [e.name, e.ok])).toEqual([["no-cascade fails", true]]);
    const again = runScenario(TINY, { variant: "buggy" }, "tiny.yaml");
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
  });

  it("honours seed and until", () => {
    const base = runScenario(TINY, { variant: "fixed" }).report;
    const seeded = runScenario(TINY, { variant: "fixed", seed: 99 }).report;
    expect(seeded.seed).toBe(99);
    expect(seeded.traceHash).not.toBe(base.traceHash);
    const cut = runScenario(TINY, { variant: "fixed", untilMs: Date.parse("2026-05-08T09:45:00Z") }).report;
    expect(cut.run.end).toBe("2026-05-08T09:45:00.000Z");
    expect(cut.events).toBeLessThan(base.events);
  });

  it("compares variants on one world and finds the divergence after the deletion", () => {
    const { reports, divergence } = compareVariants(TINY, ["buggy", "fixed"]);
    expect(reports.map((r) => r.variant.name)).toEqual(["buggy", "fixed"]);
    expect(divergence).not.toBeNull();
    expect(divergence!.t).toBeGreaterThanOrEqual(Date.parse("2026-05-08T09:42:30Z"));
  });

  it("throws a ScenarioError carrying every issue for bad text", () => {
    try {
      runScenario("name: x\nstart: nope\n", {}, "bad.yaml");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).issues.length).toBeGreaterThan(1);
      expect((error as ScenarioError).issues[0].file).toBe("bad.yaml");
    }
  });
});

// The bundled scenarios as the gate sees them: each has expectations and golden hashes for every variant it gates, and the small ones pass here (all of them pass in .ci/run).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectedVariants } from "../../src/explore/gate.js";
import { parseGolden } from "../../src/explore/gate-golden.js";
import { parseScenario } from "../../src/scenario/index.js";
import { cli } from "./helpers.js";

const DIR = "scenarios";
const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f));

describe("bundled scenarios", () => {
  it.each(files)("%s has expectations and a golden hash for each variant they name", (file) => {
    const parsed = parseScenario(readFileSync(`${DIR}/${file}`, "utf8"), file);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const variants = expectedVariants(parsed.scenario);
    expect(variants.length).toBeGreaterThan(0);
    const golden = parseGolden(
      readFileSync(`${DIR}/golden/${file.replace(/\.(ya?ml|json)$/, ".json")}`, "utf8"),
    );
    expect(golden.ok).toBe(true);
    if (!golden.ok) return;
    expect(golden.golden.scenario).toBe(parsed.scenario.name);
    expect(golden.golden.seed).toBe(parsed.scenario.seed);
    expect(Object.keys(golden.golden.variants).sort()).toEqual([...variants].sort());
  });

  it("the small bundled scenarios pass the gate, golden hashes included", async () => {
    const r = await cli([
      "gate",
      `${DIR}/quiet-day.yaml`,
      `${DIR}/single-worker-crash-loop.yaml`,
      "--jobs",
      "1",
      "--json",
    ]);
    const report = JSON.parse(r.out) as {
      exitCode: number;
      suites: { cases: { kind: string; status: string; message: string }[] }[];
    };
    const bad = report.suites.flatMap((s) => s.cases).filter((k) => k.status !== "passed");
    expect(bad).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.suites.flatMap((s) => s.cases).filter((k) => k.kind === "golden")).toHaveLength(4);
  });
});

// An `expect` entry on `deterministic` is judged by the gate's two runs of the variant; `run` and `compare` cannot judge it and do not fail on it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, type JsonCase } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";
const RANDOM = "test/gate/fixtures/modules/random-startup.mjs";

/** small-cascade with its `expect` list replaced. */
function scenarioWith(expectLines: readonly string[]): string {
  const text = readFileSync(PASS, "utf8").replace(/\nexpect:\n[\s\S]*$/, "\n");
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-det-")), "det.yaml");
  writeFileSync(file, `${text}expect:\n${expectLines.map((l) => `  - ${l}\n`).join("")}`);
  return file;
}

async function gate(args: string[]) {
  const r = await cli(["gate", ...args, "--json", "--jobs", "1"]);
  const cases = (JSON.parse(r.out) as { suites: { cases: JsonCase[] }[] }).suites[0].cases;
  return { code: r.code, cases };
}

describe("a `deterministic` expectation", () => {
  it("in the gate is the variant's determinism check, at the expectation's line, under its usual name", async () => {
    const file = scenarioWith([
      "{ variant: buggy, property: deterministic, holds: true }",
      "{ variant: buggy, metric: cascadeDepth, op: '>=', value: 2 }",
    ]);
    const { code, cases } = await gate([file]);
    expect(code).toBe(0);
    const det = cases.filter((k) => k.name.startsWith("small-cascade [buggy] deterministic"));
    expect(det).toMatchObject([
      { name: "small-cascade [buggy] deterministic", kind: "determinism", status: "passed", line: 33 },
    ]);
    expect(det[0].message).toMatch(/^two runs at seed 42 gave the same trace/);
  });

  it("with holds: false fails (exit 1) when the two runs agree", async () => {
    const file = scenarioWith(["{ variant: fixed, property: deterministic, holds: false }"]);
    const { code, cases } = await gate([file]);
    expect(code).toBe(1);
    expect(cases.find((k) => k.name === "small-cascade [fixed] deterministic fails")).toMatchObject({
      status: "failed",
      exitCode: 1,
      line: 33,
    });
    expect(cases.filter((k) => k.kind === "determinism")).toEqual([]);
  });

  it("judges a nondeterministic scheduler: holds: true is exit 3, holds: false passes", async () => {
    const held = await gate([
      scenarioWith(["{ variant: fixed, property: deterministic, holds: true }"]),
      "--scheduler",
      RANDOM,
    ]);
    expect(held.code).toBe(3);
    expect(held.cases).toMatchObject([
      { name: "small-cascade [fixed] deterministic", status: "failed", exitCode: 3, line: 33 },
    ]);
    expect(held.cases[0].message).toMatch(/^nondeterminism: /);
    const failed = await gate([
      scenarioWith(["{ variant: fixed, property: deterministic, holds: false }"]),
      "--scheduler",
      RANDOM,
    ]);
    expect(failed.code).toBe(0);
    expect(failed.cases).toMatchObject([
      { name: "small-cascade [fixed] deterministic fails", status: "passed" },
    ]);
  });

  it("in `run` is not judged and does not make the exit code 1: it says the gate judges it", async () => {
    const file = scenarioWith(["{ variant: fixed, property: deterministic, holds: true }"]);
    const r = await cli(["run", file, "--variant", "fixed"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/○ deterministic +not judged: one run cannot judge determinism: `aftershock gate`/);
    expect(r.out).not.toContain("✗ deterministic");
  });
});

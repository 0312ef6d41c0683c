// Shows `run`'s exit code through the parsed-argument layer: one failed expectation of the variant fails the run, even beside one that held.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../explore/cli-helpers.js";

const SMALL_FALSE = "test/gate/fixtures/fail/small-false.yaml";

/** small-false with one more expectation of the fixed variant, which it cannot meet: a cascade. */
function fixedExpectingCascade(): string {
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-exit-")), "fixed-cascade.yaml");
  const source = readFileSync(SMALL_FALSE, "utf8");
  writeFileSync(
    file,
    `${source.trimEnd()}\n  - { variant: fixed, metric: cascadeDepth, op: ">=", value: 1 }\n`,
  );
  return file;
}

describe("run's exit code", () => {
  it("is 1 when one expectation of the variant holds and another fails", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy");
    expect(r.out).toMatch(/✓ no-cascade fails\s+measured fails/);
    expect(r.out).toMatch(/✗ cascadeDepth <= 1\s+expected cascadeDepth <= 1, measured 4/);
    expect(r.code, r.err).toBe(1);
  });

  it("is 0 when every expectation of the variant holds", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "fixed", "--quiet");
    expect(r.code, r.err).toBe(0);
  });
});

describe("run --quiet's one line", () => {
  // The line is all a script's log keeps of the run: it must say what decided the exit code.
  it("says which expectation failed when one decides exit 1, though every property held", async () => {
    const r = await cli("run", fixedExpectingCascade(), "--variant", "fixed", "--quiet");
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/all properties held; expectations failed: cascadeDepth >= 1 \(1 of 4\)\n$/);
  });

  it("says the expectations were met when the buggy variant breaks properties as expected (exit 0)", async () => {
    const r = await cli("run", "test/cli/fixtures/tiny.yaml", "--variant", "buggy", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/failed: no-cascade[^;\n]*; expectations: all 1 met\n$/);
  });

  it("says nothing of expectations when the scenario has none for the variant (the properties decide)", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "v1", "--quiet");
    expect(r.out).not.toContain("expectations");
  });
});

describe("a run with no expectation of its own, in a scenario with some for other variants", () => {
  // A scenario without `scheduler:` runs the buggy variant: expectations written for the fixed one
  // must not be ignored in silence.
  it("says so in the report and on --quiet's stderr, naming the variants and how to run the first", async () => {
    const hint =
      "no expectation for v1 (its properties decide the exit code): this scenario's expectations are for buggy, fixed, early-return: aftershock run test/gate/fixtures/fail/small-false.yaml --variant buggy";
    const r = await cli("run", SMALL_FALSE, "--variant", "v1");
    expect(r.out).toContain(`Expectations\n  ${hint}\n`);
    const quiet = await cli("run", SMALL_FALSE, "--variant", "v1", "--quiet");
    expect(quiet.out).not.toContain("expectations");
    expect(quiet.err).toContain(`aftershock: ${SMALL_FALSE}: ${hint}`);
  });

  it("keeps it out of --json, whose stdout stays the one RunReport object", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "v1", "--json");
    expect(JSON.parse(r.out).expectations).toEqual([]);
    expect(r.out).not.toContain("no expectation for");
    expect(r.err).not.toContain("no expectation for");
  });
});

describe("run --until before the scenario's end", () => {
  // The expectations speak of the whole run: `cascadeDepth <= 1` of a run stopped 2 minutes in is
  // not known to hold, nor `no-cascade fails` to fail. They are shown as measured, judge nothing,
  // and the properties decide the exit code, as for a scenario without expectations.
  it("judges no expectation, says why once, and lets the properties decide (exit 0)", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy", "--until", "+2m");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      "Expectations (not judged: --until 09:42 stops the run before the scenario's end at 09:55, and the expectations are for the whole run)",
    );
    expect(r.out).toMatch(/○ no-cascade fails\s+measured holds/);
    expect(r.out).toMatch(/○ cascadeDepth <= 1\s+measured 0/);
    expect(r.out.slice(r.out.indexOf("Expectations ("))).not.toMatch(/[✓✗] /);
  });

  it("says on --quiet's line that the expectations were not judged, and why", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy", "--until", "+2m", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /all properties held; expectations not judged: --until 09:42 stops the run before the scenario's end at 09:55, and the expectations are for the whole run\n$/,
    );
  });

  it("still judges them when --until is the scenario's end", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy", "--until", "09:55", "--quiet");
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/expectations failed: cascadeDepth <= 1 \(1 of 2\)\n$/);
  });
});

// Shows `run`'s exit code through the parsed-argument layer: one failed expectation of the variant fails the run, even beside one that held.
import { describe, expect, it } from "vitest";
import { cli } from "../explore/cli-helpers.js";

const SMALL_FALSE = "test/gate/fixtures/fail/small-false.yaml";

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
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy", "--until", "+2m", "--quiet");
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/all properties held; expectations failed: no-cascade fails \(1 of 2\)\n$/);
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

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

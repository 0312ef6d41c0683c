// Shows that a reproducer shrunk from a scenario does not carry the scenario's assumptions about a world it no longer has.
import { describe, expect, it } from "vitest";
import type { ExploreFailure } from "../../src/explore/explore.js";
import { reproducerDocument } from "../../src/explore/reproducer.js";
import { smallDocument } from "./helpers.js";

const ASSUMPTIONS = ["Fleet of 8 worker processes, each ready 20 s after start.", "Lease 30 s."];

function failure(shrink: ExploreFailure["shrink"]): ExploreFailure {
  return {
    run: 0,
    kind: "no-panic-death",
    failed: ["no-panic-death"],
    seed: 7,
    generationSeed: null,
    detail: "1 worker process died of a panic",
    traceHash: "0123456789abcdef",
    document: smallDocument({ assumptions: ASSUMPTIONS, sources: ["Status page incident #2151"] }),
    documentRun: null,
    shrink,
  };
}

describe("reproducer assumptions", () => {
  it("keeps the scenario's assumptions when the world is the scenario's own", () => {
    const unshrunk = reproducerDocument(failure(null), { variant: "buggy", origin: "may8.yaml" });
    expect(unshrunk?.assumptions).toEqual(ASSUMPTIONS);
    const noStep = reproducerDocument(failure({ runs: 3, steps: 0, exhausted: false, cutBy: null }), {
      variant: "buggy",
      origin: "may8.yaml",
    });
    expect(noStep?.assumptions).toEqual(ASSUMPTIONS);
  });

  it("replaces them with a note naming where they came from once the world was shrunk", () => {
    const doc = reproducerDocument(failure({ runs: 40, steps: 12, exhausted: false, cutBy: null }), {
      variant: "buggy",
      origin: "may8.yaml",
    });
    expect(doc?.assumptions).toHaveLength(1);
    expect(doc?.assumptions?.[0]).toContain("may8.yaml");
    expect(doc?.assumptions?.[0]).not.toContain("Fleet of 8");
    // Public facts stay facts whatever the world.
    expect(doc?.sources).toEqual(["Status page incident #2151"]);
  });
});

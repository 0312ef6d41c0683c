// Shows what a reproducer says of where it comes from: the seed of the run it was shrunk from, and no assumptions of a world it no longer has.
import { describe, expect, it } from "vitest";
import type { ExploreFailure } from "../../src/explore/explore.js";
import { reproducerDocument, reproducerText } from "../../src/explore/reproducer.js";
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
    document: smallDocument({
      assumptions: ASSUMPTIONS,
      onCallAssumptions: ASSUMPTIONS.slice(1),
      sources: ["Status page incident #2151"],
    }),
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
    // The on-call view's wording of them too (what a training session's room sees).
    expect(unshrunk?.onCallAssumptions).toEqual(["Lease 30 s."]);
  });

  it("replaces them with a note naming where they came from once the world was shrunk", () => {
    const doc = reproducerDocument(failure({ runs: 40, steps: 12, exhausted: false, cutBy: null }), {
      variant: "buggy",
      origin: "may8.yaml",
    });
    expect(doc?.assumptions).toHaveLength(1);
    expect(doc?.assumptions?.[0]).toContain("may8.yaml");
    expect(doc?.assumptions?.[0]).not.toContain("Fleet of 8");
    // The on-call view's wording of the old world's assumptions goes with them.
    expect(doc).not.toHaveProperty("onCallAssumptions");
    // Public facts stay facts whatever the world.
    expect(doc?.sources).toEqual(["Status page incident #2151"]);
  });
});

describe("reproducer description", () => {
  it("says a shrink cut short may shrink further, as the report does", () => {
    const description = (shrink: ExploreFailure["shrink"]) =>
      reproducerDocument(failure(shrink), { variant: "buggy", origin: "may8.yaml" })?.description;
    expect(description({ runs: 2, steps: 2, exhausted: true, cutBy: "interrupted" })).toContain(
      "shrunk in 2 steps (2 runs) (interrupted: may shrink further).",
    );
    expect(description({ runs: 9, steps: 4, exhausted: true, cutBy: "time-budget" })).toContain(
      "shrunk in 4 steps (9 runs) (the time budget was spent: may shrink further).",
    );
    expect(description({ runs: 300, steps: 4, exhausted: true, cutBy: null })).toContain(
      "shrunk in 4 steps (300 runs) (budget exhausted: may shrink further).",
    );
    expect(description({ runs: 40, steps: 12, exhausted: false, cutBy: null })).toContain(
      "shrunk in 12 steps (40 runs).",
    );
  });
});

describe("reproducer settings", () => {
  it("keeps the generated workload's settings while it generates accounts", () => {
    const doc = reproducerDocument(failure(null), { variant: "buggy", origin: "may8.yaml" });
    expect(doc?.workload).toEqual(smallDocument().workload);
  });
});

describe("reproducer seed", () => {
  // A generated world's shrink draws it again from smaller seeds: the file runs one seed, the
  // report and the progress lines named another, and the file must let a reader match the two.
  const shrunkRun = {
    seed: 0,
    traceHash: "fedcba9876543210",
    verdicts: [{ property: "no-panic-death", ok: false, detail: "1 worker process died of a panic" }],
  } as unknown as NonNullable<ExploreFailure["documentRun"]>;
  const shrunk: ExploreFailure = {
    ...failure({ runs: 40, steps: 12, exhausted: false, cutBy: null }),
    seed: 1355536637,
    documentRun: shrunkRun,
  };

  it("names the run's seed beside the seed the reproducer runs", () => {
    const doc = reproducerDocument(shrunk, { variant: "early-return", origin: "generated worlds (seed 7)" })!;
    expect(doc.description).toContain(
      "seed 0, shrunk from the run's seed 1355536637, run 0 of generated worlds (seed 7)",
    );
    const text = reproducerText(doc, shrunk, "aftershock run x.yaml");
    expect(text.split("\n")[0]).toBe(
      "# aftershock explore reproducer: no-panic-death (run 0, seed 0, shrunk from the run's seed 1355536637)",
    );
  });

  it("says one seed when the reproducer runs the run's own", () => {
    const same = { ...shrunk, seed: 0 };
    const text = reproducerText(
      reproducerDocument(same, { variant: "early-return", origin: "g" })!,
      same,
      "r",
    );
    expect(text.split("\n")[0]).toBe("# aftershock explore reproducer: no-panic-death (run 0, seed 0)");
  });
});

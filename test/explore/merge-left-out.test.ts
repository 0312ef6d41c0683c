// Shows that merge joins a shard that left a property out by default with one that named the same properties with --properties, in either order, and that what differs between two targets is said readably.
import { describe, expect, it } from "vitest";
import {
  type ExploreReport,
  type ExploreTarget,
  mergeExploreReports,
  targetDifference,
} from "../../src/explore/explore-report.js";

const JUDGED = ["no-cascade", "no-missed-delivery"];
const LEFT_OUT = [{ property: "no-panic-death", index: 0, variant: "fixed" }];

/** Shard `index` of 2 of a 4-run exploration of one scenario, its target changed by `over`. */
function shard(index: number, over: Partial<ExploreTarget> = {}): ExploreReport {
  const target: ExploreTarget = {
    mode: "scenario",
    scenario: "tiny",
    source: "tiny.yaml",
    variant: null,
    seed: 5,
    runs: 4,
    properties: JUDGED,
    ...(over.propertiesLeftOut === undefined ? {} : { propertiesLeftOut: over.propertiesLeftOut }),
    constraints: null,
    digest: `sha256:${"ab".repeat(32)}`,
    digestFiles: [],
    aftershock: "0.1.0",
    ...over,
  };
  return {
    kind: "aftershock.explore",
    version: 1,
    target,
    shards: { count: 2, present: [index], missing: [] },
    planned: 2,
    completed: 2,
    stoppedBy: "done",
    properties: Object.fromEntries(JUDGED.map((p) => [p, { checked: 2, failed: 0, exercised: 1 }])),
    shardStops: [{ shard: index, report: null, stoppedBy: "done", planned: 2, completed: 2 }],
    faultsFired: {},
    faultsSkipped: {},
    faultsPlanned: {},
    faultPointsReached: 0,
    faultsByKind: {},
    notJudged: null,
    failures: [],
    shrinkFailuresMax: 0,
    failuresUnshrunk: 0,
    kernelEvents: 100,
    poolStartMs: 1,
    poolStartMsMax: 1,
    searchMs: 1,
    searchMsMax: 1,
    shrinkMs: 0,
    shrinkMsMax: 0,
    pool: { kind: "in-process", threads: 1, note: null },
  } as ExploreReport;
}

describe("merge of shards that judge the same properties", () => {
  it("joins one that left a property out by default with one that named the same ones, in either order", () => {
    const byDefault = shard(1, { propertiesLeftOut: LEFT_OUT });
    const named = shard(2);
    for (const order of [
      [byDefault, named],
      [named, byDefault],
    ]) {
      const merged = mergeExploreReports(order);
      expect(merged.ok, merged.ok ? "" : merged.problem).toBe(true);
      if (!merged.ok) continue;
      expect(merged.report.completed).toBe(4);
      expect(merged.report.target.propertiesLeftOut).toEqual(LEFT_OUT);
      // Where explore writes it: after `properties`.
      const keys = Object.keys(merged.report.target);
      expect(keys.indexOf("propertiesLeftOut")).toBe(keys.indexOf("properties") + 1);
    }
  });

  it("refuses shards that judge other properties, saying them readably", () => {
    const a = shard(1, { propertiesLeftOut: LEFT_OUT });
    const b = shard(2, { properties: [...JUDGED, "no-panic-death"] });
    const merged = mergeExploreReports([b, a], ["b.json", "a.json"]);
    expect(merged.ok).toBe(false);
    if (merged.ok) return;
    expect(merged.problem).toBe(
      "a.json explores something else than b.json: properties no-cascade,no-missed-delivery vs no-cascade,no-missed-delivery,no-panic-death",
    );
    expect(targetDifference(a.target, b.target)).not.toContain("[object Object]");
  });
});

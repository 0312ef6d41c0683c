// Shows `run --json` and `compare --json` carry the scenario's expectations of each run, as they decide the exit code: a failed one is in the JSON, one not judged says why.
import { describe, expect, it } from "vitest";
import { parseSavedReport } from "../../src/cli/commands/report-schema.js";
import { expectationsOfRun, judgeExpectations, stoppedEarlyWhy } from "../../src/explore/expectations.js";
import { cli } from "../explore/cli-helpers.js";

const SMALL_FALSE = "test/gate/fixtures/fail/small-false.yaml";

interface JsonExpectation {
  expectation: { variant: string; kind: string };
  index: number;
  ok: boolean;
  skipped: boolean;
  name: string;
  actual: string;
  notJudged?: string;
}

describe("run --json", () => {
  it("gives the failed expectation that makes it exit 1, though every property held as expected", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy", "--json");
    expect(r.code, r.err).toBe(1);
    const json = JSON.parse(r.out) as { expectations: JsonExpectation[]; traceHash: string };
    expect(json.expectations.map((e) => [e.name, e.ok, e.actual, e.expectation.variant, e.index])).toEqual([
      ["no-cascade fails", true, "fails", "buggy", 0],
      ["cascadeDepth <= 1", false, "4", "buggy", 1],
    ]);
    // What the API's runScenario returns beside the report, in the same shape.
    expect(json.expectations[1]).toMatchObject({
      expectation: { kind: "metric", metric: "cascadeDepth", op: "<=", value: 1, valueText: null },
      skipped: false,
      expected: "<= 1",
      message: "expected cascadeDepth <= 1, measured 4",
    });
    // The report reads back with them, and they are checked.
    const back = parseSavedReport(json, "r.json", r.out);
    expect(back.ok && back.runs[0].expectations?.map((e) => e.ok)).toEqual([true, false]);
    const bad = { ...json, expectations: [{ ...json.expectations[0], ok: "yes" }] };
    const refused = parseSavedReport(bad, "r.json", JSON.stringify(bad, null, 2));
    expect(refused.ok ? "" : refused.message).toContain("expectations[0].ok");
  });

  it("gives an empty list for a variant the scenario sets none for", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "v1", "--json", "--until", "+1m");
    expect(JSON.parse(r.out).expectations).toEqual([]);
  });

  it("marks each expectation of a run --until cuts short not judged, with why, and the exit code follows the properties", async () => {
    const r = await cli("run", SMALL_FALSE, "--variant", "buggy", "--until", "+2m", "--json");
    expect(r.code, r.err).toBe(0);
    const { expectations } = JSON.parse(r.out) as { expectations: JsonExpectation[] };
    expect(expectations.map((e) => [e.name, e.ok, e.skipped, e.actual])).toEqual([
      ["no-cascade fails", true, true, "holds"],
      ["cascadeDepth <= 1", true, true, "0"],
    ]);
    for (const e of expectations)
      expect(e.notJudged).toBe(
        "--until 09:42 stops the run before the scenario's end at 09:55, and the expectations are for the whole run",
      );
  });
});

describe("compare --json", () => {
  it("gives each variant's expectations with its report", async () => {
    const r = await cli("compare", SMALL_FALSE, "--variants", "buggy,fixed", "--json");
    expect(r.code, r.err).toBe(1);
    const json = JSON.parse(r.out) as {
      variants: { variant: { name: string }; expectations: JsonExpectation[] }[];
    };
    expect(json.variants.map((v) => [v.variant.name, v.expectations.map((e) => e.ok)])).toEqual([
      ["buggy", [true, false]],
      ["fixed", [true, true, true]],
    ]);
    const back = parseSavedReport(json, "c.json", r.out);
    expect(back.ok && back.runs.map((run) => run.expectations?.length)).toEqual([2, 3]);
  });
});

describe("expectationsOfRun", () => {
  const metrics = { crashes: 1 } as never;
  const judged = judgeExpectations(
    [{ kind: "metric", variant: "fixed", metric: "crashes", op: "==", value: 2, valueText: null }],
    "fixed",
    metrics,
    [],
  );

  it("keeps the judgement of a run that reached its end", () => {
    expect(expectationsOfRun(judged, { judged: true, stopReason: "horizon", detail: "" })).toBe(judged);
  });

  it("marks each expectation of a run a limit stopped not judged, naming the limit, as the API does", () => {
    const [e] = expectationsOfRun(judged, {
      judged: false,
      stopReason: "max-events",
      detail: "hit the event limit (1000 events)",
    });
    expect(e).toMatchObject({ ok: true, skipped: true, actual: "1" });
    expect(e.notJudged).toBe(
      "a limit stopped the run early (hit the event limit (1000 events)), and the expectations are for the whole run",
    );
  });

  it("says the simulator halted a run it halted, not that a limit stopped it", () => {
    const detail = "simulator invariant broken, reproduce with seed 7: lease held twice";
    const [e] = expectationsOfRun(judged, { judged: false, stopReason: "halted", detail });
    expect(e.notJudged).toBe(
      `the simulator halted the run early (${detail}), and the expectations are for the whole run`,
    );
    expect(stoppedEarlyWhy({ stopReason: "wall-budget", detail: "hit the wall-clock budget" })).toMatch(
      /^a limit stopped the run early \(hit the wall-clock budget\)/,
    );
  });
});

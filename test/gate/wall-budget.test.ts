// A run its wall-clock budget stopped is not evidence of nondeterminism: the gate does not compare such runs (no false exit 3).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ThreadRuns } from "../../src/cli/gate-runner.js";
import {
  executeGateRun,
  type GateConstraints,
  type GateRunResult,
  gateRunInput,
  judgeGate,
  planGate,
} from "../../src/explore/gate.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { gateScenarioOf } from "./helpers.js";

const FILE = "test/gate/fixtures/pass/small-cascade.yaml";

/** The gate's plan of small-cascade as `text` writes it, with no golden hashes. */
function planned(text: string) {
  const gs = gateScenarioOf(FILE, text, "golden/small-cascade.json");
  const c: GateConstraints = { exploreSeeds: 0, substitution: null, updateGolden: false };
  const plan = planGate([gs], c);
  return { gs, c, plan };
}

/**
 * small-cascade gated with only `expect`, and the runs' results with the fixed variant's second
 * run stopped by its wall budget; with `watchdog`, its first run too, as the gate's watchdog
 * reports a run whose thread it stopped: no report at all.
 */
function judged(expect: string, watchdog = false) {
  const text = readFileSync(FILE, "utf8").replace(/\nexpect:\n[\s\S]*$/, `\nexpect:\n  - ${expect}\n`);
  const { gs, c, plan } = planned(text);
  const results: GateRunResult[] = plan.runs.map((run) => {
    const r = executeGateRun(gateRunInput(gs, run, null), run.role, { schedulers: bundledSchedulers() });
    if (watchdog && run.role === "first" && run.variant === "fixed") {
      return {
        ...r,
        stopReason: "wall-budget",
        detail:
          "hit the wall-clock budget (50 ms): its thread was still busy 10.1 s after the run began and was stopped: a goroutine step never returned",
        traceHash: "",
        events: 0,
        report: null,
      };
    }
    // As a slower machine would have it: stopped at the budget, a shorter and different trace.
    return run.role === "second"
      ? {
          ...r,
          stopReason: "wall-budget",
          detail: "hit the wall-clock budget (50 ms)",
          traceHash: "0123456789abcdef",
          events: 10,
        }
      : r;
  });
  return judgeGate([gs], plan, results, c, () => null);
}

describe("runs stopped by their wall-clock budget", () => {
  it("are not compared: the determinism case is skipped, not nondeterminism (exit 3)", () => {
    const report = judged("{ variant: fixed, property: no-cascade, holds: true }");
    const det = report.suites[0].cases.find((k) => k.kind === "determinism")!;
    expect(det).toMatchObject({
      name: "small-cascade [fixed] deterministic",
      status: "skipped",
      exitCode: 0,
    });
    expect(det.message).toContain("not compared: a run stopped early (hit the wall-clock budget (50 ms))");
    expect(report.exitCode).not.toBe(3);
  });

  it("leave a `deterministic` expectation not judged: an error with exit 2, as any run its limits stopped", () => {
    const report = judged("{ variant: fixed, property: deterministic, holds: true }");
    expect(report.suites[0].cases[0]).toMatchObject({
      name: "small-cascade [fixed] deterministic",
      status: "error",
      exitCode: 2,
    });
    expect(report.exitCode).toBe(2);
  });

  it("with no report (a thread the watchdog stopped), leave the expectation not judged (exit 2), not a missing run", () => {
    const report = judged("{ variant: fixed, property: no-cascade, holds: true }", true);
    expect(report.suites[0].cases[0]).toMatchObject({
      name: "small-cascade [fixed] no-cascade",
      status: "error",
      exitCode: 2,
    });
    const { message } = report.suites[0].cases[0];
    expect(message).toContain("the run stopped early (hit the wall-clock budget (50 ms): its thread");
    // A bigger budget would not help a goroutine that never returns: the advice says what would.
    expect(message).toContain("a bigger budget will not help");
    expect(message).not.toContain("raise the scenario's limits");
  });

  it("are run once: the second run of a variant whose first the budget stopped is not run", () => {
    const { gs, c, plan } = planned(readFileSync(FILE, "utf8"));
    const executed: string[] = [];
    // The fixed variant's first run is stopped by its budget, as a module looping in one step is.
    const runs = new ThreadRuns((run) => {
      executed.push(`${run.variant}/${run.role}`);
      const r = executeGateRun(gateRunInput(gs, run, null), run.role, { schedulers: bundledSchedulers() });
      return run.variant === "fixed" && run.role === "first"
        ? { ...r, stopReason: "wall-budget", detail: "hit the wall-clock budget (50 ms)" }
        : r;
    });
    const results = plan.runs.map((run) => runs.run(run));
    // The one not run says so (the gate's summary counts the runs made), and carries no report.
    const notRun = plan.runs.filter((_, i) => results[i].notRun === true);
    expect(notRun.map((run) => `${run.variant}/${run.role}`)).toEqual(["fixed/second"]);
    expect(results[plan.runs.indexOf(notRun[0])].report).toBeNull();
    const variants = [...new Set(plan.runs.map((run) => run.variant))];
    expect(variants.length).toBeGreaterThan(1);
    for (const variant of variants) {
      expect(executed.filter((e) => e === `${variant}/first`)).toHaveLength(1);
      expect(executed.filter((e) => e === `${variant}/second`)).toHaveLength(variant === "fixed" ? 0 : 1);
    }
    const report = judgeGate([gs], plan, results, c, () => null);
    const det = report.suites[0].cases.find((k) => k.name === "small-cascade [fixed] deterministic")!;
    expect(det.status).toBe("skipped");
    expect(det.message).toContain("not compared: a run stopped early (hit the wall-clock budget (50 ms))");
    expect(report.exitCode).not.toBe(3);
  });
});

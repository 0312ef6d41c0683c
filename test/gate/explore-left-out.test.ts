// Shows `gate --explore`: a property the scenario expects not to hold for the fixed variant is left out of its explored seeds.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gateCli from "../../src/cli/commands/gate.js";
import type { GateConstraints, GateRunResult } from "../../src/explore/gate.js";
import * as gate from "../../src/explore/gate.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { cli, gateScenarioOf } from "./helpers.js";

const FILE = "test/gate/fixtures/pass/small-cascade.yaml";

/** small-cascade with only `expect`, one explored seed, every run's cascade as a bad deploy's would fail it. */
function gated(expect: readonly string[]) {
  const list = expect.map((x) => `  - ${x}\n`).join("");
  const text = readFileSync(FILE, "utf8").replace(/\nexpect:\n[\s\S]*$/, `\nexpect:\n${list}`);
  const gs = gateScenarioOf(FILE, text, "golden/small-cascade.json");
  const c: GateConstraints = { exploreSeeds: 1, substitution: null, updateGolden: false };
  const plan = gate.planGate([gs], c);
  const results: GateRunResult[] = plan.runs.map((run) => {
    const r = gate.executeGateRun(gate.gateRunInput(gs, run, null), run.role, {
      schedulers: bundledSchedulers(),
    });
    if (r.report === null) return r;
    const verdicts = r.report.verdicts.map((v) =>
      v.property === "no-cascade" ? { ...v, ok: false, detail: "schedule s killed 2 workers" } : v,
    );
    return { ...r, report: { ...r.report, verdicts } };
  });
  const report = gate.judgeGate([gs], plan, results, c, () => null);
  return { plan, explored: report.suites[0].cases.filter((k) => k.kind === "explore") };
}

describe("gate --explore and the scenario's own expectations", () => {
  it("judges no-cascade at an explored seed when the scenario expects it to hold", () => {
    const { explored } = gated(["{ variant: fixed, property: no-cascade, holds: true }"]);
    expect(explored).toHaveLength(1);
    expect(explored[0]).toMatchObject({ status: "failed" });
    expect(explored[0].message).toContain("no-cascade fails");
  });

  it("leaves no-cascade out when the scenario expects it not to hold for fixed, and says so", () => {
    const { explored } = gated(["{ variant: fixed, property: no-cascade, holds: false }"]);
    expect(explored).toHaveLength(1);
    expect(explored[0].status).toBe("passed");
    expect(explored[0].message).toBe(
      "no-panic-death holds at seed 43 (left out: expect[0] expects no-cascade not to hold for the fixed variant)",
    );
  });

  it("keeps no-cascade for fixed when only another variant is expected to cascade", () => {
    const { explored } = gated(["{ variant: buggy, property: no-cascade, holds: false }"]);
    expect(explored[0].status).toBe("failed");
  });

  it("runs no explored seed when both properties are expected not to hold: each is a skipped case", () => {
    const { plan, explored } = gated([
      "{ variant: fixed, property: no-cascade, holds: false }",
      "{ variant: fixed, property: no-panic-death, holds: false }",
    ]);
    expect(plan.runs.filter((r) => r.role === "explore")).toEqual([]);
    expect(explored).toHaveLength(1);
    expect(explored[0]).toMatchObject({ status: "skipped", exitCode: 0 });
    expect(explored[0].message).toContain("expect[1] expects no-panic-death not to hold");
  });

  it("says in its header that no explored seed runs when none has a property left to judge", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-left-out-")), "small.yaml");
    const text = readFileSync(FILE, "utf8").replace(
      /\nexpect:\n[\s\S]*$/,
      "\nexpect:\n  - { variant: fixed, property: no-cascade, holds: false }\n  - { variant: fixed, property: no-panic-death, holds: false }\n",
    );
    writeFileSync(file, text);
    const r = await cli(["gate", file, "--explore", "2"]);
    expect(r.out).toContain(
      "1 scenario, 2 runs (each variant twice; the explored seeds are skipped: no property is left to judge at them)",
    );
    expect(r.out).not.toContain("explored seeds each");
    // Beside a scenario whose seeds run, each is said for what it is.
    expect(gateCli.exploredSeedsText(2, 2, 1)).toBe(", 2 explored seeds each for 1 of 2 scenarios");
    expect(gateCli.exploredSeedsText(1, 3, 3)).toBe(", 1 explored seed each");
    expect(gateCli.exploredSeedsText(0, 3, 0)).toBe("");
  });

  it("warns at the expectation before the runs, and annotates it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-left-out-"));
    const file = join(dir, "small.yaml");
    const text = readFileSync(FILE, "utf8").replace(
      /\nexpect:\n[\s\S]*$/,
      "\nexpect:\n  - { variant: fixed, property: no-cascade, holds: false }\n",
    );
    writeFileSync(file, text);
    const r = await cli(["gate", file, "--explore", "1", "--json"]);
    expect(r.err).toContain(
      `${file}:33:5: warning: expect[0] expects no-cascade not to hold for the fixed variant: its explored seeds (--explore) leave it out`,
    );
    const report = JSON.parse(r.out) as { suites: { cases: { kind: string; message: string }[] }[] };
    const explored = report.suites[0].cases.find((k) => k.kind === "explore")!;
    expect(explored.message).toContain("no-panic-death holds at seed 43 (left out:");
  });
});

// Shows aftershock explore --generated --scheduler MODULE: a user module runs in v2's place in the worlds the variant is explored in, the report, JSON and progress lines name it, a planted bug is found and shrunk to a reproducer that `aftershock run` replays exactly, shards merge, and bad input exits 2.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { DEFAULT_PROPERTIES, generatedDocument, type RunPlan } from "../../src/explore/run-one.js";
import type { RunReport } from "../../src/report/run-report.js";
import { once } from "../cli/once.js";
import { cli, moduleFailure, tmp } from "./cli-helpers.js";
import { exampleModules } from "./example-modules.js";

const dir = tmp();
/** The example as shipped (bug 1 planted), and with its early return put back (as good as the fixed v2). */
const { bug, good } = exampleModules(dir);

const oneJob = ["--jobs", "1"];
/** Eight runs (seed 1) of the good module: they plan both injected panics and hangs. */
const goodRuns = [
  ...["explore", "--generated", "--scheduler", good, "--runs", "8", ...oneJob],
  ...["--out", join(dir, "repro-good")],
];
/**
 * `aftershock <argv>` in this process, run once for the tests that ask for it: an exploration
 * that finds no failure writes no file, and prints the same each time.
 */
const shared = once(cli);

// Each test runs whole explorations (worker threads, shrinks, reproducers replayed on threads of
// their own): seconds on an idle machine, minutes on one running several test runs at once.
describe("aftershock explore --generated --scheduler MODULE", { timeout: 180_000 }, () => {
  it("runs the module in the variant's worlds: run r is run r of the variant with the module in v2's place", () => {
    const plan: Extract<RunPlan, { mode: "generated" }> = {
      mode: "generated",
      variant: "fixed",
      properties: DEFAULT_PROPERTIES,
      constraints: sized(PROPERTY_SIZED),
      seed: 3,
    };
    const module = { path: "../good.mjs", fixes: ["early-return", "panic-recovery"] };
    for (const r of [0, 1, 2]) {
      const { scheduler, description: _d, ...world } = generatedDocument({ ...plan, module }, r);
      const { scheduler: bundled, description: _b, ...same } = generatedDocument(plan, r);
      expect(scheduler).toEqual({ module: "../good.mjs", fixes: ["early-return", "panic-recovery"] });
      expect(bundled).toEqual({ version: "v2", fixes: ["early-return", "panic-recovery"] });
      expect(world).toEqual(same);
    }
  });

  it("passes a module as good as the fixed v2, naming it in the report, the JSON and the progress lines", async () => {
    const human = await shared(...goodRuns);
    expect(human.code, human.err).toBe(0);
    expect(human.out).toContain(`generated worlds, module ${good} as variant fixed, seed 1, 8 runs`);
    expect(human.out).toContain("No failure found.");
    expect(human.err).toContain(
      `aftershock explore: exploring generated worlds, module ${good} as variant fixed`,
    );
    const json = await shared(...goodRuns, "--json");
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as ExploreReport;
    expect(report.target).toMatchObject({
      mode: "generated",
      variant: "fixed",
      scheduler: { module: good, name: "module:../good.mjs", fixes: ["early-return", "panic-recovery"] },
      digestFiles: [expect.stringMatching(/good\.mjs$/)],
    });
    expect(report.target.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("finds a planted bug, shrinks it, and writes a reproducer naming the module that `aftershock run` replays exactly", async () => {
    const out = join(dir, "repro-bug");
    const failure = await moduleFailure(bug, out, { jobs: 1, shrinkRuns: 5 });
    expect(failure.kind).toBe("deleted-schedules-cleaned");
    expect(failure.shrink?.steps).toBeGreaterThan(0);
    expect(failure.reproducerMismatch).toBeNull();
    expect(failure.reproducer).toMatch(
      /repro-bug\/generated-module-bug-fixed-deleted-schedules-cleaned-seed1-run\d+\.yaml$/,
    );
    const text = readFileSync(failure.reproducer!, "utf8");
    expect(text).toContain(
      "scheduler:\n  module: ../bug.mjs\n  fixes:\n    - early-return\n    - panic-recovery\n",
    );
    // Named as its `scheduler:` names it, from its folder: the same text wherever explore ran.
    expect(text).toContain("fails for the module ../bug.mjs as variant fixed");
    // Its world is named as its file, as every reproducer's is, so that the gate takes its folder.
    expect(text).toContain(`\nname: ${basename(failure.reproducer!, ".yaml")}\n`);
    const run = await cli("run", failure.reproducer!, "--json");
    expect(run.code, run.err).toBe(1);
    const replayed = JSON.parse(run.out) as RunReport;
    expect(replayed.variant.scheduler).toBe("module:../bug.mjs");
    expect(replayed.traceHash).toBe(failure.reproducerTraceHash);
    expect(replayed.verdicts.find((v) => v.property === "deleted-schedules-cleaned")?.ok).toBe(false);
    // It expects the property to hold for the variant explored: the gate runs the module as that
    // variant, the same run, and fails on it until the bug is fixed.
    expect(text).toContain(
      "expect:\n  - variant: fixed\n    property: deleted-schedules-cleaned\n    holds: true\n",
    );
    const gate = await cli("gate", failure.reproducer!, "--jobs", "1");
    expect(gate.code, gate.err).toBe(1);
    expect(gate.out).toContain(`trace ${failure.reproducerTraceHash}`);
    expect(gate.out).toContain("✗ [fixed] deleted-schedules-cleaned");
  });

  it("runs a TypeScript module on worker threads too, with the results of its JavaScript on one thread", async () => {
    const ts = join(dir, "good.ts");
    writeFileSync(
      ts,
      readFileSync(good, "utf8").replace(
        "function* dispatcher(rt, panicRecovery)",
        "function* dispatcher(rt: any, panicRecovery: boolean)",
      ),
    );
    // The binary, which loads .ts through its hooks on each thread; the same eight runs (seed 1)
    // of the module it was written from, on one thread, are `goodRuns`.
    const bin = join(import.meta.dirname, "../../bin/aftershock.js");
    const args = [bin, "explore", "--generated", "--scheduler", ts, "--runs", "8", "--json"];
    const two = spawnSync(process.execPath, [...args, "--out", join(dir, "repro-ts"), "--jobs", "2"], {
      encoding: "utf8",
    });
    expect(two.status, two.stderr).toBe(0);
    const report = JSON.parse(two.stdout) as ExploreReport;
    expect(report.pool).toEqual({ kind: "worker-threads", threads: 2, note: null });
    expect(report.target.scheduler?.name).toBe("module:../good.ts");
    const one = await shared(...goodRuns, "--json");
    expect(one.code, one.err).toBe(0);
    const js = JSON.parse(one.out) as ExploreReport;
    expect(js.pool).toEqual({ kind: "worker-threads", threads: 1, note: null });
    expect(report.properties).toEqual(js.properties);
    expect(report.faultsFired).toEqual(js.faultsFired);
  });

  it("guards the port of a module that says it is bundled, on every thread alike", async () => {
    // `bundled` is the project's own schedulers' flag: a module that sets it still has its port
    // guarded, so its call of a name the port lacks panics with the same message on the main
    // thread (--jobs 1) as on the pool's threads, and the runs trace alike.
    const module = join(dir, "claims-bundled.mjs");
    writeFileSync(
      module,
      `export const scheduler = { name: "claims-bundled", fixes: [], bundled: true, create: () => ({
  name: "claims-bundled", fixes: [], main: function* (rt) { yield rt.sleep(1000); rt.notOnThePort(); } }) };\n`,
    );
    const args = ["explore", "--generated", "--scheduler", module, "--runs", "2", "--keep-going"];
    const hashes: string[][] = [];
    for (const jobs of ["1", "2"]) {
      const run = [...args, "--shrink-runs", "0", "--json", "--out", join(dir, `repro-claims-${jobs}`)];
      const r = await cli(...run, "--jobs", jobs);
      expect(r.code, r.err).toBe(1);
      const report = JSON.parse(r.out) as ExploreReport;
      expect(report.failures.length).toBe(2);
      hashes.push(report.failures.map((f) => f.traceHash));
    }
    expect(hashes[1]).toEqual(hashes[0]);
  });

  it("gives the module the variant's fixes it lists, and refuses a variant it cannot stand in for", async () => {
    const r = await cli(
      ...["explore", "--generated", "--scheduler", bug, "--variant", "early-return"],
      ...["--properties", "no-panic-death", "--runs", "1", ...oneJob, "--shrink-runs", "0"],
      ...["--out", join(dir, "repro-er"), "--json"],
    );
    expect((JSON.parse(r.out) as ExploreReport).target.scheduler?.fixes).toEqual(["early-return"]);
    const v1 = await cli("explore", "--generated", "--scheduler", bug, "--variant", "v1", "--out", dir);
    expect(v1.code).toBe(2);
    expect(v1.err).toContain(`--scheduler ${bug} --variant v1: the v1 variant runs the bundled v1 scheduler`);
  });

  it("says that injected panics and hangs never fired when the module reaches no fault point, in the summary, its JSON and a merge", async () => {
    // The good module without its `rt.faultPoint` calls: nothing chaos can make throw or hang.
    const blind = join(dir, "no-fault-points.mjs");
    const calls = /^ {2}yield\* rt\.faultPoint\("[a-z-]+", tx\);\n/gm;
    writeFileSync(blind, readFileSync(good, "utf8").replace(calls, ""));
    expect(readFileSync(blind, "utf8")).not.toContain("rt.faultPoint(");
    // Eight runs (seed 1) plan both injected panics and hangs.
    const args = ["explore", "--generated", "--runs", "8", ...oneJob, "--out", join(dir, "repro-blind")];
    const human = await cli(...args, "--scheduler", blind);
    expect(human.code, human.err).toBe(0);
    const json = JSON.parse((await cli(...args, "--scheduler", blind, "--json")).out) as ExploreReport;
    expect(json.faultPointsReached).toBe(0);
    const { "inject-panic": panics = 0, hang: hangs = 0 } = json.faultsPlanned ?? {};
    expect([panics > 0, hangs > 0]).toEqual([true, true]);
    expect(json.faultsFired).not.toHaveProperty("inject-panic");
    expect(human.out).toContain(
      `  inject-panic planned ${panics} times, fired 0 times · hang planned ${hangs} times, fired 0 times: the scheduler never reached a fault point (rt.faultPoint), the only place injected panics and hangs fire\n`,
    );
    // The module that reaches them: they fire, and nothing is said.
    const reached = await shared(...goodRuns, "--json");
    const fired = JSON.parse(reached.out) as ExploreReport;
    expect(fired.faultsPlanned).toEqual(json.faultsPlanned);
    expect(fired.faultPointsReached).toBeGreaterThan(0);
    expect((await shared(...goodRuns)).out).not.toContain("fired 0 times");
    // Merged shards say it as the whole exploration does.
    const files: string[] = [];
    for (const shard of ["1/2", "2/2"]) {
      const r = await cli(...args, "--scheduler", blind, "--shard", shard, "--json");
      files.push(join(dir, `blind-${shard.replace("/", "-")}.json`));
      writeFileSync(files.at(-1)!, r.out);
    }
    const merged = JSON.parse((await cli("merge", ...files, "--json")).out) as ExploreReport;
    expect([merged.faultsPlanned, merged.faultPointsReached]).toEqual([json.faultsPlanned, 0]);
    // The merge is the module's exploration whole.
    expect(merged.completed).toBe(8);
    expect(merged.target.scheduler?.name).toBe("module:../no-fault-points.mjs");
    expect((await cli("merge", ...files)).out).toContain(
      `inject-panic planned ${panics} times, fired 0 times`,
    );
  });

  it("says what is wrong with a module that is not there or not a scheduler, or a --scheduler without --generated (exit 2)", async () => {
    const missing = await cli("explore", "--generated", "--scheduler", join(dir, "nope.mjs"), "--out", dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("nope.mjs: scheduler module not found");
    const nothing = join(dir, "nothing.mjs");
    writeFileSync(nothing, "export const x = 1;\n");
    const notOne = await cli("explore", "--generated", "--scheduler", nothing, "--out", dir);
    expect(notOne.code).toBe(2);
    expect(notOne.err).toContain("nothing.mjs: no scheduler exported");
    const bundled = await cli("explore", "--generated", "--scheduler", "v2", "--out", dir);
    expect(bundled.code).toBe(2);
    expect(bundled.err).toContain("--scheduler takes a module");
    const scenario = await cli("explore", "quiet-day", "--scheduler", good, "--out", dir);
    expect(scenario.code).toBe(2);
    expect(scenario.err).toContain("--scheduler goes with --generated");
    // It says what to do instead: a scenario explored runs the module it names.
    expect(scenario.err).toContain(
      `to explore quiet-day with ${good}, copy the scenario, set scheduler: { module: ${good} } in the copy`,
    );
  });
});

describe("the target of a module's exploration", () => {
  it("is one exploration whatever path typed the module, when its digest and name agree", async () => {
    const { sameTarget } = await import("../../src/explore/explore-report.js");
    const target = (module: string, name = "module:../good.mjs") =>
      ({
        mode: "generated",
        scenario: "generated",
        source: null,
        variant: "fixed",
        seed: 1,
        runs: 6,
        properties: ["no-cascade"],
        constraints: {},
        digest: "sha256:00",
        digestFiles: ["good.mjs"],
        scheduler: { module, name, fixes: [] },
      }) as const;
    expect(sameTarget(target("good.mjs"), target("/ci/checkout/good.mjs"))).toBe(true);
    expect(sameTarget(target("good.mjs"), target("good.mjs", "module:../other/good.mjs"))).toBe(false);
  });
});

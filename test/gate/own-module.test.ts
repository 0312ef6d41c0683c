// A scenario whose `scheduler:` is a module of the user's is gated with that module in v2's place (as `--scheduler` gates it), its reproduce lines and golden hashes are that module's runs, `--scheduler` replacing it is said, and the module is named by its path from the scenario's folder however the file spells it.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliBuilt, type JsonCase, ownScenario, writeSingleFixModule } from "./helpers.js";

interface JsonReport {
  suites: { name: string; scheduler: string | null; deploys: string[]; cases: JsonCase[] }[];
  warnings: string[];
}

async function gateJson(args: readonly string[]) {
  const r = await cli(["gate", ...args, "--json", "--jobs", "1"]);
  return { ...r, report: JSON.parse(r.out) as JsonReport };
}

/** The `run` arguments of a case's `reproduce:` line (paths here need no quoting). */
function reproduceArgs(k: JsonCase): string[] {
  const line = k.details.split("\n").find((l) => l.startsWith("reproduce: "));
  if (line === undefined) throw new Error(`no reproduce line in ${k.name}`);
  const words = line.slice("reproduce: ".length).split(" ");
  expect(words.slice(0, 2)).toEqual(["aftershock", "run"]);
  return words.slice(2);
}

async function traceOf(args: readonly string[]): Promise<string> {
  const r = await cli(["run", ...args, "--json"]);
  return (JSON.parse(r.out) as { traceHash: string }).traceHash;
}

describe("gate on a scenario that names its own scheduler module", () => {
  it("gates the module in v2's place with each variant's fixes, and its reproduce line replays that run", async () => {
    const { file } = ownScenario("reintroduced-bug1.mjs", [
      "{ variant: fixed, metric: panicDeaths, op: '==', value: 0 }",
      "{ variant: buggy, metric: panicDeaths, op: '==', value: 0 }",
      "{ variant: v1, property: no-cascade, holds: true }",
    ]);
    const { code, err, report } = await gateJson([file]);
    expect(code).toBe(1);
    expect(err).toBe("");
    const suite = report.suites[0];
    // Named as its runs name it, from the scenario's folder: the same wherever the gate runs.
    expect(suite.scheduler).toBe("module:./reintroduced-bug1.mjs");
    const buggy = suite.cases.find((k) => k.name === "own [buggy] panicDeaths == 0")!;
    expect(buggy.status).toBe("failed");
    expect(buggy.details).toContain("run: seed 1, module:./reintroduced-bug1.mjs (no fixes), trace ");
    const args = reproduceArgs(buggy);
    expect(args).toEqual([file, "--scheduler", join(file, "..", "reintroduced-bug1.mjs"), "--seed", "1"]);
    // The module's recovery holds in [fixed]; only [buggy] (no fixes) cascades.
    expect(suite.cases.find((k) => k.name === "own [fixed] panicDeaths == 0")?.status).toBe("passed");
    expect(suite.cases.find((k) => k.name === "own [v1] no-cascade")).toMatchObject({
      status: "skipped",
      message: expect.stringContaining("the v1 variant runs the bundled v1 scheduler, not "),
    });
    const gated = buggy.details.match(/trace ([0-9a-f]{16}), /)![1];
    expect(await traceOf(args)).toBe(gated);
    expect(await traceOf([file, "--variant", "buggy"])).not.toBe(gated);
  });

  it("pins the module's traces in its golden file, which the reproduce commands match", async () => {
    const { dir, file } = ownScenario("reintroduced-bug1.mjs", [
      "{ variant: fixed, metric: panicDeaths, op: '==', value: 0 }",
      "{ variant: buggy, metric: panicDeaths, op: '>', value: 0 }",
    ]);
    const updated = await cli(["gate", file, "--update-golden", "--jobs", "1"]);
    expect(updated.code).toBe(0);
    const golden = JSON.parse(readFileSync(join(dir, "golden", "own.json"), "utf8")) as {
      variants: Record<string, { traceHash: string }>;
    };
    const module = join(dir, "reintroduced-bug1.mjs");
    expect(await traceOf([file, "--scheduler", module, "--seed", "1"])).toBe(golden.variants.buggy.traceHash);
    expect(await traceOf([file, "--scheduler", module, "--fix", "early-return,panic-recovery"])).toBe(
      golden.variants.fixed.traceHash,
    );
    const again = await gateJson([file]);
    expect(again.code).toBe(0);
    expect(again.report.suites[0].cases.filter((k) => k.kind === "golden").map((k) => k.status)).toEqual([
      "passed",
      "passed",
    ]);
    // A changed hash points at the run of the module, not of the bundled v2.
    const goldenPath = join(dir, "golden", "own.json");
    writeFileSync(
      goldenPath,
      readFileSync(goldenPath, "utf8").replace(golden.variants.buggy.traceHash, "0123456789abcdef"),
    );
    const changed = await gateJson([file]);
    const bad = changed.report.suites[0].cases.find((k) => k.name === "own [buggy] golden trace hash")!;
    expect(bad.status).toBe("failed");
    expect(bad.details).toContain(
      `\nreproduce: aftershock run ${file} --scheduler ${module} --seed 1 --trace new.jsonl`,
    );
    expect(bad.details).toContain("to see what changed, trace the run below here and at the previous commit");

    // A comment above the line that panics: the same events, each panic traced a line further down.
    writeFileSync(
      goldenPath,
      readFileSync(goldenPath, "utf8").replace("0123456789abcdef", golden.variants.buggy.traceHash),
    );
    expect((await gateJson([file])).code).toBe(0);
    writeFileSync(module, `// Owner: the on-call team\n${readFileSync(module, "utf8")}`);
    // In a process of its own: this one has imported the module as it was.
    const moved = JSON.parse(cliBuilt(["gate", file, "--json", "--jobs", "1"]).out) as JsonReport;
    const shifted = moved.suites[0].cases.find((k) => k.name === "own [buggy] golden trace hash")!;
    expect(shifted.status).toBe("failed");
    expect(shifted.details).toContain(
      "the run has the golden's event count and its module panicked: each panic is traced with where in the module it was thrown (file:line:column), so an edit of the module that only moves the line that panics (a comment added above it) changes the hash too.",
    );
  });

  it("skips the variants a module without fixes cannot be, and warns of the v2 deploys it replaces", async () => {
    const { dir, file } = ownScenario(
      "single.mjs",
      [
        "{ variant: fixed, metric: panicDeaths, op: '==', value: 0 }",
        "{ variant: buggy, metric: panicDeaths, op: '>', value: 0 }",
      ],
      ["{ at: +5m, action: deploy, scheduler: v2, fixes: [panic-recovery] }"],
    );
    writeSingleFixModule(dir);
    const { code, err, report } = await gateJson([file]);
    expect(code).toBe(0);
    expect(report.suites[0].cases.find((k) => k.name === "own [buggy] panicDeaths > 0")).toMatchObject({
      status: "skipped",
      message: expect.stringContaining("lists no fixes: only the fixed variant applies to it"),
    });
    expect(err).toMatch(
      /own\.yaml:\d+:\d+: warning: the deploy of v2 at 09:05:00 \(timeline\[1\]\) asks for panic-recovery, which .*single\.mjs in its place does not list/,
    );
    // And that the deploy of v2 deploys the module: the two warnings of it.
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[1]).toMatch(
      /this deploys \.\/single\.mjs in a run that starts with it, where it stands for v2/,
    );
  });

  it("refuses a gate whose every expectation is skipped for the module: nothing would run, so nothing passed", async () => {
    const { dir, file } = ownScenario("single.mjs", [
      "{ variant: buggy, metric: panicDeaths, op: '>', value: 0 }",
      "{ variant: v1, property: no-cascade }",
    ]);
    writeSingleFixModule(dir);
    const r = await cli(["gate", file, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`nothing to gate: every expectation of ${file} is skipped`);
    expect(r.err).toContain("lists no fixes: only the fixed variant applies to it");
    expect(r.err).toContain("the v1 variant runs the bundled v1 scheduler");
    expect(r.out).not.toContain("0 runs");
    // With seeds to explore there are runs, and the gate judges them.
    const explored = await cli(["gate", file, "--jobs", "1", "--explore", "1"]);
    expect(explored.code).toBe(0);
  });

  it("names a module written as an absolute path by its path from the scenario's folder, in run, validate and gate alike", async () => {
    const expectLines = ["{ variant: buggy, metric: panicDeaths, op: '==', value: 0 }"];
    /** The scenario with every `./reintroduced-bug1.mjs` written as the file's absolute path. */
    const absolute = (timeline: readonly string[] = []) => {
      const { dir, file } = ownScenario("reintroduced-bug1.mjs", expectLines, timeline);
      const module = join(dir, "reintroduced-bug1.mjs");
      writeFileSync(file, readFileSync(file, "utf8").replaceAll("./reintroduced-bug1.mjs", module));
      return { dir, file };
    };
    const gatedTrace = async (file: string) => {
      const [buggy] = (await gateJson([file])).report.suites[0].cases;
      const gated = buggy.details.match(/trace ([0-9a-f]{16}), /)![1];
      expect(await traceOf(reproduceArgs(buggy))).toBe(gated);
      return gated;
    };
    const own = absolute();
    const run = await cli(["run", own.file, "--json"]);
    expect((JSON.parse(run.out) as { variant: { scheduler: string } }).variant.scheduler).toBe(
      "module:./reintroduced-bug1.mjs",
    );
    const gated = await gatedTrace(own.file);
    expect(await traceOf([own.file])).toBe(gated);
    // The same run as the scenario that writes the path from its folder, wherever that folder is.
    expect(await traceOf([ownScenario("reintroduced-bug1.mjs", expectLines).file])).toBe(gated);
    // A deploy of the module is named so too.
    const deploying = absolute(["{ at: +5m, action: deploy, module: ./reintroduced-bug1.mjs, fixes: [] }"]);
    expect((await cli(["validate", deploying.file])).code).toBe(0);
    const deployRun = await cli(["run", deploying.file, "--json"]);
    expect(deployRun.out).toContain('"module:./reintroduced-bug1.mjs"');
    expect(deployRun.out).not.toContain(deploying.dir);
    await gatedTrace(deploying.file);
  });

  it("names a module the timeline deploys beside the bundled scheduler the runs start with, in JUnit, JSON and a failure's run line", async () => {
    const { dir, file } = ownScenario(
      "reintroduced-bug1.mjs",
      ["{ variant: buggy, metric: panicDeaths, op: '==', value: -1 }"],
      ["{ at: +1m, action: deploy, module: ./reintroduced-bug1.mjs, fixes: [] }"],
    );
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "scheduler: { module: ./reintroduced-bug1.mjs }",
        "scheduler: { version: v2 }",
      ),
    );
    const junit = join(dir, "gate.xml");
    const { code, report } = await gateJson([file, "--junit", junit]);
    expect(code).toBe(1);
    // The suite's scheduler is still the bundled one it starts with (null), and what it deploys is beside it.
    expect(report.suites[0]).toMatchObject({ scheduler: null, deploys: ["module:./reintroduced-bug1.mjs"] });
    expect(readFileSync(junit, "utf8")).toContain(
      '<property name="scheduler" value="bundled"/>\n      <property name="deploys" value="module:./reintroduced-bug1.mjs"/>',
    );
    const failed = report.suites[0].cases.find((k) => k.status === "failed")!;
    expect(failed.details).toContain(
      "run: seed 1, v2 (no fixes), deploys module:./reintroduced-bug1.mjs at 2026-05-08T09:01:00.000Z, trace ",
    );
  });

  it("with --scheduler, gates that module instead and says whose module it replaces", async () => {
    const { file } = ownScenario("reintroduced-bug1.mjs", [
      "{ variant: fixed, metric: panicDeaths, op: '==', value: 0 }",
    ]);
    const other = "test/gate/fixtures/modules/typed-v2.ts";
    const { err, report } = await gateJson([file, "--scheduler", other]);
    const warning = `${file} names the scheduler module ./reintroduced-bug1.mjs; gating ${other} in its place, as --scheduler asks`;
    expect(err).toContain(`aftershock: ${warning}\n`);
    expect(report.warnings).toEqual([warning]);
    expect(report.suites[0].scheduler).toBe(`module:${relative(dirname(file), resolve(other))}`);
  });

  it("gates a module whose fix is its own with it in [fixed] and none in [buggy], as run judges the scenario as written", async () => {
    const { dir, file } = ownScenario("own-fix.mjs", [
      "{ variant: fixed, metric: panicDeaths, op: '==', value: 0 }",
      "{ variant: buggy, metric: panicDeaths, op: '>', value: 0 }",
      // Fails, to show the run it judges.
      "{ variant: fixed, metric: crashes, op: '>', value: 0 }",
    ]);
    // Its one fix, `guard`, of its own name: on, the example's recovery and early return; off, neither.
    writeFileSync(
      join(dir, "own-fix.mjs"),
      'import { scheduler as base } from "./reintroduced-bug1.mjs";\nexport const scheduler = { ...base, name: "own-fix", fixes: ["guard"], create: (fixes) => base.create(fixes.includes("guard") ? ["early-return", "panic-recovery"] : []) };\n',
    );
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "scheduler: { module: ./own-fix.mjs }",
        "scheduler: { module: ./own-fix.mjs, fixes: [guard] }",
      ),
    );
    const { code, err, report } = await gateJson([file]);
    expect(err).toBe("");
    const cases = report.suites[0].cases.filter((k) => k.kind === "expectation");
    expect(cases.map((k) => [k.name, k.status])).toEqual([
      ["own [fixed] panicDeaths == 0", "passed"],
      ["own [buggy] panicDeaths > 0", "passed"],
      ["own [fixed] crashes > 0", "failed"],
    ]);
    expect(code).toBe(1);
    const judged = cases[2];
    expect(judged.details).toContain("run: seed 1, module:./own-fix.mjs with guard, trace ");
    const module = join(dir, "own-fix.mjs");
    expect(reproduceArgs(judged)).toEqual([file, "--scheduler", module, "--fix", "guard", "--seed", "1"]);
    // The scenario as written is the run [fixed] judges: the same trace, judged as fixed.
    const gated = judged.details.match(/trace ([0-9a-f]{16}), /)![1];
    expect(await traceOf(reproduceArgs(judged))).toBe(gated);
    expect(await traceOf([file])).toBe(gated);
    const run = await cli(["run", file]);
    expect(run.out).toContain(
      "Expectations (of fixed: the variant the gate judges this run of the module as)",
    );
  });

  it("rolls a module whose fix is its own out with it where the timeline deploys v2 with its fixes, in every variant", async () => {
    const { dir, file } = ownScenario(
      "own-fix.mjs",
      ["{ variant: buggy, metric: panicDeaths, op: '>', value: 0 }"],
      ["{ at: +5m, action: deploy, scheduler: v2, fixes: [early-return, panic-recovery] }"],
    );
    writeFileSync(
      join(dir, "own-fix.mjs"),
      'import { scheduler as base } from "./reintroduced-bug1.mjs";\nexport const scheduler = { ...base, name: "own-fix", fixes: ["guard"], create: (fixes) => base.create(fixes.includes("guard") ? ["early-return", "panic-recovery"] : []) };\n',
    );
    const deploys = async (args: readonly string[]) => {
      const trace = join(dir, `t-${args.length}.jsonl`);
      const r = await cli(["run", file, ...args, "--trace", trace, "--json"]);
      expect(r.err).not.toContain("does not list");
      return readFileSync(trace, "utf8")
        .split("\n")
        .filter((l) => l.includes('"deploy.started"'))
        .map((l) => (JSON.parse(l) as { fixes: string[] }).fixes);
    };
    // [buggy] as the gate runs it (no fixes at the start), and the scenario as written.
    expect(await deploys(["--scheduler", join(dir, "own-fix.mjs")])).toEqual([["guard"]]);
    expect(await deploys([])).toEqual([["guard"]]);
  });
});

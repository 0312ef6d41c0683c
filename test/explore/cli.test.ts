// Shows aftershock explore and merge end to end: a failure becomes a reproducer file that `aftershock run` replays exactly (or says loudly, exit 3, that it does not), shards merge, and bad input exits 2 (the built binary's --jobs 2 on worker threads, and the reproducer of a scenario's module that lists no fixes gated as the fixed variant: cli.long.test.ts).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderExplore } from "../../src/cli/commands/explore.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { documentYaml } from "../../src/explore/generate/document-yaml.js";
import { plainPaint } from "../../src/report/paint.js";
import type { RunReport } from "../../src/report/run-report.js";
import { once } from "../cli/once.js";
import { cliBuilt } from "../gate/helpers.js";
import { cli, tmp } from "./cli-helpers.js";
import { smallDocument } from "./helpers.js";
import { scenarioWithModule } from "./scenario-module.js";

/** Runs `args` as shards 1/2 and 2/2, each report written to `dir`; the files, in shard order. */
async function writeShards(args: readonly string[], dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const shard of ["1/2", "2/2"]) {
    const r = await cli(...args, "--shard", shard);
    const file = join(dir, `shard-${shard.replace("/", "-")}.json`);
    writeFileSync(file, r.out);
    files.push(file);
  }
  return files;
}

describe("aftershock explore --generated", () => {
  it("writes a shrunk reproducer that aftershock run replays with the same verdict and trace hash", async () => {
    const out = tmp();
    const explored = await cli(
      "explore",
      "--generated",
      "--variant",
      "early-return",
      "--properties",
      "no-cascade",
      "--runs",
      "20",
      "--seed",
      "2",
      "--jobs",
      "1",
      "--shrink-runs",
      "20",
      "--out",
      out,
      "--json",
    );
    expect(explored.code, explored.err).toBe(1);
    const report = JSON.parse(explored.out) as ExploreReport;
    expect(report.kind).toBe("aftershock.explore");
    expect(report.stoppedBy).toBe("failure");
    const [failure] = report.failures;
    expect(failure.kind).toBe("no-cascade");
    expect(failure.reproducer).not.toBeNull();
    const file = failure.reproducer!;
    expect(existsSync(file)).toBe(true);
    expect(failure.replay).toBe(`aftershock run ${file}`);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^# aftershock explore reproducer: no-cascade/);
    expect(text).toContain("variant: early-return\n    property: no-cascade\n    holds: true");
    expect(text).toContain(`seed: ${failure.reproducerSeed}`);

    const replayed = await cli("run", file, "--json");
    expect(replayed.code).toBe(1);
    const run = JSON.parse(replayed.out) as RunReport;
    expect(run.traceHash).toBe(failure.reproducerTraceHash);
    // The header names the hash of the shrunk run the file replays, not of the run that first failed.
    expect(failure.shrink).not.toBeNull();
    expect(failure.traceHash).not.toBe(run.traceHash);
    expect(text.split("\n")).toContain(`# trace hash ${run.traceHash}`);
    expect(run.verdicts.find((v) => v.property === "no-cascade")?.ok).toBe(false);
    expect(run.variant.name).toBe("early-return");
    const again = await cli("run", file, "--json");
    expect((JSON.parse(again.out) as RunReport).traceHash).toBe(run.traceHash);
  });

  it("passes (exit 0) when nothing fails, saying what each property saw and which faults fired", async () => {
    const r = await cli(
      "explore",
      "--generated",
      "--runs",
      "3",
      "--seed",
      "9",
      "--jobs",
      "1",
      "--properties",
      "no-panic-death,no-cascade",
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("3 of 3 runs");
    expect(r.out).toMatch(/✓ no-panic-death\s+0 failed of 3/);
    expect(r.out).toMatch(/\nFaults\n {2}\S+ +planned \d+ · fired \d+/);
    expect(r.out).toContain("No failure found.");
  });

  it("shrinks the first --shrink-max failures only, and says how many it left unshrunk", async () => {
    const argv = [
      "explore",
      "--generated",
      "--variant",
      "buggy",
      "--runs",
      "6",
      "--jobs",
      "1",
      "--keep-going",
    ];
    const limited = [...argv, "--shrink-runs", "1", "--shrink-max", "1", "--out", tmp()];
    const r = await cli(...limited, "--json");
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.failures.length).toBeGreaterThan(1);
    expect(report.failures[0].shrink).not.toBeNull();
    for (const f of report.failures.slice(1)) expect(f.shrink).toBeNull();
    expect(report.shrinkFailuresMax).toBe(1);
    expect(report.failuresUnshrunk).toBe(report.failures.length - 1);
    const human = await cli(...limited);
    expect(human.out).toContain(
      `${report.failures.length - 1} failure${report.failures.length === 2 ? "" : "s"} left unshrunk`,
    );
    expect(human.out).toContain("--shrink-max 1 shrinks the first failure (raise it to shrink more)");
    const off = JSON.parse(
      (await cli(...argv, "--shrink-runs", "0", "--out", tmp(), "--json")).out,
    ) as ExploreReport;
    expect(off.failuresUnshrunk).toBe(0);
    // With no shrinking, the time after the search is not called shrinking.
    const offHuman = (await cli(...argv, "--shrink-runs", "0", "--out", tmp())).out;
    expect(offHuman).toMatch(/\(\+ \d+\.\d s replaying the failures\)/);
    expect(human.out).toMatch(/\(\+ \d+\.\d s shrinking and replaying the failures\)/);
    expect((await cli(...argv, "--shrink-max", "x")).err).toContain(
      "--shrink-max: expected a whole number ≥ 0",
    );
    expect((await cli(...argv, "--shrink-runs", "9007199254740992")).err).toContain(
      "--shrink-runs: expected a whole number from 0 to 2^53 - 1 (9007199254740991)",
    );
  });

  it("does not tell --keep-going to go on when the failure was the last run and every run was explored", async () => {
    // Run 3 of seed 1 fails no-panic-death for buggy: the last of 4 runs.
    const argv = ["explore", "--generated", "--variant", "buggy", "--properties", "no-panic-death"];
    const last = await cli(...argv, "--runs", "4", "--jobs", "1", "--shrink-runs", "0", "--out", tmp());
    expect(last.code, last.err).toBe(1);
    const [, counts] = last.out.split("\n");
    expect(counts).toMatch(/^4 of 4 runs in /);
    expect(counts).not.toContain("--keep-going");
    const earlier = await cli(...argv, "--runs", "6", "--jobs", "1", "--shrink-runs", "0", "--out", tmp());
    expect(earlier.out.split("\n")[1]).toMatch(
      /^4 of 6 runs in .* · stopped at the first failure \(--keep-going to go on\)$/,
    );
  });

  it("takes the largest --runs under a time budget, listing no run before it starts", () => {
    // `--runs` as large as it goes, bounded by the time: every run index had been listed up
    // front, hundreds of millions of them, and the process died in V8 before a run began.
    const most = String(Number.MAX_SAFE_INTEGER);
    for (const shard of [[], ["--shard", "2/3"]]) {
      const argv = ["explore", "--generated", "--runs", most, "--jobs", "1", "--time-budget", "1s"];
      const r = cliBuilt([...argv, ...shard, "--out", tmp(), "--json"]);
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out) as ExploreReport;
      expect(report.stoppedBy).toBe("time-budget");
      expect(report.planned).toBe(shard.length === 0 ? Number.MAX_SAFE_INTEGER : 3002399751580330);
      expect(report.completed).toBeGreaterThan(0);
    }
  });

  it("shards merge into the report of the whole exploration", async () => {
    const dir = tmp();
    const args = [
      "explore",
      "--generated",
      "--variant",
      "buggy",
      "--runs",
      "6",
      "--seed",
      "2",
      "--jobs",
      "1",
      "--keep-going",
      "--shrink-runs",
      "0",
      "--json",
      "--out",
      dir,
    ];
    const whole = JSON.parse((await cli(...args)).out) as ExploreReport;
    const files = await writeShards(args, dir);
    const merged = await cli("merge", ...files, "--json");
    expect(merged.code).toBe(whole.failures.length > 0 ? 1 : 0);
    const report = JSON.parse(merged.out) as ExploreReport;
    expect(report.completed).toBe(6);
    expect(report.shards).toEqual({ count: 2, present: [1, 2], missing: [] });
    expect(report.properties).toEqual(whole.properties);
    expect(report.faultsFired).toEqual(whole.faultsFired);
    expect(report.faultsByKind).toEqual(whole.faultsByKind);
    expect(report.failures.map((f) => [f.run, f.traceHash])).toEqual(
      whole.failures.map((f) => [f.run, f.traceHash]),
    );
    // Each shard found a failure: the merged report lists them in run order, whichever order the shards are named in.
    for (const file of files)
      expect((JSON.parse(readFileSync(file, "utf8")) as ExploreReport).failures).not.toEqual([]);
    expect(report.failures.map((f) => f.run)).toEqual([2, 3]);
    const reversed = await cli("merge", ...[...files].reverse(), "--json");
    expect(reversed.out).toBe(merged.out);
    const human = await cli("merge", ...files);
    expect(human.out).toContain("shard 1,2/2");
    const missing = await cli("merge", files[0]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("shard 2/2 is missing");
    expect((await cli("merge", files[0], "--allow-missing", "--json")).code).toBeLessThan(2);
    expect((await cli("merge", files[0], files[0])).err).toContain(`${files[0]} is named twice: shard 1/`);
  });
});

describe("aftershock explore <scenario>", () => {
  it("sweeps a scenario's seeds and shrinks a failure of a hand-written file by delta debugging", async () => {
    const dir = tmp();
    const scenario = join(dir, "small.yaml");
    const doc = smallDocument({
      timeline: [{ at: "+2m", action: "delete-account", account: "acct-a" }],
      faults: [{ at: "+1m", fault: "clock-skew", worker: "w1", skew: "2s" }],
    });
    const fleet = { ...doc.fleet, supervisor: { backoffInitial: "40s", backoffMax: "2m" } };
    writeFileSync(scenario, documentYaml({ ...doc, fleet }));
    const fixed = await cli("explore", scenario, "--runs", "2", "--jobs", "1", "--variant", "fixed");
    expect(fixed.code, fixed.out + fixed.err).toBe(0);
    const buggy = await cli(
      "explore",
      scenario,
      "--runs",
      "2",
      "--jobs",
      "1",
      "--variant",
      "buggy",
      "--properties",
      "no-cascade",
      "--shrink-runs",
      "40",
      "--out",
      dir,
      "--json",
    );
    expect(buggy.code, buggy.err).toBe(1);
    const report = JSON.parse(buggy.out) as ExploreReport;
    expect(report.target).toMatchObject({ mode: "scenario", scenario: "small", seed: 7 });
    const [failure] = report.failures;
    expect(failure.shrink?.steps).toBeGreaterThan(0);
    const text = readFileSync(failure.reproducer!, "utf8");
    expect(text).not.toContain("clock-skew");
    const run = await cli("run", failure.reproducer!, "--json");
    expect(run.code).toBe(1);
    expect((JSON.parse(run.out) as RunReport).traceHash).toBe(failure.reproducerTraceHash);
  });
});

describe("a scenario with its own scheduler module", () => {
  const { dir, scenario, doc } = scenarioWithModule();

  const twoRuns = ["--runs", "2", "--jobs", "1", "--out", dir];
  /**
   * The scenario explored as written over two seeds, its failure shrunk into `repro`: run once, for
   * the tests that read it.
   */
  const asWritten = [
    ...["explore", scenario, "--runs", "2", "--jobs", "1", "--properties", "no-cascade"],
    ...["--shrink-runs", "20", "--out", join(dir, "repro"), "--json"],
  ];
  const shared = once(cli);

  it("is explored as written by default, and its reproducer replays with `aftershock run` from --out", async () => {
    const r = await shared(...asWritten);
    expect(r.code, r.err).toBe(1);
    // Progress lines only (stderr is not a terminal): no note, no warning.
    expect(
      r.err
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("aftershock explore: ")),
    ).toEqual([]);
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.target).toMatchObject({ mode: "scenario", scenario: "small", variant: null });
    const [failure] = report.failures;
    expect(failure.kind).toBe("no-cascade");
    expect(failure.reproducer).toMatch(/repro\/small-module-no-cascade-seed7-run0\.yaml$/);
    expect(readFileSync(failure.reproducer!, "utf8")).toContain("module: ../bug.mjs");
    const run = await cli("run", failure.reproducer!, "--json");
    expect(run.code, run.err).toBe(1);
    const replayed = JSON.parse(run.out) as RunReport;
    expect(replayed.variant.scheduler).toBe("module:../bug.mjs");
    expect(replayed.traceHash).toBe(failure.reproducerTraceHash);
    // The module lists v2's fixes and runs here without them: it is gated as the buggy variant, so
    // the reproducer expects the property of it, and the gate runs the run `run` replays, and
    // fails on it until the bug is fixed.
    expect(readFileSync(failure.reproducer!, "utf8")).toContain(
      "expect:\n  - variant: buggy\n    property: no-cascade\n    holds: true\n",
    );
    const gate = await cli("gate", failure.reproducer!, "--jobs", "1");
    expect(gate.code, gate.err).toBe(1);
    expect(gate.out).toContain(`trace ${failure.reproducerTraceHash}`);
    expect(gate.out).toContain("✗ [buggy] no-cascade");
  });

  it("names the module by its path from the scenario's folder when the file spells it absolute, and its reproducer replays", async () => {
    const absolute = join(dir, "absolute.yaml");
    writeFileSync(
      absolute,
      documentYaml({ ...doc, scheduler: { module: join(dir, "bug.mjs") } } as typeof doc),
    );
    const args = [
      "--runs",
      "1",
      "--jobs",
      "1",
      "--properties",
      "no-cascade",
      "--shrink-runs",
      "20",
      "--json",
    ];
    const explored = async (file: string, out: string, ...more: string[]) => {
      const r = await cli("explore", file, ...args, "--out", join(dir, out), ...more);
      expect(r.code, r.err).toBe(1);
      return JSON.parse(r.out) as ExploreReport;
    };
    const report = await explored(absolute, "repro-absolute");
    expect(report.target.digestFiles).toEqual(["./bug.mjs"]);
    const [failure] = report.failures;
    // The run explore judged is `aftershock run` of the scenario, and of one that writes `./bug.mjs`.
    const run = JSON.parse((await cli("run", absolute, "--seed", "7", "--json")).out) as RunReport;
    expect(run.variant.scheduler).toBe("module:./bug.mjs");
    expect(failure.traceHash).toBe(run.traceHash);
    // The failing run's hash, not its reproducer's, of the scenario that names `./bug.mjs`.
    const relative = JSON.parse((await shared(...asWritten)).out) as ExploreReport;
    expect(failure.traceHash).toBe(relative.failures[0].traceHash);
    expect(readFileSync(failure.reproducer!, "utf8")).toContain("module: ../bug.mjs");
    const replayed = JSON.parse((await cli("run", failure.reproducer!, "--json")).out) as RunReport;
    expect(replayed.traceHash).toBe(failure.reproducerTraceHash);
  });

  it("is explored with a bundled variant when --variant asks, saying it stands in for the module", async () => {
    const r = await cli("explore", scenario, ...twoRuns, "--variant", "fixed");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain("exploring the bundled variant fixed in its place");
  });

  it("says loudly, with exit 3, that the reproducer is not exact when the module keeps state between runs", async () => {
    // Each `create` waits one millisecond longer than the last before starting its worker, so
    // the replay of a reproducer never repeats the run that failed.
    writeFileSync(
      join(dir, "stateful.mjs"),
      [
        'import { scheduler as base } from "./bug.mjs";',
        "let created = 0;",
        "export const scheduler = { ...base, name: 'stateful', create(fixes) {",
        "  created++;",
        "  const inner = base.create(fixes), startupMs = created;",
        "  return { ...inner, main: function* (rt) { yield rt.sleep(startupMs); yield* inner.main(rt); } };",
        "} };",
        "",
      ].join("\n"),
    );
    const stateful = join(dir, "stateful.yaml");
    writeFileSync(stateful, documentYaml({ ...doc, scheduler: { module: "./stateful.mjs" } } as typeof doc));
    const args = ["explore", stateful, "--properties", "no-cascade", "--shrink-runs", "0"];
    const json = await cli(...args, ...twoRuns, "--json");
    expect(json.code, json.err).toBe(3);
    const [failure] = (JSON.parse(json.out) as ExploreReport).failures;
    expect(failure.reproducer).not.toBeNull();
    expect(failure.reproducerMismatch).toMatch(
      /^replayed, it gives trace [0-9a-f]+, not [0-9a-f]+: the scheduler is not deterministic \(most likely it keeps state between `create` calls/,
    );
    expect(json.err).toContain(`${failure.reproducer} is not an exact reproducer: replayed, it gives trace`);
    // The file says it too, to whoever opens it without the report.
    expect(readFileSync(failure.reproducer!, "utf8")).toMatch(/^# NOT EXACT: replayed, it gives trace/m);
    const human = await cli(...args, ...twoRuns);
    expect(human.code).toBe(3);
    expect(human.out).toContain("    reproducer not exact: replayed, it gives trace");
    // The report says it, so merging it says it too.
    const report = join(dir, "stateful.json");
    writeFileSync(report, json.out);
    expect((await cli("merge", report)).code).toBe(3);
  });

  it("leaves a bundled scheduler's default as it was: the fixed variant", async () => {
    const bundled = join(dir, "bundled.yaml");
    writeFileSync(bundled, documentYaml({ ...doc, scheduler: { version: "v2", fixes: [] } }));
    const r = await cli("explore", bundled, ...twoRuns, "--json");
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as ExploreReport).target.variant).toBe("fixed");
  });
});

describe("bad input exits 2 with a message, never a stack trace", () => {
  const cases: [string[], string][] = [
    [["explore"], "pass --generated"],
    [["explore", "x.yaml", "--generated"], "not both"],
    [["explore", "--generated", "--shard", "3/2"], "--shard: expected i/n"],
    [["explore", "--generated", "--properties", "no-such"], 'unknown property "no-such"'],
    [
      ["explore", "--generated", "--properties", "no-cascade,no-panic-deth"],
      'unknown property "no-panic-deth" (known: no-cascade, no-panic-death, ',
    ],
    [["explore", "--generated", "--properties", "no-panic-deth"], ") — did you mean no-panic-death?"],
    [["explore", "--generated", "--time-budget", "10"], "--time-budget"],
    // A value split by a space: the second word is read as a scenario, and said so.
    [
      ["explore", "--generated", "--time-budget", "5", "minutes"],
      'not both ("minutes" was read as a scenario; a flag\'s value is one word, as in --time-budget 5m, or quoted)',
    ],
    [["explore", "--generated", "--variant", "nope"], 'unknown variant "nope"'],
    [["explore", "--generated", "--jobs", "0"], "--jobs"],
    [["explore", "--generated", "--runs", "-3"], "--runs"],
    [["explore", "no-such-file.yaml"], "no-such-file.yaml"],
    [["merge", "no-such.json"], "no-such.json: no such file"],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(" "), async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }

  it("refuses, before running, a seed sweep whose last seed would pass the largest seed", async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const dir = tmp();
    const scenario = join(dir, "big.yaml");
    writeFileSync(scenario, documentYaml({ ...smallDocument(), seed: max }));
    const flag = await cli("explore", scenario, "--seed", String(max - 2), "--runs", "4", "--out", dir);
    expect(flag.code).toBe(2);
    expect(flag.out).toBe("");
    expect(flag.err).toContain(`--seed: ${max - 2} with --runs 4: the last run's seed would pass ${max}`);
    expect(flag.err).toContain(`the largest usable seed for 4 runs is ${max - 3}`);
    const own = await cli("explore", scenario, "--runs", "2", "--out", dir);
    expect(own.code).toBe(2);
    expect(own.err).toMatch(new RegExp(`${scenario}:\\d+:\\d+: seed ${max} with --runs 2`));
    const last = await cli("explore", scenario, "--runs", "1", "--jobs", "1", "--out", dir, "--json");
    expect(last.code, last.err).toBe(0);
  });

  it("merge refuses files that are not explore reports", async () => {
    const dir = tmp();
    const file = join(dir, "run.json");
    writeFileSync(file, JSON.stringify({ scenario: "x" }));
    const r = await cli("merge", file);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not an explore report");
    writeFileSync(file, "{ not json");
    expect((await cli("merge", file)).err).toContain("not JSON");
  });
});

describe("explore reproducers of a scenario with a long name", () => {
  it("are named within the 255 bytes file systems take, two long names alike at their start apart", async () => {
    const dir = tmp();
    const bundled = join(import.meta.dirname, "../../scenarios/single-worker-crash-loop.yaml");
    const text = readFileSync(bundled, "utf8");
    const names: string[] = [];
    const oneRun = ["--variant", "buggy", "--runs", "1", "--jobs", "1", "--shrink-runs", "5"];
    for (const tail of ["a", "b"]) {
      const file = join(dir, `long-${tail}.yaml`);
      writeFileSync(file, text.replace("name: single-worker-crash-loop", `name: ${"x".repeat(230)}${tail}`));
      const r = await cli("explore", file, ...oneRun, "--out", join(dir, "out"), "--json");
      expect(r.code, r.err).toBe(1);
      const [failure] = (JSON.parse(r.out) as ExploreReport).failures;
      const name = failure.reproducer!.split("/").at(-1)!;
      expect(Buffer.byteLength(name, "utf8")).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^x+~[0-9a-f]{8}-buggy-\S+-seed11-run0\.yaml$/);
      names.push(name);
      // It replays: the file is whole and names its world as itself.
      expect((await cli("run", failure.reproducer!, "--json")).code).toBe(1);
    }
    expect(names[0]).not.toBe(names[1]);
  });
});

describe("faults with nothing to act on", () => {
  it("are counted as skipped per kind, in the report, its merge and the summary", async () => {
    const dir = tmp();
    const scenario = join(dir, "kill-twice.yaml");
    // The second kill comes while w1 waits in back-off from the first: it has no process to kill.
    writeFileSync(
      scenario,
      [
        "name: kill-twice",
        "description: One worker killed twice in a row.",
        "seed: 1",
        "start: 2026-05-08T09:00:00Z",
        "duration: 10m",
        "fleet: { workers: 1, partitions: 2 }",
        "workload: { accounts: 2 }",
        "faults:",
        '  - { at: "+2m", fault: kill-worker, worker: w1 }',
        '  - { at: "+2m1s", fault: kill-worker, worker: w1 }',
        "slo: 60s",
        "",
      ].join("\n"),
    );
    const args = ["explore", scenario, "--variant", "fixed", "--runs", "2", "--jobs", "1", "--json"];
    const whole = await cli(...args);
    expect(whole.code, whole.err).toBe(0);
    const report = JSON.parse(whole.out) as ExploreReport;
    expect(report.faultsFired).toEqual({ "kill-worker": 2 });
    expect(report.faultsSkipped).toEqual({ "kill-worker": 2 });
    const files = await writeShards(args, dir);
    const merged = JSON.parse((await cli("merge", ...files, "--json")).out) as ExploreReport;
    expect(merged.faultsSkipped).toEqual({ "kill-worker": 2 });
    // Of the 4 kills planned, 2 fired (one a run) and 2 found their worker down.
    const kills = { planned: 4, fired: 2, acts: 2, skipped: 2, notFired: 0, runs: 2 };
    expect(report.faultsByKind).toEqual({ "kill-worker": kills });
    expect(merged.faultsByKind).toEqual({ "kill-worker": kills });
    const human = await cli("explore", scenario, "--variant", "fixed", "--runs", "2", "--jobs", "1");
    expect(human.out).toContain("\n  kill-worker  planned 4 · fired 2 · skipped 2 · acted in 2 runs\n");
    // The table says the skips: not again below it.
    expect(human.out).not.toContain("skipped, nothing to act on");
    // A report saved before the table was kept says them apart, with no reason of one kind for all.
    const { faultsByKind: _, ...older } = report;
    expect(renderExplore(older, plainPaint)).toContain(
      "\n  skipped, nothing to act on: kill-worker 2 (such as a kill of a worker already down, or an HTTP fault that failed no delivery)\n",
    );
  });
});

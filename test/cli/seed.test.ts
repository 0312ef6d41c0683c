// Shows that --seed and seed sweeps refuse, at its line, a generated schedule the seeds run do not generate, a named id they generate too, or a deleted account's generated schedule reused or deleted too late, as run does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { atSeed, loadScenario } from "../../src/cli/load.js";
import { main } from "../../src/cli/main.js";
import { captureContext } from "../train/helpers.js";
import { usageError } from "./usage-error.js";

const TEXT = `name: seeded
description: d
start: 2026-05-08T09:30:00Z
duration: 20m
fleet: { workers: 3, partitions: 6 }
workload: { accounts: 5, schedulesPerAccount: { min: 1, max: 2 } }
timeline:
  - { at: "+1m", action: delete-schedule, schedule: sched-000008 }
`;

function scenarioFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-seed-")), "seeded.yaml");
  writeFileSync(file, TEXT);
  return file;
}

describe("--seed", () => {
  it("runs a seed that generates the schedules the scenario names, and refuses one that does not", () => {
    const file = scenarioFile();
    const loaded = loadScenario(file, 3);
    expect(atSeed(loaded.compiled, 3).config.seed).toBe(3);
    expect(usageError(() => loadScenario(file, 2))).toBe(
      `${file}:8:53: error: timeline[0].schedule: no schedule has the id "sched-000008" with seed 2: that seed generates 5 schedules (sched-000001..sched-000005); how many depends on the seed (every seed generates sched-000001..sched-000005) (expected a schedule the scenario has with seed 2, found "sched-000008")`,
    );
  });

  it("checks at the seed given, not at the file's own: a schedule only the given seed generates is run", async () => {
    // The file's seed 2 generates 5 schedules; seed 3 generates 9, sched-000008 among them.
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-seed-")), "own-seed.yaml");
    writeFileSync(file, TEXT.replace("duration: 20m", "duration: 5m\nseed: 2"));
    expect(usageError(() => loadScenario(file))).toContain(
      'no schedule has the id "sched-000008" with seed 2',
    );
    expect(loadScenario(file, 3).scenario.seed).toBe(2);
    const ctx = captureContext();
    expect(await main(["run", file, "--seed", "3", "--quiet"], ctx), ctx.stderr()).toBe(0);
    expect(ctx.stdout()).toContain("seed 3:");
    const refused = captureContext();
    expect(await main(["run", file, "--seed", "4", "--quiet"], refused)).toBe(2);
    expect(refused.stderr()).toContain('no schedule has the id "sched-000008" with seed 4');
  });

  it("refuses, for a sweep of seeds, a schedule only some seeds generate", () => {
    expect(usageError(() => loadScenario(scenarioFile(), "every-seed"))).toContain(
      'only some seeds generate the schedule "sched-000008"',
    );
  });

  it("refuses a named id the workload generates, at validate and at run, and at the seeds that generate it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-seed-")), "named.yaml");
    const named = (account: string, schedule: string) =>
      // The timeline deletes sched-000001, which every seed generates.
      TEXT.replace("sched-000008", "sched-000001").replace(
        "schedulesPerAccount: { min: 1, max: 2 } }",
        `schedulesPerAccount: { min: 1, max: 2 },\n  named: [{ id: ${account}, schedules: [{ id: ${schedule}, cron: "* * * * *" }] }] }`,
      );
    for (const [account, schedule, line, column] of [
      ["acct-keep", "sched-000001", 7, 46],
      ["acct-00001", "s-keep", 7, 17],
    ] as const) {
      writeFileSync(file, named(account, schedule));
      for (const command of ["validate", "run"]) {
        const ctx = captureContext();
        expect(await main([command, file], ctx), command).toBe(2);
        expect(ctx.stderr()).toContain(`${file}:${line}:${column}: error: workload.named[0].`);
        expect(ctx.stderr()).toContain("already exists (the workload generates it");
        expect(ctx.stderr()).not.toContain("InvariantViolation");
      }
    }
    // The file's seed 2 generates 5 schedules, seed 3 nine: sched-000008 is generated at some seeds only.
    writeFileSync(file, `${named("acct-keep", "sched-000008")}seed: 2\n`);
    expect(loadScenario(file).scenario.seed).toBe(2);
    expect(usageError(() => loadScenario(file, 3))).toContain(
      'a schedule with the id "sched-000008" already exists (the workload generates it with seed 3, which draws 9 schedules; every seed draws 5 or more)',
    );
    expect(usageError(() => loadScenario(file, "every-seed"))).toContain(
      "(the workload generates it with some seeds, those that draw 8 schedules or more, and this command runs several seeds)",
    );
  });
});

describe("seed sweeps (explore, gate --explore) and a deleted account's generated schedules", () => {
  // sched-000001 is acct-00001's at every seed, and the one cron fires every minute: the
  // account's cleanup comes at 09:32 whatever the seed.
  const deleted = (action: string) =>
    TEXT.replace(
      "schedulesPerAccount: { min: 1, max: 2 } }",
      'schedulesPerAccount: { min: 1, max: 2 }, cron: [{ expr: "* * * * *" }] }',
    ).replace(
      '  - { at: "+1m", action: delete-schedule, schedule: sched-000008 }\n',
      `  - { at: "+1m30s", action: delete-account, account: acct-00001 }\n  - ${action}\n`,
    );

  it.each([
    [
      "a create-schedule reusing its id",
      '{ at: "+5m", action: create-schedule, schedule: sched-000001, account: acct-00002, cron: "* * * * *" }',
      'the id "sched-000001" still belongs to a schedule of the account "acct-00001"',
    ],
    [
      "a delete-schedule after its cleanup",
      '{ at: "+5m", action: delete-schedule, schedule: sched-000001 }',
      'the schedule "sched-000001" belongs to the account "acct-00001"',
    ],
  ])("refuses %s with run's message", async (_what, action, words) => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-seed-")), "deleted.yaml");
    writeFileSync(file, deleted(action));
    const said = async (...argv: string[]) => {
      const ctx = captureContext();
      expect(await main(argv, ctx), argv.join(" ")).toBe(2);
      return ctx.stderr();
    };
    const run = await said("run", file, "--quiet");
    expect(run).toContain(`${file}:9:`);
    expect(run).toContain(words);
    const out = mkdtempSync(join(tmpdir(), "aftershock-seed-out-"));
    expect(await said("explore", file, "--runs", "3", "--jobs", "1", "--out", out)).toBe(run);
    expect(await said("gate", file, "--explore", "3")).toContain(run.replace(/^aftershock: /, ""));
  });
});

// Shows poison-task-isolated catching two scheduler modules every other property passes: one that retries a panicking task at once (explore finds it in generated worlds) and one that never quarantines a poison task (explore finds it in its default generated worlds, and sweeping a scenario with a task that always panics), and the fixed v2 holding it in the same worlds.
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { caughtAlone, failedAlone, plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No back-off: a panicking task is retried the instant it panicked, its attempts spent in one burst. */
const hasty = plantedModule(dir, "hasty.mjs", (text) =>
  text.replace("const retryInMs = PANIC_RETRY_BASE_MS * 2 ** (attempt - 1);", "const retryInMs = 0;"),
);
/** No bound: a poison task is retried (with back-off) for ever and never quarantined. */
const endless = plantedModule(dir, "endless.mjs", (text) =>
  text.replace("const PANIC_ATTEMPTS_MAX = 3;", "const PANIC_ATTEMPTS_MAX = Number.POSITIVE_INFINITY;"),
);

/**
 * A poison task from 09:32 (every task of sched-000001 panics at its account read), and store
 * latency spells that keep the fleet disturbed to the end: no-missed-delivery judges a fire only
 * after 7 minutes of calm, and would otherwise see the poison's schedule stop firing (the
 * eleventh panic of v2's doubling back-off comes 8.5 minutes after the tenth).
 */
const poisonWorld = `name: poison-task
description: A schedule whose every task panics at its account read from 09:31:30 on.
seed: 1
start: 2026-05-08T09:30:00Z
duration: 20m
fleet:
  workers: 3
  partitions: 8
scheduler:
  module: ./endless.mjs
  fixes: [early-return, panic-recovery]
workload:
  accounts: 20
  cron:
    - { expr: "* * * * *", weight: 1 }
faults:
  - { at: "09:31:30", fault: inject-panic, point: before-account-read, schedule: sched-000001, count: 1000 }
  - { at: "09:40:00", fault: store-latency, latency: 200ms, duration: 2m }
  - { at: "09:44:00", fault: store-latency, latency: 200ms, duration: 2m }
slo: 2m
`;

describe("poison-task-isolated against planted modules", () => {
  it("explore finds a module that retries a panicking task at once; the fixed v2 waits in the same world", async () => {
    const { failed, kept } = await caughtAlone(dir, hasty, "poison-task-isolated");
    expect(failed.detail).toMatch(
      /^1 retry of a panicking task came without back-off: \S+ panicked again on w\d+ at \S+, 0\.000 s after its recovered panic, where a retry waits at least 1\.000 s/,
    );
    // The same injected panics in v2's place: recovered, and the task retried after a second (the
    // injected panic's second throw may meet another task meanwhile).
    const v = verdict(kept, "poison-task-isolated");
    expect(v.ok, v.detail).toBe(true);
    expect(kept.metrics.panicsRecovered).toBeGreaterThan(0);
  });

  it("explore finds a module that never quarantines a poison task; the fixed v2 quarantines it in the same world", async () => {
    const scenario = join(dir, "poison.yaml");
    writeFileSync(scenario, poisonWorld);
    const r = await cli(
      // Not shrunk: a shrunk world drops the latency spells, and no-missed-delivery sees it too.
      ...["explore", scenario, "--runs", "3", "--jobs", "1", "--shrink-runs", "0"],
      ...["--out", join(dir, "repro-endless"), "--json"],
    );
    expect(r.code, r.err).toBe(1);
    const failure = (JSON.parse(r.out) as ExploreReport).failures[0];
    const { report, failed, kept } = await failedAlone(failure, endless, "poison-task-isolated");
    expect(failed.detail).toMatch(
      /^1 run of more than 10 panics of one task in a row went on with the task never isolated: sched-000001@\S+ panicked 11 times in a row on w\d+ by \S+ and was still not quarantined/,
    );
    expect(report.metrics.tasksQuarantined).toBe(0);
    expect(verdict(kept, "poison-task-isolated").ok).toBe(true);
    expect(kept.metrics.tasksQuarantined).toBeGreaterThan(0);
  });

  it("explore --generated finds a module that never quarantines a poison task in its default worlds, within 40 runs", async () => {
    // The default chaos makes persistent injected panics (a poison task on one schedule or
    // account); the module retries one past the bound of 10 in a row. Not shrunk, for time.
    const r = await cli(
      ...["explore", "--generated", "--scheduler", endless, "--runs", "40", "--jobs", "1"],
      ...["--shrink-runs", "0", "--out", join(dir, "repro-endless-generated"), "--json"],
    );
    expect(r.code, r.err).toBe(1);
    const failure = (JSON.parse(r.out) as ExploreReport).failures[0];
    // A task retried for ever misses its schedule's later fires too: no-missed-delivery may name it first.
    expect(failure.failed).toContain("poison-task-isolated");
    const replay = await cli("run", failure.reproducer!, "--json");
    expect(replay.code, replay.err).toBe(1);
    const report = JSON.parse(replay.out) as RunReport;
    expect(verdict(report, "poison-task-isolated").detail).toMatch(
      /runs? of more than 10 panics of one task in a row went on with the task never isolated: \S+ panicked 11 times in a row on w\d+ by \S+ and was still not quarantined/,
    );
    expect(report.metrics.tasksQuarantined).toBe(0);
    // The same world with the fixed v2 in the module's place quarantines the poison task.
    const kept = await runWithV2(failure.reproducer!, `../${basename(endless)}`);
    for (const v of kept.verdicts) expect(v.ok, `${v.property}: ${v.detail}`).toBe(true);
    expect(kept.metrics.tasksQuarantined).toBeGreaterThan(0);
  });
});

// Shows poison-task-isolated catching a scheduler module every other property passes that never quarantines a poison task (explore finds it sweeping a scenario with a task that always panics, and in a world where its worker runs the task alone on a partition it took back), and the fixed v2 holding it in the same worlds; poison-module.long.test.ts finds it in the default generated worlds too, and a module that retries a panicking task at once.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { RunReport } from "../../src/report/run-report.js";
import { ONE_TASK_WORKLOAD } from "../world/helpers.js";
import { cli, tmp } from "./cli-helpers.js";
import { failedAlone, plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No bound: a poison task is retried (with back-off) for ever and never quarantined. */
const endless = plantedModule(dir, "endless.mjs", (text) =>
  text.replace("const PANIC_ATTEMPTS_MAX = 3;", "const PANIC_ATTEMPTS_MAX = Number.POSITIVE_INFINITY;"),
);

/** The scheduler block of a world run with the module that never quarantines. */
const endlessScheduler = `scheduler:
  module: ./endless.mjs
  fixes: [early-return, panic-recovery]`;

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
${endlessScheduler}
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

/**
 * w1 holds the only partition; a store outage keeps it from claiming sched-t's 09:45 fire, and a
 * pause costs it the lease; w2 fires the poison task and is killed; w1 takes the partition back
 * and is the only one running the task, due before its earlier tenure ended.
 */
const retakenWorld = `name: unclaimed-due
description: w1 never fires sched-t in its first tenure; w2 does and is killed; w1 takes p0 back.
seed: 1
start: 2026-05-08T09:40:00Z
duration: 45m
fleet:
  workers: 2
  partitions: 1
  leaseTtl: 30s
  startupTime: 10s
  supervisor: { backoffInitial: 300s, backoffMax: 300s, resetAfter: 10m }
${endlessScheduler}
${ONE_TASK_WORKLOAD}faults:
  - { at: "09:44:50", fault: store-outage, duration: 25s }
  - { at: "09:45:10", fault: pause-worker, worker: w1, duration: 90s }
  - { at: "09:45:20", fault: inject-panic, point: before-delivery, schedule: sched-t, count: 400 }
  - { at: "09:47:00", fault: kill-worker, worker: w2 }
`;

describe("poison-task-isolated against planted modules", () => {
  it("catches a module that never quarantines a task its worker runs alone on a partition it took back", async () => {
    const scenario = join(dir, "retaken.yaml");
    writeFileSync(scenario, retakenWorld);
    const r = await cli("run", scenario, "--json");
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as RunReport;
    expect(verdict(report, "poison-task-isolated").detail).toMatch(
      /^1 run of more than 10 panics of one task in a row went on with the task never isolated: sched-t@2026-05-08T09:45:00Z panicked 11 times in a row on w1 /,
    );
    // The fixed v2 quarantines the task in the same world, on the same worker.
    const kept = await runWithV2(scenario, "./endless.mjs");
    expect(verdict(kept, "poison-task-isolated")).toMatchObject({ ok: true, exercised: true });
    expect(kept.metrics.tasksQuarantined).toBe(1);
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
});

// Shows the shipped example module, its early return put back, keeping no-delivery-after-deletion for a message retry pending when its account is deleted: its retry path reads the account again, as v2's does, so bug 1 is the example's only bug.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { plantedModule, verdict } from "./planted-module.js";

const dir = tmp();
/** A destination that always fails: the deleted account's 09:01 fire is retried 12 s later, after the deletion. */
const scenario = join(dir, "retry-deleted.yaml");
writeFileSync(
  scenario,
  `name: retry-deleted
description: A failing destination's retries pending when the account is deleted.
seed: 1
start: 2026-05-08T09:00:00Z
duration: 20m
fleet: { workers: 2, partitions: 4 }
workload:
  accounts: 2
  cron: [{ expr: "*/10 * * * *", weight: 1 }]
  destination: { latency: 50ms, failureRate: 1 }
  retries: 3
  named:
    - id: acct-gone
      schedules: [{ id: sched-gone, cron: "1 9 * * *" }]
timeline:
  - { at: "09:01:05", action: delete-account, account: acct-gone }
`,
);

describe("the example module with bug 1 fixed", () => {
  it("sends no retry of a deleted account's message", async () => {
    // The early return put back, and nothing else changed: plantedModule wants an edit.
    const fixed = plantedModule(dir, "example-fixed.mjs", (text) => `${text}\n// bug 1 fixed\n`);
    const r = await cli("run", scenario, "--scheduler", fixed, "--json");
    const report = JSON.parse(r.out) as RunReport;
    const v = verdict(report, "no-delivery-after-deletion");
    expect(v.exercised).toBe(true);
    expect(v.ok, v.detail).toBe(true);
    // The deletion came with the 09:01 fire's retry pending (the example before it read the
    // account again sent that retry: seen failing here).
    expect(report.metrics.deletionAt).toBe("2026-05-08T09:01:05.000Z");
    expect(report.metrics.deliveries.afterDeletion).toBe(0);
  });
});

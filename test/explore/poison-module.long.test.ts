// Shows explore --generated finding, in its default generated worlds, a scheduler module that never quarantines a poison task, and the fixed v2 quarantining it in the same world; poison-module.test.ts catches the module sweeping a scenario's seeds, and a module that retries at once in generated worlds.
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No bound: a poison task is retried (with back-off) for ever and never quarantined. */
const endless = plantedModule(dir, "endless.mjs", (text) =>
  text.replace("const PANIC_ATTEMPTS_MAX = 3;", "const PANIC_ATTEMPTS_MAX = Number.POSITIVE_INFINITY;"),
);

describe("poison-task-isolated against planted modules", () => {
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

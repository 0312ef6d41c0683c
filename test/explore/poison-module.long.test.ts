// Shows, in the long tier, explore --generated finding two scheduler modules that fail poison-task-isolated alone, one that retries a panicking task at once and, in the default generated worlds, one that never quarantines a poison task, the fixed v2 holding the property in the same worlds; poison-module.test.ts explores the second in a scenario's seeds, and test/checks/poison-checker.test.ts fails a retry without back-off.
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { caughtAlone, plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No back-off: a panicking task is retried the instant it panicked, its attempts spent in one burst. */
const hasty = plantedModule(dir, "hasty.mjs", (text) =>
  text.replace("const retryInMs = PANIC_RETRY_BASE_MS * 2 ** (attempt - 1);", "const retryInMs = 0;"),
);
/** No bound: a poison task is retried (with back-off) for ever and never quarantined. */
const endless = plantedModule(dir, "endless.mjs", (text) =>
  text.replace("const PANIC_ATTEMPTS_MAX = 3;", "const PANIC_ATTEMPTS_MAX = Number.POSITIVE_INFINITY;"),
);

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

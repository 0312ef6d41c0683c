// Shows quarantine-after-retries catching a scheduler module that quarantines a schedule on its task's first panic (every other property holds on it), explore finding it, and the fixed v2 holding it in the same world after retrying.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, moduleFailure, tmp } from "./cli-helpers.js";
import { expectOthersHold, plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No patience for panics: a task is quarantined at its first, so one transient panic stops its schedule for good. */
const hasty = plantedModule(dir, "hasty.mjs", (text) =>
  text.replace("const PANIC_ATTEMPTS_MAX = 3;", "const PANIC_ATTEMPTS_MAX = 1;"),
);

describe("quarantine-after-retries against a module that quarantines at the first panic", () => {
  it("explore finds it, the reproducer fails only quarantine-after-retries, and the fixed v2 holds it in the same world", async () => {
    const out = join(dir, "repro");
    const failure = await moduleFailure(hasty, out, { jobs: 1, shrinkRuns: 40 });
    expect(failure.kind).toBe("quarantine-after-retries");
    expect(failure.reproducerMismatch).toBeNull();

    const replay = await cli("run", failure.reproducer!, "--json");
    expect(replay.code, replay.err).toBe(1);
    const dropped = JSON.parse(replay.out) as RunReport;
    expect(dropped.metrics.tasksQuarantined).toBeGreaterThan(0);
    const v = verdict(dropped, "quarantine-after-retries");
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(/after its task \S+ panicked only once, with no retry/);
    // no-missed-delivery owes nothing for a quarantined schedule: only this property sees it.
    expectOthersHold(dropped, "quarantine-after-retries");

    // The same world with the fixed v2 in the module's place retries the task.
    const kept = await runWithV2(failure.reproducer!, "../hasty.mjs");
    expect(verdict(kept, "quarantine-after-retries").ok).toBe(true);
    expect(kept.metrics.panicsRecovered).toBeGreaterThan(0);
  });
});

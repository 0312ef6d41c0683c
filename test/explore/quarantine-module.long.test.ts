// Shows, in the long tier, quarantine-after-retries catching a scheduler module that quarantines a schedule on its task's first panic (every other property holds on it), explore finding it, and the fixed v2 holding it in the same world after retrying; retry-backoff-module.test.ts shows explore catching a module that fails one property alone, and test/checks/quarantine-checker.test.ts the property failing.
import { describe, expect, it } from "vitest";
import { tmp } from "./cli-helpers.js";
import { caughtAlone, plantedModule, verdict } from "./planted-module.js";

const dir = tmp();
/** No patience for panics: a task is quarantined at its first, so one transient panic stops its schedule for good. */
const hasty = plantedModule(dir, "hasty.mjs", (text) =>
  text.replace("const PANIC_ATTEMPTS_MAX = 3;", "const PANIC_ATTEMPTS_MAX = 1;"),
);

describe("quarantine-after-retries against a module that quarantines at the first panic", () => {
  it("explore finds it, the reproducer fails only quarantine-after-retries, and the fixed v2 holds it in the same world", async () => {
    const { report, failed, kept } = await caughtAlone(dir, hasty, "quarantine-after-retries");
    expect(report.metrics.tasksQuarantined).toBeGreaterThan(0);
    expect(failed.detail).toMatch(/after its task \S+ panicked only once, with no retry/);
    // no-missed-delivery owes nothing for a quarantined schedule: only this property sees it.
    // The same world with the fixed v2 in the module's place retries the task.
    expect(verdict(kept, "quarantine-after-retries").ok).toBe(true);
    expect(kept.metrics.panicsRecovered).toBeGreaterThan(0);
  });
});

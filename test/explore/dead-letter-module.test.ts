// Shows dead-letter-after-retries catching a scheduler module that gives its messages no retries (every other property holds on it: no-missed-delivery counts a dead-lettered fire as delivered), explore finding it, and the fixed v2 holding it in the same world after retrying.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, moduleFailure, tmp } from "./cli-helpers.js";
import { expectOthersHold, plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No patience with a failing destination: a message's first failure sends it to the dead-letter queue. */
const hasty = plantedModule(dir, "hasty.mjs", (text) =>
  text.replace("retries: work.schedule.retries,", "retries: 0,"),
);

describe("dead-letter-after-retries against a module that dead-letters at the first failure", () => {
  it("explore finds it, the reproducer fails only dead-letter-after-retries, and the fixed v2 holds it in the same world", async () => {
    const out = join(dir, "repro");
    const failure = await moduleFailure(hasty, out, { jobs: 1, shrinkRuns: 40 });
    expect(failure.kind).toBe("dead-letter-after-retries");
    expect(failure.reproducerMismatch).toBeNull();

    const replay = await cli("run", failure.reproducer!, "--json");
    expect(replay.code, replay.err).toBe(1);
    const gaveUp = JSON.parse(replay.out) as RunReport;
    const v = verdict(gaveUp, "dead-letter-after-retries");
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(/after 1 attempt sent of the \d+ its retry budget allows/);
    // no-missed-delivery counts a dead-lettered fire as delivered: only this property sees it.
    expectOthersHold(gaveUp, "dead-letter-after-retries");

    // The same world with the fixed v2 in the module's place retries the message.
    const kept = await runWithV2(failure.reproducer!, "../hasty.mjs");
    expect(verdict(kept, "dead-letter-after-retries").ok).toBe(true);
  });
});

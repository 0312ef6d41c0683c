// Shows, in the long tier, dead-letter-after-retries catching a scheduler module that gives its messages no retries (every other property holds on it: no-missed-delivery counts a dead-lettered fire as delivered), explore finding it, and the fixed v2 holding it in the same world after retrying; retry-backoff-module.test.ts shows explore catching a module that fails one property alone, and test/checks/dead-letter-checker.test.ts the property failing.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleFailure, tmp } from "./cli-helpers.js";
import { failedAlone, plantedModule, verdict } from "./planted-module.js";

const dir = tmp();
/** No patience with a failing destination: a message's first failure sends it to the dead-letter queue. */
const hasty = plantedModule(dir, "hasty.mjs", (text) =>
  text.replace("retries: work.schedule.retries,", "retries: 0,"),
);

describe("dead-letter-after-retries against a module that dead-letters at the first failure", () => {
  it("explore finds it, the reproducer fails only dead-letter-after-retries, and the fixed v2 holds it in the same world", async () => {
    // Seed 2: the exploration's first generated world catches it (seed 1's ninth does).
    const failure = await moduleFailure(hasty, join(dir, "repro"), { jobs: 1, shrinkRuns: 40, seed: 2 });
    const { failed, kept } = await failedAlone(failure, hasty, "dead-letter-after-retries");
    expect(failed.detail).toMatch(/after 1 attempt sent of the \d+ its retry budget allows/);
    // no-missed-delivery counts a dead-lettered fire as delivered: only this property sees it.
    // The same world with the fixed v2 in the module's place retries the message.
    expect(verdict(kept, "dead-letter-after-retries").ok).toBe(true);
  });
});

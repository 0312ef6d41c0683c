// Shows retry-after-backoff catching a scheduler module that retries a failed delivery at once, with no back-off (every other property holds on it: its retries are all sent before it dead-letters, and the destination that failed is hammered meanwhile), explore finding it, and the fixed v2 holding it in the same world.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, moduleFailure, tmp } from "./cli-helpers.js";
import { expectOthersHold, plantedModule, runWithV2, verdict } from "./planted-module.js";

const dir = tmp();
/** No back-off: a failed message is due again at once, so its retries are spent while its destination is still down. */
const eager = plantedModule(dir, "eager.mjs", (text) =>
  text.replace(
    "tx.retryLater(message, retry, rt.now() + backoffMs);",
    "tx.retryLater(message, retry, rt.now());",
  ),
);

describe("retry-after-backoff against a module that retries a failed delivery at once", () => {
  it("explore finds it, the reproducer fails only retry-after-backoff, and the fixed v2 holds it in the same world", async () => {
    const out = join(dir, "repro");
    const failure = await moduleFailure(eager, out, { jobs: 1, shrinkRuns: 40 });
    expect(failure.kind).toBe("retry-after-backoff");
    expect(failure.reproducerMismatch).toBeNull();

    const replay = await cli("run", failure.reproducer!, "--json");
    expect(replay.code, replay.err).toBe(1);
    const hasty = JSON.parse(replay.out) as RunReport;
    const v = verdict(hasty, "retry-after-backoff");
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(
      /retry 1 sent at \S+, [\d.]+ s after attempt 0 was first sent, where QStash's back-off waits 12\.182 s/,
    );
    // Its retries all run, so nothing is missed nor dead-lettered early: only this property sees it.
    expectOthersHold(hasty, "retry-after-backoff");

    // The same world with the fixed v2 in the module's place waits out the back-off.
    const kept = await runWithV2(failure.reproducer!, "../eager.mjs");
    expect(verdict(kept, "retry-after-backoff").ok).toBe(true);
  });
});

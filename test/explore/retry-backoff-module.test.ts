// Shows retry-after-backoff catching a scheduler module that retries a failed delivery at once, with no back-off (every other property holds on it: its retries are all sent before it dead-letters, and the destination that failed is hammered meanwhile), explore finding it, and the fixed v2 holding it in the same world.
import { describe, expect, it } from "vitest";
import { tmp } from "./cli-helpers.js";
import { caughtAlone, plantedModule, verdict } from "./planted-module.js";

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
    const { failed, kept } = await caughtAlone(dir, eager, "retry-after-backoff");
    expect(failed.detail).toMatch(
      /retry 1 sent at \S+, [\d.]+ s after attempt 0 was first sent, where QStash's back-off waits 12\.182 s/,
    );
    // Its retries all run, so nothing is missed nor dead-lettered early: only this property sees it.
    // The same world with the fixed v2 in the module's place waits out the back-off.
    expect(verdict(kept, "retry-after-backoff").ok).toBe(true);
  });
});

// Shows, in the long tier, retry-after-backoff catching a scheduler module that lets a task go when its first send fails, so that the store fires it again on the next tick under a new message id (a retry storm that no message's own attempts show, which passed every property before the world traced `delivery.failure-dropped`), explore finding it, and the fixed v2 holding it in the same world; retry-backoff-module.test.ts shows explore catching a module that fails retry-after-backoff alone, and test/world/failure-dropped.test.ts the storm failing it.
import { describe, expect, it } from "vitest";
import { tmp } from "./cli-helpers.js";
import { caughtAlone, plantedModule, verdict } from "./planted-module.js";

const dir = tmp();
/** A failed first send lets its task go: due again at once, the fire is sent anew each tick. */
const storm = plantedModule(dir, "storm.mjs", (text) =>
  text
    .replace(
      "  yield* deliver(rt, tx, message, 0);\n  yield* commit(rt, tx);\n}",
      "  const sent = yield* deliver(rt, tx, message, 0);\n  if (!sent) {\n    yield* tx.abandon();\n    return;\n  }\n  yield* commit(rt, tx);\n}",
    )
    .replace(
      "  if (response.ok) return;\n",
      "  if (response.ok) return true;\n  if (attempt === 0) return false;\n",
    ),
);

describe("retry-after-backoff against a module that lets a task go when its send fails", () => {
  it("explore finds it, the reproducer fails only retry-after-backoff, and the fixed v2 holds it in the same world", async () => {
    const { failed, kept } = await caughtAlone(dir, storm, "retry-after-backoff");
    expect(failed.detail).toMatch(
      /failed sends? (was|were) neither retried after (its|their) back-off nor dead-lettered: \S+ \(schedule \S+\) attempt 0 failed \((HTTP \d+|no answer in time)\), and at \S+ its task was let go, so its fire was due again at once: a retry with no back-off/,
    );
    expect(verdict(kept, "retry-after-backoff").ok).toBe(true);
  });
});

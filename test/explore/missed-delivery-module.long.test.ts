// Shows, in the long tier, no-missed-delivery catching a scheduler module that silently drops fires claimed late (every other property holds on it), explore finding and shrinking it, and the fixed v2 passing in the same world; retry-backoff-module.test.ts shows explore catching a module that fails one property alone, and test/checks/missed-checker.test.ts the property failing.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleFailure, tmp } from "./cli-helpers.js";
import { failedAlone, plantedModule, verdict } from "./planted-module.js";

const dir = tmp();
/**
 * A catch-up "optimisation": a fire claimed more than 30 s after its due time is committed
 * without a delivery, so as not to flood destinations after an outage. The commit moves the
 * schedule past it: the fire is lost for good.
 */
const stale = plantedModule(dir, "stale.mjs", (text) =>
  text.replace(
    "    yield* commit(rt, tx);\n    return;\n",
    [
      "    yield* commit(rt, tx);",
      "    return;",
      "  }",
      "  if (rt.now() - tx.due > 30_000) {",
      "    yield* commit(rt, tx);",
      "    return;",
      "",
    ].join("\n"),
  ),
);

describe("no-missed-delivery against a module that drops late fires", () => {
  it("explore finds it, the reproducer fails only no-missed-delivery, and the fixed v2 passes in the same world", async () => {
    // Seed 6: the exploration's first generated world catches it (seed 1's ninth does).
    const failure = await moduleFailure(stale, join(dir, "repro"), { jobs: 1, shrinkRuns: 40, seed: 6 });
    const { report, failed, kept } = await failedAlone(failure, stale, "no-missed-delivery");
    expect(report.metrics.deliveries.missed).toBeGreaterThan(0);
    expect(failed.detail).toMatch(
      /never delivered by the horizon, first sched-\S+ \(account \S+\) due \d\d:\d\d:\d\d, fired but never delivered/,
    );
    expect(failed.events.length).toBeGreaterThan(0);
    // Today's other properties all hold on it: nothing else would have noticed.
    // The same world with the fixed v2 in the module's place.
    expect(verdict(kept, "no-missed-delivery")).toMatchObject({ ok: true, exercised: true });
    expect(kept.metrics.deliveries.missed).toBe(0);
  });
});

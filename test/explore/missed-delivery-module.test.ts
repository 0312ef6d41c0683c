// Shows no-missed-delivery catching a scheduler module that silently drops fires claimed late (every other property holds on it), explore finding and shrinking it, and the fixed v2 passing in the same world.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, moduleFailure, tmp } from "./cli-helpers.js";
import { expectOthersHold, plantedModule, runWithV2, verdict } from "./planted-module.js";

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
    const out = join(dir, "repro");
    const failure = await moduleFailure(stale, out, { jobs: 1, shrinkRuns: 40 });
    expect(failure.kind).toBe("no-missed-delivery");
    expect(failure.reproducerMismatch).toBeNull();

    const replay = await cli("run", failure.reproducer!, "--json");
    expect(replay.code, replay.err).toBe(1);
    const lost = JSON.parse(replay.out) as RunReport;
    expect(lost.metrics.deliveries.missed).toBeGreaterThan(0);
    const missed = verdict(lost, "no-missed-delivery");
    expect(missed.ok).toBe(false);
    expect(missed.detail).toMatch(
      /never delivered by the horizon, first sched-\S+ \(account \S+\) due \d\d:\d\d:\d\d, fired but never delivered/,
    );
    expect(missed.events.length).toBeGreaterThan(0);
    // Today's other properties all hold on it: nothing else would have noticed.
    expectOthersHold(lost, "no-missed-delivery");

    // The same world with the fixed v2 in the module's place.
    const kept = await runWithV2(failure.reproducer!, "../stale.mjs");
    expect(verdict(kept, "no-missed-delivery")).toMatchObject({ ok: true, exercised: true });
    expect(kept.metrics.deliveries.missed).toBe(0);
  });
});

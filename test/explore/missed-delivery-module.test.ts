// Shows no-missed-delivery catching a scheduler module that silently drops fires claimed late (every other property holds on it), explore finding and shrinking it, and the fixed v2 passing in the same world.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, moduleFailure, tmp } from "./cli-helpers.js";

const dir = tmp();
const example = join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs");
const planted =
  "    // BUG: the early return went missing here; execution carries on with a missing account.\n";
const exampleText = readFileSync(example, "utf8");
expect(exampleText).toContain(planted);
/**
 * The example with its early return put back and a catch-up "optimisation": a fire claimed more
 * than 30 s after its due time is committed without a delivery, so as not to flood destinations
 * after an outage. The commit moves the schedule past it: the fire is lost for good.
 */
const stale = join(dir, "stale.mjs");
writeFileSync(
  stale,
  exampleText.replace(
    planted,
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

function verdict(report: RunReport, property: string) {
  const v = report.verdicts.find((x) => x.property === property);
  if (v === undefined) throw new Error(`no verdict for ${property}`);
  return v;
}

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
    for (const v of lost.verdicts)
      if (v.property !== "no-missed-delivery") expect(v.ok, `${v.property}: ${v.detail}`).toBe(true);

    // The same world with the fixed v2 in the module's place.
    const text = readFileSync(failure.reproducer!, "utf8");
    const moduleLine = "scheduler:\n  module: ../stale.mjs\n";
    expect(text).toContain(moduleLine);
    const withV2 = join(out, "same-world-v2.yaml");
    writeFileSync(withV2, text.replace(moduleLine, "scheduler:\n  version: v2\n"));
    const fixed = await cli("run", withV2, "--json");
    const kept = JSON.parse(fixed.out) as RunReport;
    expect(kept.variant).toMatchObject({ scheduler: "v2", fixes: ["early-return", "panic-recovery"] });
    expect(verdict(kept, "no-missed-delivery")).toMatchObject({ ok: true, exercised: true });
    expect(kept.metrics.deliveries.missed).toBe(0);
  });
});

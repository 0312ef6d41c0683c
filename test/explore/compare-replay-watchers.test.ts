// Shows a compare that replays the first run to show where the others part from it (a run too long to keep its events) does not show that replay to the caller's watchers: each watcher sees each run's events once, in order.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { compareRuns } from "../../src/explore/compare.js";
import type { TraceEvent, TraceSink } from "../../src/kernel/index.js";
import { applyVariant, compileScenario, withEnd } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";

const TINY = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");

it("shows watchers each run's events once, in order, when the first run is replayed for the divergence", () => {
  const parsed = parseScenario(readFileSync(TINY, "utf8"), TINY);
  if (!parsed.ok) throw new Error("fixture does not parse");
  // Cut short after the deletion, a little past where the two part: enough to show the replay.
  const base = withEnd(compileScenario(parsed.scenario), Date.parse("2026-05-08T09:44:00Z"));
  const inputs = ["buggy", "fixed"].map((v) => applyVariant(base, v)!);
  const seen: number[][] = [];
  const watcher: TraceSink = {
    onEvent(e: TraceEvent) {
      if (e.seq === 0) seen.push([]);
      seen[seen.length - 1].push(e.seq);
    },
  };
  // Keeping no event of the first run, as past `KEPT_EVENTS_MAX`, the compare replays it.
  const comparison = compareRuns(inputs, { watchers: [watcher] }, 0);
  expect(comparison.divergence?.a?.seq).toBe(comparison.divergence?.index);
  expect(seen.map((run) => run.length)).toEqual(comparison.reports.map((r) => r.events));
  for (const run of seen) expect(run.every((seq, i) => seq === i)).toBe(true);
});

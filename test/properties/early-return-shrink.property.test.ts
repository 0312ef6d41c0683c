// Shows that with early-return alone, fast-check finds a cascade caused by injected panics and shrinks it to two workers, one schedule and one injected panic.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileDocument,
  earlyReturnWithPanics,
  type ScenarioDocument,
  scenarioArbitrary,
} from "../../src/explore/generate/index.js";
import { failingSummary, reduceDocument } from "../../src/explore/shrink.js";
import { atSize, Reached, runDoc, runsOf, seedOf } from "./support.js";

function schedulesOf(doc: ScenarioDocument): number {
  const compiled = compileDocument(doc);
  if (!compiled.ok) throw new Error(compiled.problems.join("; "));
  const w = compiled.compiled.config.workload;
  return w.named.reduce((n, a) => n + a.schedules.length, 0) + w.accounts * w.schedulesPerAccount.max;
}

describe("early-return only, with injected panics", () => {
  it("cascades, and fast-check shrinks the cascade to a tiny world", async () => {
    const reached = new Reached("early-return panics");
    const details = fc.check(
      fc.property(scenarioArbitrary(atSize(earlyReturnWithPanics())), (doc) => {
        reached.case();
        const report = runDoc(doc, "early-return");
        reached.hit("an injected panic fired", (report.faults.fired["inject-panic"] ?? 0) > 0);
        return !report.metrics.cascade;
      }),
      { numRuns: runsOf(200, 1000), ...seedOf(5) },
    );
    expect(details.failed, "no cascade found: the property would have to hold").toBe(true);
    const [doc] = details.counterexample!;
    console.info(
      `[early-return panics] cascade found after ${details.numRuns} runs, shrunk in ${details.numShrinks} steps to:\n${JSON.stringify({ fleet: doc.fleet, workload: doc.workload, timeline: doc.timeline, faults: doc.faults }, null, 1)}`,
    );
    // Small: two workers, one schedule, nothing in the timeline, and two or three injected
    // panics: one kills the first owner, another the next (a single panic cannot kill two
    // workers); a third when the dead owner, back from its back-off, takes its own partition
    // back first and dies of the second, as a restarted worker rebalances as soon as it is ready.
    expect(doc.fleet?.workers).toBe(2);
    expect(schedulesOf(doc)).toBe(1);
    expect(doc.timeline).toHaveLength(0);
    const faults = doc.faults ?? [];
    expect(faults.every((f) => f.fault === "inject-panic")).toBe(true);
    const panics = faults.reduce((n, f) => n + (f.fault === "inject-panic" ? (f.count ?? 1) : 0), 0);
    expect(panics).toBeGreaterThanOrEqual(2);
    expect(panics).toBeLessThanOrEqual(3);
    // explore's document pass then folds alike panic rules into one: one injected panic fault.
    const start = failingSummary(doc, "early-return", "no-cascade", 0);
    expect(start).not.toBeNull();
    const reduced = await reduceDocument({ document: doc, summary: start! }, "early-return", "no-cascade", {
      runsMax: 200,
    });
    expect(reduced.document.faults).toHaveLength(1);
    const folded = reduced.document.faults?.[0];
    expect(folded?.fault).toBe("inject-panic");
    const count = folded?.fault === "inject-panic" ? (folded.count ?? 1) : 0;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(panics);
    expect(reduced.document.fleet?.workers).toBe(2);
    expect(schedulesOf(reduced.document)).toBe(1);
    reached.expectAll();
  });
});

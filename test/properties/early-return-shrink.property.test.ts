// Shows that with early-return alone, fast-check finds a cascade caused by injected panics, and that shrinking it as explore does ends at two workers, one schedule and one injected panic rule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileDocument,
  earlyReturnWithPanics,
  type ScenarioDocument,
  scenarioArbitrary,
} from "../../src/explore/generate/index.js";
import { failingSummary, reduceDocument } from "../../src/explore/shrink.js";
import { atSize, judgeDoc, Reached, runsOf, seedNote, seedOf } from "./support.js";

function schedulesOf(doc: ScenarioDocument): number {
  const compiled = compileDocument(doc);
  if (!compiled.ok) throw new Error(compiled.problems.join("; "));
  const w = compiled.compiled.config.workload;
  return w.named.reduce((n, a) => n + a.schedules.length, 0) + w.accounts * w.schedulesPerAccount.max;
}

describe("early-return only, with injected panics", () => {
  it("cascades, and shrinking (fast-check's, then explore's document pass) ends in a tiny world", async () => {
    const reached = new Reached("early-return panics");
    const details = fc.check(
      fc.property(scenarioArbitrary(atSize(earlyReturnWithPanics())), (doc) => {
        reached.case();
        const report = judgeDoc(doc, "early-return");
        reached.hit("an injected panic fired", (report.faults.fired["inject-panic"] ?? 0) > 0);
        return !report.metrics.cascade;
      }),
      { numRuns: runsOf(200, 1000), ...seedOf(5) },
    );
    const at = seedNote();
    expect(details.failed, `no cascade found: the property would have to hold${at}`).toBe(true);
    // What a user gets is fast-check's shrink followed by explore's document pass (with explore's
    // default budget): fast-check alone may stop at a local minimum (3 workers over 2 partitions,
    // a kill-worker left in the timeline) that the document pass gets out of.
    const [shrunk] = details.counterexample!;
    const start = failingSummary(shrunk, "early-return", "no-cascade", 0);
    expect(start, `fast-check's shrunk world does not cascade when run again${at}`).not.toBeNull();
    const reduced = await reduceDocument(
      { document: shrunk, summary: start! },
      "early-return",
      "no-cascade",
      { runsMax: 300 },
    );
    const doc = reduced.document;
    const shape = JSON.stringify({
      seed: doc.seed,
      duration: doc.duration,
      fleet: doc.fleet,
      workload: doc.workload,
      timeline: doc.timeline,
      faults: doc.faults,
    });
    console.info(
      `[early-return panics] cascade found after ${details.numRuns} runs, shrunk by fast-check in ${details.numShrinks} steps, then in ${reduced.steps} steps (${reduced.runs} runs) to:\n${shape}${at}`,
    );
    const says = (what: string) => `${what}: ${shape}${at}`;
    // Small: two workers, one schedule, nothing in the timeline, and two or three injected
    // panics folded into one rule: one kills the first owner, another the next (a single panic
    // cannot kill two workers); a third when the dead owner, back from its back-off, takes its own
    // partition back first and dies of the second, as a restarted worker rebalances as soon as it
    // is ready.
    expect(doc.fleet?.workers, says("workers")).toBe(2);
    expect(schedulesOf(doc), says("schedules")).toBe(1);
    expect(doc.timeline ?? [], says("timeline")).toHaveLength(0);
    const faults = doc.faults ?? [];
    expect(
      faults.every((f) => f.fault === "inject-panic"),
      says("only injected panics"),
    ).toBe(true);
    expect(faults, says("one injected panic rule")).toHaveLength(1);
    const panics = faults.reduce((n, f) => n + (f.fault === "inject-panic" ? (f.count ?? 1) : 0), 0);
    expect(panics, says("injected panics")).toBeGreaterThanOrEqual(2);
    expect(panics, says("injected panics")).toBeLessThanOrEqual(3);
    reached.expectAll();
  });
});

// Shows that the buggy scheduler cascades after any account deletion in any generated world with two or more workers, within a stated bound (the May 8 replay is not a one-seed fluke), and that its panic deaths are not judged as retries by poison-task-isolated.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cascadeAfterDeletion,
  cascadeBoundMs,
  compileDocument,
  scenarioArbitrary,
} from "../../src/explore/generate/index.js";
import type { TraceEvent, TraceSink } from "../../src/kernel/index.js";
import { atSize, judgeDoc, Reached, runsOf, seedOf } from "./support.js";

/** When some task's panics had killed two distinct workers (the cascade), and the deletion. */
class CascadeClock implements TraceSink {
  deletionAt: number | null = null;
  cascadeAt: number | null = null;
  firedAfterDeletion = 0;
  private readonly victims = new Map<string, Set<string>>();

  onEvent(e: TraceEvent): void {
    if (e.type === "account.deleted" && e.account === "acct-1" && this.deletionAt === null)
      this.deletionAt = e.t;
    if (e.type === "schedule.fired" && e.account === "acct-1" && this.deletionAt !== null)
      this.firedAfterDeletion++;
    if (e.type !== "worker.crashed" || e.reason !== "panic" || typeof e.schedule !== "string") return;
    const task = typeof e.task === "string" ? e.task : e.schedule;
    const set = this.victims.get(task) ?? new Set<string>();
    set.add(String(e.worker));
    this.victims.set(task, set);
    if (set.size >= 2 && this.cascadeAt === null) this.cascadeAt = e.t;
  }
}

describe("the buggy scheduler (v2, no fixes)", () => {
  it("cascades within cascadeBoundMs of the deletion, whatever the world", () => {
    const reached = new Reached("buggy cascade");
    let worstRatio = 0;
    fc.assert(
      fc.property(scenarioArbitrary(atSize(cascadeAfterDeletion())), (doc) => {
        reached.case();
        const compiled = compileDocument(doc);
        if (!compiled.ok) throw new Error(compiled.problems.join("; "));
        const { fleet, startMs, durationMs } = compiled.compiled.config;
        const clock = new CascadeClock();
        const report = judgeDoc(doc, "buggy", [clock]);
        expect(clock.deletionAt).not.toBeNull();
        const boundMs = cascadeBoundMs(fleet);
        // The claim only speaks of runs long enough to see it: the generator guarantees that.
        expect(clock.deletionAt! + boundMs).toBeLessThanOrEqual(startMs + durationMs);
        expect(report.metrics.cascade, `no cascade (seed ${report.seed})`).toBe(true);
        expect(clock.cascadeAt! - clock.deletionAt!).toBeLessThanOrEqual(boundMs);
        worstRatio = Math.max(worstRatio, (clock.cascadeAt! - clock.deletionAt!) / boundMs);
        reached.hit("a deleted account's schedule fired after the deletion", clock.firedAfterDeletion > 0);
        // Each panic kills its process, so none is a retry: the crash loop is no-panic-death's and
        // no-cascade's failure, and poison-task-isolated, which judges recovered panics, is silent.
        const poison = report.verdicts.find((v) => v.property === "poison-task-isolated");
        expect(poison).toMatchObject({ ok: true, exercised: false });
      }),
      { numRuns: runsOf(40, 400), ...seedOf(3) },
    );
    console.info(`[buggy cascade] worst time to cascade: ${(worstRatio * 100).toFixed(0)}% of the bound`);
    reached.expectAll();
  });
});

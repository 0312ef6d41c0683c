// Shows that with panic-recovery alone, deleting an account still panics (bug 1) but never kills a worker: each poison task is recovered and quarantined.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { panicRecoveryWithDeletions, scenarioArbitrary } from "../../src/explore/generate/index.js";
import type { TraceEvent, TraceSink } from "../../src/kernel/index.js";
import { atSize, judgeDoc, Reached, runsOf, seedOf } from "./support.js";

/** Schedules of deleted accounts that fired after the deletion, and the schedules quarantined. */
class PoisonWatch implements TraceSink {
  readonly deleted = new Map<string, number>();
  /** Schedule -> first time it fired for a deleted account. */
  readonly firedAfterDeletion = new Map<string, number>();
  readonly quarantined = new Set<string>();
  endMs = 0;

  onEvent(e: TraceEvent): void {
    if (e.type === "run.started") this.endMs = Number(e.horizon);
    if (e.type === "account.deleted") this.deleted.set(String(e.account), e.t);
    if (e.type === "account.created") this.deleted.delete(String(e.account));
    if (
      e.type === "schedule.fired" &&
      this.deleted.has(String(e.account)) &&
      !this.firedAfterDeletion.has(String(e.schedule))
    )
      this.firedAfterDeletion.set(String(e.schedule), e.t);
    if (e.type === "task.quarantined") this.quarantined.add(String(e.schedule));
  }
}

/** v2 retries a recovered panic after 1 s then 2 s, then quarantines: well within this. */
const QUARANTINE_WITHIN_MS = 30_000;

describe("panic-recovery only, with account deletions", () => {
  it("no worker dies, no cascade, and every poison task is quarantined", () => {
    const reached = new Reached("panic-recovery");
    fc.assert(
      fc.property(scenarioArbitrary(atSize(panicRecoveryWithDeletions())), (doc) => {
        reached.case();
        const watch = new PoisonWatch();
        const report = judgeDoc(doc, "panic-recovery", [watch]);
        expect(report.metrics.panicDeaths, `seed ${report.seed}`).toBe(0);
        expect(report.metrics.cascade).toBe(false);
        let poisoned = 0;
        for (const [schedule, t] of watch.firedAfterDeletion) {
          if (t + QUARANTINE_WITHIN_MS > watch.endMs) continue;
          poisoned++;
          expect(
            watch.quarantined.has(schedule),
            `${schedule} fired after its account's deletion but was not quarantined`,
          ).toBe(true);
        }
        reached.hit("a deleted account's schedule came due (bug 1 panics)", poisoned > 0);
        reached.hit("a poison task quarantined", report.metrics.tasksQuarantined > 0);
        reached.hit("a panic recovered", report.metrics.panicsRecovered > 0);
      }),
      { numRuns: runsOf(20, 300), ...seedOf(4) },
    );
    reached.expectAll();
  });
});

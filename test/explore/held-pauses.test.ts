// Shows that generated worlds drop a pause-worker an earlier pause of the same worker still holds, by validate's rule: a kill, restart or deploy between ends the earlier pause, and a kill just before it may leave it skipped.
import { describe, expect, it } from "vitest";
import type { FaultEntry } from "../../src/explore/generate/fault-arbitrary.js";
import { backoffMaxS, withoutHeldPauses } from "../../src/explore/generate/held-pauses.js";
import type { TimelineEntry } from "../../src/explore/generate/timeline-arbitrary.js";

const pause = (at: string, duration: string): FaultEntry => ({
  at,
  fault: "pause-worker",
  worker: "w2",
  duration,
});
const FIRST = pause("+5m", "10m");
const SECOND = pause("+6m", "1m");

/** The pauses kept of FIRST and SECOND with these faults before them and this timeline. */
function kept(before: FaultEntry[], timeline: TimelineEntry[] = [], backoffS = 300): string[] {
  const out = withoutHeldPauses(timeline, [...before, FIRST, SECOND], backoffS);
  return out.faults.filter((f) => f.fault === "pause-worker").map((f) => f.at);
}

describe("pauses held by an earlier pause", () => {
  it("drops a pause of a worker an earlier pause holds", () => {
    expect(kept([])).toEqual(["+5m"]);
    expect(kept([{ at: "+5m30s", fault: "kill-worker", worker: "w3" }])).toEqual(["+5m"]);
  });

  it("keeps it after a kill or restart of the worker (or of random), or a deploy, between them", () => {
    expect(kept([{ at: "+5m30s", fault: "kill-worker", worker: "w2" }])).toEqual(["+5m", "+6m"]);
    expect(kept([{ at: "+5m30s", fault: "kill-worker", worker: "random" }])).toEqual(["+5m", "+6m"]);
    expect(kept([], [{ at: "+5m30s", action: "restart-worker", worker: "w2" }])).toEqual(["+5m", "+6m"]);
    // A rolling deploy begun before the first pause may reach w2 after it.
    expect(kept([], [{ at: "+4m", action: "deploy", scheduler: "v2", fixes: [] }])).toEqual(["+5m", "+6m"]);
  });

  it("keeps it when a kill just before the earlier pause may have left that one skipped, in back-off", () => {
    expect(kept([{ at: "+4m", fault: "kill-worker", worker: "w2" }])).toEqual(["+5m", "+6m"]);
    // Longer before it than the back-off can last: the earlier pause holds.
    expect(kept([{ at: "+4m", fault: "kill-worker", worker: "w2" }], [], 30)).toEqual(["+5m"]);
    expect(backoffMaxS({ supervisor: { backoffMax: "45s" } })).toBe(45);
    expect(backoffMaxS({})).toBe(300);
  });
});

// Shows crashes per minute counting a crash over the minute after it, (t − 60 s, t]: a crash on a sample's instant is in six samples at 10 s, not seven.
import { describe, expect, it } from "vitest";
import { at, eventsOf, runDocument, smallDocument } from "../explore/helpers.js";

describe("crashes in the last minute", () => {
  it("counts a crash in the samples from its instant to just under a minute after it", () => {
    const run = runDocument(
      smallDocument({ timeline: [{ at: "+3m", action: "kill-worker", worker: "w2" }] }),
      "fixed",
    );
    const counted = eventsOf(run, "metrics.sampled", (e) => Number(e.crashesLastMinute) > 0).map((e) => e.t);
    expect(counted).toEqual([0, 10, 20, 30, 40, 50].map((s) => at(3, s)));
  });
});

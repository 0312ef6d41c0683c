// Shows that the terminal's lanes rank states as the lane recorder does: its copy of the order is held to the recorder's by its type, and a cell shows the worst state that touched it.
import { describe, expect, it } from "vitest";
import {
  LANE_STATES_BY_RANK,
  type LaneStatesByRank,
  type WorkerLane,
} from "../../src/checks/worker-lanes.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderLanes } from "../../src/report/terminal.js";

describe("the lane rank", () => {
  it("is one order: a copy in another order does not compile", () => {
    const same: LaneStatesByRank = ["stopped", "serving", "paused", "starting", "backoff"];
    // @ts-expect-error: paused and starting swapped
    const swapped: LaneStatesByRank = ["stopped", "serving", "starting", "paused", "backoff"];
    expect(same).toEqual(LANE_STATES_BY_RANK);
    expect(swapped).not.toEqual(LANE_STATES_BY_RANK);
  });

  it("draws a terminal cell in the worst state that touched it, in the recorder's order", () => {
    // One cell of 10 ms: each pair of states shares it, the second drawn over the first.
    const glyphs: Record<string, string> = { serving: "█", starting: "▒", backoff: "░", paused: "▓" };
    const ranked = LANE_STATES_BY_RANK.filter((s) => s !== "stopped");
    for (const [i, lower] of ranked.entries())
      for (const higher of ranked.slice(i + 1))
        for (const order of [
          [lower, higher],
          [higher, lower],
        ]) {
          const lane: WorkerLane = {
            worker: "w1",
            segments: order.map((state, k) => ({ from: k * 4, to: k * 4 + 6, state })),
            marks: [],
            truncated: 0,
          };
          // The heading, the time axis, then the lane (no crash, nothing after its one cell).
          const row = renderLanes([lane], 0, 10, plainPaint, 1).split("\n")[2];
          expect(row, order.join(" then ")).toBe(`  w1   ${glyphs[higher]}`);
        }
  });
});

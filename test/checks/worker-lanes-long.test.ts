// Shows a worker lane of a crash loop longer than its caps: every crash counted, and the lane drawn to its end in the terminal and the HTML report.
import { describe, expect, it } from "vitest";
import { LaneRecorder } from "../../src/checks/worker-lanes.js";
import type { TraceEvent } from "../../src/kernel/trace.js";
import { renderLaneLegend, renderLanesSvg } from "../../src/report/html/lanes.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderLanes } from "../../src/report/terminal.js";

const START = Date.parse("2026-03-06T00:00:00Z");
const DAY = 86_400_000;

/** One worker crash-looping for a week: a crash every 5 minutes, restarted, ready, crashing again. */
function crashLoop(days = 7): { lanes: ReturnType<LaneRecorder["finish"]>; crashes: number } {
  const recorder = new LaneRecorder();
  let seq = 0;
  const event = (t: number, type: string, fields: Record<string, unknown> = {}) =>
    recorder.onEvent({ t, seq: seq++, type, cause: null, worker: "w1", ...fields } as TraceEvent);
  recorder.onEvent({
    t: START,
    seq: seq++,
    type: "run.started",
    cause: null,
    horizon: START + days * DAY,
  } as TraceEvent);
  let crashes = 0;
  for (let t = START; t < START + days * DAY - 300_000; t += 300_000) {
    event(t, "worker.started");
    event(t + 20_000, "worker.ready");
    event(t + 60_000, "worker.crashed", { reason: "panic", schedule: "s1" });
    crashes++;
  }
  return { lanes: recorder.finish(START + days * DAY), crashes };
}

describe("a lane past its caps (a week-long crash loop)", () => {
  it("counts every crash, and draws its later changes to the end as one stretch of the worst of them", () => {
    const { lanes, crashes } = crashLoop();
    const [lane] = lanes;
    expect(crashes).toBeGreaterThan(2000);
    expect(lane.crashes).toBe(crashes);
    expect(lane.truncated).toBeGreaterThan(0);
    expect(lane.segments.at(-1)!.to).toBe(START + 7 * DAY);
    // No gap: each segment starts where the one before it ended.
    for (let i = 1; i < lane.segments.length; i++)
      expect(lane.segments[i].from).toBe(lane.segments[i - 1].to);
    expect(lane.segments.at(-2)).toMatchObject({ state: "backoff", merged: lane.truncated });
  });

  it("says every crash in the terminal and the HTML, and draws the lane whole", () => {
    const { lanes, crashes } = crashLoop();
    const text = renderLanes(lanes, START, START + 7 * DAY, plainPaint, 60);
    const row = text.split("\n").find((l) => l.trim().startsWith("w1"))!;
    expect(row).toContain(`${crashes} crashes`);
    // The lane's last days are drawn, not blank (the stopped state's glyph is a space).
    const cells = row.trim().slice(4).trim().split(" ")[0];
    expect(cells.length).toBe(60);
    expect(cells.slice(-10)).not.toMatch(/ /);
    const svg = renderLanesSvg({
      lanes,
      startMs: START,
      endMs: START + 7 * DAY,
      markers: [],
      paths: [],
      title: "lanes",
    });
    expect(svg).toContain(`${crashes} crashes*`);
    expect(svg).toMatch(/later changes of state drawn as one stretch of the worst state among them/);
    expect(svg).not.toMatch(/>\+\d+<\/text>/);
    expect(svg).toMatch(
      new RegExp(
        `w1 crashed, in back-off [^<]*: ${lanes[0].truncated} changes of state merged, the worst of them shown`,
      ),
    );
    expect(renderLaneLegend([], lanes)).toContain("drawn as one stretch of the worst of them");
    // A report saved before lanes counted crashes dropped those changes: its hover says nothing of merging.
    const { crashes: _c, ...saved } = lanes[0];
    expect(
      renderLanesSvg({
        lanes: [saved],
        startMs: START,
        endMs: START + 7 * DAY,
        markers: [],
        paths: [],
        title: "lanes",
      }),
    ).not.toContain("later changes of state");
    expect(renderLaneLegend([], [saved])).not.toContain("one stretch");
  });

  it("says of a lane past its crosses' cap, its changes of state all drawn, that its later crashes are not crossed", () => {
    const { lanes, crashes } = crashLoop(2);
    const [lane] = lanes;
    expect(lane.truncated).toBe(0);
    expect(lane.marks.length).toBeLessThan(crashes);
    const svg = renderLanesSvg({
      lanes,
      startMs: START,
      endMs: START + 2 * DAY,
      markers: [],
      paths: [],
      title: "lanes",
    });
    expect(svg).toContain(`>${crashes} crashes†</text>`);
    expect(svg).toContain(
      `w1: ${crashes - lane.marks.length} later crashes counted, not drawn as crosses (the lane crosses its first ${lane.marks.length})`,
    );
    expect(renderLaneLegend([], lanes)).toContain("later crashes counted, not drawn as crosses");
    expect(renderLaneLegend([], crashLoop(1).lanes)).not.toContain("not drawn as crosses");
  });
});

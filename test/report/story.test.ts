// The HTML report's story counts its nouns: one worker, one panic death, one poison task.
import { describe, expect, it } from "vitest";
import { runClock } from "../../src/kernel/time.js";
import { storyOf } from "../../src/report/html/summary.js";
import type { RunReport } from "../../src/report/run-report.js";
import { runDocument, smallDocument } from "../explore/helpers.js";

const base = smallDocument();
const { report } = runDocument(smallDocument({ fleet: { ...base.fleet, workers: 1 } }));
const clock = runClock(Date.parse(report.run.start), Date.parse(report.run.end));

function story(metrics: Partial<RunReport["metrics"]>): string {
  return storyOf({ ...report, metrics: { ...report.metrics, ...metrics } }, clock).join(" ");
}

describe("storyOf", () => {
  it("says one worker, not one workers", () => {
    expect(report.run.workers).toBe(1);
    expect(story({ fullOutageMs: 0, workersMinUp: 1 })).toContain("At least 1 of 1 worker served");
  });

  it("says one panic death, one panic recovered, one poison task", () => {
    expect(story({ cascade: false, panicDeaths: 1 })).toContain("No cascade, but 1 panic death.");
    expect(story({ cascade: false, panicDeaths: 0, panicsRecovered: 1, tasksQuarantined: 1 })).toContain(
      "1 panic recovered, 1 poison task quarantined.",
    );
    expect(story({ cascade: false, panicDeaths: 3 })).toContain("No cascade, but 3 panic deaths.");
  });
});

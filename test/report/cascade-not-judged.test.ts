// Shows every report says the cascade was not judged, rather than `no`, when no-cascade could not pin panic deaths to a task.
import { describe, expect, it } from "vitest";
import { renderComparison } from "../../src/cli/commands/compare.js";
import { runClock } from "../../src/kernel/time.js";
import { storyOf } from "../../src/report/html/summary.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import type { RunReport } from "../../src/report/run-report.js";
import { renderMetrics } from "../../src/report/terminal.js";
import { runDocument, smallDocument } from "../explore/helpers.js";

const { report: base } = runDocument(smallDocument());

/** `base` with panics that killed three workers, and `no-cascade` exercised or not. */
function withDeaths(exercised: boolean): RunReport {
  return {
    ...base,
    metrics: { ...base.metrics, cascade: false, cascadeDepth: 0, cascadeWorkers: [], panicDeaths: 3 },
    verdicts: base.verdicts.map((v) =>
      v.property === "no-cascade"
        ? {
            ...v,
            ok: true,
            exercised,
            detail: exercised
              ? "no panic in a task killed any worker"
              : "not exercised: 3 panic deaths outside any task's goroutine (…) were not judged",
          }
        : v,
    ),
  };
}

const NOT_JUDGED = "not judged (panic deaths outside any task)";

describe("the cascade metric when no-cascade could not judge the panic deaths", () => {
  const unjudged = withDeaths(false);
  const judged = withDeaths(true);

  it("says not judged in the terminal's metrics, and no when it judged them", () => {
    expect(renderMetrics(unjudged, plainPaint)).toMatch(
      new RegExp(`\\n {2}cascade +${NOT_JUDGED.replace(/[()]/g, "\\$&")}\\n`),
    );
    expect(renderMetrics(judged, plainPaint)).toMatch(/\n {2}cascade +no\n/);
  });

  it("says not judged beside the runs compared, in the column's few words", () => {
    const out = renderComparison(
      { reports: [unjudged, judged], divergence: null, divergences: [], stoppedFirst: null, stops: [] },
      [[], []],
      plainPaint,
    );
    const line = out.split("\n").find((l) => l.trimStart().startsWith("cascade "));
    expect(line).toMatch(/^ {2}cascade +not judged +no$/);
  });

  it("says not judged in the Markdown and HTML summaries, and does not claim no cascade in their story", () => {
    const md = renderMarkdown([{ report: unjudged }]);
    expect(md).toContain(`| cascade | ${NOT_JUDGED} |`);
    const html = renderHtmlReport({ runs: [{ report: unjudged }], assets: { chartJs: "", chartCss: "" } });
    expect(html).toContain(`<td>cascade</td><td class="num ">${NOT_JUDGED}</td>`);
    const clock = runClock(Date.parse(unjudged.run.start), Date.parse(unjudged.run.end));
    const story = storyOf(unjudged, clock).join(" ");
    expect(story).not.toContain("No cascade");
    // Its events are those of the panic deaths in tasks: none, so all three were outside any task.
    expect(story).toContain("Cascade not judged: 3 panic deaths, all outside any task.");
    expect(storyOf(judged, clock).join(" ")).toContain("No cascade, but 3 panic deaths.");
  });

  it("says some in the story when panics in tasks killed workers too, as the verdict's events show", () => {
    const some: RunReport = {
      ...unjudged,
      verdicts: unjudged.verdicts.map((v) => (v.property === "no-cascade" ? { ...v, events: [41] } : v)),
    };
    const clock = runClock(Date.parse(some.run.start), Date.parse(some.run.end));
    expect(storyOf(some, clock).join(" ")).toContain(
      "Cascade not judged: 3 panic deaths, some outside any task.",
    );
  });
});

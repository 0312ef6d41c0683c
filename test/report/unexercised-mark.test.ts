// Shows that the Markdown report and compare mark every property that holds without having been exercised, as run and the HTML report do.
import { describe, expect, it } from "vitest";
import { renderComparison } from "../../src/cli/commands/compare.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import type { RunReport } from "../../src/report/run-report.js";
import { renderVerdicts } from "../../src/report/terminal.js";
import { runDocument, smallDocument } from "../explore/helpers.js";

const { report: base } = runDocument(smallDocument());

/** `base` with `no-cascade` and `deleted-schedules-cleaned` held but not exercised, the rest exercised. */
function withUnexercised(): RunReport {
  const unexercised = new Set(["no-cascade", "deleted-schedules-cleaned"]);
  return {
    ...base,
    verdicts: base.verdicts.map((v) =>
      unexercised.has(v.property)
        ? { ...v, ok: true, exercised: false, detail: "not exercised: nothing to judge" }
        : { ...v, ok: true, exercised: true },
    ),
  };
}

const report = withUnexercised();

describe("a property that holds but was not exercised", () => {
  it("is marked in every report, for each such property and no other", () => {
    const terminal = renderVerdicts(report.verdicts, plainPaint);
    const html = renderHtmlReport({ runs: [{ report }], assets: { chartJs: "", chartCss: "" } });
    const md = renderMarkdown([{ report }]);
    const compared = renderComparison(
      { reports: [report, base], divergence: null, divergences: [], stoppedFirst: null, stops: [] },
      [[], []],
      plainPaint,
    );
    for (const property of ["no-cascade", "deleted-schedules-cleaned"]) {
      expect(terminal).toMatch(new RegExp(`✓ ${property} +\\(not exercised\\)`));
      expect(html).toContain("✓ holds</span> (not exercised)");
      expect(md).toContain(`| \`${property}\` | ✓ holds (not exercised) |`);
      const row = compared.split("\n").find((l) => l.trimStart().startsWith(`${property} `));
      expect(row).toMatch(/^ {2}\S+ +✓ holds \(not exercised\) +/);
    }
    expect(md).toContain("| `no-panic-death` | ✓ holds |");
    expect(md.match(/not exercised/g)).toHaveLength(2);
  });
});

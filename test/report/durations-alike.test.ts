// Shows the terminal, Markdown and HTML reports write a run's durations alike (worst p99 lag, full
// outage), as the terminal does: an SRE copying one into a postmortem finds the same in the others.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { formatDuration } from "../../src/kernel/time.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderMetrics } from "../../src/report/terminal.js";

const MAY8 = readFileSync(
  join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml"),
  "utf8",
);

describe("a run's durations", () => {
  it.each([
    ["fixed", "lagP99MsMax"],
    ["buggy", "fullOutageMs"],
  ] as const)(
    "read the same in the terminal, the Markdown and the HTML summary (%s, %s)",
    (variant, metric) => {
      const { report } = runScenario(MAY8, { variant });
      const ms = report.metrics[metric];
      // Neither whole seconds nor whole minutes of seconds: a rounding or a spacing of its own would show.
      expect(ms % 1000 !== 0 || (ms > 60_000 && ms % 60_000 !== 0)).toBe(true);
      const shown = formatDuration(ms);
      const terminal = renderMetrics(report, plainPaint);
      const markdown = renderMarkdown([{ report }]);
      const html = renderHtmlReport({ runs: [{ report }], assets: { chartJs: "", chartCss: "" } });
      for (const [name, text] of [
        ["terminal", terminal],
        ["markdown", markdown],
        ["html", html],
      ] as const)
        expect(text, name).toContain(shown);
      expect(markdown).toContain(
        metric === "lagP99MsMax"
          ? `| worst p99 lag | ${shown} |`
          : `For ${shown} in all, no worker was serving.`,
      );
    },
  );
});

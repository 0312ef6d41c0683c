// Shows that dues delivered before they were due (a worker's clock set ahead) are told as early under on time in the terminal, Markdown and HTML, and that a run with none shows no such row.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderMetrics } from "../../src/report/terminal.js";

const SKEW = `
name: skew
description: a worker's clock three minutes ahead
seed: 3
start: 2026-05-08T09:00:00Z
duration: 30m
fleet: { workers: 2, partitions: 8 }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 20
  schedulesPerAccount: { min: 2, max: 2 }
  cron: [{ expr: "*/5 * * * *" }]
`;
const AHEAD = `faults:\n  - { at: "09:05:00", fault: clock-skew, worker: w1, skew: 3m, duration: 10m }\n`;

function rendered(text: string) {
  const { report } = runScenario(text);
  return {
    early: report.metrics.deliveries.early,
    terminal: renderMetrics(report, plainPaint),
    markdown: renderMarkdown([{ report }]),
    html: renderHtmlReport({ runs: [{ report }], assets: { chartJs: "", chartCss: "" } }),
  };
}

describe("early deliveries", () => {
  it("are counted and shown under on time where a clock ran ahead", () => {
    const { early, terminal, markdown, html } = rendered(`${SKEW}${AHEAD}`);
    expect(early).toBeGreaterThan(0);
    expect(terminal).toContain(`(${early} early: delivered before they were due)`);
    expect(markdown).toMatch(
      new RegExp(`\\| &nbsp;&nbsp;on time \\| \\d+ \\|\\n\\| &nbsp;&nbsp;early \\| ${early} \\|`),
    );
    expect(html).toContain("&nbsp;early</td>");
  });

  it("are not shown where none came early", () => {
    const { early, terminal, markdown, html } = rendered(SKEW);
    expect(early).toBe(0);
    expect(terminal).not.toContain("early");
    expect(markdown).not.toContain("early |");
    expect(html).not.toContain("&nbsp;early</td>");
  });
});

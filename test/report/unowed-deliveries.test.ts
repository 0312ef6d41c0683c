// Shows that fires owed to nobody (due while their account was deleted) and delivered once the account was created again are counted as unowed, in the metrics, the terminal, Markdown, HTML and compare; that a scenario may expect none; and that a run with none shows no such row.
import { describe, expect, it } from "vitest";
import { compareVariants, runScenario } from "../../src/index.js";
import type { TraceEvent } from "../../src/kernel/trace.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderMetrics } from "../../src/report/terminal.js";

const WORLD = `
name: recreated
description: an account deleted and created again while the store is down
seed: 5
start: 2026-05-08T09:30:00Z
duration: 20m
fleet: { workers: 2, partitions: 4 }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 3
  schedulesPerAccount: { min: 2, max: 2 }
  cron: [{ expr: "* * * * *" }]
`;
// Nothing fires from 09:34:30 to 09:38:30: no task reads acct-00001 while it is deleted, so no
// cleanup runs, and its two schedules drain their backlog once the store is back, the account too.
const RECREATED = `faults:
  - { at: "09:34:30", fault: store-outage, duration: 4m }
timeline:
  - { at: "09:35:10", action: delete-account, account: acct-00001 }
  - { at: "09:37:10", action: create-account, account: acct-00001 }
`;

describe("deliveries owed to nobody", () => {
  it("are counted, and shown, where an account's backlog from while it was deleted is delivered after it came back", () => {
    const events: TraceEvent[] = [];
    const { report } = runScenario(`${WORLD}${RECREATED}`, { sinks: [{ onEvent: (e) => events.push(e) }] });
    const d = report.metrics.deliveries;
    // Its two schedules' dues of 09:36 and 09:37, fired and delivered after 09:38:30.
    expect(d.unowed).toBe(4);
    expect(d.afterDeletion).toBe(0);
    // Every ack counts once (no fire of the last SLO window is acked twice here).
    const acks = events.filter((e) => e.type === "delivery.acked").length;
    const lastWindow = events.filter(
      (e) =>
        e.type === "delivery.acked" &&
        (e as unknown as { due: number }).due + 60_000 > Date.parse(report.run.end),
    ).length;
    expect(d.onTime + d.late + d.duplicate + (d.unowed ?? 0) + report.metrics.unexpectedDues).toBe(
      acks - lastWindow,
    );
    expect(renderMetrics(report, plainPaint)).toContain(
      "0 duplicate, 4 owed to nobody (due while their account was deleted or their schedule stopped), 0 after deletion",
    );
    expect(renderMarkdown([{ report }])).toMatch(/\| &nbsp;&nbsp;unowed \| 4 \|/);
    const html = renderHtmlReport({ runs: [{ report }], assets: { chartJs: "", chartCss: "" } });
    expect(html).toContain("&nbsp;unowed</td>");
  });

  it("may be expected by a scenario", () => {
    const expecting = `${WORLD}${RECREATED}expect:\n  - { variant: fixed, metric: deliveries.unowed, op: "==", value: 0 }\n`;
    const { expectations } = runScenario(expecting, { variant: "fixed" });
    expect(expectations.map((e) => [e.name, e.ok, e.actual])).toEqual([
      ["deliveries.unowed == 0", false, "4"],
    ]);
  });

  it("are not shown where there were none", () => {
    const { report } = runScenario(WORLD);
    expect(report.metrics.deliveries.unowed).toBe(0);
    expect(renderMetrics(report, plainPaint)).not.toContain("owed to nobody");
    expect(renderMarkdown([{ report }])).not.toContain("unowed");
    const comparison = compareVariants(`${WORLD}${RECREATED}`, ["buggy", "fixed"]);
    expect(comparison.reports.map((r) => r.metrics.deliveries.unowed)).toEqual([4, 4]);
  });
});

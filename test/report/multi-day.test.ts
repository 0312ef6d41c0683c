// Shows that human output of a run spanning more than one UTC day dates its times, and a run within one day does not.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { runClock, windowText } from "../../src/kernel/time.js";
import { renderCausalChain } from "../../src/report/causal-chain.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderLanes, renderRun } from "../../src/report/terminal.js";

const TWO_DAYS = readFileSync(join(import.meta.dirname, "fixtures", "two-days.yaml"), "utf8");

const at = (iso: string) => Date.parse(iso);

describe("times of a run over more than one day", () => {
  it("writes every moment with its date only when the run spans more than one UTC day", () => {
    const one = runClock(at("2026-05-08T09:00:00Z"), at("2026-05-08T23:59:59.999Z"));
    expect(one.multiDay).toBe(false);
    expect(one.clock(at("2026-05-08T09:30:00Z"))).toBe("09:30:00");
    expect(one.precise(at("2026-05-08T09:30:00.250Z"))).toBe("09:30:00.250");
    const two = runClock(at("2026-05-08T23:50:00Z"), at("2026-05-09T00:10:00Z"));
    expect(two.multiDay).toBe(true);
    expect(two.clock(at("2026-05-09T00:02:00Z"))).toBe("05-09 00:02:00");
    expect(two.clockMs(at("2026-05-08T23:55:00Z"))).toBe("05-08 23:55:00.000");
    expect(two.minute(at("2026-05-09T00:10:00Z"))).toBe("05-09 00:10");
    // A moment off the run's days (a fault outlasting the run) carries its date in either, and
    // its year when that is not the start's.
    expect(one.clock(at("2026-05-09T06:03:00Z"))).toBe("05-09 06:03:00");
    expect(one.precise(at("2031-10-29T10:03:00Z"))).toBe("2031-10-29 10:03:00");
    expect(two.clock(at("2027-01-01T00:00:00Z"))).toBe("2027-01-01 00:00:00");
    // A run over New Year's writes its own days by month and day alone.
    const newYear = runClock(at("2026-12-31T23:50:00Z"), at("2027-01-01T00:20:00Z"));
    expect(newYear.clock(at("2027-01-01T00:05:00Z"))).toBe("01-01 00:05:00");
    expect(newYear.clock(at("2027-01-03T00:05:00Z"))).toBe("2027-01-03 00:05:00");
    expect(windowText(at("2026-05-08T09:00:00Z"), at("2026-05-08T10:20:00Z"))).toBe(
      "2026-05-08 09:00 → 10:20",
    );
    expect(windowText(at("2026-05-08T09:00:00Z"), at("2026-05-10T09:00:00Z"))).toBe(
      "2026-05-08 09:00 → 2026-05-10 09:00",
    );
  });

  it("writes a window within one minute to the second, so that its two ends never read the same", () => {
    // A run a limit stopped 49 s in: `09:30 → 09:30` would say it lasted no time at all.
    expect(windowText(at("2026-05-08T09:30:00Z"), at("2026-05-08T09:30:49.500Z"))).toBe(
      "2026-05-08 09:30:00 → 09:30:49",
    );
    expect(windowText(at("2026-05-08T23:59:30Z"), at("2026-05-09T00:00:10Z"))).toBe(
      "2026-05-08 23:59:30 → 2026-05-09 00:00:10",
    );
    expect(windowText(at("2026-05-08T09:30:00Z"), at("2026-05-08T09:31:10Z"))).toBe(
      "2026-05-08 09:30 → 09:31",
    );
    const axis = renderLanes([], at("2026-05-08T09:30:00Z"), at("2026-05-08T09:30:49Z"), plainPaint, 40);
    // The axis under the heading, its start over the first cell (the lanes' cells start at column 7).
    expect(axis).toMatch(/^Workers\n {7}09:30:00 +09:30:49\n/);
  });

  it("dates the window's end, the key events, the lanes' axis and the Markdown report", () => {
    const { report } = runScenario(TWO_DAYS, { variant: "fixed" });
    const text = renderRun(report, plainPaint);
    expect(text).toContain("2026-05-08 09:00 → 2026-05-09 11:00 UTC · 2 workers");
    expect(text).toContain("05-08 09:30:00  operator: kill-worker w1");
    expect(text).toContain("05-09 09:30:00  operator: kill-worker w2");
    expect(text).toMatch(/Workers\n {7}05-08 09:00 +05-09 11:00\n/);
    const md = renderMarkdown([{ report }]);
    expect(md).toContain("2026-05-08 09:00 → 2026-05-09 11:00 UTC");
    expect(md).toContain("| 05-09 09:30:00 | operator: kill-worker w2 |");
    // The HTML report's charts date their axis and cursor times (browser.test.ts draws them).
    const html = renderHtmlReport({ runs: [{ report }], assets: { chartJs: "", chartCss: "" } });
    const data = JSON.parse(/<script type="application\/json" id="aftershock-data">([^<]*)</.exec(html)![1]);
    expect(data.window.multiDay).toBe(true);
  });

  it("says 1 worker, not 1 workers", () => {
    const one = TWO_DAYS.replace("workers: 2", "workers: 1").replace(/ {2}- \{ at: "2026-05-09.*\n/, "");
    const { report } = runScenario(one, { variant: "fixed" });
    expect(renderRun(report, plainPaint)).toContain(" UTC · 1 worker · SLO");
    expect(renderMarkdown([{ report }])).toContain(" UTC · 1 worker · SLO");
  });

  it("dates a causal chain's times with the run's clock", () => {
    const clock = runClock(at("2026-05-08T23:50:00Z"), at("2026-05-09T00:10:00Z"));
    const chain = [
      {
        t: at("2026-05-09T00:02:00Z"),
        seq: 5,
        type: "worker.crashed",
        cause: null,
        worker: "w1",
        reason: "killed",
      },
    ];
    expect(renderCausalChain(chain, plainPaint, undefined, clock)).toContain(
      "Why w1 died at 05-09 00:02:00.000",
    );
  });
});

describe("a fault that outlasts a run of one day", () => {
  it("is said to end on its own day in the liveness verdict", () => {
    const text = `name: long-outage
description: a store outage past the end of the run
start: 2026-05-08T10:00:00Z
duration: 15m
fleet: { workers: 2, partitions: 4 }
workload: { accounts: 2, schedulesPerAccount: { min: 1, max: 1 }, cron: [{ expr: "* * * * *", weight: 1 }] }
faults:
  - { at: "10:03:00", fault: store-outage, duration: 20h }
`;
    const { report } = runScenario(text, { variant: "fixed" }, "long-outage.yaml");
    const liveness = report.verdicts.find((v) => v.property === "deliveries-on-time-after-quiet")!;
    expect(liveness.detail).toContain(
      "none falls at or after 05-09 06:08:00 (quiet point: the end at 05-09 06:03:00 of the store-outage fault at 10:03:00 (20h), + the quiet bound 5m)",
    );
  });
});

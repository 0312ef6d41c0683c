// Shows that compare gives no divergence where one run only stopped early (a limit), but says which run stopped, why and where, in its data and every rendering.
import { beforeAll, describe, expect, it } from "vitest";
import { renderComparison } from "../../src/cli/commands/compare.js";
import { readReportJson } from "../../src/cli/commands/report.js";
import { parseSavedReport } from "../../src/cli/commands/report-schema.js";
import { type Comparison, compareRuns, comparisonOf } from "../../src/explore/compare.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { smallWorldConfig } from "../world/helpers.js";

/** Checks that the terminal, the Markdown and the HTML say `said` of `c`'s divergence, the first two not `unsaid`, and none that the runs behaved identically. */
function expectSaidEverywhere(c: Comparison, said: RegExp, unsaid: string): void {
  const terminal = renderComparison(c, [[], []], plainPaint);
  expect(terminal).toMatch(said);
  const runs = c.reports.map((report) => ({ report }));
  const extras = { divergence: c.divergence, divergences: c.divergences, stops: c.stops };
  const markdown = renderMarkdown(runs, extras);
  expect(markdown).toMatch(new RegExp(`\\*\\*Divergence\\*\\*: ${said.source}`));
  const html = renderHtmlReport({ runs, ...extras, assets: { chartJs: "", chartCss: "" } });
  expect(html).toMatch(new RegExp(`None${said.source.slice(4)}`));
  // The HTML titles its section "First divergence" whatever it holds.
  for (const text of [terminal, markdown]) expect(text).not.toContain(unsaid);
  expect(html).not.toContain("behaved identically");
}

describe("a compare where one run stops at a limit before the runs part", () => {
  let c: Comparison;
  beforeAll(() => {
    // No deletion: buggy and fixed behave alike throughout, but the buggy run stops at 4000 kernel events.
    const config = smallWorldConfig({ durationMs: 15 * 60_000, deleteAtMs: null });
    const fixed = smallWorldConfig({
      durationMs: 15 * 60_000,
      deleteAtMs: null,
      fixes: ["early-return", "panic-recovery"],
    });
    c = compareRuns([
      { config: { ...config, limits: { maxEvents: 4000 } }, variantName: "buggy" },
      { config: fixed, variantName: "fixed" },
    ]);
  });

  it("gives no divergence, and says which run stopped first, why and at which trace event", () => {
    expect(c.reports[0].run.stopReason).toBe("max-events");
    expect(c.divergence).toBeNull();
    expect(c.divergences).toEqual([]);
    expect(c.stoppedFirst).toMatchObject({
      variants: ["buggy", "fixed"],
      stopped: "buggy",
      reason: "max-events",
    });
    expect(c.stops).toEqual([c.stoppedFirst]);
    expect(c.stoppedFirst!.index).toBeGreaterThan(0);
    expect(c.stoppedFirst!.t).toBe(Date.parse(c.reports[0].run.end));
  });

  it("says so in the terminal, the Markdown and the HTML, and not that they diverged", () => {
    const said =
      /none before buggy stopped early at \d\d:\d\d:\d\d\.\d{3} \(hit the event limit \(4000 events\)\): buggy and fixed behaved alike up to trace event #\d+/;
    expectSaidEverywhere(c, said, "First divergence");
  });

  it("reads the stop back from a saved comparison", () => {
    const saved = {
      scenario: "s",
      seed: 1,
      variants: c.reports,
      divergence: null,
      divergences: [],
      stoppedFirst: c.stoppedFirst,
      stops: c.stops,
    };
    const parsed = parseSavedReport(JSON.parse(JSON.stringify(saved)), "c.json", JSON.stringify(saved));
    expect(parsed.ok && parsed.comparison?.stops).toEqual(c.stops);
  });
});

describe("a compare where both runs stop at the same limit before they part", () => {
  let c: Comparison;
  beforeAll(() => {
    // No deletion: buggy and fixed behave alike throughout, and both stop at 4000 kernel events.
    const limited = (fixes: string[]) => ({
      ...smallWorldConfig({ durationMs: 15 * 60_000, deleteAtMs: null, fixes }),
      limits: { maxEvents: 4000 },
    });
    c = compareRuns([
      { config: limited([]), variantName: "buggy" },
      { config: limited(["early-return", "panic-recovery"]), variantName: "fixed" },
    ]);
  });

  it("gives the stop of both, at the run.finished both traces end with, not runs that behaved identically", () => {
    expect(c.reports.map((r) => r.run.stopReason)).toEqual(["max-events", "max-events"]);
    expect(c.divergence).toBeNull();
    expect(c.stoppedFirst).toEqual({
      variants: ["buggy", "fixed"],
      stopped: "buggy",
      reason: "max-events",
      index: c.reports[0].events - 1,
      t: Date.parse(c.reports[0].run.end),
      both: true,
    });
    expect(c.stops).toEqual([c.stoppedFirst]);
  });

  it("is read so from a comparison saved before stops were given, which has neither stops nor stoppedFirst", () => {
    const saved = JSON.stringify({
      scenario: "s",
      seed: 1,
      variants: c.reports,
      divergence: null,
      divergences: [],
    });
    const loaded = readReportJson("old.json", saved);
    expect(loaded.kind === "comparison" && loaded.stops).toEqual([c.stoppedFirst]);
  });

  it("says they were alike up to where both stopped, in the terminal, the Markdown and the HTML", () => {
    const said =
      /none: buggy and fixed behaved alike up to where both stopped early \(hit the event limit \(4000 events\)\) at \d\d:\d\d:\d\d\.\d{3}, trace event #\d+/;
    expectSaidEverywhere(c, said, "behaved identically");
  });
});

describe("comparisonOf", () => {
  const event = (type: string, fields: Record<string, unknown> = {}): TraceEvent =>
    ({ t: 1_000, seq: 7, type, cause: null, ...fields }) as TraceEvent;
  let reports: Comparison["reports"];
  beforeAll(() => {
    const config = smallWorldConfig({ durationMs: 2 * 60_000 });
    reports = compareRuns([
      { config, variantName: "buggy" },
      { config, variantName: "fixed" },
    ]).reports;
  });

  it("names the other run when it is the one that stopped (a wall-clock budget)", () => {
    const c = comparisonOf(reports, [
      { index: 9, a: event("delivery.sent"), b: event("run.finished", { reason: "wall-budget", events: 9 }) },
    ]);
    expect(c.divergence).toBeNull();
    expect(c.stoppedFirst).toEqual({
      variants: ["buggy", "fixed"],
      stopped: "fixed",
      reason: "wall-budget",
      index: 9,
      t: 1_000,
      both: false,
    });
  });

  it("keeps a run that reached its horizon while the other had more to do as a divergence", () => {
    const c = comparisonOf(reports, [
      { index: 9, a: event("run.finished", { reason: "horizon", events: 9 }), b: event("delivery.sent") },
    ]);
    expect(c.stoppedFirst).toBeNull();
    expect(c.divergence).toMatchObject({ index: 9, variants: ["buggy", "fixed"] });
  });
});

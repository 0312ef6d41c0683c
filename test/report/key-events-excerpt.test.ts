// Shows that a long list of key events, cut in the terminal and the Markdown summary, keeps every fault that was not fired: the faults row sends the reader there for them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../../src/checks/types.js";
import { runScenario } from "../../src/index.js";
import { keyEventsExcerpt } from "../../src/report/key-events.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import type { RunReport } from "../../src/report/run-report.js";
import { renderTimeline } from "../../src/report/terminal.js";

/** 40 entries, two of them (25 and 26) faults not fired, in the middle. */
function entries(): TimelineEntry[] {
  return Array.from({ length: 40 }, (_, i) => ({
    t: new Date(Date.UTC(2026, 5, 1, 10, i)).toISOString(),
    seq: i,
    type: i === 25 || i === 26 ? "fault.skipped" : "worker.crashed",
    text: i === 25 || i === 26 ? `fault ${i} not fired` : `w1 died ${i}`,
  }));
}

describe("the key events' excerpt", () => {
  it("keeps the first and last, and every fault not fired from the middle, saying how many it left out where", () => {
    const lines = keyEventsExcerpt(entries(), 24, 5);
    const shown = lines.flatMap((l) => ("entry" in l ? [l.entry.seq] : []));
    const more = lines.flatMap((l) => ("more" in l ? [l.more] : []));
    expect(shown).toEqual([...Array.from({ length: 19 }, (_, i) => i), 25, 26, 35, 36, 37, 38, 39]);
    expect(more).toEqual([6, 8]);
    // Every entry is shown or counted, once.
    expect(shown.length + more.reduce((a, n) => a + n, 0)).toBe(40);
    const one = entries().map((e, i) => (i === 26 ? { ...e, type: "worker.crashed" } : e));
    const split = keyEventsExcerpt(one, 24, 5);
    expect(split.flatMap((l) => ("more" in l ? [l.more] : []))).toEqual([6, 9]);
  });

  it("counts what it leaves out at the end too, when it keeps no tail", () => {
    const lines = keyEventsExcerpt(entries(), 3, 0);
    const shown = lines.flatMap((l) => ("entry" in l ? [l.entry.seq] : []));
    expect(shown).toEqual([0, 1, 2, 25, 26]);
    expect(lines.at(-1)).toEqual({ more: 13 });
    const more = lines.flatMap((l) => ("more" in l ? [l.more] : []));
    expect(shown.length + more.reduce((a, n) => a + n, 0)).toBe(40);
  });

  it("shows everything when the list is short", () => {
    expect(keyEventsExcerpt(entries().slice(0, 10), 24, 5)).toHaveLength(10);
  });

  it("keeps a skipped fault in the terminal's and the Markdown's cut lists", () => {
    const tiny = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");
    const base = runScenario(tiny, { variant: "fixed" }).report;
    const report: RunReport = { ...base, timeline: entries() };
    const terminal = renderTimeline(report, plainPaint, 24);
    expect(terminal).toContain("fault 25 not fired");
    expect(terminal).toContain("fault 26 not fired");
    expect(terminal).not.toContain("w1 died 20");
    expect(terminal).toMatch(/… 6 more\n.*fault 25 not fired\n.*fault 26 not fired\n\s+… 8 more/);
    // A terminal list shorter than its usual tail of five keeps to its limit.
    const short = renderTimeline(report, plainPaint, 3).split("\n").slice(1);
    expect(short.filter((l) => !l.includes("more"))).toHaveLength(3 + 2);
    const markdown = renderMarkdown([{ report }]);
    expect(markdown).toMatch(/\| fault 25 not fired \|/);
    expect(markdown).toMatch(/\| … \| \d+ more \|/);
  });
});

// Shows that a long list of key events, cut in the terminal and the Markdown summary, keeps every fault that was not fired (the faults row sends the reader there for them), the operator actions and deploys of its middle, tells an alert's flaps in one line that counts every entry of its rule it spans, and keeps to its limit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../../src/checks/types.js";
import { runScenario } from "../../src/index.js";
import { type ExcerptLine, keyEventsExcerpt } from "../../src/report/key-events.js";
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

/** A small run's report, its timeline replaced by `timeline`. */
function reportWith(timeline: TimelineEntry[]): RunReport {
  const tiny = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");
  return { ...runScenario(tiny, { variant: "fixed" }).report, timeline };
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
    const report = reportWith(entries());
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

/**
 * A crash loop as the RunReport's timeline keeps it: 60 crashes, then its note that routine
 * entries are no longer listed, an operator's rollback and its deploy, then an alert that flaps
 * to the end (fired and resolved in turn, 20 entries).
 */
function crashLoop(): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const at = (type: string, text: string, extra: Partial<TimelineEntry> = {}) =>
    out.push({
      t: new Date(Date.UTC(2026, 5, 1, 10, 0, out.length * 10)).toISOString(),
      seq: out.length,
      type,
      text,
      ...extra,
    });
  for (let i = 0; i < 60; i++) at("worker.crashed", `w1 died ${i}`);
  at(
    "more",
    "... 300 more from here not listed (deletions, deploys, faults, alerts and operator actions still are)",
  );
  at("operator.action", "operator: deploy v2 with early-return, panic-recovery");
  at("deploy.started", "deploy of v2 started");
  at("deploy.finished", "deploy of v2 finished");
  for (let i = 0; i < 20; i++) {
    const fired = i % 2 === 0;
    at(
      fired ? "alert.fired" : "alert.resolved",
      `alert crash-rate ${fired ? "fired: crashes = 3 (threshold 3)" : "resolved: crashes = 2"}`,
      { rule: "crash-rate" },
    );
  }
  return out;
}

const textsOf = (lines: readonly ExcerptLine[]) =>
  lines.flatMap((l) =>
    "entry" in l ? [l.entry.text] : "flaps" in l ? [`flaps ${l.flaps.fired}/${l.flaps.resolved}`] : [],
  );

describe("the key events' excerpt of a crash loop", () => {
  it("keeps the operator's rollback and its deploy from the middle, and tells an alert's flaps as one line", () => {
    const entries = crashLoop();
    const lines = keyEventsExcerpt(entries, 24, 5);
    const texts = textsOf(lines);
    expect(texts).toContain("operator: deploy v2 with early-return, panic-recovery");
    expect(texts).toContain("deploy of v2 started");
    expect(texts).toContain("deploy of v2 finished");
    expect(texts.some((t) => t.startsWith("... 300 more from here not listed"))).toBe(true);
    // The 20 alert entries, the last of them in the tail, are one line; no alert entry is left alone.
    expect(texts.filter((t) => t.startsWith("flaps"))).toEqual(["flaps 10/10"]);
    expect(texts.filter((t) => t.startsWith("alert"))).toEqual([]);
    // Every entry is shown, told by the flaps line, or counted, once.
    const more = lines.flatMap((l) => ("more" in l ? [l.more] : []));
    const told = lines.flatMap((l) => ("entry" in l ? [1] : "flaps" in l ? [20] : []));
    expect([...told, ...more].reduce((a, n) => a + n, 0)).toBe(entries.length);
  });

  it("says the flaps with their count and how the last ended, in the terminal and the Markdown", () => {
    const report = reportWith(crashLoop());
    const terminal = renderTimeline(report, plainPaint, 40);
    expect(terminal).toContain("operator: deploy v2 with early-return, panic-recovery");
    expect(terminal).toMatch(
      /alert crash-rate fired 10 times and resolved 10 times until [^;]*10:13:50; last resolved: crashes = 2/,
    );
    expect(terminal).not.toContain("alert crash-rate fired: crashes = 3");
    expect(renderMarkdown([{ report }])).toContain(
      "| alert crash-rate fired 10 times and resolved 10 times until ",
    );
  });

  it("keeps the middle's turns within its limit, operator actions first, the first entries in what is left", () => {
    const entries: TimelineEntry[] = Array.from({ length: 200 }, (_, i) => ({
      t: new Date(Date.UTC(2026, 5, 1, 10, 0, i)).toISOString(),
      seq: i,
      type: i === 150 ? "operator.action" : "account.deleted",
      text: i === 150 ? "operator: rollback" : `account ${i} deleted`,
    }));
    const lines = keyEventsExcerpt(entries, 10, 2);
    const texts = textsOf(lines);
    expect(texts).toContain("operator: rollback");
    expect(texts).toHaveLength(10);
    expect(texts.slice(0, 4)).toEqual([
      "account 0 deleted",
      "account 1 deleted",
      "account 2 deleted",
      "account 3 deleted",
    ]);
    const more = lines.flatMap((l) => ("more" in l ? [l.more] : []));
    expect(texts.length + more.reduce((a, n) => a + n, 0)).toBe(200);
  });
});

/**
 * That the lines of an excerpt stand in the order of their entries: an entry at its place, a line
 * of flaps at its first, a `{ more }` at the entries it counts (the next ones told by no line); that
 * no `{ more }` counts entries both within a span of flaps shown before it and past that span's
 * end; and that one within such a span says so (`during`, the innermost span's rule), one past
 * them all does not.
 */
function expectInTimeOrder(entries: readonly TimelineEntry[], lines: readonly ExcerptLine[]): void {
  const told = new Set<number>();
  for (const l of lines) {
    if ("entry" in l) told.add(l.entry.seq);
    if ("flaps" in l)
      for (let i = l.flaps.first.seq; i <= l.flaps.last.seq; i++)
        if (entries[i].rule === l.flaps.rule) told.add(i);
  }
  const untold = entries.map((_, i) => i).filter((i) => !told.has(i));
  let taken = 0;
  let before = -1;
  const spans: { first: number; last: number; rule: string }[] = [];
  for (const l of lines) {
    if (!("more" in l)) {
      const at = "entry" in l ? l.entry.seq : l.flaps.first.seq;
      expect(at, "a line before one that comes earlier").toBeGreaterThan(before);
      before = at;
      if ("flaps" in l) spans.push({ first: at, last: l.flaps.last.seq, rule: l.flaps.rule });
      continue;
    }
    const counted = untold.slice(taken, taken + l.more);
    taken += l.more;
    expect(counted[0], "a count of entries before the line above it").toBeGreaterThan(before);
    before = counted[counted.length - 1];
    const innermost = (i: number) =>
      spans.filter((s) => s.first < i && i < s.last).sort((a, b) => a.last - b.last)[0]?.rule;
    const within = counted.map(innermost);
    expect(new Set(within).size, `one count within and past a span of flaps: ${counted}`).toBe(1);
    expect(l.during).toBe(within[0]);
  }
  expect(taken).toBe(untold.length);
}

/** Entries of the given types, alerts of the given rules, ten seconds apart. */
function listOf(kinds: readonly (readonly [string, string?])[]): TimelineEntry[] {
  return kinds.map(([type, rule], i) => ({
    t: new Date(Date.UTC(2026, 4, 8, 9, 0, i * 10)).toISOString(),
    seq: i,
    type,
    text:
      rule === undefined
        ? `${type} ${i}`
        : `alert ${rule} ${type === "alert.fired" ? "fired" : "resolved"} ${i}`,
    ...(rule === undefined ? {} : { rule }),
  }));
}

describe("the key events' excerpt around an alert's flaps", () => {
  /** Six crashes, an alert that flaps six times with a crash after each, then twelve crashes. */
  function flapping(): TimelineEntry[] {
    const kinds: [string, string?][] = Array.from({ length: 6 }, () => ["worker.crashed"] as [string]);
    for (let i = 0; i < 6; i++)
      kinds.push([i % 2 === 0 ? "alert.fired" : "alert.resolved", "lag"], ["worker.crashed"]);
    for (let i = 0; i < 12; i++) kinds.push(["worker.crashed"]);
    return listOf(kinds);
  }

  it("counts the entries left out while the alert flapped apart from those after, and says so", () => {
    const lines = keyEventsExcerpt(flapping(), 10, 2);
    const flaps = lines.findIndex((l) => "flaps" in l);
    expect(lines[flaps]).toMatchObject({ flaps: { first: { seq: 6 }, last: { seq: 16 } } });
    // The crashes at 7, 9, 11, 13 and 15 fell while it flapped; 17 to 27 after its last flap.
    expect(lines.slice(flaps + 1, flaps + 3)).toEqual([{ more: 5, during: "lag" }, { more: 11 }]);
  });

  it("says so in the terminal and the Markdown", () => {
    const report = reportWith(flapping());
    expect(renderTimeline(report, plainPaint, 10)).toMatch(
      /alert lag fired 3 times and resolved 3 times until [^\n]*\n\s+… 5 more while alert lag flapped\n\s+… 8 more\n/,
    );
    const markdown = renderMarkdown([{ report }], { eventsMax: 10 });
    expect(markdown).toContain("| … | 5 more while alert lag flapped |\n| … | 8 more |");
  });
});

describe("the key events' excerpt of any list", () => {
  it("tells no flaps across entries of its rule it left out: 30 crashes, 40 alerts between deletions, 6 alerts", () => {
    const kinds: [string, string?][] = Array.from({ length: 30 }, () => ["worker.crashed"] as [string]);
    let n = 0;
    const alert = (): [string, string] => [n++ % 2 === 0 ? "alert.fired" : "alert.resolved", "lag"];
    for (let i = 0; i < 40; i++) kinds.push(alert(), ["account.deleted"]);
    for (let i = 0; i < 6; i++) kinds.push(alert());
    const entries = listOf(kinds);
    const lines = keyEventsExcerpt(entries, 24, 5);
    const flaps = lines.flatMap((l) => ("flaps" in l ? [l.flaps] : []));
    // The last five alerts, of the tail, and the one before them: none of the 40 between the deletions.
    expect(flaps.map((f) => [f.first.seq, f.last.seq, f.fired + f.resolved])).toEqual([[111, 115, 5]]);
    expect(lines.filter((l) => !("more" in l))).toHaveLength(24);
  });

  it("keeps to its limit when the head reaches a flaps unit chosen from the middle", () => {
    // Rule b's flaps from 13 to 16, one unit of the middle, split by the crash at 14 once the head reaches it.
    const kinds = [
      ["operator.action"],
      ["operator.action"],
      ["account.deleted"],
      ["alert.fired", "a"],
      ["operator.action"],
      ["operator.action"],
      ["alert.fired", "a"],
      ["deploy.started"],
      ["alert.fired", "a"],
      ["alert.fired", "b"],
      ["alert.fired", "a"],
      ["worker.crashed"],
      ["worker.crashed"],
      ["alert.fired", "b"],
      ["worker.crashed"],
      ["alert.fired", "b"],
      ["alert.fired", "b"],
      ["alert.fired", "a"],
      ["alert.fired", "a"],
      ["worker.crashed"],
      ["worker.crashed"],
      ["deploy.started"],
      ["deploy.started"],
      ["account.deleted"],
      ["worker.crashed"],
      ["deploy.started"],
      ["account.deleted"],
      ["deploy.started"],
      ["operator.action"],
      ["deploy.started"],
      ["account.deleted"],
    ] as [string, string?][];
    const lines = keyEventsExcerpt(listOf(kinds), 24, 5);
    expect(lines.filter((l) => !("more" in l)).length).toBeLessThanOrEqual(24);
  });

  it("keeps to its limit, tells every entry once and counts in a flaps line every entry of its rule it spans", () => {
    const kind = fc.oneof(
      fc.constantFrom<[string]>(
        ["worker.crashed"],
        ["operator.action"],
        ["deploy.started"],
        ["account.deleted"],
        ["fault.injected"],
        ["fault.skipped"],
      ),
      fc.tuple(fc.constantFrom("alert.fired", "alert.resolved"), fc.constantFrom("a", "b")),
    );
    // Lists long enough to be cut at every limit (fast-check's default size keeps them under 10).
    const reached = { cut: 0, flaps: 0 };
    fc.assert(
      fc.property(
        fc.array(kind, { maxLength: 90, size: "max" }),
        fc.constantFrom(3, 10, 24, 25, 40),
        (kinds, max) => {
          const entries = listOf(kinds);
          const lines = keyEventsExcerpt(entries, max, Math.min(5, max - 1));
          if (lines.some((l) => "more" in l)) reached.cut++;
          if (lines.some((l) => "flaps" in l)) reached.flaps++;
          const skipped = entries.filter((e) => e.type === "fault.skipped").length;
          const shown = lines.filter((l) => !("more" in l));
          expect(shown.length).toBeLessThanOrEqual(max + skipped);
          if (entries.length <= max) expect(shown).toHaveLength(entries.length);
          let told = 0;
          for (const l of lines)
            told += "more" in l ? l.more : "flaps" in l ? l.flaps.fired + l.flaps.resolved : 1;
          expect(told).toBe(entries.length);
          for (const l of lines) {
            if (!("flaps" in l)) continue;
            const spanned = entries
              .slice(l.flaps.first.seq, l.flaps.last.seq + 1)
              .filter((e) => e.rule === l.flaps.rule);
            expect(l.flaps.fired + l.flaps.resolved).toBe(spanned.length);
          }
          expectInTimeOrder(entries, lines);
        },
      ),
      { numRuns: 300, seed: 20260508 },
    );
    // The cases reached what the property is about: cut lists, and lines of flaps.
    expect(reached.cut, JSON.stringify(reached)).toBeGreaterThan(100);
    expect(reached.flaps).toBeGreaterThan(30);
  });
});

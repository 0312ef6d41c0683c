// Shows that `score` counts missed deliveries beside late ones, and says honestly why its best what-if is best, hindsight included.
import { describe, expect, it } from "vitest";
import type { Metrics } from "../../src/checks/types.js";
import { runClock } from "../../src/kernel/time.js";
import { plainPaint } from "../../src/report/paint.js";
import { type ProjectedLine, renderScore } from "../../src/train/compare.js";
import type { Line } from "../../src/train/live.js";
import { measuredFrom, type Projection } from "../../src/train/projection.js";
import { once } from "../cli/once.js";
import { BUNDLED, MIDNIGHT, newSession, play } from "./helpers.js";

/** `score` after the fix is deployed at the midnight scenario's third chapter, played once for the tests that read it. */
const scoreAfterFixAtThirdChapter = once(() => {
  const session = newSession({}, MIDNIGHT);
  return play(session, ["next", "next", "next", "what-if deploy fixed", "score"]).slice(-1)[0];
});

describe("score", () => {
  it("shows missed deliveries and does not call a fix worse for delivering late what would be missed", () => {
    const score = scoreAfterFixAtThirdChapter();
    expect(score.text).toMatch(/late deliveries\s+missed deliveries\s+duplicates\s+panic deaths/);
    const original = /original\s+-\s+not by the end\s+not by the end\s+(\d+)\s+(\d+)\s+(\d+)/.exec(
      score.text,
    );
    expect(original, score.text).not.toBeNull();
    expect(Number(original![2])).toBeGreaterThan(0);
    const fork =
      /fork-1\s+deploy fixed at 05-09 00:05:00\s+05-09 00:05:30\s+\S+\s+(\d+) \(\+\d+\)\s+(\d+) \(-\d+\)/.exec(
        score.text,
      );
    expect(fork, score.text).not.toBeNull();
    const fewer = Number(original![1]) + Number(original![2]) - Number(fork![1]) - Number(fork![2]);
    expect(fewer).toBeGreaterThan(0);
    expect(score.text).toContain(
      `Best: fork-1 (deploy fixed at 05-09 00:05:00): all clear at 05-09 00:05:30 (the original: not by the end), ${fewer} fewer late or missed deliveries.`,
    );
  });

  it("never gives more deliveries, or none fewer, as the reason a what-if is best", () => {
    const session = newSession({}, MIDNIGHT);
    const [score] = play(session, ["what-if deploy fixed", "score"]).slice(-1);
    const best = score.text.split("\n").find((l) => l.includes("Best:"));
    expect(best).toMatch(
      /^ {2}Best: fork-1 \(deploy fixed at 05-08 23:50:00\): no incident at all, \d+ fewer late or missed deliveries\. /,
    );
    expect(best).not.toMatch(/ 0 fewer|more late/);
    // Made before anything went wrong: the score says what it owes to hindsight.
    expect(best).toMatch(
      /\. Made at 05-08 23:50:00, before the first sign of trouble \(05-0[89] \d\d:\d\d:\d\d(\.\d+)?\): hindsight the on-call engineer did not have\.$/,
    );
  });

  it("judges hindsight by the what-if the best line adds, not by one it inherits", () => {
    // fork-1 scales early (before any trouble); fork-2 adds the fix once trouble has shown.
    const session = newSession({}, MIDNIGHT);
    const steps = play(session, ["what-if scale 9", "next", "next", "next", "what-if deploy fixed", "score"]);
    const score = steps[steps.length - 1].text;
    expect(score).toContain("Best: fork-2");
    expect(score).not.toContain("hindsight");
  });

  it("says nothing of hindsight for a what-if made once trouble had shown", () => {
    const score = scoreAfterFixAtThirdChapter();
    expect(score.text).toContain("Best: fork-1");
    expect(score.text).not.toContain("hindsight");
  });
});

/** The reply of `score` after the commands, on the bundled scenario. */
function scoreAfter(commands: readonly string[]): string {
  const steps = play(newSession({}, BUNDLED), [...commands, "score"]);
  return steps[steps.length - 1].text;
}

describe("score on the bundled May 8 scenario", () => {
  // A what-if before the first crash can move the incident's start; the best is still the soonest
  // all clear, as the note under the table says, and the time it gains is the all clear's own.
  it("says how much sooner the all clear came, not how much shorter the incident was", () => {
    const score = scoreAfter([
      "next",
      "reveal",
      "what-if quarantine sched-deleted-a",
      "what-if quarantine sched-deleted-c",
    ]);
    const rows = scoreRows(score);
    const original = rows.get("original")!;
    // Quarantining both poison schedules before their first fire leaves fork-2's incident to start
    // later, but every line is measured from the original's first sign of trouble: its all clear
    // comes later, and so its time to all clear is longer, not shorter.
    const fork2 = rows.get("fork-2")!;
    expect(fork2.what).toBe("fork-1, then quarantine sched-deleted-c at 09:44:40");
    expect(fork2.allClear > original.allClear, score).toBe(true);
    expect(fork2.incident).toMatch(/\(\+\d/);
    // The best is by the all clear's moment: never fork-2, and never "sooner" for an all clear no sooner.
    const best = bestLine(score);
    expect(best).not.toMatch(/^Best: fork-2 /);
    const named = rows.get(/^Best: (fork-\d+) /.exec(best)![1])!;
    expect(named.allClear <= original.allClear).toBe(true);
    if (named.allClear === original.allClear) expect(best).not.toContain("sooner");
  });

  it("ranks by the all clear's moment, then by late and missed deliveries", () => {
    const score = scoreAfter([
      "next",
      "what-if restart w5",
      "rewind 09:44:40",
      "until 09:45:10",
      "until 09:45:10",
      "what-if restart w1",
    ]);
    const rows = scoreRows(score);
    const [original, fork1, fork2] = ["original", "fork-1", "fork-2"].map((line) => rows.get(line)!);
    expect([fork1.what, fork2.what]).toEqual(["restart w5 at 09:44:40", "restart w1 at 09:45:10"]);
    // Both all clear at one moment, before the original's; the second leaves fewer late or missed.
    expect(fork2.allClear).toBe(fork1.allClear);
    expect(fork1.allClear < original.allClear, score).toBe(true);
    expect(fork2.lateOrMissed).toBeLessThan(fork1.lateOrMissed);
    const soonerS =
      (Date.parse(`2026-05-08T${original.allClear}Z`) - Date.parse(`2026-05-08T${fork2.allClear}Z`)) / 1000;
    expect(bestLine(score)).toMatch(
      new RegExp(
        `^Best: fork-2 \\(restart w1 at 09:45:10\\): all clear ${soonerS}s sooner, ${original.lateOrMissed - fork2.lateOrMissed} fewer late or missed deliveries\\.`,
      ),
    );
  });
});

interface ScoreRow {
  readonly what: string;
  /** The all clear's time of day, as the table writes it. */
  readonly allClear: string;
  /** The time to all clear, with its change from the original's. */
  readonly incident: string;
  readonly lateOrMissed: number;
}

/** The score table's rows by line name (`original`, `fork-1`, ...). */
function scoreRows(score: string): Map<string, ScoreRow> {
  const rows = new Map<string, ScoreRow>();
  for (const line of score.split("\n")) {
    const cells = line.trim().split(/ {2,}/);
    if (!/^(original|fork-\d+)$/.test(cells[0])) continue;
    const count = (cell: string) => Number(/^\d+/.exec(cell)![0]);
    rows.set(cells[0], {
      what: cells[1],
      allClear: cells[2],
      incident: cells[3],
      lateOrMissed: count(cells[4]) + count(cells[5]),
    });
  }
  return rows;
}

/** The score's "Best:" line, trimmed. */
function bestLine(score: string): string {
  return score
    .split("\n")
    .find((l) => l.trim().startsWith("Best:"))!
    .trim();
}

describe("the score's rounding", () => {
  it("says that a time to all clear of an hour or more is rounded, and only then", () => {
    const startMs = Date.parse("2026-05-08T09:00:00Z");
    const original = (timeToAllClearMs: number): ProjectedLine => ({
      line: { name: "original", interventions: [] } as unknown as Line,
      projection: {
        metrics: { deliveries: { late: 3, missed: 0 }, panicDeaths: 2 } as unknown as Metrics,
        incidentStartMs: startMs + 60_000,
        allClearAtMs: startMs + 60_000 + timeToAllClearMs,
        timeToAllClearMs,
        endMs: startMs + 4 * 3_600_000,
      } as Projection,
    });
    const clock = runClock(startMs, startMs + 4 * 3_600_000);
    // 1 h 29 m 40 s is written 1h30m: the note says so.
    const long = renderScore(original(89 * 60_000 + 40_000), [], plainPaint, clock);
    expect(long).toMatch(/original\s+-\s+10:30:40\s+1h30m\s/);
    expect(long.replace(/\s+/g, " ")).toContain(
      "A time to all clear of an hour or more is rounded to the minute",
    );
    const short = renderScore(original(29 * 60_000 + 40_000), [], plainPaint, clock);
    expect(short).toMatch(/original\s+-\s+09:30:40\s+29m40s\s/);
    expect(short).not.toContain("rounded");
  });
});

describe("time to all clear, on every line from the original's first sign of trouble", () => {
  it("does not start a fork's incident at a crash its own what-if caused", () => {
    const session = newSession();
    const [score] = play(session, ["what-if kill w1", "score"]).slice(-1);
    const row = (name: string) => score.text.split("\n").find((l) => l.trimStart().startsWith(name))!;
    const cells = (name: string) => /(\d\d:\d\d:\d\d)\s+(\d+m\d+s|\d+m|\d+s)\s/.exec(row(name))!;
    const allClear = (name: string) => Date.parse(`2026-05-08T${cells(name)[1]}Z`);
    const ttac = (name: string) => cells(name)[2];
    // The kill at 09:30:00 is a crash, 15 minutes before the original's first: not where it begins.
    const gap = (allClear("fork-1") - allClear("original")) / 1000;
    const seconds = (text: string) => {
      const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)!;
      return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
    };
    expect(seconds(ttac("fork-1")) - seconds(ttac("original")), score.text).toBe(gap);
    expect(score.text.replace(/\s+/g, " ")).toContain(
      "time to all clear runs from the original's first crash, bad sample or alert, on every line",
    );
  });

  it("measures a line all clear before the original's first sign from its own, and says so", () => {
    const first = Date.parse("2026-05-08T09:45:00.191Z");
    const p = (incidentStartMs: number, allClearAtMs: number) =>
      ({ incidentStartMs, allClearAtMs, timeToAllClearMs: allClearAtMs - incidentStartMs }) as Projection;
    const at = (hms: string) => Date.parse(`2026-05-08T${hms}Z`);
    // Over before the original's began: from its own start.
    expect(measuredFrom(p(at("09:30:00"), at("09:40:00")), first).timeToAllClearMs).toBe(600_000);
    // Not over by then: from the original's first sign.
    expect(measuredFrom(p(at("09:30:00"), at("09:50:00")), first).timeToAllClearMs).toBe(
      at("09:50:00") - first,
    );
    const session = newSession();
    const [score] = play(session, ["score"]);
    expect(score.text.replace(/\s+/g, " ")).toContain(
      "(a line all clear before then, its incident over before the original's began, from its own first sign)",
    );
  });

  it("rounds the difference as the two times are shown", () => {
    const startMs = Date.parse("2026-05-08T09:00:00Z");
    const line = (name: string, ttacMs: number): ProjectedLine => ({
      line: {
        name,
        parent: "original",
        interventions: name === "original" ? [] : [{ atMs: startMs, text: "rollback" }],
      } as unknown as Line,
      projection: {
        metrics: { deliveries: { late: 3, missed: 0 }, panicDeaths: 2 } as unknown as Metrics,
        incidentStartMs: startMs + 60_011,
        allClearAtMs: startMs + 60_000 + ttacMs,
        timeToAllClearMs: ttacMs,
        endMs: startMs + 3_600_000,
      } as Projection,
    });
    const clock = runClock(startMs, startMs + 3_600_000);
    const score = renderScore(
      line("original", 22 * 60_000 + 30_000),
      [line("fork-1", 22 * 60_000 + 30_011)],
      plainPaint,
      clock,
    );
    expect(score).toMatch(/fork-1 .* 22m30s \(±0s\)/);
  });
});

describe("duplicate deliveries", () => {
  it("are a row of compare and a column of score, with the model's word for them, and saved", () => {
    const session = newSession();
    // To the pager (chapter 3), where the fix is tried.
    const toThePager = ["next", "next", "next"];
    const [compare, score] = play(session, [...toThePager, "what-if deploy fixed", "compare", "score"])
      .slice(-2)
      .map((s) => s.text);
    const record = session.record();
    const original = record.original!.duplicateDeliveries!;
    const fork = record.forks[0].outcome!.duplicateDeliveries!;
    expect(original).toBeGreaterThan(fork);
    expect(compare).toMatch(
      new RegExp(`\\n  duplicates\\s+${original}\\s+${fork}\\s+${original - fork} fewer\\n`),
    );
    expect(score).toMatch(/missed deliveries\s+duplicates\s+panic deaths/);
    expect(score).toMatch(new RegExp(`\\n  fork-1 .*\\s${fork} \\(-${original - fork}\\)\\s`));
    for (const text of [compare, score])
      expect(text.replace(/\s+/g, " ")).toContain(
        "Duplicates: deliveries of a fire beyond its first. The model's count",
      );
  });
});

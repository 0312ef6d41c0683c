// Shows that the times a verdict or a timeline entry names carry their date in a run over more than one day, and not in a run within one.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { at, TraceBuilder } from "./trace-builder.js";

const HOURLY = "0 * * * *";

/**
 * A run from 09:00 to `horizonMin` minutes later: a poison schedule that kills w1 then w2, an
 * account deleted and then sent a message, a store outage, and an hourly schedule never delivered.
 */
function trace(horizonMin: number): TraceBuilder {
  const b = new TraceBuilder();
  b.start({ workers: 2, horizonMin });
  b.ready("w1");
  b.ready("w2");
  b.schedule("s-poison", "acct-poison", { partition: 2, cron: HOURLY });
  b.schedule("s1", "a", { cron: HOURLY });
  b.schedule("s2", "gone", { cron: HOURLY });
  b.emit("lease.acquired", { worker: "w1", partition: 2, token: 1, previous: null });
  b.at(at(2)).panic("w1", "s-poison", "acct-poison", at(0), { partition: 2 });
  b.at(at(2, 30)).emit("lease.acquired", { worker: "w2", partition: 2, token: 2, previous: "w1" });
  b.at(at(3)).panic("w2", "s-poison", "acct-poison", at(0), { partition: 2 });
  b.at(at(3, 30)).ready("w1", 2);
  b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
  b.at(at(5)).outage(12 * 60_000);
  b.at(at(60, 1)).sent("s2", "gone", at(60));
  return b;
}

function details(horizonMin: number): string {
  const { verdicts, timeline } = computeReport(trace(horizonMin).events);
  return [...verdicts.map((v) => v.detail), ...timeline.map((e) => e.text)].join("\n");
}

/** Each run's horizon, and the moment text its details should read. */
const RUNS = [
  {
    run: "are dated in a run that spans two UTC days (09:00 to 01:00 the next day)",
    horizonMin: 16 * 60,
    day: "05-08 ",
    lastDue: "05-09 00:00:00",
  },
  {
    run: "are bare times of day in a run within one UTC day (09:00 to 23:00)",
    horizonMin: 14 * 60,
    day: "",
    lastDue: "22:00:00",
  },
];

describe("times in verdicts and the timeline", () => {
  it.each(RUNS)("$run", ({ horizonMin, day, lastDue }) => {
    const text = details(horizonMin);
    expect(text).toContain(`killed 2 workers in turn: w1 at ${day}09:02:00, w2 at ${day}09:03:00`);
    expect(text).toContain(`(it killed w1 at ${day}09:02:00)`);
    expect(text).toContain(`s2 at ${day}10:00:01 (gone deleted at ${day}09:04:00)`);
    expect(text).toContain(`of the store-outage fault at ${day}09:05:00 (12m)`);
    expect(text).toContain(`latest: s1 due ${lastDue}`);
    expect(text).toContain(`died of a panic: w1 at ${day}09:02:00 in s-poison@`);
    expect(text).toContain(`(quiet point: the end at ${day}09:17:00 of the store-outage`);
    // One format for moments: no ISO instant besides the due time inside a task id (`s@2026-…Z`).
    expect(text.replace(/@\S+Z/g, "@")).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    if (day === "") expect(text).not.toMatch(/\b05-0[89] /);
  });
});

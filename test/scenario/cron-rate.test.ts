// Shows that the mean fire rate read from cron fields matches what croner actually fires.
import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { firesPerDay } from "../../src/scenario/cron-rate.js";

/** Fires per day counted by croner over a week from a Monday. */
function countedPerDay(pattern: string): number {
  const from = new Date(Date.UTC(2026, 0, 5));
  const to = Date.UTC(2026, 0, 12);
  const cron = new Cron(pattern, { paused: true, utcOffset: 0, mode: "5-part" });
  let n = 0;
  for (
    let t = cron.nextRun(new Date(from.getTime() - 1));
    t !== null && t.getTime() < to;
    t = cron.nextRun(t)
  )
    n++;
  return n / 7;
}

describe("firesPerDay", () => {
  it.each([
    ["* * * * *", 1440],
    ["*/5 * * * *", 288],
    ["0 * * * *", 24],
    ["15,45 9-17 * * *", 18],
    ["0 9 * * 1-5", 5 / 7],
    ["0 9 * * MON-FRI", 5 / 7],
    ["0 9 * * 0,7", 1 / 7],
    ["*/15 9-17/2 * * *", 20],
  ])("%s fires %d times a day", (pattern, perDay) => {
    expect(firesPerDay(pattern)).toBeCloseTo(perDay, 6);
    expect(countedPerDay(pattern)).toBeCloseTo(perDay, 6);
  });

  it("approximates patterns restricted by month and day of month", () => {
    expect(firesPerDay("0 0 1 * *")).toBeCloseTo(12 / 365.2425, 6);
    expect(firesPerDay("0 0 * 1,7 *")).toBeCloseTo(2 / 12, 6);
    expect(firesPerDay("0 0 1 JAN *")).toBeCloseTo(1 / 365.2425, 6);
  });

  it("counts an item it does not follow as one value", () => {
    expect(firesPerDay("0 12 L * *")).toBeCloseTo(12 / 365.2425, 6);
  });
});

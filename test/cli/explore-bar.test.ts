// Shows explore's progress bar fitted to the terminal's width at each draw: the bar shrinks first, then goes, so the counts of runs and failures stay in view; the bar is whole on a wide terminal; its time left is the time budget's when that ends first.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BAR_WIDTH_MAX,
  exploreBarLine,
  progressBar,
  timeLeftText,
} from "../../src/cli/commands/explore-bar.js";
import { visible } from "../../src/train/format.js";

/** A terminal `width.columns` wide that keeps every line drawn on it (after each `\r`, `\x1b[…G` or clear). */
function terminal(width: { columns: number }) {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY: true, columns: width.columns, cursorTo: () => true, clearLine: () => true },
  );
  const lines = () =>
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes cli-progress writes
      .split(/\r|\x1b\[\d*G|\x1b\[\d*K|\x1b\[\?\d+[lh]|\x1b[78]/)
      .filter((line) => line !== "");
  return { stream, lines };
}

/** The lines drawn for 12 of 60 runs done, no failure, at `columns` wide. */
function drawn(columns: number, ascii = false): string[] {
  const width = { columns };
  const t = terminal(width);
  const bar = progressBar(t.stream, () => width.columns, undefined, ascii);
  bar.start(60, 0, { failures: 0 });
  bar.update(12, { failures: 0 });
  bar.stop();
  return t.lines();
}

describe("explore's progress bar", () => {
  it("keeps the counts in view on a narrow terminal, shrinking the bar first", () => {
    const lines = drawn(60);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(59);
    expect(lines.at(-1)).toMatch(/^exploring \[█+░+\] 12\/60 runs · 0 failing · \S+ left$/);
  });

  it("goes without the bar, then without its name, where there is no room for them", () => {
    const at50 = drawn(50);
    for (const line of at50) expect(visible(line)).toBeLessThanOrEqual(49);
    expect(at50.at(-1)).toMatch(/^exploring 12\/60 runs · 0 failing · \S+ left$/);
    const at40 = drawn(40);
    for (const line of at40) expect(visible(line)).toBeLessThanOrEqual(39);
    expect(at40.at(-1)).toMatch(/^12\/60 runs · 0 failing · \S+ left$/);
  });

  it("fits in ASCII too, where a cut line ends in ... rather than …", () => {
    for (const columns of [25, 40, 60]) {
      const lines = drawn(columns, true);
      for (const line of lines) expect(visible(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns - 1);
    }
    expect(drawn(25, true).at(-1)).toMatch(/\.\.\.$/);
  });

  it("draws the whole bar on a wide terminal", () => {
    const last = drawn(200).at(-1)!;
    expect(last).toMatch(/^exploring \[[█░]+\] 12\/60 runs · 0 failing · \S+ left$/);
    expect(last.match(/[█░]/g)).toHaveLength(BAR_WIDTH_MAX);
  });

  it("writes the time left with no field at 60, and none before a run has ended", () => {
    // cli-progress rounds to 5 s after splitting: 179 s was `2m60s`.
    expect(
      [179, 178, 172, 61, 59.5, 12, 7.4, 3599, 5400, 7 * 3600 + 58 * 60].map((t) => timeLeftText(t, 5)),
    ).toEqual(["3m00s", "3m00s", "2m50s", "1m00s", "1m00s", "10s", "7s", "1h00m", "1h30m", "8h00m"]);
    for (let t = 0; t < 10_000; t += 0.7) expect(timeLeftText(t, 5)).not.toMatch(/(?<!\d)60[sm]/);
    const width = { columns: 120 };
    const t = terminal(width);
    const bar = progressBar(t.stream, () => width.columns);
    bar.start(60, 0, { failures: 0 });
    bar.stop();
    expect(t.lines().at(-1)).toMatch(/ · \? left$/);
  });

  it("says the time budget's time left when the budget ends before the runs would", () => {
    // 12 of 100000 runs in 0.2 s: the runs alone would take 28m50s more.
    const options = { barCompleteString: "█".repeat(41), barIncompleteString: "░".repeat(41), barGlue: "" };
    const line = (value: number, budgetLeftMs?: number, eta: number | string = 1730) =>
      exploreBarLine(
        options,
        {
          progress: value / 100_000,
          eta: eta as number,
          startTime: 0,
          stopTime: null,
          total: 100_000,
          value,
          maxWidth: 0,
        },
        { failures: 0 },
        200,
        budgetLeftMs,
      );
    expect(line(12)).toMatch(/ · 28m50s left$/);
    expect(line(12, 4200)).toMatch(/ · 4s left \(time budget\)$/);
    // A budget longer than the runs' estimate is not what ends the exploration.
    expect(line(12, 3_600_000)).toMatch(/ · 28m50s left$/);
    // Before a run has ended, the runs give no estimate; the budget does.
    expect(line(0)).toMatch(/ · \? left$/);
    expect(line(0, 5000)).toMatch(/ · 5s left \(time budget\)$/);
    // Spent (the runs under way end after it): none left, not a negative time.
    expect(line(12, -300)).toMatch(/ · 0s left \(time budget\)$/);
    // An estimate cli-progress gives as text (too far to count, or none): the budget's, if any.
    expect(line(1, 9000, "INF")).toMatch(/ · 9s left \(time budget\)$/);
    expect(line(1, 9000, "NULL")).toMatch(/ · 9s left \(time budget\)$/);
    expect(line(1, undefined, "INF")).toMatch(/ · \? left$/);
  });
});

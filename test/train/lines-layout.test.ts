// Shows that `lines` lays its rows out as a table (names, what-ifs and outcomes in columns of their own when the terminal is wide enough, each outcome under its what-ifs when it is not, nothing wider than the terminal or lost), and that compare's two lane blocks put their names alike.
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

const COMMANDS = [
  "next",
  "next",
  "next",
  "what-if deploy fixed",
  "switch original",
  "what-if scale 16",
  "reveal",
  "what-if quarantine sched-deleted-a",
  "score",
  "lines",
];

/**
 * `lines` at each terminal width: one session plays the commands once, and `lines` is asked again
 * at each width (the session asks the width at each reply, as a resized window would give it).
 */
function linesAtEach(widths: readonly (number | undefined)[]): Map<number | undefined, string[]> {
  let columns: number | undefined = widths[0];
  const session = newSession({ columns: () => columns });
  play(session, COMMANDS.slice(0, -1));
  const rows = new Map<number | undefined, string[]>();
  for (const width of widths) {
    columns = width;
    const [lines] = play(session, ["lines"]);
    rows.set(width, stripVTControlCharacters(lines.text).split("\n").slice(1));
  }
  return rows;
}

/** `lines` at every width the tests below read, played once for the file. */
let linesRows: Map<number | undefined, string[]> | undefined;
function linesAt(columns: number | undefined): string[] {
  linesRows ??= linesAtEach([undefined, 120, 80, 60, 40]);
  return linesRows.get(columns)!;
}

describe("lines", () => {
  it("starts every outcome in one column when the rows fit, as with no width known", () => {
    for (const columns of [undefined, 120]) {
      const rows = linesAt(columns);
      expect(rows).toHaveLength(4);
      const at = rows.map((r) => r.indexOf("all clear"));
      expect(new Set(at).size, rows.join("\n")).toBe(1);
      // The what-ifs start in one column too, after the names.
      expect(new Set(rows.map((r) => r.search(/(?<=^ {2}[* ] \S+ +)\S/))).size).toBe(1);
      if (columns !== undefined) for (const r of rows) expect(r.length).toBeLessThanOrEqual(columns);
    }
  });

  it("puts each outcome under its what-ifs when the widest row would not fit, in the what-ifs' column", () => {
    for (const columns of [80, 60, 40]) {
      const rows = linesAt(columns);
      for (const r of rows) expect(r.length, `${columns}: ${r}`).toBeLessThanOrEqual(columns);
      const outcomes = rows.filter((r) => r.trimStart().startsWith("all clear"));
      expect(outcomes, rows.join("\n")).toHaveLength(4);
      const column = rows[0].search(/(?<=^ {2}[* ] \S+ +)\S/);
      for (const o of outcomes) expect(o.indexOf("all clear")).toBe(column);
      // Every word of every what-if is still there, in order.
      const text = rows.join(" ").replace(/\s+/g, " ");
      expect(text).toContain("fork-2, then quarantine sched-deleted-a at 09:46:00");
    }
  });
});

describe("compare's worker lanes", () => {
  it("put both lines' names beside the time axis, or both above it, never one of each", () => {
    // One session, compared at each width (the session asks the width at each reply).
    let width: number | undefined;
    const session = newSession({ columns: () => width });
    play(session, ["next", "next", "next", "what-if deploy fixed"]);
    for (const columns of [undefined, 80, 120]) {
      width = columns;
      const text = stripVTControlCharacters(play(session, ["compare"])[0].text);
      const heads = text.split("\n").filter((l) => l.startsWith("Workers on "));
      expect(heads.map((h) => h.split(/\s+/)[2])).toEqual(["original", "fork-1"]);
      const beside = heads.map((h) => /\d\d:\d\d/.test(h));
      expect(new Set(beside).size, `${columns}: ${heads.join(" | ")}`).toBe(1);
      if (columns !== undefined)
        for (const l of text.split("\n")) expect(l.length).toBeLessThanOrEqual(columns);
    }
  });
});

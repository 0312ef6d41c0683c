// Shows that at a known terminal width every view of a scripted session fits in it: fewer
// dashboard bars, log lines' text under their time and source, long lines and table rows broken.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import { truncate, visible } from "../../src/train/format.js";
import { captureContext, colour, newSession, play, SMALL, transcript } from "./helpers.js";

const COLUMNS = 40;

/** The on-call views, from the first chapter through a fork. */
const ON_CALL = [
  "next",
  "next",
  "status",
  "workers",
  "logs",
  "logs w3 5",
  "alerts",
  "next",
  "why w3",
  "what-if deploy fixed",
  "run 1m",
  "lines",
  "switch original",
  "rewind 09:45",
  "answer a restart",
  "hide",
  "frobnicate",
];

function wideLines(text: string, columns: number): string[] {
  return text.split("\n").filter((line) => visible(line) > columns);
}

describe("a session at a known narrow width", () => {
  it("cuts a line to a width with an ellipsis, keeping colour codes, and leaves a line that fits", () => {
    expect(truncate("  09:45:00.191  w5  ERROR panic", 20)).toBe("  09:45:00.191  w5 …");
    expect(truncate("short", 20)).toBe("short");
    expect(truncate("a long line of text", undefined)).toBe("a long line of text");
    const red = `x \u001b[31m${"事".repeat(10)}\u001b[39m y`;
    const cut = truncate(red, 9);
    expect(visible(cut)).toBeLessThanOrEqual(9);
    expect(cut).toBe("x \u001b[31m事事事…\u001b[39m");
  });

  it("fits every on-call view (dashboards, logs, workers, alerts, one-liners) in 40 columns", () => {
    for (const paint of [undefined, colour]) {
      const steps = play(newSession({ columns: () => COLUMNS, paint }), ON_CALL);
      const text = `${newSession({ columns: () => COLUMNS, paint }).intro()}\n${transcript(steps)}`;
      expect(wideLines(text, COLUMNS)).toEqual([]);
      // The views are still there, only narrower.
      const plain = stripVTControlCharacters(text);
      expect(plain).toContain("crashes / min");
      expect(plain).toMatch(/ERROR\n {6}panic: runtime error: /);
    }
  });

  it("puts a log line's text under its time and source when the width leaves it too little, losing none", () => {
    // The last lines at chapter 3: a worker's panic among the supervisor's and the workers' own.
    const shown = 6;
    const commands = ["next", "next", "next", `logs ${shown}`];
    const logs = (options: Parameters<typeof newSession>[0]) => play(newSession(options), commands)[3].text;
    for (const facilitator of [false, true]) {
      // The same lines with no width known: one line each, nothing cut.
      const entries = logs({ facilitator }).split("\n").slice(1);
      expect(entries).toHaveLength(shown);
      if (facilitator) expect(entries.join("\n")).toContain("[schedule ");
      for (const paint of [undefined, colour]) {
        const text = logs({ columns: () => COLUMNS, paint, facilitator });
        expect(wideLines(text, COLUMNS)).toEqual([]);
        // Each entry: its time, source and level on a line, then its text, wrapped between words.
        const blocks = stripVTControlCharacters(text)
          .split("\n")
          .slice(1)
          .join("\n")
          .split(/\n(?= {2}\d)/);
        expect(blocks).toHaveLength(shown);
        blocks.forEach((block, i) => {
          const [head, ...body] = block.split("\n");
          const [, time, source, level, rest] = /^ {2}(\S+) {2}(\S+) +(\S+) +(.*)$/.exec(entries[i])!;
          expect(head).toMatch(new RegExp(`^ {2}${time} {2}${source} +${level}$`));
          for (const line of body) expect(line).toMatch(/^ {6}\S/);
          expect(body.map((l) => l.trim()).join(" ")).toBe(rest.replace(/\s+/g, " "));
        });
      }
    }
    // Wider, a line that fits stays one line; a longer one still goes under, never cut.
    const roomy = logs({ columns: () => 63 });
    expect(roomy).toMatch(/^ {2}\S+ {2}w\d +INFO {2}ready, serving$/m);
    expect(roomy).toMatch(/^ {2}\S+ {2}w\d +ERROR\n {6}panic: runtime error: /m);
    expect(roomy).not.toContain("…");
    expect(wideLines(roomy, 63)).toEqual([]);
  });

  it("fits compare (its table, notes and worker lanes) and score in 40 columns", () => {
    for (const paint of [undefined, colour]) {
      const s = newSession({ columns: () => COLUMNS, paint });
      const steps = play(s, ["next", "next", "next", "what-if deploy fixed", "compare", "score"]);
      const text = transcript(steps);
      expect(wideLines(text, COLUMNS)).toEqual([]);
      const plain = stripVTControlCharacters(text);
      // Lanes of fewer cells, the legend on two lines; the score as a block a line.
      expect(plain).toMatch(/^ {2}w1 {3}[█▒░▓×]{12,22} /m);
      expect(plain).toContain("       ▓ paused  × crash");
      expect(plain).toMatch(/^ {6}time to all clear: \S+/m);
    }
    // With no width known, the lanes keep their 60 cells and the score its table.
    const [, , , , compare, score] = play(newSession(), [
      "next",
      "next",
      "next",
      "what-if deploy fixed",
      "compare",
      "score",
    ]);
    expect(compare.text).toMatch(/^ {2}w1 {3}[█▒░▓× ]{60} /m);
    expect(score.text).toMatch(/^ {2}line {6}what-if {2,}all clear {2}time to all clear/m);
  });

  it("fits the revealed views (ground truth, causal chain, lease table) and help in 40 columns", () => {
    for (const paint of [undefined, colour]) {
      const s = newSession({ columns: () => COLUMNS, paint });
      const commands = [
        "next",
        "next",
        "next",
        "reveal",
        "why w3",
        "workers",
        "status",
        "next",
        "help",
        "help what-if",
      ];
      const text = transcript(play(s, commands));
      expect(wideLines(text, COLUMNS)).toEqual([]);
      const plain = stripVTControlCharacters(text);
      expect(plain).toContain("Lease table");
      expect(plain).toMatch(/^Why w\d died at/m);
      expect(plain).toMatch(/^ {2}what-if <action>\n {6}fork the run here/m);
    }
    // A facilitator's session, revealed from the start, fits too.
    const facilitator = newSession({ columns: () => COLUMNS, facilitator: true });
    const text = `${facilitator.intro()}\n${transcript(play(facilitator, ["next", "next", "next"]))}`;
    expect(wideLines(text, COLUMNS)).toEqual([]);
  });

  it("shows fewer dashboard bars at 40 columns, and today's 36 with no width known", () => {
    const bars = (columns?: number) => {
      const s = newSession(columns === undefined ? {} : { columns: () => columns });
      const [, , status] = play(s, ["next", "next", "status"]);
      const row = status.text.split("\n").find((l) => l.includes("crash-looping"))!;
      return /[▁▂▃▄▅▆▇█]+/.exec(row)![0].length;
    };
    expect(bars()).toBe(36);
    expect(bars(200)).toBe(36);
    expect(bars(COLUMNS)).toBeLessThan(36);
    expect(bars(COLUMNS)).toBeGreaterThanOrEqual(6);
  });

  it("starts the dashboard values in one column on every screen of a session at a given width", () => {
    // Every chapter, a fork and its scaled fleet: the lag, backlog and fleet size all change.
    const commands = ["next", "next", "next", "what-if scale 12", "status", "next", "next", "next", "status"];
    const row =
      /^( {2}(?:workers up|crash-looping|crashes \/ min|due backlog|lag p99) +[▁▂▃▄▅▆▇█]* *)[^\s▁▂▃▄▅▆▇█]/;
    for (const columns of [40, 47, 52, 58, 62, 66]) {
      const text = transcript(play(newSession({ columns: () => columns }), commands));
      const starts = new Set<number>();
      let rows = 0;
      for (const line of text.split("\n")) {
        const m = row.exec(line);
        if (m === null) continue;
        rows++;
        starts.add(visible(m[1]));
      }
      expect(rows, `dashboard rows at ${columns} columns`).toBeGreaterThanOrEqual(5 * 8);
      expect([...starts], `value columns at ${columns} columns`).toHaveLength(1);
      expect(wideLines(text, columns)).toEqual([]);
    }
  });

  it("keeps a coloured line's indent when it breaks, and fits the progress notes of a fork and a projection", () => {
    const notes: string[] = [];
    const s = newSession({ columns: () => COLUMNS, paint: colour, note: (t) => notes.push(t) });
    const [, , , whatIf] = play(s, ["next", "next", "next", "what-if deploy fixed", "score"]);
    const plain = stripVTControlCharacters(whatIf.text);
    // Dim, as the colour session paints it, and broken: its first line still under the others'.
    expect(plain).toMatch(/^ {2}The scenario's own timeline/m);
    expect(plain).not.toMatch(/^ The scenario's/m);
    expect(notes.join("\n")).toMatch(/^forking: re-running fork-1/);
    expect(notes.join("\n")).toMatch(/^projecting original to/m);
    expect(wideLines(notes.join("\n"), COLUMNS)).toEqual([]);
  });

  it("prints a whole scripted session with COLUMNS=40 of which no line is wider than 40 columns", async () => {
    const script = join(mkdtempSync(join(tmpdir(), "aftershock-narrow-")), "session.txt");
    const commands = [
      ...ON_CALL.filter((c) => c !== "frobnicate"),
      "next",
      "reveal",
      "what-if scale 8",
      "compare",
      "next",
      "next",
      "next",
      "next",
      "score",
      "help",
    ];
    writeFileSync(script, `${commands.join("\n")}\n`);
    const ctx = { ...captureContext(), env: { COLUMNS: String(COLUMNS) } };
    const io = {
      input: Readable.from([""]),
      output: new Writable({ write: (_c, _e, done) => done() }),
      onInterrupt: () => () => {},
    };
    const code = await trainCommand(ctx, SMALL, { script }, io);
    expect(ctx.stderr()).toBe("");
    expect(code).toBe(0);
    const out = ctx.stdout();
    expect(out).toMatch(/^Score: your what-ifs/m);
    // The echoed commands are what was typed: they are all shorter than 40 columns here.
    expect(wideLines(out, COLUMNS)).toEqual([]);
    expect(wideLines(ctx.stderr(), COLUMNS)).toEqual([]);
  });
});

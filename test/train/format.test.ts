// Shows that the session's prose wraps by display columns (CJK and emoji take two) and to the terminal's width.
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import { terminalColumns } from "../../src/cli/terminal.js";
import { visible, wrap } from "../../src/train/format.js";
import { captureContext, MIDNIGHT, newSession, play } from "./helpers.js";

const widest = (text: string) => Math.max(...text.split("\n").map(visible));

describe("wrapping the session's prose", () => {
  it("measures display columns: a CJK character takes two, a colour code none", () => {
    expect(visible("事故")).toBe(4);
    expect(visible("🔥 fire")).toBe(7);
    expect(visible("\u001b[31mlate\u001b[39m")).toBe(4);
    const cjk = wrap(Array(40).fill("事故が発生しました").join(" "), 92, "  ");
    expect(widest(cjk)).toBeLessThanOrEqual(92);
    // Four of these words a line (77 columns), not nine (172 columns) as counting code units gave.
    expect(widest(cjk)).toBe(77);
    // A word wider than the line is cut between characters, never past the width.
    expect(widest(wrap(`see ${"X".repeat(250)} here`, 40, "  "))).toBe(40);
    expect(widest(wrap("事".repeat(50), 41, "  "))).toBeLessThanOrEqual(41);
    // A word cut to the first line's room that lands on a later, deeper line still fits there.
    expect(
      widest(wrap(`in task sched-deleted-a@2026-05-08T09:45:00Z (TypeError)`, 40, "  ", "      ")),
    ).toBeLessThanOrEqual(40);
  });

  it("keeps today's widths when the terminal's is unknown, and narrows to it when known", () => {
    const steps = (columns?: number) =>
      play(newSession(columns === undefined ? {} : { columns: () => columns }, MIDNIGHT), ["next"]);
    const [plain] = steps();
    expect(plain.text).toContain(
      `── Chapter 1 of 3 · 05-08 23:55:10.250 · Just after the deletion ${"─".repeat(27)}`,
    );
    const [narrow] = steps(40);
    // The chapter: its ruled title and its text, up to the blank line after them.
    const chapter = narrow.text.slice(narrow.text.indexOf("── Chapter")).split("\n\n")[0].split("\n");
    expect(chapter.length).toBeGreaterThan(2);
    for (const line of chapter) expect(visible(line), line).toBeLessThanOrEqual(40);
    expect(newSession({ columns: () => 40 }, MIDNIGHT).intro()).toContain(
      "\n  The run starts at 05-08 23:50:00 and\n",
    );
  });

  it("reads the width from COLUMNS, else from the terminal; piped without COLUMNS, none", async () => {
    expect(terminalColumns({ COLUMNS: "40" }, { isTTY: false })).toBe(40);
    expect(terminalColumns({ COLUMNS: "40" }, { isTTY: true, columns: 120 })).toBe(40);
    expect(terminalColumns({}, { isTTY: true, columns: 120 })).toBe(120);
    expect(terminalColumns({ COLUMNS: "wide" }, { isTTY: false, columns: 120 })).toBeUndefined();
    expect(terminalColumns({}, { isTTY: false })).toBeUndefined();
    const ctx = { ...captureContext(), env: { COLUMNS: "40" } };
    const code = await trainCommand(
      ctx,
      MIDNIGHT,
      {},
      {
        input: Readable.from(["quit\n"]),
        output: new Writable({ write: (_c, _e, done) => done() }),
        onInterrupt: () => () => {},
      },
    );
    expect(code).toBe(0);
    expect(ctx.stdout()).toContain("\n  You are the on-call engineer: you see\n");
  });
});

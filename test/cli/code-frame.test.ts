// Shows validate's source excerpt under each issue (the caret under its column, past tabs, CJK characters and emoji), the colour of its level on a terminal, and its summary over a folder.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeFrame } from "../../src/cli/code-frame.js";
import { main } from "../../src/cli/main.js";
import { makePaint } from "../../src/cli/paint.js";
import { visible } from "../../src/train/format.js";
import { captureContext } from "../train/helpers.js";

/** The column (0-based, in terminal columns) of a frame's caret, and of `mark` in its source line. */
function columns(frame: string, mark: string): { caret: number; mark: number } {
  const [source, caret] = frame.split("\n");
  return { caret: caret.indexOf("^"), mark: visible(source.slice(0, source.indexOf(mark))) };
}

describe("the code frame", () => {
  it("puts the caret under the column, whatever comes before it on the line", () => {
    // Columns count UTF-16 code units, as the issues do: the emoji is two, the CJK characters one each.
    for (const line of ["workers: X", "\tworkers: X", "名前: 事故, workers: X", "🔥 note, \t workers: X"]) {
      const text = `name: t\n${line}\n`;
      const frame = codeFrame(text, 2, line.indexOf("X") + 1)!;
      const { caret, mark } = columns(frame, "X");
      expect(caret, line).toBe(mark);
      expect(frame.split("\n")[0], line).toMatch(/^ 2 \| /);
    }
    expect(codeFrame("a\n", 7, 1)).toBeNull();
    // A column inside an emoji (its second UTF-16 unit) puts the caret under the emoji.
    const inside = codeFrame("x: 😀b\n", 1, 5)!;
    expect(columns(inside, "😀").caret).toBe(columns(inside, "😀").mark);
    // A control character is shown escaped, and the caret follows it.
    const escaped = codeFrame("a\u001bb: X\n", 1, 6)!;
    expect(escaped).toContain("\\u001b");
    expect(columns(escaped, "X").caret).toBe(columns(escaped, "X").mark);
  });

  it("shows a line wider than the terminal around the column, the caret still under it", () => {
    for (const before of [10, 60, 150, 200]) {
      const line = `fleet: {${" ".repeat(before)}workers: X, note: ${"b".repeat(100)} }`;
      const frame = codeFrame(`name: t\n${line}\n`, 2, line.indexOf("X") + 1, 80)!;
      for (const l of frame.split("\n")) expect(visible(l), `${before}: ${l}`).toBeLessThanOrEqual(79);
      const { caret, mark } = columns(frame, "X");
      expect(caret, String(before)).toBe(mark);
      expect(frame.split("\n")[0], String(before)).toMatch(
        before > 60 ? /^ 2 \| \.\.\. .*\.\.\.$/ : /\.\.\.$/,
      );
    }
    // A line that fits is shown whole, whatever the width.
    expect(codeFrame("name: t\nworkers: X\n", 2, 10, 80)).toBe(" 2 | workers: X\n   |          ^");
  });

  it("leaves out a byte order mark, and frames nothing in an empty document", () => {
    expect(codeFrame("\uFEFFname: t\n", 1, 2)).toBe(" 1 | name: t\n   | ^");
    expect(codeFrame("", 1, 1)).toBeNull();
    expect(codeFrame("\uFEFF\n\n", 1, 1)).toBeNull();
  });
});

describe("validate", () => {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-frame-"));
  const tiny = readFileSync("test/cli/fixtures/tiny.yaml", "utf8");
  writeFileSync(join(dir, "a-ok.yaml"), tiny);
  writeFileSync(join(dir, "b-bad.yaml"), tiny.replace("workers: 3", 'workers: "x"'));
  writeFileSync(join(dir, "c-warn.yaml"), readFileSync("test/cli/fixtures/late-quarantine.yaml", "utf8"));

  it("ends a folder's check with what its files came to, and frames each issue", async () => {
    const ctx = captureContext();
    expect(await main(["validate", dir], ctx)).toBe(2);
    expect(ctx.stdout().trimEnd().split("\n").at(-1)).toBe("3 files: 1 ok, 1 with errors, 1 with warnings");
    const err = ctx.stderr().split("\n");
    const at = err.findIndex((l) => l.includes("b-bad.yaml:8:19: error: fleet.workers"));
    expect(err[at + 1]).toBe(' 8 | fleet: { workers: "x", partitions: 12, startupTime: 10s }');
    expect(err[at + 2]).toBe(`   | ${" ".repeat(18)}^`);
    expect(err.some((l) => /^ 13 \| {3}- \{ at: "09:40:00", action: quarantine-schedule/.test(l))).toBe(true);
    // One file: no summary.
    const one = captureContext();
    await main(["validate", join(dir, "a-ok.yaml")], one);
    expect(one.stdout().trimEnd().split("\n")).toHaveLength(1);
  });

  it("names the subfolders of a folder that hold scenarios, which it does not search, as gate does", async () => {
    const top = mkdtempSync(join(tmpdir(), "aftershock-sub-"));
    writeFileSync(join(top, "a.yaml"), tiny);
    for (const sub of ["team", "golden", ".hidden", "empty"]) mkdirSync(join(top, sub));
    for (const sub of ["team", "golden", ".hidden"]) writeFileSync(join(top, sub, "b.yaml"), tiny);
    const ctx = captureContext();
    expect(await main(["validate", top], ctx)).toBe(0);
    expect(ctx.stderr()).toBe(
      `aftershock: not validated: ${join(top, "team")} (subfolders are not searched; name it to validate its scenarios)\n`,
    );
    // Named, it is checked, and not warned of.
    const both = captureContext();
    expect(await main(["validate", top, join(top, "team")], both)).toBe(0);
    expect(both.stderr()).toBe("");
  });

  it("colours error: and warning: on a terminal, as it does ok", async () => {
    const paint = makePaint(true);
    const ctx = { ...captureContext(), paint, paintErr: paint };
    await main(["validate", dir], ctx);
    expect(ctx.stderr()).toContain(`: ${paint.red("error")}: fleet.workers`);
    expect(ctx.stderr()).toContain(`: ${paint.yellow("warning")}: timeline[1].schedule`);
  });
});

// Shows the human output of run, compare, explore and list fits a terminal's width (piped, it keeps its own), the lanes' time axis sits over their cells, and no line of run, compare or why ends in a blank.
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { fitOutput } from "../../src/cli/fit-output.js";
import { main } from "../../src/cli/main.js";
import { makePaint } from "../../src/cli/paint.js";
import { plainPaint } from "../../src/report/paint.js";
import { laneWidthFor, renderLanes } from "../../src/report/terminal.js";
import { visible } from "../../src/train/format.js";
import { capturingContext } from "../explore/cli-helpers.js";
import { once } from "./once.js";
import { laidOutAsPlain, tooWide } from "./painted-output.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** `aftershock <argv>` with stdout a terminal `columns` wide (undefined: piped). */
async function cli(argv: readonly string[], columns?: number): Promise<{ code: number; out: string }> {
  const { ctx, captured } = capturingContext();
  return captured(await main([...argv], { ...ctx, outColumns: () => columns }));
}

/** `cli(argv, columns)`, run once for the tests that ask for it: its text is the same each time. */
const shared = once(cli);

describe("human output on a terminal", () => {
  it("fits run's and compare's text to a narrow terminal, lanes shrunk and the table stacked", async () => {
    for (const argv of [
      ["run", TINY],
      ["compare", TINY],
    ]) {
      const narrow = await shared(argv, 40);
      expect(tooWide(narrow.out, 40), argv[0]).toEqual([]);
      // Every lane still there, in fewer cells (a row is 40 columns at most, not 77).
      expect(narrow.out.match(/^ {2}w\d +[█▒░▓× ]+/gm)?.length, argv[0]).toBeGreaterThanOrEqual(3);
      const piped = await shared(argv);
      expect(tooWide(piped.out, 40).length, argv[0]).toBeGreaterThan(0);
      // A terminal wider than every line changes nothing: 60 cells a lane, the table's columns.
      const wide = await shared(argv, 1000);
      expect(wide.out.replace(/^Reproduce.*$/m, ""), argv[0]).toBe(piped.out.replace(/^Reproduce.*$/m, ""));
    }
    // why's chain and its legend, wrapped under their indent.
    const why = (await shared(["why", TINY, "w1"], 60)).out;
    expect(tooWide(why, 60)).toEqual([]);
    expect(why).toMatch(/\n {2}→ caused by the step before/);
    const narrow = await shared(["compare", TINY], 40);
    expect(narrow.out).toMatch(/\n {2}panic deaths\n {4}buggy +\d+\n {4}fixed +0\n/);
  });

  it("makes room for a lane's crash count of three figures", () => {
    const lanes = [{ worker: "w1", segments: [], marks: [], truncated: 0, crashes: 128 }];
    for (const columns of [40, 60, 70]) {
      const text = renderLanes(lanes, 0, 3_600_000, plainPaint, laneWidthFor(columns, lanes), columns);
      expect(text, String(columns)).toContain("128 crashes");
      expect(tooWide(text, columns), String(columns)).toEqual([]);
    }
  });

  it("cuts list's descriptions, never a scenario's name, however narrow the terminal", async () => {
    const names = [
      "qstash-2026-05-08-k8s-large",
      "qstash-2026-05-08",
      "quiet-day",
      "single-worker-crash-loop",
    ];
    for (const columns of [20, 30, 35]) {
      const lines = (await shared(["list"], columns)).out.trimEnd().split("\n");
      // Each name whole: alone where it leaves no room, else with what of its description fits.
      expect(
        lines.map((l) => l.split("  ")[0]),
        String(columns),
      ).toEqual(names);
      for (const l of lines) expect(names.includes(l) || visible(l) <= columns, l).toBe(true);
      // A description shown is some words of it, never a letter or two before its cut.
      for (const l of lines.filter((x) => !names.includes(x)))
        expect(visible(l.slice(l.indexOf("  ") + 2)), l).toBeGreaterThanOrEqual(9);
    }
  });

  it("cuts list's descriptions to the terminal with …, and keeps them whole when piped", async () => {
    const narrow = await shared(["list"], 50);
    for (const l of narrow.out.trimEnd().split("\n")) expect(visible(l)).toBeLessThanOrEqual(50);
    expect(narrow.out).toContain("…");
    const piped = await shared(["list"]);
    expect(piped.out).not.toMatch(/\.\.\.|…/);
    expect(piped.out).toContain("The fix (both corrections) is rolled out from 10:06.");
  });
});

describe("human output on a colour terminal", () => {
  // At 60 columns, which wraps their headers; at 80 in terminal-width.long.test.ts.
  it("is laid out as the plain text is: leads kept, command lines whole, headers fitted", async () => {
    await laidOutAsPlain(60);
  });
});

describe("the lanes' time axis", () => {
  it("starts over the first cell and ends over the last, in run and in compare", async () => {
    const text = renderLanes(
      [],
      Date.parse("2026-05-08T09:30:00Z"),
      Date.parse("2026-05-08T10:20:00Z"),
      plainPaint,
      30,
    );
    expect(text.split("\n").slice(0, 2)).toEqual(["Workers", `       09:30${" ".repeat(20)}10:20`]);
    for (const argv of [
      ["run", TINY],
      ["compare", TINY],
    ]) {
      const lines = (await shared(argv)).out.split("\n");
      const axes = lines.flatMap((l, i) => (/^ +\d\d:\d\d +\d\d:\d\d$/.test(l) ? [i] : []));
      expect(axes.length, argv[0]).toBe(argv[0] === "run" ? 1 : 2);
      for (const i of axes) {
        const lane = lines[i + 1];
        expect(lane, argv[0]).toMatch(/^ {2}w1 +\S/);
        expect(lines[i].search(/\d/)).toBe(lane.search(/[█▒░▓×]/));
        expect(lines[i].length).toBe(7 + 60);
      }
    }
  });
});

describe("trailing blanks", () => {
  it("ends no line of run, compare or why in a space", async () => {
    for (const argv of [
      ["run", TINY],
      ["compare", TINY],
      ["run", TINY, "--variant", "fixed"],
      ["why", TINY, "w1"],
    ]) {
      const r = await shared(argv);
      expect(r.out.length, argv.join(" ")).toBeGreaterThan(0);
      const ending = r.out.split("\n").filter((l) => / $/.test(l));
      expect(ending, argv.join(" ")).toEqual([]);
    }
  });
});

describe("fitting a line of prose", () => {
  it("keeps a time or label as it is and wraps the text under itself, or under the label when it is wide", () => {
    expect(fitOutput("  09:42:30  account acct-deleted deleted (1 schedule left)", 30)).toBe(
      "  09:42:30  account\n            acct-deleted\n            deleted (1\n            schedule left)",
    );
    const dim = makePaint(true).dim;
    const verdict = `  ✓ deliveries-on-time-after-quiet ${dim(" (not exercised) no due after the quiet point")}`;
    const fitted = fitOutput(verdict, 40);
    expect(stripVTControlCharacters(fitted)).toBe(
      "  ✓ deliveries-on-time-after-quiet\n      (not exercised) no due after the\n      quiet point",
    );
    // The note's colour goes on with it.
    expect(fitted.split("\n")[1].startsWith(`      ${dim("(not").split("(")[0]}(not`)).toBe(true);
    // A time painted after the indent, a mark painted red, a label of a few words: kept as leads.
    const red = makePaint(true).red;
    expect(
      stripVTControlCharacters(fitOutput(`  ${dim("09:42:30")}  account acct-deleted deleted`, 30)),
    ).toBe("  09:42:30  account\n            acct-deleted\n            deleted");
    expect(
      stripVTControlCharacters(
        fitOutput(`  ${red("✗")} no-cascade    schedule sched-a killed 8 workers`, 40),
      ),
    ).toBe("  ✗ no-cascade    schedule sched-a\n                  killed 8 workers");
    const metric = fitOutput(
      "  panic deaths / crashes  59 / 59 in the buggy run, 0 / 0 in the fixed run",
      60,
    ).split("\n");
    expect(metric[0]).toMatch(/^ {2}panic deaths \/ crashes {2}59 \/ 59 in/);
    expect(metric[1]).toMatch(/^ {26}\S/);
    // A command to copy stays whole, painted bold after its label; a header that starts with the
    // name and a command word is prose.
    const bold = makePaint(true).bold(
      "aftershock run /tmp/a/very/long/path/to/generated-buggy-seed1-run3.yaml",
    );
    expect(fitOutput(`    replay:    ${bold}`, 40)).toBe(`    replay:    ${bold}`);
    expect(fitOutput("aftershock explore · tiny.yaml, variant buggy, seed 5, 2 runs", 40)).toContain("\n");
    const replay = "    replay:    aftershock run /tmp/a/very/long/path/to/generated-buggy-seed1-run3.yaml";
    expect(fitOutput(replay, 40)).toBe(replay);
    expect(fitOutput("aftershock · tiny-may8 · seed 5 · variant buggy (v2, no fixes)", 40)).toContain("\n");
    // A list item's later lines go under its text.
    expect(fitOutput("    - Fleet of 8 worker processes, each ready 20 s after start", 30)).toBe(
      "    - Fleet of 8 worker\n      processes, each ready 20\n      s after start",
    );
  });
});

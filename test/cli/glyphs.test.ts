// Shows human output falls back to ASCII glyphs where the locale is not UTF-8 (or on the Linux console), keeps its columns, and leaves --json as it is.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProgressLog } from "../../src/cli/commands/explore.js";
import { ASCII_STAND_INS, asciiGlyphs, asciiText, asciiWanted, unicodeWanted } from "../../src/cli/glyphs.js";
import { main } from "../../src/cli/main.js";
import { bindStandardStreams, takeStdout } from "../../src/cli/standard-streams.js";
import { CLEAR_LINE, drawStatus } from "../../src/cli/status-line.js";
import { capturingContext } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** `aftershock <argv>`, its stdout and stderr, with ASCII glyphs or not. */
async function cli(argv: readonly string[], ascii: boolean): Promise<{ out: string; err: string }> {
  const { ctx, captured } = capturingContext();
  return captured(await main([...argv], { ...ctx, ascii, asciiErr: ascii }));
}

const NOT_ASCII = /[\u0080-\uffff]/;

describe("the locale's glyphs", () => {
  it("are ASCII where the effective locale is set and not UTF-8, or on the Linux console", () => {
    expect(unicodeWanted({})).toBe(true);
    expect(unicodeWanted({ LANG: "en_US.UTF-8" })).toBe(true);
    expect(unicodeWanted({ LANG: "C.utf8" })).toBe(true);
    expect(unicodeWanted({ LC_ALL: "C" })).toBe(false);
    expect(unicodeWanted({ LC_ALL: "POSIX", LANG: "en_US.UTF-8" })).toBe(false);
    // LC_ALL wins over LC_CTYPE, LC_CTYPE over LANG; an empty one is as if unset.
    expect(unicodeWanted({ LC_ALL: "en_US.UTF-8", LC_CTYPE: "C" })).toBe(true);
    expect(unicodeWanted({ LC_CTYPE: "C", LANG: "en_US.UTF-8" })).toBe(false);
    expect(unicodeWanted({ LC_ALL: "", LANG: "de_DE.ISO-8859-1" })).toBe(false);
    expect(unicodeWanted({ LANG: "en_US.UTF-8", TERM: "linux" })).toBe(false);
  });

  it("are ASCII on a terminal only: piped text is the same whatever the locale", () => {
    expect(asciiWanted({ isTTY: true }, { LC_ALL: "C" })).toBe(true);
    expect(asciiWanted({ isTTY: false }, { LC_ALL: "C" })).toBe(false);
    expect(asciiWanted({}, { TERM: "linux" })).toBe(false);
    expect(asciiWanted({ isTTY: true }, { LANG: "en_US.UTF-8" })).toBe(false);
    // Once an output file takes stdout (`--trace -`), the command's text goes to stderr, in its glyphs.
    const { ctx } = capturingContext();
    const bound = bindStandardStreams({ ...ctx, ascii: false, asciiErr: true });
    expect(bound.ascii).toBe(false);
    takeStdout("-");
    expect(bound.ascii).toBe(true);
  });

  it("leave the user's own characters as they are: a command to paste, a file's place", () => {
    const bold = (s: string) => `\u001b[1m${s}\u001b[22m`;
    expect(asciiText(`    replay:    ${bold("aftershock run 'dir—x/repro·1.yaml'")} · again`)).toBe(
      `    replay:    ${bold("aftershock run 'dir—x/repro·1.yaml'")} · again`,
    );
    expect(asciiText("  ✗ golden · run aftershock gate 'café·1.yaml' --update-golden to pin it")).toBe(
      "  x golden - run aftershock gate 'café·1.yaml' --update-golden to pin it",
    );
    expect(asciiText("dir—x/café·1.yaml:28:1: error: a → b\n 28 | x: …")).toBe(
      "dir—x/café·1.yaml:28:1: error: a -> b\n 28 | x: ...",
    );
    // A header is the program's own words.
    expect(asciiText("aftershock explore · a.yaml")).toBe("aftershock explore - a.yaml");
  });

  it("stand in one column for one where a glyph fills a slot, so lanes and marks keep their columns", () => {
    for (const glyph of ["█", "▓", "▒", "░", "×", "✓", "✗", "○", "─", "▁", "▇"])
      expect(ASCII_STAND_INS[glyph], glyph).toHaveLength(1);
    expect(asciiGlyphs("  w1   ██▒░×░█ 1 crash")).toBe("  w1   ##+.x.# 1 crash");
    expect(asciiGlyphs("09:30 → 10:20 · seed 5 …")).toBe("09:30 -> 10:20 - seed 5 ...");
  });

  it("turn every human line of run, compare, why, list, gate and help to ASCII, lined up as in Unicode", async () => {
    for (const argv of [
      ["run", TINY],
      ["compare", TINY],
      ["why", TINY, "w1"],
      ["list"],
      ["gate", TINY],
      ["--help"],
    ]) {
      const ascii = await cli(argv, true);
      const unicode = await cli(argv, false);
      const lines = ascii.out.split("\n");
      expect(
        lines.filter((l) => NOT_ASCII.test(l)),
        argv[0],
      ).toEqual([]);
      expect(
        ascii.err.split("\n").filter((l) => NOT_ASCII.test(l)),
        argv[0],
      ).toEqual([]);
      if (argv[0] !== "list") expect(unicode.out, argv[0]).toMatch(NOT_ASCII);
      // The lanes and the table keep their columns: the lines that had only one-column glyphs
      // are as wide as they were (a line with `…`, `→` or `—` in its prose may be wider).
      const wide = /[…→—–−±≥≤]/;
      const unicodeLines = unicode.out.split("\n");
      if (argv[0] !== "gate" && argv[0] !== "--help")
        unicodeLines.forEach((l, i) => {
          if (!wide.test(l)) expect([...lines[i]].length, `${argv[0]}: ${l}`).toBe([...l].length);
        });
    }
  });

  it("turn errors, explore's progress log and train's poison mark to ASCII, what a message is about kept", async () => {
    expect((await cli(["run", TINY, "--seed", "x"], true)).err).toBe(
      'aftershock: --seed: expected a whole number >= 0, found "x"\n',
    );
    const missing = (await cli(["run", "dir—x/nope·1.yaml"], true)).err;
    expect(missing).toMatch(/^aftershock: dir—x\/nope·1\.yaml: no such file/);
    expect(missing.slice("aftershock: dir—x/nope·1.yaml:".length)).not.toMatch(NOT_ASCII);
    const { ctx, captured } = capturingContext();
    const log = new ProgressLog({ ...ctx, asciiErr: true });
    log.progress({ done: 1, planned: 4, failures: 1, failed: { run: 0, seed: 5, kinds: ["no-cascade"] } });
    expect(captured(0).err).toBe(
      "aftershock explore: run 0 (seed 5) failed no-cascade - 1 of 4 runs done, 1 failed\n",
    );
    expect(asciiText("  w3  11☠ 12")).toBe("  w3  11! 12");
  });

  it("leaves --json as it is", async () => {
    for (const argv of [
      ["run", TINY, "--json"],
      ["compare", TINY, "--json"],
      ["why", TINY, "w1", "--json"],
    ]) {
      const ascii = await cli(argv, true);
      const unicode = await cli(argv, false);
      expect(ascii.out, argv[0]).toBe(unicode.out);
    }
  });
});

describe("a line cut to fit, in ASCII", () => {
  it("ends in ... and still fits: list's descriptions and a status line", async () => {
    const { ctx, captured } = capturingContext();
    await main(["list"], { ...ctx, ascii: true, outColumns: () => 50 });
    for (const line of captured(0).out.trimEnd().split("\n")) {
      expect(line).toMatch(/\.\.\.$/);
      expect(line.length).toBeLessThanOrEqual(50);
    }
    const said: string[] = [];
    const status = { err: (t: string) => void said.push(t), errColumns: () => 30, asciiErr: true };
    drawStatus(status, "run: simulated to 09:52:10 (20% of 09:40 → 10:40) · 1.2 M events · 6 s");
    const line = said.join("").replace(CLEAR_LINE, "");
    expect(line).not.toMatch(NOT_ASCII);
    expect(line.length).toBeLessThan(30);
  });
});

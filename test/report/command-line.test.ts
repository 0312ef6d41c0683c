// Shows a printed command reads back in a POSIX shell as exactly the words it was built from, and a plain command reads as it always has.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commandLine, shellWord } from "../../src/report/command-line.js";
import { shellArguments } from "./shell-arguments.js";

describe("commandLine", () => {
  it("leaves plain words bare", () => {
    expect(
      commandLine(["aftershock", "run", "scenarios/team/x-1.yaml", "--seed", 20260508, "--fix", "a,b"]),
    ).toBe("aftershock run scenarios/team/x-1.yaml --seed 20260508 --fix a,b");
    expect(commandLine(["aftershock", "run", "/p/a_b@c%d+e=f:g.yaml"])).toBe(
      "aftershock run /p/a_b@c%d+e=f:g.yaml",
    );
  });

  it("single-quotes a word a shell would split or expand, a quote inside as '\\''", () => {
    expect(shellWord("my scenarios/it's.yaml")).toBe(`'my scenarios/it'\\''s.yaml'`);
    expect(shellWord("$HOME.yaml")).toBe(`'$HOME.yaml'`);
    expect(shellWord("")).toBe("''");
    for (const c of [" ", "'", '"', "$", "&", ";", "*", "?", "`", "\\", "|", "<", ">", "(", "#", "~", "!"])
      expect(shellWord(`a${c}b`), JSON.stringify(c)).toBe(`'a${c === "'" ? "'\\''" : c}b'`);
  });

  it("writes a word with a control character as $'…', so the command stays on one line", () => {
    expect(shellWord("new\nline")).toBe("$'new\\nline'");
    expect(shellWord("a\tb's\\c\u0001d")).toBe("$'a\\tb\\'s\\\\c\\x01d'");
    const words = ["out/new\nline/x.yaml", "tab\there", "cr\r", "bell\u0007", "it's\n\\"];
    const line = commandLine(["aftershock", "run", ...words]);
    expect([...line].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
    expect(shellArguments([line])).toEqual([["run", ...words]]);
  });

  it("writes a placeholder as it is", () => {
    expect(commandLine(["aftershock", "run", { placeholder: "<file of the scenario x>" }, "--seed", 1])).toBe(
      "aftershock run <file of the scenario x> --seed 1",
    );
  });

  it("reads back in bash as the words it was built from", () => {
    const words = [
      ["my dir/s c.yaml", "--scheduler", "it's/bug 1.mjs"],
      [`a"b`, "$x", "a&b;c", "*.yaml", "`id`", "\\", "''", "", "-", "~/x", "#c", "a\nb", "é ü"],
    ];
    expect(shellArguments(words.map((w) => commandLine(["aftershock", ...w])))).toEqual(words);
  });

  it("reads back in bash as the words, whatever they hold", () => {
    const word = fc.string({ unit: fc.constantFrom(..."ab/. '\"$&;*?`\\|<>(){}[]#~!\t\n=%+,:@-_é") });
    const samples = fc.sample(fc.array(word, { maxLength: 6 }), { numRuns: 200, seed: 7 });
    expect(shellArguments(samples.map((w) => commandLine(["aftershock", ...w])))).toEqual(samples);
  });
});

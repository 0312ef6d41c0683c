// Shows what aftershock says of a failure of its own: the command line that met it, as a shell reads it back, then the error's stack.
import { describe, expect, it } from "vitest";
import { commandLineOf, internalErrorText } from "../../src/cli/errors.js";
import { commandLine } from "../../src/report/command-line.js";

describe("an internal error", () => {
  it("gives the command line to report it with, quoted where a shell would split it", () => {
    const text = internalErrorText(
      ["run", "my scenario.yaml", "--seed", "7", "--variant", "it's"],
      "Error: broken\n    at x (file.js:1:1)",
    );
    expect(text).toBe(
      "aftershock: internal error; please report it with the command line that met it, and the scenario it ran:\n" +
        "  aftershock run 'my scenario.yaml' --seed 7 --variant 'it'\\''s'\n" +
        "Error: broken\n    at x (file.js:1:1)\n",
    );
  });

  it("keeps the command on one line when a word holds a line break, as every printed command does", () => {
    const text = internalErrorText(["run", "runs\nmay 8/s.yaml"], "Error: broken");
    expect(text.split("\n")[1]).toBe("  aftershock run $'runs\\nmay 8/s.yaml'");
  });

  it("quotes every word as the commands the reports print do (the CLI keeps its own copy)", () => {
    const words = [
      "run",
      "plain.yaml",
      "my file",
      "it's",
      "a\nb",
      "tab\there",
      "bell\u0007",
      "back\\slash",
      "$HOME",
      "ünï",
    ];
    for (const word of words)
      expect(commandLineOf([word]), JSON.stringify(word)).toBe(commandLine(["aftershock", word]));
  });
});

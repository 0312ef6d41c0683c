// Shows what aftershock says of a failure of its own: the command line that met it, as a shell reads it back, then the error's stack.
import { describe, expect, it } from "vitest";
import { internalErrorText } from "../../src/cli/errors.js";

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
});

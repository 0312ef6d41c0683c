// Shows what aftershock says of a failure of its own: the command line that met it, as a shell reads it back, then the error's stack.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandLineOf, internalErrorText } from "../../src/cli/errors.js";
import { commandLine } from "../../src/report/command-line.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");

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

describe("an error nothing caught, in a run that loads no scheduler module", () => {
  // Thrown from a timer or a promise nothing awaits: it can only be aftershock's own, and is said
  // as such (exit 4), never as Node's stack trace and exit 1, which reads as a failed property.
  it.each([
    ["a timer's exception", "throw new Error('boom from a timer');", "boom from a timer"],
    ["a rejection nothing handles", "Promise.reject(new Error('rejected'));", "rejected"],
  ])("%s is an internal error, exit 4", (_name, code, said) => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-internal-"));
    const preload = join(dir, "throws.cjs");
    // Thrown from a timer once the CLI watches for it: a timer set for a fixed time could fire
    // before that on a busy machine, and test Node's own handling instead.
    const once = `const watching = setInterval(() => { if (process.listenerCount("uncaughtException") === 0) return; clearInterval(watching); setTimeout(() => { ${code} }, 0); }, 5);\nwatching.unref();`;
    writeFileSync(preload, `${once}\n`);
    const scenario = join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml");
    const r = spawnSync(process.execPath, ["--require", preload, BIN, "run", scenario], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(r.stderr).toContain("aftershock: internal error; please report it");
    expect(r.stderr).toContain(said);
    expect(r.status).toBe(4);
  });
});

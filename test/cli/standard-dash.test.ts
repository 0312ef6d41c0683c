// Shows `-` standing for stdout as an output file and for stdin as report's input, as command-line tools read it: a report written to stdout, saved output piped in, a trace on stdout; a file named `-` is never made, and an output with no way to tell its format says so plainly. Report's - piped in is read here as it writes to stdout; standard-dash.long.test.ts has it written to a file.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inputFile } from "../../src/cli/commands/report.js";
import { outputTarget } from "../../src/cli/io.js";
import { parseCLI } from "../../src/cli/program.js";
import { STDIN_NAME } from "../../src/cli/saved-input.js";
import { MARKDOWN_SIGNATURE } from "../../src/report/markdown.js";
import { cli as inProcess } from "../gate/helpers.js";
import { BIN, dashFolder, TINY } from "./dash-folder.js";
import { once } from "./once.js";

const { at, cli, dir, saved } = dashFolder();

/**
 * `cli(args, input)`, run once for the tests that ask for it: a command whose only output is
 * stdout prints the same each time (same scenario, seed, variant and input).
 */
const shared = once(cli);

describe("a file called <stdin>", () => {
  it("is read as that file, not as stdin", () => {
    writeFileSync(at("<stdin>"), saved());
    const r = cli(["report", "<stdin>", "-o", "from-file.md"], '{"bogus": 1}');
    expect(r.err).toContain("wrote from-file.md");
    expect(r.code).toBe(0);
    expect(readFileSync(at("from-file.md"), "utf8")).toMatch(MARKDOWN_SIGNATURE);
  });
});

describe("- as an output file", () => {
  it("writes report -o - to stdout, and no file named -", () => {
    const r = shared(["report", "-", "-o", "-", "--format", "markdown"], saved());
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(MARKDOWN_SIGNATURE);
    expect(r.out).toContain("tiny-may8");
    expect(existsSync(at("-"))).toBe(false);
  });

  it("asks for --format when stdout is the output, naming no extension it does not have", () => {
    const r = cli(["report", "-", "-o", "-"], saved());
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "aftershock: -o: stdout has no extension to tell the format by; add --format html|markdown|perfetto",
    );
  });

  it("writes run --trace - to stdout, and the run's own text to stderr", () => {
    const r = shared(["run", TINY, "--variant", "fixed", "--quiet", "--trace", "-"], "");
    expect(r.code, r.err).toBe(0);
    const first = JSON.parse(r.out.split("\n")[0]) as { type: string };
    expect(first.type).toBe("run.started");
    expect(r.err).toContain("tiny-may8");
    expect(existsSync(at("-"))).toBe(false);
  });

  it("reads - as stdout for every output file option", () => {
    const outputs: [string[], string][] = [
      [["run", "s.yaml", "--trace", "-"], "trace"],
      [["run", "s.yaml", "--html", "-"], "html"],
      [["compare", "s.yaml", "--perfetto", "-"], "perfetto"],
      [["compare", "s.yaml", "--markdown", "-"], "markdown"],
      [["report", "r.json", "-o", "-"], "output"],
      [["gate", "--junit", "-"], "junit"],
      [["gate", "--markdown", "-"], "markdown"],
      [["train", "s.yaml", "--save", "-"], "save"],
    ];
    for (const [argv, key] of outputs) {
      const outcome = parseCLI(argv, { out: () => {}, err: () => {} });
      const path = outcome.kind === "command" ? outcome.parsed.options[key] : undefined;
      expect(typeof path === "string" && outputTarget(path), argv.join(" ")).toEqual({
        kind: "stream",
        standard: 1,
        descriptor: 1,
      });
    }
  });
});

describe("messages about - as an output", () => {
  // Each: the arguments, whether saved output is piped in, and the line said on stderr.
  // Refused by its arguments, before anything is written: main's words, asked in this process.
  it("name it as typed, -, or as stdout, never /dev/stdout: a second output on stdout beside --json", async () => {
    const r = await inProcess(["run", TINY, "--json", "--trace", "-"]);
    expect(r.err).toContain(
      "aftershock: --trace -: the same stream as --json (stdout); give each output its own file\n",
    );
    expect(r.err).not.toContain("/dev/stdout");
  });

  const cases: [string[], boolean, string | RegExp][] = [
    [
      ["run", TINY, "--variant", "fixed", "--quiet", "--trace", "-"],
      false,
      /^aftershock: wrote stdout \(trace, \d+ events, \d+ kB\)$/m,
    ],
    [
      ["report", "-", "-o", "-", "--format", "markdown"],
      true,
      "aftershock: wrote stdout (Markdown summary of the run report <stdin>)\n",
    ],
  ];
  it.each(cases)("name it as typed, -, or as stdout, never /dev/stdout: %j", (argv, piped, line) => {
    const r = shared(argv, piped ? saved() : "");
    if (typeof line === "string") expect(r.err).toContain(line);
    else expect(r.err).toMatch(line);
    expect(r.err).not.toContain("/dev/stdout");
  });
});

/**
 * The built CLI run with `input` on its stdin and its stdout piped into a reader that reads
 * nothing and goes away (`| head -c 0`): its exit code, as text, and what it said on stderr.
 */
function readerGone(args: string[], input = ""): { code: string; err: string } {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const script = `${quoted} 2>err.txt | head -c 0; echo "\${PIPESTATUS[0]}"`;
  const r = spawnSync("bash", ["-c", script], {
    cwd: dir(),
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.stdout.trim(), err: readFileSync(at("err.txt"), "utf8") };
}

describe("- as an output whose reader goes away", () => {
  it("is cut short quietly, with the command's own exit code, and never said to be written", () => {
    // The reader reads nothing and goes away: most of the trace is never taken.
    const { code, err } = readerGone(["run", TINY, "--variant", "fixed", "--quiet", "--trace", "-"]);
    expect(code).toBe("0");
    expect(err).toContain("tiny-may8");
    expect(err).not.toContain("wrote");
  });
});

describe("train --save -", () => {
  it("writes the session to stdout when it ends, and no file named -", () => {
    const r = cli(["train", TINY, "--save", "-"], "quit\n");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toHaveProperty("commands");
    expect(r.err).toContain("Saved the session to stdout:");
    expect(existsSync(at("-"))).toBe(false);
  });

  it("says the session saved only once stdout took it, and nothing when its reader went away", () => {
    // The reader reads nothing and goes away before the session ends: the session is never taken.
    const { code, err } = readerGone(["train", TINY, "--save", "-"], "quit\n");
    expect(code).toBe("0");
    expect(err).toContain("Type `next` to begin");
    expect(err).not.toContain("Saved the session");
  });
});

describe("- typed in a training session", () => {
  it("saves to a file called -, as it always has: only an output option's - is stdout", () => {
    const r = cli(["train", TINY], "save -\nquit\n");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("Saved the session to -:");
    expect(JSON.parse(readFileSync(at("-"), "utf8"))).toHaveProperty("commands");
    rmSync(at("-"));
  });
});

describe("- as report's input", () => {
  it("refuses - when stdin is a terminal, where it would wait for typing", () => {
    expect(() => inputFile("-", true)).toThrow(/report -: stdin is a terminal; pipe saved output in/);
    expect(inputFile("-", false)).toBe(STDIN_NAME);
    expect(inputFile("run.json", true)).toBe("run.json");
  });
});

// What report says of a file output's format is main's, asked in this process (no stream is the
// subject): the files are named by their paths in the temporary folder.
describe("an output whose format cannot be told", () => {
  it("says the file has no extension, or which one it has", async () => {
    writeSaved();
    const none = await inProcess(["report", at("run.json"), "-o", at("summary")]);
    expect(none.code).toBe(2);
    expect(none.err).toContain(
      `aftershock: -o ${at("summary")}: no extension to tell the format by; name it .html, .md or .json, or add --format html|markdown|perfetto`,
    );
    const other = await inProcess(["report", at("run.json"), "-o", at("summary.txt")]);
    expect(other.err).toContain(
      `aftershock: -o ${at("summary.txt")}: cannot tell the format from the extension ".txt"; name it .html, .md or .json, or add --format html|markdown|perfetto`,
    );
  });
});

describe("an output whose extension and --format disagree", () => {
  it("refuses --format naming another format than the extension, and takes it where the extension names none", async () => {
    writeSaved();
    const contradicted = await inProcess([
      "report",
      at("run.json"),
      "-o",
      at("a.html"),
      "--format",
      "markdown",
    ]);
    expect(contradicted.code).toBe(2);
    expect(contradicted.err).toBe(
      `aftershock: -o ${at("a.html")}: --format markdown contradicts the extension ".html" (html); name the file .md or leave --format out\n`,
    );
    expect(existsSync(at("a.html"))).toBe(false);
    const agreed = await inProcess(["report", at("run.json"), "-o", at("b.HTM"), "--format", "html"]);
    expect(agreed.code, agreed.err).toBe(0);
    const unnamed = await inProcess(["report", at("run.json"), "-o", at("c.txt"), "--format", "markdown"]);
    expect(unnamed.code, unnamed.err).toBe(0);
    expect(readFileSync(at("c.txt"), "utf8")).toMatch(MARKDOWN_SIGNATURE);
  });
});

function writeSaved(): void {
  spawnSync("bash", ["-c", `cat > '${at("run.json")}'`], { input: saved() });
}

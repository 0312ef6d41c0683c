// Shows the CLI's parsed-argument layer: commands, options, help and usage errors, without running anything.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { EXIT } from "../../src/cli/errors.js";
import { parseCLI } from "../../src/cli/program.js";

function parse(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const outcome = parseCLI(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { outcome, out: out.join(""), err: err.join("") };
}

describe("parseCLI", () => {
  it("refuses an output file option given twice, whose first file would silently not be written", () => {
    for (const [argv, message] of [
      [
        ["run", "s.yaml", "--trace", "a.jsonl", "--trace", "b.jsonl"],
        "--trace is given twice (a.jsonl, then b.jsonl)",
      ],
      [["report", "r.json", "-o", "a.md", "--output=b.md"], "--output is given twice (a.md, then b.md)"],
    ] as const) {
      const { outcome, err } = parse([...argv]);
      expect(outcome, argv.join(" ")).toEqual({ kind: "exit", code: 2 });
      expect(err).toBe(`aftershock: ${message}: it writes one file; give it once\n`);
    }
    // Other options keep the last value, as command lines do (a script's value overridden).
    const last = parse(["run", "s.yaml", "--seed", "1", "--seed", "5"]);
    expect(last.outcome.kind === "command" && last.outcome.parsed.options.seed).toBe("5");
  });

  it("refuses an output file that is one of the command's options, as an empty variable before it gives", () => {
    // `--markdown $GITHUB_STEP_SUMMARY` where the variable is not set (GitLab) reads as
    // `--markdown --junit gate.xml`: a file named `--junit`, and gate.xml taken for a scenario.
    for (const [argv, message] of [
      [
        ["gate", "s/", "--markdown", "--junit", "gate.xml"],
        "--markdown: expected a file, found the option --junit",
      ],
      [["gate", "s/", "--junit", "--json"], "--junit: expected a file, found the option --json"],
      [["run", "s.yaml", "--trace", "--quiet"], "--trace: expected a file, found the option --quiet"],
      [["report", "r.json", "-o", "-h"], "--output: expected a file, found the option -h"],
    ] as const) {
      const { outcome, err } = parse([...argv]);
      expect(outcome, argv.join(" ")).toEqual({ kind: "exit", code: 2 });
      expect(err, argv.join(" ")).toContain(`aftershock: ${message}`);
    }
    // A file of such a name is still written when its path says it is one.
    const file = parse(["gate", "s/", "--junit", "./--json"]);
    expect(file.outcome.kind === "command" && file.outcome.parsed.options.junit).toBe("./--json");
  });

  it("refuses --scheduler given twice, whose first module would silently not run", () => {
    for (const command of ["run", "compare", "why", "gate", "train"]) {
      const rest = command === "why" ? ["s.yaml", "w1"] : ["s.yaml"];
      const { outcome, err } = parse([command, ...rest, "--scheduler", "a.mjs", "--scheduler", "b.mjs"]);
      expect(outcome, command).toEqual({ kind: "exit", code: 2 });
      expect(err).toBe(
        "aftershock: --scheduler is given twice (a.mjs, then b.mjs): it runs one scheduler in v2's place; give it once\n",
      );
    }
    const explore = parse(["explore", "--generated", "--scheduler", "a.mjs", "--scheduler", "b.mjs"]);
    expect(explore.outcome).toEqual({ kind: "exit", code: 2 });
    // Once is taken.
    expect(parse(["compare", "s.yaml", "--scheduler", "a.mjs"]).outcome.kind).toBe("command");
  });

  it("parses run with its options", () => {
    const { outcome } = parse([
      "run",
      "s.yaml",
      "--variant",
      "fixed",
      "--seed",
      "7",
      "--json",
      "--trace",
      "t.jsonl",
    ]);
    expect(outcome.kind).toBe("command");
    if (outcome.kind !== "command") return;
    expect(outcome.parsed.command).toBe("run");
    expect(outcome.parsed.args).toEqual(["s.yaml"]);
    expect(outcome.parsed.options).toMatchObject({
      variant: "fixed",
      seed: "7",
      json: true,
      trace: "t.jsonl",
    });
  });

  it("gives compare its default variants", () => {
    const { outcome } = parse(["compare", "s.yaml"]);
    expect(outcome.kind === "command" && outcome.parsed.options.variants).toBe("buggy,fixed");
  });

  it("gives compare --scheduler the fixed variant to compare against, unless --variants is given", () => {
    const mine = parse(["compare", "s.yaml", "--scheduler", "./mine.mjs", "--fix", "early-return"]).outcome;
    expect(mine.kind === "command" && mine.parsed.options).toMatchObject({
      scheduler: "./mine.mjs",
      fix: "early-return",
      variants: "fixed",
    });
    const both = parse([
      "compare",
      "s.yaml",
      "--scheduler",
      "./mine.mjs",
      "--variants",
      "buggy,fixed",
    ]).outcome;
    expect(both.kind === "command" && both.parsed.options.variants).toBe("buggy,fixed");
    const help = parse(["compare", "--help"]);
    expect(help.out).toContain("--scheduler <name>");
    expect(help.out).toContain("--fix <list>");
    expect(help.out).toMatch(/with\s+--scheduler the default is\s+fixed/);
    expect(help.out).toContain("aftershock compare qstash-2026-05-08 --scheduler ./mine.mjs");
  });

  it("collects variadic validate paths and why's two arguments", () => {
    const v = parse(["validate", "a.yaml", "b.yaml", "dir"]).outcome;
    expect(v.kind === "command" && v.parsed.args).toEqual(["a.yaml", "b.yaml", "dir"]);
    const w = parse(["why", "s.yaml", "w3"]).outcome;
    expect(w.kind === "command" && w.parsed.args).toEqual(["s.yaml", "w3"]);
  });

  it("exits 2 with a message on usage errors", () => {
    for (const argv of [["run"], ["nonsense"], ["run", "s.yaml", "--no-such-flag"], []]) {
      const { outcome, err } = parse(argv);
      expect(outcome).toEqual({ kind: "exit", code: 2 });
      expect(err.length).toBeGreaterThan(0);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it("prints help with examples and exits 0", () => {
    const top = parse(["--help"]);
    expect(top.outcome).toEqual({ kind: "exit", code: 0 });
    for (const c of COMMANDS) expect(top.out).toContain(c.spec.name);
    expect(top.out).toContain("Exit codes");
    const run = parse(["run", "--help"]);
    expect(run.outcome).toEqual({ kind: "exit", code: 0 });
    expect(run.out).toContain("Examples:");
    expect(run.out).toContain("--variant");
  });

  it("lists every exit code in the top-level help, the signals' too", () => {
    const top = parse(["--help"]).out.replace(/\s+/g, " ");
    for (const code of Object.values(EXIT)) expect(top, String(code)).toMatch(new RegExp(`\\b${code} [a-z]`));
    expect(top).toContain("130 ended by SIGINT (Ctrl-C), 143 by SIGTERM, 129 by SIGHUP");
  });

  it("says in a command's help that it reads `-` from stdin exactly when it does", () => {
    const readers: string[] = [];
    for (const c of COMMANDS) {
      const source = readFileSync(`src/cli/commands/${c.spec.name}.ts`, "utf8");
      // report reads its saved output through `inputFile`, the others a scenario.
      const reads =
        source.includes(`readStdinScenario("${c.spec.name}"`) || source.includes("return STDIN_NAME;");
      const help = parse([c.spec.name, "--help"]).out.replace(/\s+/g, " ");
      expect(/given as - is read from stdin/.test(help), c.spec.name).toBe(reads);
      if (reads) readers.push(c.spec.name);
    }
    expect(readers.sort()).toEqual(["compare", "report", "run", "validate", "why"]);
    // And the top-level help names them all.
    const top = parse(["--help"]).out.replace(/\s+/g, " ");
    expect(top).toContain("a scenario given as - is read from stdin by run, compare, why and validate");
  });

  it("has examples and a summary for every command", () => {
    for (const c of COMMANDS) {
      expect(c.spec.summary.length, c.spec.name).toBeGreaterThan(10);
      expect(c.spec.examples.length, c.spec.name).toBeGreaterThan(0);
      // An example may feed the command from a pipe, but it always runs this command.
      for (const e of c.spec.examples)
        expect(e, e).toMatch(new RegExp(`(^|\\| )aftershock ${c.spec.name}( |$)`));
    }
  });
});

describe("gate's examples", () => {
  const gate = COMMANDS.find((c) => c.spec.name === "gate")?.spec.examples ?? [];
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

  it("say so where they name files only aftershock's own checkout has", () => {
    // A user's project has no examples/ and no copy of the bundled scenarios under scenarios/.
    const checkoutOnly = gate.filter((e) => / (examples\/|scenarios\/qstash-)/.test(e));
    expect(checkoutOnly.length).toBeGreaterThan(0);
    for (const e of checkoutOnly) expect(e, e).toMatch(/# in aftershock's own checkout$/);
  });

  it("gate the bundled scenarios in a project that uses aftershock, by where the package puts them", () => {
    const bundled = gate.filter((e) => e.includes(` node_modules/${pkg.name}/scenarios/`));
    expect(bundled.length, gate.join("\n")).toBe(1);
    expect(bundled[0]).toMatch(/# in a project that uses aftershock$/);
    expect(pkg.files).toContain("scenarios");
  });
});

describe("help on a narrow terminal", () => {
  /** `argv`'s help, laid out for a terminal `columns` wide. */
  function helpAt(argv: string[], columns: number): string {
    const out: string[] = [];
    parseCLI(argv, { out: (t) => out.push(t), err: (t) => out.push(t), helpWidth: columns });
    return out.join("");
  }

  it("fits 40 columns: each option's description goes under it, wrapped, and examples go on over lines a shell joins", () => {
    for (const argv of [["--help"], ...COMMANDS.map((c) => [c.spec.name, "--help"])]) {
      const help = helpAt(argv, 40);
      // A word of an example (quoted or not) wider than the terminal stays whole, on a line of its own.
      const word = /^ {6}(?:[^\s"']+|"[^"]*"|'[^']*')+(?: \\)?$/;
      const wide = help.split("\n").filter((line) => line.length > 40 && !word.test(line));
      expect(wide, argv.join(" ")).toEqual([]);
    }
    expect(helpAt(["gate", "--help"], 40)).toContain(
      '  # in GitHub Actions\n  $ aftershock gate scenarios/ --junit \\\n      gate.xml --markdown \\\n      "$GITHUB_STEP_SUMMARY"\n',
    );
    expect(helpAt(["run", "--help"], 40)).toContain(
      "  --perfetto <file.json>\n      write the run as Chrome\n      trace-event JSON",
    );
  });

  it("breaks a long list of names after its commas beside its option too, at any width", () => {
    for (const columns of [60, 80, 120]) {
      for (const argv of [["--help"], ...COMMANDS.map((c) => [c.spec.name, "--help"])]) {
        // Examples are broken by formatExamples (a word wider than a line stays whole).
        const options = helpAt(argv, columns).split("\nExamples:")[0];
        const wide = options.split("\n").filter((line) => line.length > columns);
        expect(wide, `${argv.join(" ")} at ${columns}`).toEqual([]);
      }
    }
    expect(helpAt(["explore", "--help"], 80)).toMatch(/\n {28}no-cascade,no-panic-death,\n/);
  });

  it("says in its footer what turns colour on and off", () => {
    const help = helpAt(["--help"], 200);
    for (const word of ["NO_COLOR", "FORCE_COLOR=1", "FORCE_COLOR=0", "TERM=dumb"])
      expect(help).toContain(word);
  });

  it("is laid out for COLUMNS when piped, as train reads it", () => {
    vi.stubEnv("COLUMNS", "40");
    try {
      const out: string[] = [];
      parseCLI(["explore", "--help"], { out: (t) => out.push(t), err: (t) => out.push(t) });
      const options = out.join("").split("\nExamples:")[0];
      expect(options.split("\n").filter((line) => line.length > 40)).toEqual([]);
      expect(options).toContain("\n  --properties <list>\n");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("keeps each description beside its option where there is room", () => {
    const help = helpAt(["run", "--help"], 100);
    expect(help).toMatch(/\n {2}--quiet {10,}print one summary line\n/);
    expect(help.split("\n").every((line) => line.length <= 100)).toBe(true);
  });
});

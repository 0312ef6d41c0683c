// Shows that a command given --json that refuses its input before it prints anything still prints one JSON object on stdout, the problems as data with their file, line and column (as the gate does), or the option of the command line whose value is wrong, so that a script reading stdout sees the refusal.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { savedFileProblems } from "../../src/cli/commands/report-schema.js";
import type { CliContext } from "../../src/cli/context.js";
import { problemsAsData } from "../../src/cli/errors.js";
import { main } from "../../src/cli/main.js";
import { makePaint } from "../../src/cli/paint.js";
import { plainPaint } from "../../src/report/paint.js";
import { cli } from "../gate/helpers.js";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "aftershock-json-refusal-"));
}

describe("--json when the input is refused", () => {
  it.each([
    ["run", ["run", "no-such-scenario", "--json"], "no-such-scenario"],
    ["compare", ["compare", "no-such-scenario", "--json"], "no-such-scenario"],
    ["why", ["why", "no-such-scenario", "12", "--json"], "no-such-scenario"],
    ["explore", ["explore", "no-such-scenario", "--json"], "no-such-scenario"],
    ["merge", ["merge", "no-such-report.json", "--json"], "no-such-report.json"],
  ])(
    "%s prints the problems as one JSON object, naming the missing file, and says them on stderr too",
    async (_name, argv, file) => {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      const printed = JSON.parse(r.out);
      expect(printed.exitCode).toBe(2);
      expect(printed.problems.length).toBeGreaterThan(0);
      // A missing file has no line: its problem names the file, and says what is wrong after it.
      expect(printed.problems[0]).toMatchObject({ severity: "error", file, line: null, column: null });
      expect(printed.problems[0].message).toMatch(/^no such file/);
      expect(r.err).toContain(`${file}: ${printed.problems[0].message.split("\n")[0]}`);
    },
  );

  it("gives merge one problem for each malformed field of a shard report, each at its line and column", async () => {
    const dir = folder();
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{\n  "kind": "aftershock.explore",\n  "version": 1,\n  "target": 3\n}\n');
    const notJson = join(dir, "cut.json");
    writeFileSync(notJson, "{\n  x");
    const r = await cli(["merge", bad, "--json"]);
    expect(r.code).toBe(2);
    const { problems } = JSON.parse(r.out) as { problems: { file: string; line: number; message: string }[] };
    // Every problem the text lists (and those it only counts), one each, none of them the text's lines run together.
    expect(problems.length).toBeGreaterThan(8);
    expect(r.err).toMatch(/\(and \d+ more problems\)/);
    for (const p of problems) {
      expect(p.file).toBe(bad);
      expect(p.message).toMatch(/^malformed explore report: [\w.[\]]+: expected /);
      expect(p.message).not.toContain("\n");
    }
    expect(problems[0]).toMatchObject({
      line: 4,
      column: 13,
      message: expect.stringContaining("target: expected an object, found 3"),
    });
    const cut = JSON.parse((await cli(["merge", notJson, "--json"])).out);
    expect(cut.problems).toEqual([
      expect.objectContaining({
        file: notJson,
        line: 2,
        column: 3,
        message: expect.stringMatching(/^not JSON/),
      }),
    ]);
  });

  it("gives the count of problems past the hundred listed the file of the others", () => {
    const text = JSON.stringify(Array.from({ length: 105 }, (_, i) => i));
    const found = savedFileProblems(z.array(z.string()), JSON.parse(text), "many.json", text, "list");
    expect(found?.problems).toHaveLength(101);
    expect(found?.problems.at(-1)).toEqual({
      place: null,
      file: "many.json",
      severity: "error",
      message: "(and 5 more problems)",
    });
    expect(problemsAsData(found?.problems ?? []).every((p) => p.file === "many.json")).toBe(true);
  });

  it("gives each problem of a scenario its file, line and column", async () => {
    const file = join(folder(), "bad.yaml");
    writeFileSync(
      file,
      "name: bad\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nfleet: { workers: three }\n",
    );
    const r = await cli(["run", file, "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).problems).toEqual([
      {
        file,
        line: 5,
        column: 19,
        severity: "error",
        message: 'fleet.workers: wrong type (expected a whole number, found "three")',
      },
    ]);
  });

  it.each([
    ["run --json --seed abc quiet-day", "--seed", 'expected a whole number ≥ 0, found "abc"'],
    ["explore --json --runs 0 quiet-day", "--runs", 'expected a whole number ≥ 1, found "0"'],
    ["gate --json --jobs x scenarios", "--jobs", 'expected a whole number ≥ 1, found "x"'],
    [
      "compare --json --variants buggy quiet-day",
      "--variants",
      "name at least two variants, e.g. buggy,fixed",
    ],
    [
      "run --json --scheduler v2 --fix bogus quiet-day",
      "--fix",
      'v2 has no fix "bogus" (fixes of v2: early-return, panic-recovery)',
    ],
    [
      "explore --json --runs 5 --seed 9007199254740990 quiet-day",
      "--seed",
      "9007199254740990 with --runs 5: the last run's seed would pass 9007199254740991, the largest seed; the largest usable seed for 5 runs is 9007199254740987",
    ],
  ])(
    "%s says a bad option value comes from the command line, naming the option",
    async (line, option, said) => {
      const r = await cli(line.split(" "));
      expect(r.code).toBe(2);
      const message = `${option}: ${said}`;
      expect(JSON.parse(r.out).problems).toEqual([
        { file: null, line: null, column: null, severity: "error", message, source: "argument", option },
      ]);
      expect(r.err).toContain(`aftershock: ${message}`);
    },
  );

  it("prints nothing on stdout without --json, and the refusal of an output path as the others", async () => {
    expect((await cli(["run", "no-such-scenario"])).out).toBe("");
    const missing = join(folder(), "missing", "x.md");
    const r = await cli(["run", "quiet-day", "--json", "--markdown", missing]);
    expect(r.code).toBe(2);
    // A path that names nothing is no file a problem could point at: of none, the whole said.
    expect(JSON.parse(r.out).problems).toEqual([
      expect.objectContaining({
        file: null,
        message: expect.stringMatching(/^--markdown .*x\.md: no such folder/),
      }),
    ]);
    expect(r.err).toContain(`--markdown ${missing}: no such folder`);
  });

  it("names the output path as the file of a refusal to replace a file aftershock did not write", async () => {
    const foreign = join(folder(), "foreign.xml");
    writeFileSync(foreign, "hello\n");
    const r = await cli(["run", "quiet-day", "--json", "--html", foreign]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).problems).toEqual([
      {
        file: foreign,
        line: null,
        column: null,
        severity: "error",
        message: "--html: exists and was not written by aftershock; pass --force to replace it",
      },
    ]);
    expect(r.err).toContain(`aftershock: --html ${foreign}: exists and was not written by aftershock`);
  });

  it.runIf(existsSync("/dev/full"))(
    "prints no second object when an output fails after the report",
    async () => {
      const r = await cli(["run", "quiet-day", "--json", "--markdown", "/dev/full"]);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).scenario).toBe("quiet-day");
    },
  );

  it("leaves stdout's colour to stdout: the text moved to stderr by an output on stdout is painted as stderr", async () => {
    let out = "";
    let err = "";
    const ctx: CliContext = {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
      paint: makePaint(true),
      paintErr: plainPaint,
      env: {},
      errIsTty: false,
      now: () => performance.now(),
    };
    const code = await main(["run", "quiet-day", "--markdown", "-"], ctx);
    expect(code).toBe(0);
    expect(out).toContain("| ");
    expect(err).toContain("aftershock · quiet-day");
    expect(err).not.toContain("\u001b[");
  });

  it("names a scheduler module that cannot be used as the file of its problem", async () => {
    const dir = folder();
    const cases: [string, string, RegExp][] = [
      ["none.mjs", "export const nothing = 1;\n", /^no scheduler exported/],
      ["throws.mjs", 'export const scheduler = { get name() { throw new Error("boom"); } };\n', /./],
      ["mine.txt", "not a module\n", /^a scheduler module must be JavaScript or TypeScript/],
    ];
    for (const [name, text, said] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const r = await cli(["run", "quiet-day", "--scheduler", path, "--json"]);
      expect(r.code, name).toBe(2);
      const problem = JSON.parse(r.out).problems[0];
      expect(problem, name).toMatchObject({ severity: "error", file: path, line: null });
      expect(problem.message, name).toMatch(said);
      expect(r.err, name).toContain(`${path}: ${problem.message.split("\n")[0]}`);
    }
  });
});

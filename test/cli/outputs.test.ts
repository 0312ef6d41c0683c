// Shows every command's output paths checked alike before the work starts: a folder, an empty path, or one of the command's inputs (through a link too) is exit 2, with or without --force. And a failed write names the exit code that overrides the command's own report.
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportFiles, reportFileRequests } from "../../src/cli/commands/report.js";
import { CliError } from "../../src/cli/errors.js";
import { checkOutputs, DeferredFailure } from "../../src/cli/outputs.js";
import { cli } from "../gate/helpers.js";
import { editedKept, emptyFilesReplaced, GATED, refused, TINY } from "./output-writers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-outputs-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Each command with an output flag, the flag last so a path can follow it. */
const COMMANDS: readonly (readonly string[])[] = [
  ["run", TINY, "--quiet", "--trace"],
  ["run", TINY, "--quiet", "--html"],
  ["run", TINY, "--quiet", "--markdown"],
  ["run", TINY, "--quiet", "--perfetto"],
  ["compare", TINY, "--html"],
  ["gate", GATED, "--jobs", "1", "--junit"],
  ["gate", GATED, "--jobs", "1", "--markdown"],
  ["train", TINY, "--script", TINY, "--save"],
  ["report", TINY, "--format", "html", "-o"],
];

describe("output paths", () => {
  it("a folder is refused as any output, with or without --force", async () => {
    const folder = join(dir, "tdir");
    mkdirSync(folder);
    for (const argv of COMMANDS) {
      const flag = argv.at(-1)!;
      const message = new RegExp(`${flag} ${folder}: is a folder, expected a file\\n`);
      await refused([...argv, folder], message);
      await refused([...argv, folder, "--force"], message);
    }
  });

  it("a file where the output's folder should be is said to be a file, not a missing folder", async () => {
    const file = join(dir, "run.jsonl");
    writeFileSync(file, "");
    for (const argv of COMMANDS) {
      const flag = argv.at(-1)!;
      for (const path of [join(file, "x.html"), join(file, "below", "x.html")])
        await refused([...argv, path], new RegExp(`${flag} ${path}: ${file} is a file, not a folder\n`));
    }
    await refused(
      ["report", TINY, "--format", "html", "-o", join(dir, "nope", "x.html")],
      new RegExp(`-o ${join(dir, "nope", "x.html")}: no such folder ${join(dir, "nope")}\n`),
    );
  });

  it("a file where the output's folder should be is named as the path given names it", () => {
    // `-o out/run.json/x.md` names `out/run.json`, as the user wrote it, not the absolute path.
    mkdirSync(join(dir, "rel"));
    writeFileSync(join(dir, "rel", "run.json"), "");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const path of ["rel/run.json/x.md", "rel/run.json/below/x.md"])
        expect(() => checkOutputs([{ flag: "-o", path, signature: /^/ }], false)).toThrow(
          `-o ${path}: rel/run.json is a file, not a folder`,
        );
    } finally {
      process.chdir(cwd);
    }
  });

  it("an empty path is refused, not ignored, with the likely cause (an unset variable)", async () => {
    // `--markdown "$GITHUB_STEP_SUMMARY"`, gate's help example, is empty outside GitHub Actions.
    for (const argv of COMMANDS) {
      const flag = argv.at(-1)!;
      const message =
        flag === "-o"
          ? /give the output file with -o FILE/
          : new RegExp(
              `${flag}: expected a file path, found an empty string \\(a shell variable that is not set\\?\\)\n`,
            );
      await refused([...argv, ""], message);
    }
  });

  it("an empty file is replaced without --force (GitHub's step summary, mktemp's file); a foreign one is not", async () => {
    // A trace, a sealed summary, the gate's JUnit and compare's Markdown; run's --html and
    // --perfetto and gate's --markdown in outputs.long.test.ts.
    await emptyFilesReplaced(dir, [
      ["run", TINY, "--quiet", "--trace"],
      ["run", TINY, "--quiet", "--markdown"],
      ["gate", GATED, "--jobs", "1", "--junit"],
      ["compare", TINY, "--markdown"],
    ]);
    const foreign = join(dir, "notes.md");
    writeFileSync(foreign, "\n");
    await refused(["compare", TINY, "--markdown", foreign], /exists and was not written by aftershock/);
    expect(readFileSync(foreign, "utf8")).toBe("\n");
  });

  it("a Markdown or HTML report edited since aftershock wrote it is kept without --force; one as written is replaced", async () => {
    // run's Markdown and compare's HTML; report's and the gate's Markdown in outputs.long.test.ts.
    const md = join(dir, "pm.md");
    const writers = [
      ["run", TINY, "--quiet", "--markdown", md],
      ["compare", TINY, "--html", join(dir, "pm.html")],
    ];
    for (const argv of writers) await editedKept(argv);
    // One written before reports were sealed cannot be told edited or not: kept too.
    const older = readFileSync(md, "utf8").replace(/^<!-- digest .*\n/m, "");
    writeFileSync(md, older);
    await refused(
      writers[0],
      /--markdown \S+: was written by an earlier aftershock, which did not record whether it was edited since; pass --force/,
    );
  });

  it("a path ending in / names a folder: refused as a file, with --force too, and nothing written in its place", async () => {
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "ours\n");
    for (const argv of COMMANDS) {
      const flag = argv.at(-1)!;
      const fresh = join(dir, "newdir/");
      const message = (path: string) =>
        new RegExp(`${flag} ${path}: ends with "/", which names a folder; expected a file\n`);
      await refused([...argv, fresh], message(fresh));
      await refused([...argv, `${notes}/`, "--force"], message(`${notes}/`));
    }
    expect(readFileSync(notes, "utf8")).toBe("ours\n");
    expect(() => lstatSync(join(dir, "newdir"))).toThrow(/ENOENT/);
  });

  it("a file name longer than file systems take is refused before the run; one that fits is written, its temporary name kept short", async () => {
    const tooLong = join(dir, `${"a".repeat(252)}.html`);
    await refused(
      ["run", TINY, "--quiet", "--html", tooLong],
      /--html \S+: its file name is too long \(257 bytes; file systems take at most 255\)\n/,
    );
    // 250 bytes: its temporary file `.NAME.tmp-PID` would pass 255, so it is named by a digest.
    const long = join(dir, `${"b".repeat(245)}.html`);
    const r = await cli(["run", TINY, "--quiet", "--html", long]);
    expect(r.err).not.toContain("cannot write");
    expect(r.code).toBe(0);
    expect(readFileSync(long, "utf8")).toMatch(/^<!doctype html>/);
  });

  it("an output onto an input of the same command is refused even with --force, through a link too", async () => {
    const scenario = join(dir, "x.yaml");
    copyFileSync(TINY, scenario);
    const text = readFileSync(scenario, "utf8");
    const link = join(dir, "link.jsonl");
    symlinkSync("x.yaml", link);
    const script = join(dir, "s1.txt");
    writeFileSync(script, "next\n");
    const same = /: the same file as the input [^\n]+; write the output elsewhere\n/;
    for (const output of [scenario, link]) {
      await refused(["run", scenario, "--quiet", "--trace", output, "--force"], same);
      await refused(["run", scenario, "--quiet", "--html", output, "--force"], same);
      await refused(["compare", scenario, "--markdown", output, "--force"], same);
      await refused(["gate", scenario, "--junit", output, "--force"], same);
      await refused(["train", scenario, "--script", script, "--save", output, "--force"], same);
      await refused(["report", scenario, "--format", "html", "-o", output, "--force"], same);
    }
    await refused(["train", TINY, "--script", script, "--save", script, "--force"], same);
    expect(readFileSync(scenario, "utf8")).toBe(text);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    // A `save` typed in the session is held to the same rule, and says so in the transcript.
    writeFileSync(script, `save ${link} --force\n`);
    const r = await cli(["train", scenario, "--script", script]);
    expect(r.out).toMatch(/save: \S+link\.jsonl: the same file as the input \S+x\.yaml/);
    expect(r.code).toBe(2);
    expect(readFileSync(scenario, "utf8")).toBe(text);
  });

  it("a local file a scheduler module imports is an input too, whichever command loads the module", async () => {
    const lib = join(dir, "lib");
    mkdirSync(lib);
    const inner = join(lib, "inner.mjs");
    copyFileSync(join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs"), inner);
    const text = readFileSync(inner, "utf8");
    const outer = join(dir, "outer.mjs");
    writeFileSync(outer, 'export { scheduler } from "./lib/inner.mjs";\n');
    // A scenario of its own that runs the module, for the commands without --scheduler.
    const own = join(dir, "own.yaml");
    writeFileSync(own, `${readFileSync(TINY, "utf8")}scheduler: { module: ./outer.mjs }\n`);
    const script = join(dir, "s2.txt");
    writeFileSync(script, "next\n");
    const same = new RegExp(`: the same file as the input ${inner}; write the output elsewhere\n`);
    await refused(["run", TINY, "--scheduler", outer, "--quiet", "--trace", inner, "--force"], same);
    await refused(["run", own, "--quiet", "--html", inner, "--force"], same);
    await refused(["compare", own, "--markdown", inner, "--force"], same);
    await refused(["gate", GATED, "--scheduler", outer, "--junit", inner, "--force"], same);
    await refused(["gate", own, "--jobs", "1", "--markdown", inner, "--force"], same);
    await refused(
      ["train", TINY, "--scheduler", outer, "--script", script, "--save", inner, "--force"],
      same,
    );
    expect(readFileSync(inner, "utf8")).toBe(text);
  });

  it("report files open only on paths checkOutputs accepted", () => {
    const o = { html: join(dir, "checked.html") };
    const info = { scenario: "s", seed: 1, startMs: 0, labels: ["buggy"] };
    expect(() => ReportFiles.open(o, info, { paths: new Set() })).toThrow(/was not checked by checkOutputs/);
    const checked = checkOutputs(reportFileRequests(o), false);
    expect([...checked.paths]).toEqual([o.html]);
    const files = ReportFiles.open(o, info, checked);
    expect(files).not.toBeNull();
    expect(ReportFiles.open({}, info, checked)).toBeNull();
    // Let go as a command does when it writes nothing: no file of it is left to a signal's cleanup.
    expect(files?.abort()).toEqual([]);
  });
});

describe("DeferredFailure", () => {
  it("says the exit code a failed write brings, which overrides the command's own report", () => {
    const said: string[] = [];
    const writes = new DeferredFailure();
    writes.attempt(() => {});
    expect(writes.exitCode(0, (t) => said.push(t))).toBe(0);
    expect(said).toEqual([]);
    writes.attempt(() => {
      throw new CliError("gate.xml: a file appeared there while aftershock ran");
    });
    // The gate's terminal report said `exit 0` already: the last line says what the process exits with.
    expect(writes.exitCode(0, (t) => said.push(t))).toBe(2);
    expect(said).toEqual([
      "aftershock: gate.xml: a file appeared there while aftershock ran\n",
      "aftershock: exit 2 rather than 0: an output was not written as asked\n",
    ]);
    // A worse code of the command's own stays, and nothing overrides it.
    said.length = 0;
    expect(writes.exitCode(3, (t) => said.push(t))).toBe(3);
    expect(said).toEqual(["aftershock: gate.xml: a file appeared there while aftershock ran\n"]);
  });
});

describe("a file aftershock wrote for another command", () => {
  it("is replaced when it is a Markdown summary as written, whichever command wrote it", async () => {
    const summary = join(dir, "either.md");
    for (const argv of [
      ["run", TINY, "--quiet", "--markdown", summary],
      ["gate", GATED, "--jobs", "1", "--markdown", summary],
      ["compare", TINY, "--markdown", summary],
      ["gate", GATED, "--jobs", "1", "--markdown", summary],
      ["run", TINY, "--quiet", "--markdown", summary],
    ]) {
      const r = await cli(argv);
      expect(r.err, argv.join(" ")).toContain(`wrote ${summary}`);
      expect(r.code, argv.join(" ")).toBe(0);
    }
    // `report` writes one too, over the gate's.
    const trace = join(dir, "either.jsonl");
    expect((await cli(["run", TINY, "--quiet", "--trace", trace])).code).toBe(0);
    expect((await cli(["gate", GATED, "--jobs", "1", "--markdown", summary])).code).toBe(0);
    const report = await cli(["report", trace, "-o", summary]);
    expect(report.code, report.err).toBe(0);
    // Edited since, it is the user's, as a summary of the same command is.
    writeFileSync(summary, `${readFileSync(summary, "utf8")}notes\n`);
    const edited = await cli(["gate", GATED, "--jobs", "1", "--markdown", summary]);
    expect(edited.err).toContain(`--markdown ${summary}: was edited since aftershock wrote it; pass --force`);
    expect(edited.code).toBe(2);
  });

  it("of another kind is named as what it is, not as a file aftershock did not write", async () => {
    const summary = join(dir, "kind.md");
    expect((await cli(["run", TINY, "--quiet", "--markdown", summary])).code).toBe(0);
    const text = readFileSync(summary, "utf8");
    const junit = join(dir, "kind.xml");
    expect((await cli(["gate", GATED, "--jobs", "1", "--junit", junit])).code).toBe(0);
    const cases: [readonly string[], string, string][] = [
      [["run", TINY, "--quiet", "--trace", summary], `--trace ${summary}`, "a Markdown summary"],
      [["gate", GATED, "--jobs", "1", "--junit", summary], `--junit ${summary}`, "a Markdown summary"],
      [["run", TINY, "--quiet", "--markdown", junit], `--markdown ${junit}`, "the gate's JUnit report"],
    ];
    for (const [argv, name, kind] of cases) {
      const r = await cli(argv);
      expect(r.err, argv.join(" ")).toContain(
        `${name}: exists and is ${kind} aftershock wrote, not a file of this output's kind; pass --force to replace it`,
      );
      expect(r.code).toBe(2);
    }
    expect(readFileSync(summary, "utf8")).toBe(text);
  });
});

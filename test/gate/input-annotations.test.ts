// The GitHub annotations of input the gate refuses come from its problems as data: a warning stays a warning, and neither a path nor a message is read back from text.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ownScenario, writeSingleFixModule } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";
const TITLE = "title=aftershock gate refused its input";

/** An error and a warning in one file: the fleet is no number, the quarantine may act on nothing. */
const ERROR_AND_WARNING = readFileSync("test/cli/fixtures/late-quarantine.yaml", "utf8").replace(
  "workers: 2",
  "workers: four",
);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "aftershock-refused-"));
}

function annotations(out: string): string[] {
  return out.split("\n").filter((l) => l.startsWith("::"));
}

describe("gate annotations of refused input", () => {
  it("annotates each issue of a file at its own place and level, whatever its path looks like", async () => {
    const dir = tempDir();
    // A path that reads like a place itself (`…:9:46: …`) when the text is parsed back.
    const file = join(dir, "at 9:46:00: late.yaml");
    writeFileSync(file, ERROR_AND_WARNING);
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code).toBe(2);
    const at = `file=${file.replace(/:/g, "%3A")}`;
    const found = annotations(r.out);
    expect(found).toHaveLength(2);
    expect(found[0]).toBe(
      `::error ${at},line=5,col=19,${TITLE}::fleet.workers: wrong type (expected a whole number, found "four")`,
    );
    expect(found[1]).toMatch(
      new RegExp(
        `^::warning ${literal(at)},line=13,col=62,${TITLE}::timeline\\[1\\]\\.schedule: the schedule "s-gone" `,
      ),
    );
  });

  it("annotates a refused output path on the path, its flag in the message, and gives --json that file", async () => {
    const dir = tempDir();
    const foreign = join(dir, "foreign.xml");
    const summary = join(dir, "summary.md");
    writeFileSync(foreign, "hello\n");
    const r = await cli(["gate", PASS, "--junit", foreign, "--markdown", summary, "--json", "--jobs", "1"], {
      GITHUB_ACTIONS: "true",
    });
    expect(r.code).toBe(2);
    const message = "--junit: exists and was not written by aftershock; pass --force to replace it";
    expect(annotations(r.err)).toEqual([`::error file=${foreign},${TITLE}::${foreign}: ${message}`]);
    expect(JSON.parse(r.out).problems).toEqual([
      { file: foreign, line: null, column: null, severity: "error", message },
    ]);
    expect(readFileSync(foreign, "utf8")).toBe("hello\n");
    // The refusal's summary has it as the gate's own problem, not a scenario named foreign.xml.
    const written = readFileSync(summary, "utf8");
    expect(written).toContain("aftershock gate");
    expect(written).toContain("Refused before any run, nothing judged: `aftershock gate` (its command line)");
    expect(written).not.toContain("1 scenario");
    expect(written).not.toContain(foreign);
  });

  it("gives a refused output path that names nothing no file, in --json and its annotation", async () => {
    const missing = join(tempDir(), "nope", "x.md");
    const r = await cli(["gate", PASS, "--markdown", missing, "--json", "--jobs", "1"], {
      GITHUB_ACTIONS: "true",
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).problems).toEqual([expect.objectContaining({ file: null })]);
    expect(annotations(r.err)).toEqual([expect.not.stringContaining("file=")]);
  });

  it("annotates a problem of several lines once, its line breaks encoded", async () => {
    const dir = tempDir();
    const module = join(dir, "two-lines.mjs");
    writeFileSync(
      module,
      'export const scheduler = { name: "two-lines", fixes: [], create() { throw new Error("no mode set\\nsee x.yaml:3:4: mode"); } };\n',
    );
    const r = await cli(["gate", PASS, "--scheduler", module, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code).toBe(2);
    expect(annotations(r.out)).toEqual([
      // At the line and column `create` threw from.
      `::error file=${module},line=1,col=75,${TITLE}::not a scheduler: create([]) threw: no mode set%0Asee x.yaml:3:4: mode`,
    ]);
  });

  it("keeps the place of a scenario problem found outside the parser (two scenarios of one name)", async () => {
    const dir = tempDir();
    const text = readFileSync(PASS, "utf8");
    writeFileSync(join(dir, "a.yaml"), text);
    writeFileSync(join(dir, "b.yaml"), text);
    const r = await cli(["gate", dir, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code).toBe(2);
    expect(annotations(r.out)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error file=${literal(join(dir, "b.yaml"))},line=2,col=7,${TITLE}::scenario name "small-cascade" is also the name of `,
        ),
      ),
    ]);
  });
});

describe("gate annotations of warnings on a scenario it runs", () => {
  it("annotates what validate warns of at its file, line and column, as a ::warning", async () => {
    const dir = tempDir();
    const file = join(dir, "late.yaml");
    const late = readFileSync("test/cli/fixtures/late-quarantine.yaml", "utf8");
    writeFileSync(file, `${late}expect:\n  - { variant: fixed, property: no-cascade }\n`);
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`${file}:13:62: warning: timeline[1].schedule`);
    const warned = annotations(r.out).filter((l) => l.includes("line=13"));
    expect(warned).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning file=${literal(file)},line=13,col=62,title=aftershock gate warning::timeline\\[1\\]\\.schedule: the schedule "s-gone" `,
        ),
      ),
    ]);
    const json = await cli(["gate", file, "--jobs", "1", "--json"], { GITHUB_ACTIONS: "true" });
    expect(annotations(json.err).filter((l) => l.includes("line=13"))).toEqual(warned);
  });
});

describe("gate annotations of warnings on what it gates", () => {
  it("annotates a golden file's stale variants at its first line, as a ::warning", async () => {
    const dir = tempDir();
    const file = join(dir, "small-cascade.yaml");
    const text = readFileSync(PASS, "utf8");
    writeFileSync(file, text);
    expect((await cli(["gate", file, "--jobs", "1", "--update-golden"])).code).toBe(0);
    // The golden file keeps [early-return] once no expectation names it.
    writeFileSync(file, text.replace(/^ {2}- \{ variant: early-return, .*\n/m, ""));
    const golden = join(dir, "golden", "small-cascade.json");
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(
      `aftershock: ${golden}: holds hashes of [early-return], which ${file} does not gate`,
    );
    const stale = annotations(r.out).filter((l) => l.includes("holds hashes of"));
    expect(stale).toEqual([
      `::warning file=${golden},line=1,col=1,title=aftershock gate warning::holds hashes of [early-return], which ${file} does not gate (no expectation names it): not compared; aftershock gate ${file} --update-golden drops it`,
    ]);
    const json = await cli(["gate", file, "--jobs", "1", "--json"], { GITHUB_ACTIONS: "true" });
    expect(annotations(json.err).filter((l) => l.includes("holds hashes of"))).toEqual(stale);
  });

  it("annotates the subfolders it does not search on the run, with no file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.yaml"), readFileSync(PASS, "utf8"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "s.yaml"), "name: s\n");
    const r = await cli(["gate", dir, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code, r.err).toBe(0);
    const message = `not gated: ${join(dir, "sub")} (subfolders are not searched; name it to gate its scenarios)`;
    expect(r.err).toContain(`aftershock: ${message}\n`);
    expect(annotations(r.out).filter((l) => l.includes("not gated"))).toEqual([
      `::warning title=aftershock gate warning::${message}`,
    ]);
  });
});

/** A scenario naming the user's module `single.mjs` (no fixes listed) and deploying v2 with a fix at line 16. */
function ownModuleScenario(): { dir: string; file: string } {
  const own = ownScenario(
    "single.mjs",
    ["{ variant: fixed, metric: panicDeaths, op: '==', value: 0 }"],
    ["{ at: +5m, action: deploy, scheduler: v2, fixes: [panic-recovery] }"],
  );
  writeSingleFixModule(own.dir);
  return own;
}

describe("gate annotations of every warning it says before the runs", () => {
  it("annotates a golden file left under a renamed scenario's old name, at its scenario line", async () => {
    const dir = tempDir();
    const old = join(dir, "small-cascade.yaml");
    writeFileSync(old, readFileSync(PASS, "utf8"));
    expect((await cli(["gate", old, "--jobs", "1", "--update-golden"])).code).toBe(0);
    const file = join(dir, "renamed.yaml");
    renameSync(old, file);
    const golden = join(dir, "golden", "small-cascade.json");
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code, r.err).toBe(0);
    const message = `holds the golden hashes of scenario small-cascade, but no scenario file of its name is beside it: compared with the runs of ${file}, renamed from it? (git mv ${golden} ${join(dir, "golden", "renamed.json")})`;
    expect(r.err).toContain(`aftershock: ${golden} ${message}\n`);
    const left = annotations(r.out).filter((l) => l.includes("holds the golden hashes"));
    expect(left).toEqual([`::warning file=${golden},line=3,col=3,title=aftershock gate warning::${message}`]);
    const json = await cli(["gate", file, "--jobs", "1", "--json"], { GITHUB_ACTIONS: "true" });
    expect(annotations(json.err).filter((l) => l.includes("holds the golden hashes"))).toEqual(left);
  });

  it("annotates a v2 deploy whose fixes the module in v2's place drops, at the deploy's line", async () => {
    const { dir, file } = ownModuleScenario();
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code, r.err).toBe(0);
    const message = `the deploy of v2 at 09:05:00 (timeline[1]) asks for panic-recovery, which ${join(dir, "single.mjs")} in its place does not list (it lists no fixes): deployed without it`;
    expect(r.err).toContain(`aftershock: ${file}:16:5: warning: ${message}\n`);
    expect(annotations(r.out).filter((l) => l.includes("the deploy of"))).toEqual([
      `::warning file=${file},line=16,col=5,title=aftershock gate warning::${message}`,
    ]);
  });

  it("annotates a scenario's own module replaced by --scheduler, at its scheduler line", async () => {
    const { file } = ownModuleScenario();
    const other = "examples/reintroduced-bug1.mjs";
    const r = await cli(["gate", file, "--jobs", "1", "--scheduler", other], { GITHUB_ACTIONS: "true" });
    expect(r.code, r.err).toBe(0);
    const message = `${file} names the scheduler module ./single.mjs; gating ${other} in its place, as --scheduler asks`;
    expect(r.err).toContain(`aftershock: ${message}\n`);
    expect(annotations(r.out).filter((l) => l.includes("names the scheduler module"))).toEqual([
      `::warning file=${file},line=7,col=12,title=aftershock gate warning::${message}`,
    ]);
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("annotation paths from the repository's root ($GITHUB_WORKSPACE)", () => {
  const FALSE = "test/gate/fixtures/fail/small-false.yaml";

  it("names a failed case's file from the workspace when the gate runs in a subfolder of it", async () => {
    // The project checked out as a subfolder of the repository: GitHub places annotations by
    // the path from the repository's root, not from the step's working directory.
    const parent = dirname(resolve("."));
    const r = await cli(["gate", FALSE, "--jobs", "1"], { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: parent });
    expect(r.code).toBe(1);
    const at = `${basename(resolve("."))}/${FALSE}`;
    expect(annotations(r.out)).toContainEqual(
      expect.stringMatching(new RegExp(`^::error file=${literal(at)},line=34,col=5,`)),
    );
    // The terminal report still names the file as the user did.
    expect(r.out).not.toContain(`file=${FALSE},`);
  });

  it("names refused input inside the workspace from its root, and a file outside it as given", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, ERROR_AND_WARNING);
    const inside = await cli(["gate", file, "--jobs", "1"], {
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: dir,
    });
    expect(inside.code).toBe(2);
    expect(annotations(inside.out)).toEqual([
      expect.stringMatching(/^::error file=bad\.yaml,line=5,col=19,/),
      expect.stringMatching(/^::warning file=bad\.yaml,line=13,col=62,/),
    ]);
    const elsewhere = tempDir();
    const outside = await cli(["gate", file, "--jobs", "1"], {
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: elsewhere,
    });
    expect(annotations(outside.out)[0]).toMatch(
      new RegExp(`^::error file=${literal(file.replace(/:/g, "%3A"))},`),
    );
  });

  it("resolves a workspace reached through a symbolic link, as a self-hosted runner may give it", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, ERROR_AND_WARNING);
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: link });
    expect(r.code).toBe(2);
    expect(annotations(r.out)[0]).toMatch(/^::error file=bad\.yaml,line=5,col=19,/);
  });

  it("keeps a scenarios folder linked in from outside the workspace as the workspace names it", async () => {
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, "bad.yaml"), ERROR_AND_WARNING);
    const workspace = tempDir();
    symlinkSync(elsewhere, join(workspace, "scen"));
    const r = await cli(["gate", join(workspace, "scen", "bad.yaml"), "--jobs", "1"], {
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
    });
    expect(r.code).toBe(2);
    expect(annotations(r.out)[0]).toMatch(/^::error file=scen\/bad\.yaml,line=5,col=19,/);
  });
});

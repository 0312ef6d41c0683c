// The gate's bad input: every problem of every path and file is said at once (exit 2), before anything runs.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, type JsonCase } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";

/** A folder with a valid scenario (whose golden file is broken) and two invalid ones. */
function mixedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-mixed-"));
  copyFileSync(PASS, join(dir, "a-good.yaml"));
  mkdirSync(join(dir, "golden"));
  writeFileSync(join(dir, "golden", "a-good.json"), "[1,2]\n");
  writeFileSync(join(dir, "bad.yaml"), "name: bad\nfleet:\n  workers: lots\n");
  writeFileSync(join(dir, "syntax.yaml"), "name: [oops\n  x: :\n");
  return dir;
}

describe("gate's bad input", () => {
  it("names every invalid file of a folder, and a broken golden file, in one exit 2", async () => {
    const dir = mixedFolder();
    const r = await cli(["gate", dir, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`${join(dir, "bad.yaml")}:3:12: error: fleet.workers: wrong type`);
    expect(r.err).toMatch(new RegExp(`${join(dir, "syntax.yaml")}:1:\\d+: error: syntax error`));
    expect(r.err).toContain(
      `${join(dir, "golden", "a-good.json")}:1:1: error: not a golden hash file: expected a JSON object`,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("says a golden hash file given as a scenario is one, in one line, rather than list the keys it lacks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-arg-"));
    copyFileSync(PASS, join(dir, "a.yaml"));
    expect((await cli(["gate", dir, "--jobs", "1", "--update-golden"])).code).toBe(0);
    const golden = join(dir, "golden", "a.json");
    for (const args of [
      ["gate", join(dir, "golden")],
      ["gate", golden],
      ["validate", golden],
      ["run", golden],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        `${golden}:1:1: error: this is a golden hash file (written by aftershock gate --update-golden), not a scenario: name the scenario file it pins, or its folder`,
      );
      expect(r.err).not.toContain("missing required key");
    }
  });

  it("names every problem of the files and paths given, and of the flags", async () => {
    const dir = mixedFolder();
    const r = await cli([
      "gate",
      join(dir, "bad.yaml"),
      join(dir, "syntax.yaml"),
      join(dir, "nope.yaml"),
      "--junit",
      join(dir, "nodir", "gate.xml"),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, "nope.yaml")}: no such file or folder`);
    expect(r.err).toMatch(/--junit \S+nodir\/gate\.xml: no such folder/);
    expect(r.err).toContain(`${join(dir, "bad.yaml")}:3:12:`);
    expect(r.err).toContain(`${join(dir, "syntax.yaml")}:1:`);
  });

  it("refuses --explore when the explored seeds would pass the largest seed, naming the seed's line", async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const dir = mkdtempSync(join(tmpdir(), "aftershock-bigseed-"));
    const file = join(dir, "big.yaml");
    writeFileSync(file, readFileSync(PASS, "utf8").replace(/^seed: \d+$/m, `seed: ${max - 1}`));
    const r = await cli(["gate", file, "--explore", "2", "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(new RegExp(`${file}:\\d+:7: error: seed ${max - 1} with --explore 2`));
    expect(r.err).toContain(`the largest usable seed with --explore 2 is ${max - 2}`);
    const one = await cli(["gate", file, "--explore", "1", "--jobs", "1"]);
    expect(one.err).not.toContain("largest usable seed");
  });

  it("gates a file named twice (another spelling, a link to it) once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-twice-"));
    const file = join(dir, "small-cascade.yaml");
    copyFileSync(PASS, file);
    symlinkSync(file, join(dir, "link.yaml"));
    const r = await cli([
      "gate",
      file,
      `${dir}/./small-cascade.yaml`,
      join(dir, "link.yaml"),
      "--json",
      "--jobs",
      "1",
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { suites: { file: string; cases: JsonCase[] }[] };
    expect(report.suites.map((s) => s.file)).toEqual([file]);
  });

  it("refuses two files whose scenarios share a name, naming both (their JUnit suites would collide)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-names-"));
    mkdirSync(join(dir, "other"));
    copyFileSync(PASS, join(dir, "small-cascade.yaml"));
    copyFileSync(PASS, join(dir, "other", "copy.yaml"));
    const r = await cli(["gate", join(dir, "small-cascade.yaml"), join(dir, "other", "copy.yaml")]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(
      `${join(dir, "other", "copy.yaml")}:2:7: error: scenario name "small-cascade" is also the name of ${join(dir, "small-cascade.yaml")}`,
    );
  });
});

describe("a gated folder's subfolders", () => {
  it("are not searched, and those holding scenario files are named in one warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-sub-"));
    copyFileSync(PASS, join(dir, "a.yaml"));
    for (const sub of ["sub", "more", "empty", ".hidden", "golden"]) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, "golden", "z.json"), "{}\n");
    writeFileSync(join(dir, "sub", "s.yaml"), "name: s\n");
    writeFileSync(join(dir, "more", "m.json"), "{}\n");
    writeFileSync(join(dir, ".hidden", "h.yaml"), "name: h\n");
    writeFileSync(join(dir, "empty", "notes.txt"), "\n");
    const r = await cli(["gate", `${dir}/`, "--json", "--jobs", "1"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { suites: { file: string }[] };
    expect(report.suites.map((s) => s.file)).toEqual([join(dir, "a.yaml")]);
    expect(r.err).toContain(
      `aftershock: not gated: ${join(dir, "more")}, ${join(dir, "sub")} (subfolders are not searched; name them to gate their scenarios)\n`,
    );
    expect(r.err).not.toContain("golden");
    expect(r.err).not.toContain(".hidden");
  });
});

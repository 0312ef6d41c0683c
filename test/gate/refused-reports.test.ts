// Shows a gate that refuses its input (exit 2) still writing its --junit and --markdown reports, as a report of the refusal, so that a report left by an earlier gate in a reused workspace does not show a stale pass; and writing none where the report's own path was refused.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, schemaErrors, XMLLINT } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";

describe("a gate that refuses its input", () => {
  it("replaces the reports of an earlier pass with the refusal, each problem an error at its place", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-refused-"));
    const scenario = join(dir, "small.yaml");
    copyFileSync(PASS, scenario);
    const junit = join(dir, "gate.xml");
    const markdown = join(dir, "gate.md");
    const passed = await cli(["gate", scenario, "--junit", junit, "--markdown", markdown, "--jobs", "1"]);
    expect(passed.code, passed.err).toBe(0);
    expect(readFileSync(junit, "utf8")).toContain('failures="0" errors="0"');

    // The next job of the same workspace breaks the scenario.
    writeFileSync(scenario, readFileSync(PASS, "utf8").replace(/^name: .*$/m, "$&\nbogusKey: 1"));
    const refused = await cli(["gate", scenario, "--junit", junit, "--markdown", markdown, "--jobs", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("unknown key `bogusKey`");
    expect(refused.err).toContain(`aftershock: wrote ${junit} (the refusal of the gate's input)`);

    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain('<testsuites name="aftershock gate" tests="1" failures="0" errors="1" skipped="0"');
    expect(xml).toMatch(/<testcase name="[^"]*small\.yaml input refused" [^>]*line="\d+">/);
    expect(xml).toContain("unknown key `bogusKey`");
    expect(xml).not.toContain('name="seed"');
    if (XMLLINT) expect(schemaErrors(junit)).toBe("");
    const md = readFileSync(markdown, "utf8");
    expect(md).toContain("❌ failed: 1 of 1 checks (0 failed, 1 not judged) (exit 2)");
    expect(md).toContain("unknown key \\`bogusKey\\`");
  });

  it("writes no report whose own path was refused, and the others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-refused-"));
    const scenario = join(dir, "small.yaml");
    copyFileSync(PASS, scenario);
    // The Markdown report would overwrite the scenario: refused, and not written.
    const junit = join(dir, "gate.xml");
    const before = readFileSync(scenario, "utf8");
    const r = await cli(["gate", scenario, "--junit", junit, "--markdown", scenario, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(readFileSync(scenario, "utf8")).toBe(before);
    expect(readFileSync(junit, "utf8")).toMatch(/errors="1"/);

    // Both reports onto one file: neither is written.
    const both = join(dir, "both.out");
    const twice = await cli(["gate", scenario, "--junit", both, "--markdown", both, "--jobs", "1"]);
    expect(twice.code).toBe(2);
    expect(existsSync(both)).toBe(false);
  });

  it("refuses a bad option with the rest of its input, and writes the refusal over an earlier pass", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-refused-"));
    const scenario = join(dir, "small.yaml");
    copyFileSync(PASS, scenario);
    const junit = join(dir, "gate.xml");
    expect((await cli(["gate", scenario, "--junit", junit, "--jobs", "1"])).code).toBe(0);
    for (const bad of [
      ["--jobs", "0"],
      ["--explore", "x"],
      ["--scheduler", "examples/reintroduced-bug1.mjs", "--update-golden"],
    ]) {
      writeFileSync(junit, readFileSync(junit, "utf8").replace(/errors="\d+"/, 'errors="0"'));
      const r = await cli(["gate", scenario, "--junit", junit, ...bad]);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(readFileSync(junit, "utf8"), bad.join(" ")).toMatch(/<testsuites [^>]*errors="1"/);
    }
  });

  it("writes the refusal to stdout when it is the only output there, for a job's step summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-refused-"));
    const scenario = join(dir, "bad.yaml");
    writeFileSync(scenario, "name: bad\nfleet:\n  workers: lots\n");
    // /dev/null is a stream too, but not stdout: it takes nothing from the one report there.
    const r = await cli(["gate", scenario, "--markdown", "-", "--junit", "/dev/null"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^## aftershock gate\n/);
    expect(r.out).toContain("fleet.workers: wrong type");
    expect(r.err).toContain("aftershock: wrote stdout (the refusal of the gate's input)");
  });

  it("writes no report of the refusal to stdout, where it would mix with --json's object", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-refused-"));
    const scenario = join(dir, "bad.yaml");
    writeFileSync(scenario, "name: bad\nfleet:\n  workers: lots\n");
    for (const out of ["-", "/dev/stdout"]) {
      const r = await cli(["gate", scenario, "--json", "--junit", out]);
      expect(r.code, out).toBe(2);
      expect(r.out, out).not.toContain("<?xml");
      expect(JSON.parse(r.out).problems.length, out).toBeGreaterThan(0);
      expect(r.err, out).not.toContain("the refusal of the gate's input");
    }
  });
});

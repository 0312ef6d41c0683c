// Shows that compare, and run, why and train with --variant or another --scheduler, say on stderr when a scenario names a scheduler module that something else runs in place of.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { StuckStepWatch } from "../../src/cli/stuck-step.js";
import { BUILT, cli, cliBuilt } from "../gate/helpers.js";

const MODULE = `function* main(rt) { for (;;) yield rt.sleep(1000); }
export default { name: "idle", fixes: [], create: (fixes) => ({ name: "idle", fixes: [...fixes], main }) };
`;

/** `scen/s.yaml` whose scheduler is `scheduler`, beside `mods/idle.mjs`; the scenario's path. */
function scenario(scheduler: string): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-compare-module-"));
  mkdirSync(join(dir, "mods"));
  mkdirSync(join(dir, "scen"));
  writeFileSync(join(dir, "mods", "idle.mjs"), MODULE);
  const text = `name: s\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 3m\nfleet: { workers: 2, partitions: 4 }\nscheduler: ${scheduler}\n`;
  writeFileSync(join(dir, "scen", "s.yaml"), text);
  return join(dir, "scen", "s.yaml");
}

describe("compare of a scenario naming a scheduler module", () => {
  it("says on stderr that the bundled variants run in the module's place, with or without --json", async () => {
    const path = scenario("{ module: ../mods/idle.mjs }");
    const said = `aftershock: ${path} names the scheduler module ../mods/idle.mjs; comparing the bundled variants`;
    const plain = await cli(["compare", path]);
    expect(plain.code).toBe(0);
    expect(plain.err).toBe(`${said} buggy, fixed in its place\n`);
    const json = await cli(["compare", path, "--variants", "buggy,v1", "--json"]);
    expect(json.err).toBe(`${said} buggy, v1 in its place\n`);
    expect(() => JSON.parse(json.out)).not.toThrow();
  });

  it.skipIf(!BUILT)("imports the module on no worker thread when only the bundled variants run", () => {
    const path = scenario("{ module: ../mods/idle.mjs }");
    const log = join(path, "..", "..", "imported.log");
    // The module notes each thread that imports it (its top-level code runs once per import).
    writeFileSync(
      join(path, "..", "..", "mods", "idle.mjs"),
      `import { appendFileSync } from "node:fs";\nimport { threadId } from "node:worker_threads";\nappendFileSync(${JSON.stringify(log)}, \`\${threadId}\\n\`);\n${MODULE}`,
    );
    const r = cliBuilt(["compare", path, "--json"]);
    expect(r.code, r.err).toBe(0);
    // Loaded on the main thread (thread 0), which checks every module a scenario names; the
    // thread that runs the fixed variant imports nothing it does not run.
    expect(readFileSync(log, "utf8").trim().split("\n").map(Number)).toEqual([0]);
  });

  it("says that --scheduler naming the module runs it beside the bundled variants, not that they replace it", async () => {
    const path = scenario("{ module: ../mods/idle.mjs }");
    const r = await cli(["compare", path, "--scheduler", join(path, "..", "..", "mods", "idle.mjs")]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(
      `aftershock: ${path} names the scheduler module ../mods/idle.mjs; comparing it, as --scheduler asks, beside the bundled variant fixed\n`,
    );
  });

  it("watches no run for a stuck step when only the bundled variants run", async () => {
    // Only a module can loop without yielding: the bundled variants in its place cannot.
    const start = vi.spyOn(StuckStepWatch, "start");
    try {
      const r = await cli(["compare", scenario("{ module: ../mods/idle.mjs }")]);
      expect(r.code, r.err).toBe(0);
      expect(start).not.toHaveBeenCalled();
    } finally {
      start.mockRestore();
    }
  });

  it("says nothing of a bundled scheduler", async () => {
    const r = await cli(["compare", scenario("{ version: v2 }")]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
  });
});

describe("run, why and train of a scenario naming a scheduler module", () => {
  const path = scenario("{ module: ../mods/idle.mjs }");
  const names = `aftershock: ${path} names the scheduler module ../mods/idle.mjs;`;

  it("say on stderr that --variant runs a bundled variant in the module's place, --json stdout unchanged", async () => {
    const said = `${names} running the bundled variant buggy in its place, as --variant asks\n`;
    const run = await cli(["run", path, "--variant", "buggy", "--json"]);
    expect(run.code).toBe(0);
    expect(run.err).toBe(said);
    expect(Object.keys(JSON.parse(run.out) as object)).not.toContain("warnings");
    const why = await cli(["why", path, "--variant", "buggy", "0", "--json"]);
    expect(why.err).toBe(said);
    expect(() => JSON.parse(why.out)).not.toThrow();
    const script = join(path, "..", "script.txt");
    writeFileSync(script, "quit\n");
    const train = await cli(["train", path, "--variant", "buggy", "--script", script]);
    expect(train.err).toBe(said);
  });

  it("say that --scheduler runs a bundled scheduler or another module in its place, and nothing of the module itself", async () => {
    const bundled = await cli(["run", path, "--scheduler", "v2", "--quiet"]);
    expect(bundled.err).toBe(`${names} running the bundled v2 in its place, as --scheduler asks\n`);
    const other = join(path, "..", "other.mjs");
    writeFileSync(other, MODULE);
    const moduleRun = await cli(["run", path, "--scheduler", other, "--quiet"]);
    expect(moduleRun.err).toBe(`${names} running ${other} in its place, as --scheduler asks\n`);
    const ownModule = join(path, "..", "..", "mods", "idle.mjs");
    const own = await cli(["run", path, "--scheduler", ownModule, "--quiet"]);
    expect(own.err).toBe("");
    expect((await cli(["run", path, "--quiet"])).err).toBe("");
  });

  it("say nothing when --scheduler reaches the module through a symbolic link, as compare tells it", async () => {
    // A link to the project's folder: "$PWD/mods/idle.mjs" in a shell that came in through it.
    const linked = mkdtempSync(join(tmpdir(), "aftershock-linked-"));
    symlinkSync(join(path, "..", ".."), join(linked, "project"), "dir");
    const throughLink = join(linked, "project", "mods", "idle.mjs");
    const run = await cli(["run", path, "--scheduler", throughLink, "--quiet"]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toBe("");
    const compare = await cli(["compare", path, "--scheduler", throughLink]);
    expect(compare.err).toBe(
      `${names} comparing it, as --scheduler asks, beside the bundled variant fixed\n`,
    );
    // The scenario expects nothing: one explored seed gives the gate something to run.
    const gate = await cli(["gate", path, "--scheduler", throughLink, "--jobs", "1", "--explore", "1"]);
    expect(gate.code, gate.err).toBe(0);
    expect(gate.err).not.toContain("names the scheduler module");
  });
});

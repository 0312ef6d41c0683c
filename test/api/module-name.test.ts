// Shows runScenario names a scenario's scheduler module as `aftershock run` does, by its path from the scenario's folder however the file spells it (an absolute path too), so one module is registered under one name and gives one trace hash.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  bundledSchedulers,
  compileScenario,
  parseScenario,
  runScenario,
  type SchedulerFactory,
  scenarioModuleNaming,
} from "../../src/index.js";
import { cli } from "../gate/helpers.js";

const TINY = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");
const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs");
const home = process.cwd();

afterEach(() => process.chdir(home));

/** A project with `mods/bug.mjs` and `scen/own.yaml`, whose scheduler is the module by its absolute path. */
function project(): { dir: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-api-module-"));
  mkdirSync(join(dir, "mods"));
  mkdirSync(join(dir, "scen"));
  copyFileSync(EXAMPLE, join(dir, "mods", "bug.mjs"));
  const text = `${readFileSync(TINY, "utf8")}scheduler: { module: ${join(dir, "mods", "bug.mjs")} }\n`;
  writeFileSync(join(dir, "scen", "own.yaml"), text);
  return { dir, text };
}

describe("a scenario's module in the programmatic API", () => {
  it("is named by its path from the scenario's folder when the file gives an absolute one, as the CLI names it", async () => {
    const { dir, text } = project();
    process.chdir(dir);
    const r = await cli(["run", "scen/own.yaml", "--json"]);
    expect(r.err).toBe("");
    const cliReport = JSON.parse(r.out) as { traceHash: string; variant: { scheduler: string } };
    expect(cliReport.variant.scheduler).toBe("module:../mods/bug.mjs");

    const { scheduler } = (await import(join(dir, "mods", "bug.mjs"))) as { scheduler: SchedulerFactory };
    const schedulers = bundledSchedulers().set("module:../mods/bug.mjs", scheduler);
    // The file's path from the working folder, as the CLI was given it, and its absolute path.
    for (const file of ["scen/own.yaml", join(dir, "scen", "own.yaml")]) {
      const { report } = runScenario(text, { schedulers }, file);
      expect(report.variant.scheduler, file).toBe("module:../mods/bug.mjs");
      expect(report.traceHash, file).toBe(cliReport.traceHash);
    }
    // Registered by the path the file writes, it is not found: the error names the one to use.
    const absolute = bundledSchedulers().set(`module:${join(dir, "mods", "bug.mjs")}`, scheduler);
    expect(() => runScenario(text, { schedulers: absolute }, "scen/own.yaml")).toThrow(
      'under the name "module:../mods/bug.mjs"',
    );
  });

  it("is named so for an exploration of the scenario's seeds when compiled with scenarioModuleNaming", () => {
    const { dir, text } = project();
    const file = join(dir, "scen", "own.yaml");
    const parsed = parseScenario(text, file);
    if (!parsed.ok) throw new Error("the scenario does not parse");
    expect(compileScenario(parsed.scenario).config.scheduler.name).toBe(
      `module:${join(dir, "mods", "bug.mjs")}`,
    );
    const base = compileScenario(parsed.scenario, scenarioModuleNaming(file));
    expect(base.config.scheduler.name).toBe("module:../mods/bug.mjs");
  });

  it("is judged by the expectations the gate judges its run by, as run judges it", async () => {
    const { dir, text } = project();
    process.chdir(dir);
    const { scheduler } = (await import(join(dir, "mods", "bug.mjs"))) as { scheduler: SchedulerFactory };
    const schedulers = bundledSchedulers().set("module:../mods/bug.mjs", scheduler);
    // No fixes: the gate's `buggy` run of the module, which the scenario expects to cascade.
    const { report, expectations } = runScenario(text, { schedulers }, "scen/own.yaml");
    expect(report.metrics.cascade).toBe(true);
    expect(expectations.map((e) => [e.name, e.ok])).toEqual([["no-cascade fails", true]]);
    const quiet = await cli(["run", "scen/own.yaml", "--quiet"]);
    expect(quiet.out).toContain("expectations: all 1 met");
  });
});

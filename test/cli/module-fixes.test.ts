// Shows that a scenario switches on a scheduler module's own fixes (its scheduler and its deploys), checked against the fixes the module declares at the fix's line and column, and in the module's order.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

/** A module that idles and declares the fixes `fast-path` and `slow-path`, in that order. */
const MODULE = `function* main(rt) { for (;;) yield rt.sleep(1000); }
export const scheduler = {
  name: "custom",
  fixes: ["fast-path", "slow-path"],
  create: (fixes) => ({ name: "custom", fixes: [...fixes], main }),
};
`;

function scenarioText(scheduler: string, deploy = ""): string {
  return [
    "name: module-fixes",
    "description: a module's own fixes",
    "start: 2026-05-08T09:30:00Z",
    "duration: 5m",
    "fleet: { workers: 2, partitions: 4 }",
    `scheduler: ${scheduler}`,
    ...(deploy === "" ? [] : ["timeline:", `  - ${deploy}`]),
    "",
  ].join("\n");
}

/** A folder with `mods/custom.mjs` and `scen/s.yaml` holding `text`; the scenario's path. */
function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-module-fixes-"));
  mkdirSync(join(dir, "mods"));
  mkdirSync(join(dir, "scen"));
  writeFileSync(join(dir, "mods", "custom.mjs"), MODULE);
  writeFileSync(join(dir, "scen", "s.yaml"), text);
  return join(dir, "scen", "s.yaml");
}

interface Report {
  traceHash: string;
  variant: { scheduler: string; fixes: string[] };
}

async function runJson(path: string): Promise<Report> {
  const r = await cli(["run", path, "--json"]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Report;
}

describe("a scenario naming a scheduler module", () => {
  it("switches on the module's own fixes, in the module's order however written", async () => {
    const scenario = project(scenarioText("{ module: ../mods/custom.mjs, fixes: [slow-path, fast-path] }"));
    const v = await cli(["validate", scenario]);
    expect(v.err).toBe("");
    expect(v.code).toBe(0);
    const written = await runJson(scenario);
    expect(written.variant).toMatchObject({
      scheduler: "module:../mods/custom.mjs",
      fixes: ["fast-path", "slow-path"],
    });
    const ordered = await runJson(
      project(scenarioText("{ module: ../mods/custom.mjs, fixes: [fast-path, slow-path, fast-path] }")),
    );
    expect(ordered.traceHash).toBe(written.traceHash);
  });

  it("deploys a module with its own fixes", async () => {
    const scenario = project(
      scenarioText(
        "{ version: v2 }",
        '{ at: "+1m", action: deploy, module: ../mods/custom.mjs, fixes: [slow-path] }',
      ),
    );
    const v = await cli(["validate", scenario]);
    expect(v.err).toBe("");
    expect(v.code).toBe(0);
  });

  it("refuses a fix the module does not declare at the fix's line and column, naming the module's fixes", async () => {
    const scheduler = project(
      scenarioText("{ module: ../mods/custom.mjs, fixes: [fast-path, early-return] }"),
    );
    for (const command of ["validate", "run"]) {
      const r = await cli([command, scheduler]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        's.yaml:6:61: error: scheduler.fixes[1]: ../mods/custom.mjs has no fix "early-return" (expected one of fast-path, slow-path',
      );
    }
    const deploy = project(
      scenarioText(
        "{ version: v2 }",
        '{ at: "+1m", action: deploy, module: ../mods/custom.mjs, fixes: [nope] }',
      ),
    );
    const r = await cli(["validate", deploy]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      's.yaml:8:70: error: timeline[0].fixes[0]: ../mods/custom.mjs has no fix "nope" (expected one of fast-path, slow-path',
    );
  });

  it("keeps the bundled fixes for a version, with a suggestion", async () => {
    const r = await cli(["validate", project(scenarioText("{ version: v2, fixes: [early-retrun] }"))]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      's.yaml:6:35: error: scheduler.fixes[0]: unknown fix "early-retrun" (expected one of early-return, panic-recovery',
    );
    expect(r.err).toContain("did you mean early-return?");
    const deploy = await cli([
      "validate",
      project(
        scenarioText("{ version: v2 }", '{ at: "+1m", action: deploy, scheduler: v2, fixes: [fast-path] }'),
      ),
    ]);
    expect(deploy.code).toBe(2);
    expect(deploy.err).toContain(
      'timeline[0].fixes[0]: unknown fix "fast-path" (expected one of early-return',
    );
  });
});

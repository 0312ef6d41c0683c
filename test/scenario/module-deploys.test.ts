// Shows that a deploy of v2 in a scenario whose scheduler is a module is warned of (it deploys the module), that `bundled: true` deploys the bundled v2 instead, and that a deploy of the module by its path is not warned of.
import { describe, expect, it } from "vitest";
import { moduleStandsForV2, substituteScheduler } from "../../src/explore/gate-scheduler.js";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";

const HEAD =
  "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nworkload: { accounts: 2 }\n";
const MODULE = "scheduler: { module: ./mods/v3.mjs }\n";

function parsed(scheduler: string, deploys: string[]) {
  const text = `${HEAD}${scheduler}timeline:\n${deploys.map((d) => `  - ${d}\n`).join("")}`;
  return parseScenario(text, "s.yaml");
}

function warnings(scheduler: string, deploys: string[]) {
  const result = parsed(scheduler, deploys);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.warnings.filter((w) => w.code === "module-stands-in");
}

describe("a deploy of v2 in a scenario whose scheduler is a module", () => {
  it("is warned of, with fixes or without, at its scheduler", () => {
    const found = warnings(MODULE, [
      '{ at: "+1m", action: deploy, scheduler: v2 }',
      '{ at: "+2m", action: deploy, scheduler: v2, fixes: [early-return, panic-recovery] }',
    ]);
    expect(found.map((w) => [w.severity, w.path.join("."), w.line, w.column])).toEqual([
      ["warning", "timeline.0.scheduler", 8, 45],
      ["warning", "timeline.1.scheduler", 9, 45],
    ]);
    expect(found[0].message).toBe(
      "timeline[0].scheduler: this deploys ./mods/v3.mjs in a run that starts with it, where it stands for v2, not the bundled v2 (a run that starts with a bundled variant, `--variant`, deploys the bundled v2): give `bundled: true` to deploy the bundled v2 in every run, or write `module: ./mods/v3.mjs` in place of `scheduler: v2` to deploy the module in every run",
    );
  });

  it("is not warned of when written as the warning's other way, a deploy of the module by its path", () => {
    expect(
      warnings(MODULE, [
        '{ at: "+1m", action: deploy, module: ./mods/v3.mjs }',
        '{ at: "+2m", action: deploy, module: ./mods/v3.mjs, fixes: [early-return] }',
      ]),
    ).toEqual([]);
  });

  it("is not warned of when marked bundled, nor a deploy of v1, nor in a scenario that starts with v2", () => {
    expect(
      warnings(MODULE, [
        '{ at: "+1m", action: deploy, scheduler: v2, bundled: true }',
        '{ at: "+2m", action: deploy, scheduler: v1 }',
      ]),
    ).toEqual([]);
    expect(
      warnings("scheduler: { version: v2 }\n", ['{ at: "+1m", action: deploy, scheduler: v2 }']),
    ).toEqual([]);
  });

  it("refuses bundled: true on a deploy of a module, and on a deploy of v1", () => {
    const result = parsed(MODULE, ['{ at: "+1m", action: deploy, module: ./mods/v4.mjs, bundled: true }']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["conflict", "timeline.0.bundled"],
    ]);
    const v1 = parsed(MODULE, ['{ at: "+1m", action: deploy, scheduler: v1, bundled: true }']);
    expect(v1.ok).toBe(false);
    if (v1.ok) return;
    expect(v1.issues.map((i) => [i.code, i.path.join("."), i.message])).toEqual([
      [
        "conflict",
        "timeline.0.bundled",
        "timeline[0].bundled: `bundled: true` goes with `scheduler: v2`: no module stands for v1",
      ],
    ]);
    // `bundled: false` says nothing, and is taken with v1 as with v2.
    expect(parsed(MODULE, ['{ at: "+1m", action: deploy, scheduler: v1, bundled: false }']).ok).toBe(true);
  });

  it("deploys the module in v2's place unless marked bundled, which deploys the bundled v2", () => {
    const result = parsed(MODULE, [
      '{ at: "+1m", action: deploy, scheduler: v2, fixes: [early-return] }',
      '{ at: "+2m", action: deploy, scheduler: v2, fixes: [early-return], bundled: true }',
    ]);
    if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
    const compiled = compileScenario(result.scenario);
    const name = compiled.config.scheduler.name;
    const schedulers = bundledSchedulers();
    schedulers.set(name, { ...schedulers.get("v2")!, fixes: [] } as SchedulerFactory);
    const deployed = (timeline: typeof compiled.config.timeline) =>
      timeline.map((a) => (a.action === "deploy" ? [a.scheduler, a.fixes] : null));
    const own = moduleStandsForV2(compiled.config, schedulers);
    expect(deployed(own.timeline)).toEqual([
      [name, []],
      ["v2", ["early-return"]],
    ]);
    // The same with a module given in v2's place (`--scheduler`, the gate's).
    const other = substituteScheduler(compiled, { name: "module:./other.mjs", fixes: [] });
    expect(deployed(other.config.timeline)).toEqual([
      ["module:./other.mjs", []],
      ["v2", ["early-return"]],
    ]);
  });
});

// Shows how an exploration of a user's scheduler module describes its failures on the pool's threads: a reproducer is still named for its failure (and so replays and gates) after a signal; a shrink cut in its first world because that world hung keeps it, unnamed, rather than hang on it again, and says so; and a plan given through the API whose document names the module otherwise than its threads know it still shrinks, in this thread.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { explore } from "../../src/explore/explore.js";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { reproducerName } from "../../src/explore/reproducer-world.js";
import { exploredVariantOf, type RunPlan } from "../../src/explore/run-one.js";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { BUILT, ROOT } from "../gate/helpers.js";
import {
  type GoroutineModule,
  goroutineModule,
  registryWith,
  stuckInSecondWorld,
} from "./goroutine-modules.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-module-failure-threads-"));
const TINY = readFileSync(join(ROOT, "test/cli/fixtures/tiny.yaml"), "utf8").replace(/^expect:[\s\S]*$/m, "");

/** Panics in every world: every run fails no-panic-death. */
const PANICS = goroutineModule(dir, "panics", 'yield rt.sleep(1000); throw new Error("a panic");');
const STUCK_SECOND = goroutineModule(dir, "stuck-second", stuckInSecondWorld("stuckSecond"));
const STUCK_AFTER_SIGNAL = goroutineModule(dir, "stuck-after-signal", stuckInSecondWorld("stuckAfterSignal"));

/** The tiny scenario run by `m`, as a scenario plan and its document, the module written `as`. */
function scenarioPlan(m: GoroutineModule, as: string) {
  const document = {
    ...(YAML.parse(TINY) as ScenarioDocument),
    scheduler: { module: as },
  } as ScenarioDocument;
  const parsed = parseScenario(TINY, "tiny.yaml");
  if (!parsed.ok) throw new Error("tiny.yaml does not parse");
  const base = compileScenario(parsed.scenario);
  const plan: RunPlan = {
    mode: "scenario",
    variant: null,
    properties: ["no-panic-death"],
    base: { ...base, config: { ...base.config, scheduler: { name: m.ref.name, fixes: [] } } },
    baseSeed: 5,
    schedulerModules: [m.ref],
  };
  return { plan, document };
}

describe.skipIf(!BUILT)("a user's module's failures, described on the pool's threads (needs dist/)", () => {
  it("after a signal, runs the failing world once more under its reproducer's name", async () => {
    const plan: RunPlan = {
      mode: "generated",
      variant: "fixed",
      properties: ["no-panic-death"],
      constraints: sized(PROPERTY_SIZED),
      seed: 1,
      module: { path: PANICS.file, fixes: [] },
      schedulerModules: [PANICS.ref],
    };
    const signal = new AbortController();
    const outcome = await explore({
      plan,
      runs: 2,
      jobs: 1,
      schedulers: await registryWith(PANICS),
      signal: signal.signal,
      // Ctrl-C (SIGTERM) as the search ends: the failure is not shrunk.
      onSearched: () => signal.abort(),
    });
    const [failure] = outcome.failures;
    expect(failure.shrink).toMatchObject({ runs: 0, cutBy: "interrupted" });
    expect(failure.document?.name).toBe(reproducerName(failure.kind, exploredVariantOf(plan), failure.run));
    expect(failure.documentRun?.failed).toContain("no-panic-death");
  }, 60_000);

  it("after a signal, cuts that run short a few seconds on when the module hangs in it", async () => {
    const plan: RunPlan = {
      mode: "generated",
      variant: "fixed",
      properties: ["no-panic-death"],
      constraints: sized(PROPERTY_SIZED),
      seed: 1,
      module: { path: STUCK_AFTER_SIGNAL.file, fixes: [] },
      schedulerModules: [STUCK_AFTER_SIGNAL.ref],
    };
    const signal = new AbortController();
    const started = performance.now();
    const outcome = await explore({
      plan,
      runs: 2,
      jobs: 1,
      schedulers: await registryWith(STUCK_AFTER_SIGNAL),
      signal: signal.signal,
      onSearched: () => signal.abort(),
    });
    // Its second world, the naming run, hangs: cut 3 s on, not held to the 10-minute wall budget.
    expect(performance.now() - started).toBeLessThan(20_000);
    const [failure] = outcome.failures;
    expect(failure.document?.name).toBe("generated");
    expect(failure.documentRun?.failed).toContain("no-panic-death");
  }, 60_000);

  it("after a cut of a scenario's failing world run again, in which it hung, keeps that world and says so", async () => {
    const { plan, document } = scenarioPlan(STUCK_SECOND, STUCK_SECOND.file);
    const started = performance.now();
    const outcome = await explore({
      plan,
      document,
      runs: 1,
      jobs: 1,
      wallClock: () => performance.now(),
      shrinkTimeMsMax: 1_500,
      runCutGraceMs: 300,
      schedulers: await registryWith(STUCK_SECOND),
    });
    // Not held by the world that hangs: neither the shrink nor a run of it under another name.
    expect(performance.now() - started).toBeLessThan(20_000);
    const [failure] = outcome.failures;
    expect(failure.shrink).toMatchObject({ runs: 0, exhausted: true });
    expect(failure.shrink?.stuck).toMatch(/^a world it tried did not end: /);
    expect(failure.document?.name).toBe(document.name);
    expect(failure.documentRun).toBeNull();
  }, 60_000);

  it("shrinks in this thread a document naming the module otherwise than its threads know it", async () => {
    // The plan's threads know the module by its absolute path; its document names it from its folder.
    const { plan, document } = scenarioPlan(PANICS, "./panics.mjs");
    const outcome = await explore({
      plan,
      document,
      runs: 1,
      jobs: 1,
      shrinkRunsMax: 20,
      schedulers: await registryWith(PANICS, "module:./panics.mjs"),
    });
    const [failure] = outcome.failures;
    expect(failure.shrink?.runs).toBeGreaterThan(0);
    expect(failure.documentRun?.failed).toContain("no-panic-death");
  }, 60_000);
});

// Shows that the time budget bounds an exploration of a scheduler module whose step never returns: its run under way is cut short a grace after the budget ends (in this thread by the run's guard, on worker threads by stopping the thread), rather than hold the exploration to the run's own 10-minute wall-clock budget; a generated world's cut run is not judged and names the goroutine, so the module's loop is not taken for a clean exploration, while a scenario's seeds, which may take that long, end as a time budget does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { defaultWorkerFile } from "../../src/explore/pool.js";
import type { RunPlan } from "../../src/explore/run-one.js";
import { compileScenario, moduleSchedulerName } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";
import { BUILT, ROOT } from "../gate/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-time-budget-cut-"));
const MODULE = join(dir, "forever.mjs");
writeFileSync(
  MODULE,
  `export const scheduler = { name: "forever", description: "loops for ever", fixes: [], create() {
  return { name: "forever", fixes: [], main: function* () { for (;;) {} } };
} };
`,
);
const NAME = moduleSchedulerName(MODULE);
const REF = { name: NAME, url: pathToFileURL(MODULE).href };

async function schedulers() {
  const registry = bundledSchedulers();
  registry.set(NAME, ((await import(REF.url)) as { scheduler: SchedulerFactory }).scheduler);
  return registry;
}

const generated: RunPlan = {
  mode: "generated",
  variant: "fixed",
  properties: ["no-cascade"],
  constraints: sized(PROPERTY_SIZED),
  seed: 1,
  module: { path: MODULE, fixes: [] },
  schedulerModules: [REF],
};

/**
 * Explores `plan` with a 300 ms grace past the time budget (200 ms in this thread; 2 s on worker
 * threads, whose start takes part of it): it ends within seconds, not at the 10-minute wall budget.
 */
async function budgeted(plan: RunPlan, jobs: number) {
  const started = performance.now();
  const outcome = await explore({
    plan,
    runs: 4,
    jobs,
    wallClock: () => performance.now(),
    timeBudgetMs: jobs === 1 ? 200 : 2_000,
    runCutGraceMs: 300,
    schedulers: await schedulers(),
    workerFile: defaultWorkerFile(),
  });
  const tookMs = performance.now() - started;
  // Not sooner: a run was under way until it was cut.
  expect(tookMs).toBeGreaterThanOrEqual((jobs === 1 ? 200 : 2_000) + 300);
  return { outcome, tookMs };
}

describe.skipIf(!BUILT)("a scheduler module's run still under way when the time budget has ended", () => {
  it("is cut short in this thread, and a generated world's is not judged, naming the goroutine", async () => {
    const { outcome, tookMs } = await budgeted(generated, 1);
    expect(tookMs).toBeLessThan(20_000);
    expect(outcome.stoppedBy).toBe("time-budget");
    expect(outcome.pool.kind).toBe("in-process");
    expect(outcome.completed).toBe(1);
    expect(outcome.notJudged?.runs).toBe(1);
    expect(outcome.notJudged?.first).toMatchObject({ run: 0, limit: "wallBudget" });
    expect(outcome.notJudged?.first.detail).toMatch(
      /^was still under way 0\.3 s after the exploration's time budget ended and was cut short: goroutine scheduler on w\d+#\d+ was stopped after [\d.]+ s: a goroutine step never returned/,
    );
  }, 30_000);

  it("is cut short on worker threads, one a thread, and a generated world's is not judged", async () => {
    const { outcome, tookMs } = await budgeted(generated, 2);
    expect(tookMs).toBeLessThan(20_000);
    expect(outcome.stoppedBy).toBe("time-budget");
    expect(outcome.pool.kind).toBe("worker-threads");
    // The two under way, none queued behind them: each thread's run.
    expect(outcome.completed).toBe(2);
    expect(outcome.notJudged?.runs).toBe(2);
    expect(outcome.notJudged?.first.detail).toBe(
      "was still under way 0.3 s after the exploration's time budget ended and was cut short: its thread was still busy and was stopped: a goroutine step never returned (a loop in the scheduler that neither yields nor calls the runtime)",
    );
  }, 30_000);

  it("is left out of a scenario's seeds, which end as the time budget ends them", async () => {
    const text = `${await import("node:fs").then((fs) => fs.readFileSync(join(ROOT, "test/cli/fixtures/tiny.yaml"), "utf8"))}`;
    const parsed = parseScenario(text, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const base = compileScenario(parsed.scenario);
    const plan: RunPlan = {
      mode: "scenario",
      variant: null,
      properties: ["no-cascade"],
      base: { ...base, config: { ...base.config, scheduler: { name: NAME, fixes: [] } } },
      baseSeed: 1,
      schedulerModules: [REF],
    };
    for (const jobs of [1, 2]) {
      const { outcome, tookMs } = await budgeted(plan, jobs);
      expect(tookMs).toBeLessThan(20_000);
      expect(outcome.stoppedBy).toBe("time-budget");
      expect(outcome.completed).toBe(0);
      expect(outcome.notJudged).toBeNull();
    }
  }, 60_000);
});

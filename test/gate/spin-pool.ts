// The gate's worker pool given runs of a scheduler module that spins in one step, past a 200 ms wall budget.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { runInPool } from "../../src/cli/gate-runner.js";
import type { GateRun } from "../../src/explore/gate.js";
import { ROOT } from "./helpers.js";

export const PASS = "test/gate/fixtures/pass/small-cascade.yaml";
const SPIN = `export const scheduler = { name: "pure-spin", description: "", fixes: [], create() {
  return { name: "pure-spin", fixes: [], main: function* () { for (;;) {} } };
} };
`;

export const ENTRY = pathToFileURL(join(ROOT, "dist/bundle/cli/gate-worker.js"));

/** The gate's runs of small-cascade's fixed variant, in these roles. */
export function spinRuns(roles: readonly GateRun["role"][]): GateRun[] {
  return roles.map((role) => ({ scenario: 0, variant: "fixed", seed: 42, role }));
}

/** A pool's start: small-cascade with a 200 ms wall budget, run by a module that spins in one step. */
export function spinInit() {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-watchdog-"));
  const module = join(dir, "spin.mjs");
  writeFileSync(module, SPIN);
  const text = `${readFileSync(join(ROOT, PASS), "utf8")}\nlimits: { wallBudget: 200ms }\n`;
  return { scenarios: [{ file: join(dir, "small.yaml"), text }], schedulerModule: module, cwd: dir };
}

/**
 * A first, second and fresh run of the spinning module on `jobs` threads: the wall clock stops the
 * first, the fresh run is not made (not run, in the first's words), and the progress counts all three.
 */
export async function expectNoFreshRunAfterStoppedFirst(jobs: number): Promise<void> {
  const runs = spinRuns(["first", "second", "fresh"]);
  const done: number[] = [];
  const results = await runInPool(ENTRY, spinInit(), runs, jobs, (n) => done.push(n), {
    wallBudgetsMs: [200, 200, 200],
    graceMs: 300,
  });
  expect(done).toEqual([1, 2, 3]);
  expect(results.map((r) => r.notRun === true)).toEqual([false, true, true]);
  expect(results[2]).toMatchObject({ stopReason: "wall-budget", report: null, wallMs: 0 });
  // The first's own words: a third run stuck in turn would say how long its thread was busy.
  expect(results[2].detail).toBe(results[0].detail);
}

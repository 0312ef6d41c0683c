// The gate's worker threads are watched: a run whose thread is stuck past its wall-clock budget (a scheduler loop that never yields nor calls the runtime) is stopped and reported, not waited on forever.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runInPool } from "../../src/cli/gate-runner.js";
import type { GateRun } from "../../src/explore/gate.js";
import { BUILT, ROOT } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";
const SPIN = `export const scheduler = { name: "pure-spin", description: "", fixes: [], create() {
  return { name: "pure-spin", fixes: [], main: function* () { for (;;) {} } };
} };
`;

const ENTRY = pathToFileURL(join(ROOT, "dist/bundle/cli/gate-worker.js"));

/** The gate's runs of small-cascade's fixed variant, in these roles. */
function spinRuns(roles: readonly GateRun["role"][]): GateRun[] {
  return roles.map((role) => ({ scenario: 0, variant: "fixed", seed: 42, role }));
}

/** A pool's start: small-cascade with a 200 ms wall budget, run by a module that spins in one step. */
function spinInit() {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-watchdog-"));
  const module = join(dir, "spin.mjs");
  writeFileSync(module, SPIN);
  const text = `${readFileSync(join(ROOT, PASS), "utf8")}\nlimits: { wallBudget: 200ms }\n`;
  return { scenarios: [{ file: join(dir, "small.yaml"), text }], schedulerModule: module, cwd: dir };
}

describe.skipIf(!BUILT)(
  "the gate's worker-thread watchdog (skipped without dist/: run `npm run build`)",
  () => {
    it("stops a thread stuck past the wall budget, reports its run as stopped by it, and goes on in a fresh thread", async () => {
      const runs = spinRuns(["first", "second"]);
      const results = await runInPool(ENTRY, spinInit(), runs, 1, () => {}, {
        wallBudgetsMs: [200, 200],
        graceMs: 300,
      });
      expect(results).toHaveLength(2);
      for (const r of results) {
        expect(r.stopReason).toBe("wall-budget");
        expect(r.report).toBeNull();
        expect(r.detail).toMatch(/^hit the wall-clock budget \(200 ms\): its thread was still busy [\d.]+ s/);
        expect(r.detail).toContain("neither yields nor calls the runtime");
      }
    }, 20_000);

    it.each([1, 2])(
      "with --jobs %i, does not make a module's run on a new thread when the wall clock stopped its first",
      async (jobs) => {
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
      },
      20_000,
    );

    it("starts no thread in place of a stopped one when no run is left for it", async () => {
      const dir = mkdtempSync(join(tmpdir(), "aftershock-watchdog-"));
      const module = join(dir, "spin-buggy.mjs");
      const loads = join(dir, "loads.txt");
      const example = pathToFileURL(join(ROOT, "examples/reintroduced-bug1.mjs")).href;
      // Each thread that loads the module says so; created with no fixes (buggy) it spins.
      writeFileSync(
        module,
        `import { appendFileSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { scheduler as base } from ${JSON.stringify(example)};
appendFileSync(${JSON.stringify(loads)}, threadId + "\\n");
export const scheduler = { ...base, name: "spin-buggy", create(fixes) {
  return fixes.length > 0 ? base.create(fixes) : { name: "spin-buggy", fixes: [], main: function* () { for (;;) {} } };
} };
`,
      );
      // The spinning runs stop 0.5 s in; the May 8 scenario's fixed runs go on for seconds after.
      const tight = `${readFileSync(join(ROOT, PASS), "utf8")}\nlimits: { wallBudget: 200ms }\n`;
      const may8 = join(ROOT, "scenarios/qstash-2026-05-08.yaml");
      const init = {
        scenarios: [
          { file: join(dir, "tight.yaml"), text: tight },
          { file: may8, text: readFileSync(may8, "utf8") },
        ],
        schedulerModule: module,
        cwd: dir,
      };
      const runs: GateRun[] = [
        ...(["first", "second"] as const).map((role) => ({ scenario: 0, variant: "buggy", seed: 42, role })),
        ...(["first", "second"] as const).map((role) => ({
          scenario: 1,
          variant: "fixed",
          seed: 20260508,
          role,
        })),
      ];
      const results = await runInPool(ENTRY, init, runs, 2, () => {}, {
        wallBudgetsMs: runs.map((run) => (run.scenario === 0 ? 200 : undefined)),
        graceMs: 300,
      });
      expect(results[0].detail).toContain("its thread was still busy");
      expect(results[2].stopReason).toBe("horizon");
      // Two threads, one per batch: none started in the stopped one's place, with nothing to run.
      expect(readFileSync(loads, "utf8").trim().split("\n")).toHaveLength(2);
    }, 60_000);

    it("makes the new-thread run of one variant while another's first still runs, and dates a run not made by its first", async () => {
      const dir = mkdtempSync(join(tmpdir(), "aftershock-watchdog-"));
      const module = join(dir, "spin-buggy.mjs");
      // The example scheduler, but spinning in one step when created with no fixes (buggy).
      const example = pathToFileURL(join(ROOT, "examples/reintroduced-bug1.mjs")).href;
      writeFileSync(
        module,
        `import { scheduler as base } from ${JSON.stringify(example)};
export const scheduler = { ...base, name: "spin-buggy", create(fixes) {
  return fixes.length > 0 ? base.create(fixes) : { name: "spin-buggy", fixes: [], main: function* () { for (;;) {} } };
} };
`,
      );
      // The spinning variant's scenario has a 200 ms budget; the other's the default, far above
      // what its runs take, so that only the spinning run is stopped, whatever the machine's load.
      const tight = `${readFileSync(join(ROOT, PASS), "utf8")}\nlimits: { wallBudget: 200ms }\n`;
      const init = {
        scenarios: [
          { file: join(dir, "tight.yaml"), text: tight },
          { file: join(dir, "small.yaml"), text: readFileSync(join(ROOT, PASS), "utf8") },
        ],
        schedulerModule: module,
        cwd: dir,
      };
      const runs: GateRun[] = [
        ...(["first", "second"] as const).map((role) => ({ scenario: 0, variant: "buggy", seed: 42, role })),
        ...(["first", "second"] as const).map((role) => ({ scenario: 1, variant: "fixed", seed: 42, role })),
        { scenario: 0, variant: "buggy", seed: 42, role: "fresh" },
        { scenario: 1, variant: "fixed", seed: 42, role: "fresh" },
      ];
      const results = await runInPool(ENTRY, init, runs, 2, () => {}, {
        wallBudgetsMs: runs.map((run) => (run.scenario === 0 ? 200 : undefined)),
        graceMs: 1500,
        now: () => performance.now(),
      });
      const [buggyFirst, , , , buggyFresh, fixedFresh] = results;
      expect(buggyFirst.stopReason).toBe("wall-budget");
      expect(fixedFresh.stopReason).toBe("horizon");
      // Made on the other thread while buggy's first was still running, not after it was stopped.
      expect(fixedFresh.endedAtMs!).toBeLessThan(buggyFirst.endedAtMs!);
      expect(buggyFresh).toMatchObject({ notRun: true, wallMs: 0, endedAtMs: buggyFirst.endedAtMs });
    }, 20_000);
  },
);

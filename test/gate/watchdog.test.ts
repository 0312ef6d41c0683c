// The gate's worker threads are watched: a run whose thread is stuck past its wall-clock budget (a scheduler loop that never yields nor calls the runtime) is stopped and reported, not waited on forever.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runInPool } from "../../src/cli/gate-runner.js";
import type { GateRun } from "../../src/explore/gate.js";
import { BUILT, ROOT } from "./helpers.js";
import { ENTRY, expectNoFreshRunAfterStoppedFirst, PASS, spinInit, spinRuns } from "./spin-pool.js";

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
    }, 60_000);

    // With --jobs 2 alike, in the long tier (watchdog.long.test.ts).
    it("with --jobs 1, does not make a module's run on a new thread when the wall clock stopped its first", async () => {
      await expectNoFreshRunAfterStoppedFirst(1);
    }, 60_000);

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
      // The May 8 scenario's fixed runs come first in the plan, and go on for seconds; the thread
      // ready second takes the spinning runs, which stop 0.5 s in: both batches are taken by then,
      // however long a thread took to start on a loaded machine.
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
        ...(["first", "second"] as const).map((role) => ({
          scenario: 1,
          variant: "fixed",
          seed: 20260508,
          role,
        })),
        ...(["first", "second"] as const).map((role) => ({ scenario: 0, variant: "buggy", seed: 42, role })),
      ];
      const results = await runInPool(ENTRY, init, runs, 2, () => {}, {
        wallBudgetsMs: runs.map((run) => (run.scenario === 0 ? 200 : undefined)),
        graceMs: 300,
        now: () => performance.now(),
      });
      expect(results[2].detail).toContain("its thread was still busy");
      expect(results[0].stopReason).toBe("horizon");
      // Stopped before the May 8 batch was over: the pool was not done, and had a run been left, a
      // thread would have been started for it.
      expect(results[2].endedAtMs!).toBeLessThan(results[1].endedAtMs!);
      // Two threads, one per batch: none started in the stopped one's place, with nothing to run.
      expect(readFileSync(loads, "utf8").trim().split("\n")).toHaveLength(2);
    }, 120_000);

    it("makes the new-thread run of one variant while another's first still runs, and dates a run not made by its first", async () => {
      const dir = mkdtempSync(join(tmpdir(), "aftershock-watchdog-"));
      const module = join(dir, "spin-buggy.mjs");
      const released = join(dir, "released");
      // The example scheduler, but created with no fixes (buggy), held in one step until the
      // test releases it (blocked where its guard cannot stop it), then spinning: its first run
      // is still under way whatever time the other variant's runs take on a loaded machine.
      const example = pathToFileURL(join(ROOT, "examples/reintroduced-bug1.mjs")).href;
      const held = `for i in $(seq 1200); do [ -e '${released}' ] && exit 0; sleep 0.05; done`;
      writeFileSync(
        module,
        `import { execFileSync } from "node:child_process";
import { scheduler as base } from ${JSON.stringify(example)};
export const scheduler = { ...base, name: "spin-buggy", create(fixes) {
  return fixes.length > 0 ? base.create(fixes) : { name: "spin-buggy", fixes: [], main: function* () {
    execFileSync("sh", ["-c", ${JSON.stringify(held)}]);
    for (;;) {}
  } };
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
      // Held, buggy's first can end only once three runs are done: fixed's first, second and
      // fresh, when its fresh run is made while buggy's first runs. A pool that waited for it
      // would wait for the watchdog, 30 s on, which would end buggy's first before fixed's fresh.
      const release = (done: number) => {
        if (done === 3) writeFileSync(released, "");
      };
      let results: Awaited<ReturnType<typeof runInPool>>;
      try {
        results = await runInPool(ENTRY, init, runs, 2, release, {
          wallBudgetsMs: runs.map((run) => (run.scenario === 0 ? 200 : undefined)),
          graceMs: 30_000,
          now: () => performance.now(),
        });
      } finally {
        writeFileSync(released, "");
      }
      const [buggyFirst, , , , buggyFresh, fixedFresh] = results;
      expect(buggyFirst.stopReason).toBe("wall-budget");
      expect(fixedFresh.stopReason).toBe("horizon");
      // Made on the other thread while buggy's first was still running, not after it was stopped.
      expect(fixedFresh.endedAtMs!).toBeLessThan(buggyFirst.endedAtMs!);
      expect(buggyFresh).toMatchObject({ notRun: true, wallMs: 0, endedAtMs: buggyFirst.endedAtMs });
    }, 60_000);
  },
);

// A pool whose worker threads all fail as they load, opened again and again: what the pool's fallback tests count on.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { openPool } from "../../src/explore/pool.js";
import type { RunPlan } from "../../src/explore/run-one.js";

/**
 * A worker file whose threads fail as they load (as one importing a module it cannot load does),
 * each at its own moment: some before the pool has given up on them, some after. It waits
 * synchronously, not with a top-level await: Node 20's V8 aborts the whole process when a thread
 * is terminated while a module's top-level await is under way (nodejs/node#43182, #53238), which
 * a test of the pool's fallback would meet now and then.
 */
export function failingWorkerFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-pool-")), "failing-worker.mjs");
  writeFileSync(
    file,
    'const until = Date.now() + Math.random() * 30;\nwhile (Date.now() < until) {}\nthrow new Error("cannot load");\n',
  );
  return file;
}

/**
 * Opens a pool of three such threads `times` times, expecting each to run in this thread and say
 * why; returns the errors that reached the process uncaught meanwhile, and up to 200 ms after (a
 * thread that fails after the pool gave up on the others reports it a moment later).
 */
export async function fallBackTimes(times: number): Promise<unknown[]> {
  const failing = failingWorkerFile();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => void uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    for (let i = 0; i < times; i++) {
      const pool = await openPool({ mode: "generated" } as RunPlan, { jobs: 3, workerFile: failing });
      expect(pool.kind).toBe("in-process");
      expect(pool.note).toContain("worker threads unavailable (cannot load)");
      await pool.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off("uncaughtException", onUncaught);
  }
  return uncaught;
}

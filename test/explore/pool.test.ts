// Shows that a pool whose worker threads cannot load falls back to this thread and says why, however the threads' failures fall, rather than crash the process with an unhandled error.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPool } from "../../src/explore/pool.js";
import type { RunPlan } from "../../src/explore/run-one.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-pool-"));
/**
 * A worker file whose threads fail as they load (as one importing a module it cannot load does),
 * each at its own moment: some before the pool has given up on them, some after. It waits
 * synchronously, not with a top-level await: Node 20's V8 aborts the whole process when a thread
 * is terminated while a module's top-level await is under way (nodejs/node#43182, #53238), which
 * a test of the pool's fallback would meet now and then.
 */
const failing = join(dir, "failing-worker.mjs");
writeFileSync(
  failing,
  'const until = Date.now() + Math.random() * 30;\nwhile (Date.now() < until) {}\nthrow new Error("cannot load");\n',
);

describe("openPool", () => {
  it("runs in this thread, saying why, when its worker threads fail to load", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      for (let i = 0; i < 20; i++) {
        const pool = await openPool({ mode: "generated" } as RunPlan, { jobs: 3, workerFile: failing });
        expect(pool.kind).toBe("in-process");
        expect(pool.note).toContain("worker threads unavailable (cannot load)");
        await pool.close();
      }
      // A thread that fails after the pool gave up on the others reports it a moment later.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});

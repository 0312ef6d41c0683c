// Shows that the modules worker threads start from (explore's pool, the gate's) evaluate without a top-level await: Node 20 aborts the whole process when a thread is terminated while its entry module waits at one, and both pools terminate threads that may still be loading.
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { BUILT, ROOT } from "../gate/helpers.js";

/**
 * What `require` of `file` says on a thread given `workerData`: "sync" when the module graph
 * evaluates at once, else the error's code (`ERR_REQUIRE_ASYNC_MODULE` for a top-level await).
 */
function requiredOnThread(file: string, workerData: unknown): Promise<string> {
  const code = `
    const { parentPort } = require("node:worker_threads");
    try { require(${JSON.stringify(file)}); parentPort.postMessage({ said: "sync" }); }
    catch (error) { parentPort.postMessage({ said: error.code ?? error.message }); }`;
  const worker = new Worker(code, { eval: true, workerData, stderr: true });
  return new Promise<string>((resolve, reject) => {
    worker.on("message", (message: { said?: string }) => {
      if (typeof message?.said !== "string") return; // the module's own messages
      void worker.terminate().then(() => resolve(message.said!));
    });
    worker.on("error", reject);
  });
}

describe.skipIf(!BUILT)("worker threads' entry modules (needs dist/)", () => {
  it("a module with a top-level await is told apart (the check can fail)", async () => {
    const file = join(ROOT, "test/explore/fixtures/top-level-await.mjs");
    expect(await requiredOnThread(file, null)).toBe("ERR_REQUIRE_ASYNC_MODULE");
  });

  it("explore's pool worker evaluates at once", async () => {
    const plan = { mode: "generated", variant: "fixed", properties: [], constraints: {}, seed: 1 };
    expect(await requiredOnThread(join(ROOT, "dist/src/explore/pool-worker.js"), plan)).toBe("sync");
  });

  it("the gate's worker evaluates at once", async () => {
    const init = { scenarios: [], schedulerModule: null, cwd: ROOT };
    expect(await requiredOnThread(join(ROOT, "dist/src/cli/gate-worker.js"), init)).toBe("sync");
  });

  it("so do the bundled copies the CLI starts its threads from", async () => {
    const plan = { mode: "generated", variant: "fixed", properties: [], constraints: {}, seed: 1 };
    const init = { scenarios: [], schedulerModule: null, cwd: ROOT };
    expect(await requiredOnThread(join(ROOT, "dist/bundle/cli/pool-worker.js"), plan)).toBe("sync");
    expect(await requiredOnThread(join(ROOT, "dist/bundle/cli/gate-worker.js"), init)).toBe("sync");
  });
});

// Shows that explore with one job ends at once on SIGTERM while a scheduler module's step never returns: the module's runs have a worker thread of their own, so the signal's handler is not held behind the step until the run's wall-clock budget, and it says the run under way is cut short.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tmp } from "../explore/cli-helpers.js";
import { BUILT } from "../gate/helpers.js";

const BIN_FILE = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");
/** A scheduler goroutine blocked for good (Atomics.wait: no core held meanwhile). */
const FOREVER = `export const scheduler = { name: "forever", description: "never returns", fixes: [], create() {
  return { name: "forever", fixes: [], main: function* () { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); } };
} };
`;

describe.skipIf(!BUILT)("explore --jobs 1 of a module whose step never returns (needs dist/)", () => {
  it("ends within seconds of SIGTERM, exit 143, saying the run under way is cut short", async () => {
    const dir = tmp();
    const module = join(dir, "forever.mjs");
    writeFileSync(module, FOREVER);
    const child = spawn(
      process.execPath,
      [
        BIN_FILE,
        "explore",
        "--generated",
        "--scheduler",
        module,
        "--runs",
        "5",
        "--jobs",
        "1",
        "--out",
        join(dir, "out"),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    try {
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const closed = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
      // The first run is under way, its step blocked, a while after the exploration says it began.
      const began = new Promise<void>((done) => {
        const poll = setInterval(() => {
          if (!stderr.includes("aftershock explore: exploring")) return;
          clearInterval(poll);
          done();
        }, 50);
      });
      await Promise.race([began, closed]);
      await new Promise((done) => setTimeout(done, 2000));
      expect(child.exitCode, stderr).toBeNull();
      const sent = performance.now();
      child.kill("SIGTERM");
      const gaveUp = new Promise<string>((done) => setTimeout(() => done("still running"), 10_000).unref());
      const code = await Promise.race([closed, gaveUp]);
      expect(code, stderr).toBe(143);
      expect(performance.now() - sent).toBeLessThan(5000);
      expect(stderr).toContain(
        "aftershock: interrupted by SIGTERM: stopping the search (the run under way is cut short) and writing what was found",
      );
    } finally {
      child.kill("SIGKILL");
    }
  }, 30_000);
});

// Shows that explore and gate with one job end at once on SIGTERM (how CI cancels a job) while a scheduler module's step never returns: the module's runs have a worker thread of their own, so the signal's handler is not held behind the step until the run's wall-clock budget, and each says it was interrupted.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tmp } from "../explore/cli-helpers.js";
import { BUILT } from "../gate/helpers.js";

const BIN_FILE = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
/** A scheduler goroutine blocked for good (Atomics.wait: no core held meanwhile). */
const FOREVER = `export const scheduler = { name: "forever", description: "never returns", fixes: [], create() {
  return { name: "forever", fixes: [], main: function* () { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); } };
} };
`;

describe.skipIf(!BUILT)("one job, a module whose step never returns, and SIGTERM (needs dist/)", () => {
  it.concurrent.each([
    {
      command: "explore",
      args: (dir: string) => ["--generated", "--runs", "5", "--out", join(dir, "out")],
      started: "aftershock explore: exploring",
      said: "aftershock: interrupted by SIGTERM: stopping the search (the run under way is cut short) and writing what was found",
    },
    {
      command: "gate",
      args: (dir: string) => {
        // A wall budget far off: without the thread, the process would wait for it.
        const scenario = join(dir, "tiny.yaml");
        writeFileSync(scenario, `${readFileSync(TINY, "utf8")}\nlimits: { wallBudget: 120s }\n`);
        return [scenario];
      },
      started: "aftershock gate:",
      said: "aftershock: interrupted by SIGTERM after 0 of 3 runs; nothing judged or written",
    },
  ])(
    "$command ends within seconds, exit 143, saying it was interrupted",
    async ({ command, args, started, said }) => {
      const dir = tmp();
      const module = join(dir, "forever.mjs");
      writeFileSync(module, FOREVER);
      const argv = [BIN_FILE, command, ...args(dir), "--scheduler", module, "--jobs", "1"];
      const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
      try {
        let output = "";
        child.stdout.on("data", (chunk) => {
          output += chunk;
        });
        child.stderr.on("data", (chunk) => {
          output += chunk;
        });
        const closed = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
        // The first run is under way, its step blocked, a while after the command says it began.
        const began = new Promise<void>((done) => {
          const poll = setInterval(() => {
            if (!output.includes(started)) return;
            clearInterval(poll);
            done();
          }, 50);
        });
        await Promise.race([began, closed]);
        await new Promise((done) => setTimeout(done, 2000));
        expect(child.exitCode, output).toBeNull();
        const sent = performance.now();
        child.kill("SIGTERM");
        const gaveUp = new Promise<string>((done) => setTimeout(() => done("still running"), 10_000).unref());
        const code = await Promise.race([closed, gaveUp]);
        expect(code, output).toBe(143);
        expect(performance.now() - sent).toBeLessThan(5000);
        expect(output).toContain(said);
      } finally {
        child.kill("SIGKILL");
      }
    },
    30_000,
  );
});

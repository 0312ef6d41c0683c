// Shows that Ctrl-C on gate is not silent: one line on stderr saying how far it got, exit 130.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = join(import.meta.dirname, "../../bin/aftershock.js");
const BUILT = existsSync(join(import.meta.dirname, "../../dist/bundle/cli/pool-worker.js"));
const SCENARIOS = join(import.meta.dirname, "../../scenarios");

function interruptedGate(jobs: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, "gate", SCENARIOS, "--jobs", jobs]);
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGINT"), 1500);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stderr });
    });
  });
}

describe.skipIf(!BUILT)("gate sent SIGINT", () => {
  for (const jobs of ["1", "2"]) {
    it(`says it was interrupted and exits 130 (--jobs ${jobs})`, async () => {
      const r = await interruptedGate(jobs);
      expect(r.status).toBe(130);
      expect(r.stderr).toMatch(
        /^aftershock: interrupted after \d+ of \d+ runs; nothing judged or written\n$/,
      );
    });
  }
});

// Starts the built CLI's gate over the bundled scenarios and sends it a signal once it has said its first line.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "../../bin/aftershock.js");
export const BUILT = existsSync(join(import.meta.dirname, "../../dist/bundle/cli/pool-worker.js"));
export const SCENARIOS = join(import.meta.dirname, "../../scenarios");

/** `gate SCENARIOS --jobs JOBS EXTRA...` sent `signal` after its first line: its exit status and stderr. */
export function interruptedGate(
  jobs: string,
  signal: NodeJS.Signals = "SIGINT",
  extra: readonly string[] = [],
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, "gate", SCENARIOS, "--jobs", jobs, ...extra]);
    let stderr = "";
    let stdout = "";
    let signalled = false;
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // The gate prints its first line once its handlers are installed: a signal sent at a fixed
    // time could come before them on a busy machine, one sent after that line cannot.
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!signalled && stdout.includes("aftershock gate:")) {
        signalled = true;
        child.kill(signal);
      }
    });
    child.on("close", (status) => done({ status, stderr }));
  });
}

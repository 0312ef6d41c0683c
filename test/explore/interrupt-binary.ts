// Runs the built binary and signals it as soon as it says a run failed, for the tests of explore interrupted.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";

const BIN = join(import.meta.dirname, "../../bin/aftershock.js");
export const BUILT = existsSync(join(import.meta.dirname, "../../dist/bundle/cli/pool-worker.js"));

/** The progress line explore prints (stderr not a terminal) when a run has failed. */
export const FAILED_LINE = /^aftershock explore: run \d+ \(seed \d+\) failed /m;

/** The arguments of an exploration of generated worlds whose first failures come within a few runs. */
export const BUGGY_UNTIL_STOPPED = [
  "explore",
  "--generated",
  "--variant",
  "buggy",
  "--keep-going",
  "--runs",
  "100000",
];

/** Fails unless `report` has failures, each with its reproducer written whole. */
export function expectWholeReproducers(report: ExploreReport): void {
  expect(report.failures.length).toBeGreaterThan(0);
  for (const f of report.failures) {
    expect(f.reproducer).not.toBeNull();
    expect(readFileSync(f.reproducer!, "utf8")).toMatch(/^# aftershock explore reproducer[\s\S]*\nexpect:/);
  }
}

/**
 * Runs the binary, sends it SIGINT (or `signal`) as soon as it says a run failed, and collects
 * what it prints until it exits. A run that never says so is killed after a minute.
 */
export function interrupted(
  args: string[],
  signal: NodeJS.Signals = "SIGINT",
  times: 1 | 2 = 1,
): Promise<{ status: number | null; stdout: string; stderr: string; signalled: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = "";
    let stderr = "";
    let signalled = false;
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      if (!signalled && FAILED_LINE.test(stderr)) {
        signalled = true;
        child.kill(signal);
        // A repeat 20 ms later: sent at once, the two would merge into one pending signal.
        if (times > 1) setTimeout(() => child.kill(signal), 20);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr, signalled });
    });
  });
}

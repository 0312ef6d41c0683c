// Shows that Ctrl-C on gate is not silent: one line on stderr saying how far it got, exit 130. Each gate signalled is a process of the built CLI; the earlier gate whose JUnit file one leaves as it was runs in this process.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const BIN = join(import.meta.dirname, "../../bin/aftershock.js");
const BUILT = existsSync(join(import.meta.dirname, "../../dist/bundle/cli/pool-worker.js"));
const SCENARIOS = join(import.meta.dirname, "../../scenarios");

function interruptedGate(
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

  it("sent SIGHUP (the terminal closed), says so and exits 129", async () => {
    const r = await interruptedGate("2", "SIGHUP");
    expect(r.status).toBe(129);
    expect(r.stderr).toMatch(
      /^aftershock: interrupted by SIGHUP after \d+ of \d+ runs; nothing judged or written\n$/,
    );
  });

  it("sent SIGTERM (how CI systems cancel a job), says so and exits 143", async () => {
    const r = await interruptedGate("2", "SIGTERM");
    expect(r.status).toBe(143);
    expect(r.stderr).toMatch(
      /^aftershock: interrupted by SIGTERM after \d+ of \d+ runs; nothing judged or written\n$/,
    );
  });

  it("says a report file an earlier gate left is left as it was, not this gate's outcome", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-gate-int-"));
    const junit = join(dir, "gate.xml");
    // The earlier gate's file, written in this process and thread: only the gate interrupted
    // after it is about the process.
    const earlier = await cli(["gate", join(SCENARIOS, "quiet-day.yaml"), "--jobs", "1", "--junit", junit]);
    expect(earlier.code, earlier.err).toBe(0);
    const before = readFileSync(junit, "utf8");
    const r = await interruptedGate("2", "SIGTERM", ["--junit", junit, "--markdown", join(dir, "gate.md")]);
    expect(r.status).toBe(143);
    expect(r.stderr).toContain(
      `nothing judged or written (${junit}, there before this gate, is left as it was: not this gate's outcome)`,
    );
    expect(readFileSync(junit, "utf8")).toBe(before);
  }, 60_000);
});

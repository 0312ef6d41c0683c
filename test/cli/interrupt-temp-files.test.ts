// Ctrl-C or SIGTERM while `run` streams a trace file: no temporary file is left beside it, and the process still ends by the signal. A small run's signal is seen once the run is over, so its file is whole; a large run is cut short, so its file is not written.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/aftershock.js");
const BUILT = existsSync(join(ROOT, "dist/bundle/cli/main.js"));
const MAY8 = join(ROOT, "scenarios/qstash-2026-05-08.yaml");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-interrupt-tmp-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  readonly signal: NodeJS.Signals | null;
  readonly status: number | null;
  readonly stderr: string;
  /** The files in the run's folder once it ended. */
  readonly left: readonly string[];
  /** Milliseconds from the signal to the end of the process. */
  readonly endedAfterMs: number;
}

/**
 * Runs `run <scenario> --trace trace.jsonl --quiet` in a folder of its own and sends `signal`
 * `afterMs` after the trace's temporary file appears (it is opened before the run starts).
 */
async function interrupted(scenario: string, signal: NodeJS.Signals, afterMs: number): Promise<Ended> {
  const folder = mkdtempSync(join(dir, "run-"));
  const child = spawn(process.execPath, [BIN, "run", scenario, "--trace", "trace.jsonl", "--quiet"], {
    cwd: folder,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((end) =>
    child.on("close", (status, signal) => end([status, signal])),
  );
  while (!readdirSync(folder).some((name) => name.startsWith(".trace.jsonl.tmp-"))) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`run ended before its temporary file appeared: ${stderr}`);
    await new Promise((next) => setTimeout(next, 2));
  }
  await new Promise((next) => setTimeout(next, afterMs));
  const sent = performance.now();
  child.kill(signal);
  const [status, ended] = await closed;
  const endedAfterMs = performance.now() - sent;
  return {
    signal: ended,
    status,
    stderr,
    left: readdirSync(folder).map((name) => join(folder, name)),
    endedAfterMs,
  };
}

describe.skipIf(!BUILT)("a signal while run writes a trace file", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s during a small run: the file is whole, no temporary file, ended by the signal",
    async (signal) => {
      const whole = join(dir, "whole.jsonl");
      const r0 = spawnSync(process.execPath, [BIN, "run", MAY8, "--trace", whole, "--quiet"], {
        encoding: "utf8",
      });
      expect(r0.status, r0.stderr).toBe(0);
      const r = await interrupted(MAY8, signal, 0);
      expect(r.stderr).toBe("");
      // Not dropped: the process ends by the signal, once the run it could not stop is over.
      expect(r.signal).toBe(signal);
      expect(r.left.map((file) => file.slice(file.lastIndexOf("/") + 1))).toEqual(["trace.jsonl"]);
      expect(readFileSync(r.left[0]!, "utf8")).toBe(readFileSync(whole, "utf8"));
    },
    60_000,
  );

  it("SIGINT during a large run: cut short, nothing left, ended by the signal", async () => {
    // The Kubernetes-defaults scenario with 50 times its accounts for an hour: many seconds a run.
    const text = readFileSync(join(ROOT, "scenarios/qstash-2026-05-08-k8s-large.yaml"), "utf8")
      .replace(/^ {2}accounts: 400$/m, "  accounts: 20000")
      .replace(/^duration: 35m$/m, "duration: 60m");
    expect(text).toContain("accounts: 20000");
    const scenario = join(dir, "long.yaml");
    writeFileSync(scenario, text);
    const r = await interrupted(scenario, "SIGINT", 500);
    expect(r.stderr).toBe("");
    expect(r.signal).toBe("SIGINT");
    expect(r.left).toEqual([]);
    // Cut short, not run to its end (a run takes 20 s or more).
    expect(r.endedAfterMs).toBeLessThan(10_000);
  }, 60_000);
});

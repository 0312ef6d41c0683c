// Starts the built CLI writing an output file, sends it a signal once the file's temporary file is there, and tells how the process ended, for the interrupt tests.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin/aftershock.js");
export const BUILT = existsSync(join(ROOT, "dist/bundle/cli/main.js"));
export const MAY8 = join(ROOT, "scenarios/qstash-2026-05-08.yaml");

export interface Ended {
  readonly signal: NodeJS.Signals | null;
  readonly status: number | null;
  readonly stderr: string;
  /** The files in the run's folder once it ended. */
  readonly left: readonly string[];
  /** Milliseconds from the signal to the end of the process. */
  readonly endedAfterMs: number;
}

/** When a signal is sent: `afterMs` after the output's temporary file appears (it is opened before the run starts), or once something is written into it (the run is under way). */
export type SendAt = { readonly afterMs: number } | "writing";

/** The temporary file of `output` in `folder`, if there is one. */
function temporaryFile(folder: string, output: string): string | undefined {
  return readdirSync(folder).find((name) => name.startsWith(`.${output}.tmp-`));
}

/** Whether `at` says the signal may go now, the temporary file being `tmp`. */
function readyToSend(folder: string, tmp: string, at: SendAt): boolean {
  if (at !== "writing") return true;
  try {
    return statSync(join(folder, tmp)).size > 0;
  } catch {
    return false; // put in place or removed meanwhile: the process's end says which
  }
}

/**
 * Runs `run <scenario> --trace trace.jsonl --quiet` in a folder of its own in `dir` and sends `signal`
 * `afterMs` after the trace's temporary file appears (it is opened before the run starts).
 */
export function interrupted(
  dir: string,
  scenario: string,
  signal: NodeJS.Signals,
  afterMs: number,
): Promise<Ended> {
  return signalled(dir, ["run", scenario, "--trace", "trace.jsonl", "--quiet"], "trace.jsonl", signal, {
    afterMs,
  });
}

/** Runs `aftershock <args>` (which writes `output`) in a folder of its own in `dir` and sends `signal` at `at`. */
export async function signalled(
  dir: string,
  args: readonly string[],
  output: string,
  signal: NodeJS.Signals,
  at: SendAt,
): Promise<Ended> {
  const folder = mkdtempSync(join(dir, "run-"));
  const child = spawn(process.execPath, [BIN, ...args], {
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
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${args[0]} ended before it was ready for the signal: ${stderr}`);
    const tmp = temporaryFile(folder, output);
    if (tmp !== undefined && readyToSend(folder, tmp, at)) break;
    await new Promise((next) => setTimeout(next, 2));
  }
  if (at !== "writing") await new Promise((next) => setTimeout(next, at.afterMs));
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

/**
 * The Kubernetes-defaults scenario with 5 times its accounts for ten hours: many seconds a run (as
 * many events as 50 times its accounts for an hour, in a world a tenth the size to build, which
 * each process here does before its run), written into `dir`.
 */
export function largeScenario(dir: string): string {
  const text = readFileSync(join(ROOT, "scenarios/qstash-2026-05-08-k8s-large.yaml"), "utf8")
    .replace(/^ {2}accounts: 400$/m, "  accounts: 2000")
    .replace(/^duration: 35m$/m, "duration: 600m");
  expect(text).toContain("accounts: 2000\n");
  expect(text).toContain("duration: 600m\n");
  const scenario = join(dir, "long.yaml");
  writeFileSync(scenario, text);
  return scenario;
}

/**
 * Time from the signal to the end of the process a test accepts: the run gives way to the event
 * loop every 50 ms, so the end comes well within a second on an idle machine; this leaves room
 * for a loaded one, and is still far from the 20 s and more the run would have gone on for.
 */
export const ENDS_WITHIN_MS = 5000;

/**
 * `run --trace` of a large scenario sent `signal` as it writes the trace: cut short within
 * `ENDS_WITHIN_MS`, ended by the signal, saying the trace was not written, and nothing left.
 */
export async function expectTraceWriteCut(dir: string, signal: NodeJS.Signals): Promise<void> {
  const r = await signalled(
    dir,
    ["run", largeScenario(dir), "--trace", "trace.jsonl", "--quiet"],
    "trace.jsonl",
    signal,
    "writing",
  );
  expect(r.stderr).toBe(`aftershock: stopped by ${signal}: not written: trace.jsonl\n`);
  expect(r.signal).toBe(signal);
  expect(r.left).toEqual([]);
  expect(r.endedAfterMs).toBeLessThan(ENDS_WITHIN_MS);
}

/**
 * `run --trace` of the May 8 scenario sent `signal` as the trace's temporary file appears, before
 * the run: the run gives way to the event loop every 50 ms, so the signal's handler runs then,
 * not once the run is over. Ended by the signal, the trace not written, nothing left.
 */
export async function expectSmallRunCut(dir: string, signal: NodeJS.Signals): Promise<void> {
  const r = await interrupted(dir, MAY8, signal, 0);
  expect(r.stderr).toBe(`aftershock: stopped by ${signal}: not written: trace.jsonl\n`);
  expect(r.signal).toBe(signal);
  expect(r.left).toEqual([]);
}

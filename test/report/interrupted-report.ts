// Starts the built CLI's `report` on a FIFO that never ends and signals it while it reads or writes.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");

/** A new folder holding `run.jsonl`, a trace of the single-worker crash loop. */
export function traceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-report-interrupt-"));
  // Any trace does: the FIFO it is read from never ends, so the report is still writing.
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      "run",
      join(ROOT, "scenarios", "single-worker-crash-loop.yaml"),
      "--trace",
      join(dir, "run.jsonl"),
      "--quiet",
    ],
    { encoding: "utf8" },
  );
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

/**
 * Starts `report` into `dir/output` on a new FIFO, fed `dir/run.jsonl` and kept open, so that it
 * is still reading whatever the machine's speed; `ready` says when to send `signal`. Its exit
 * code, the signal that ended it, and its stderr.
 */
export async function interrupted(
  dir: string,
  output: string,
  signal: NodeJS.Signals,
  ready: (child: ChildProcess, opened: Promise<unknown>) => Promise<void>,
): Promise<{ code: number | null; by: NodeJS.Signals | null; err: string }> {
  const fifo = join(dir, `${output}.fifo`);
  expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
  const child = spawn(process.execPath, [BIN, "report", fifo, "-o", join(dir, output)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((end) =>
    child.on("close", (code, by) => end([code, by])),
  );
  // The rest of the trace never comes; the FIFO breaks when the process ends. It opens once the
  // report opens its input.
  const input = createWriteStream(fifo).on("error", () => {});
  const opened = new Promise((open) => input.once("open", open));
  input.write(readFileSync(join(dir, "run.jsonl")));
  await ready(child, opened);
  child.kill(signal);
  const [code, by] = await closed;
  input.destroy();
  return { code, by, err };
}

/** Ready once the temporary file of `dir/output` is there (made after the signal handlers are). */
function temporaryFileOf(dir: string, output: string) {
  return async (child: ChildProcess): Promise<void> => {
    const tmp = () => readdirSync(dir).some((n) => n.startsWith(`.${output}.tmp-`));
    while (!tmp()) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error("report ended before its temporary file appeared");
      await new Promise((next) => setTimeout(next, 5));
    }
  };
}

/** `report` writing a Perfetto file into `dir`, sent `signal` once its temporary file is there: exit `code`, nothing left. */
export async function expectTemporaryFileRemoved(
  dir: string,
  signal: NodeJS.Signals,
  code: number,
): Promise<void> {
  const output = `run-${signal}.trace.json`;
  const r = await interrupted(dir, output, signal, temporaryFileOf(dir, output));
  expect(r.code).toBe(code);
  expectNotWritten(dir, output, signal, r.err);
  expect(existsSync(join(dir, output))).toBe(false);
}

/** What a report stopped by `signal` says of `dir/output` (`err`), and that nothing of it is left. */
function expectNotWritten(dir: string, output: string, signal: NodeJS.Signals, err: string): void {
  expect(err).toBe(`aftershock: stopped by ${signal}: not written: ${join(dir, output)}\n`);
  expect(readdirSync(dir).filter((n) => n.includes(output) && !n.endsWith(".fifo"))).toEqual([]);
}

/** `report` into `dir/output`, sent `signal` once it opened its input: `output` not written, nothing left. */
export async function expectNotWrittenWhileReading(
  dir: string,
  signal: NodeJS.Signals,
  output: string,
): Promise<void> {
  // Its input opens after the report listens for the signal.
  const r = await interrupted(dir, output, signal, async (_child, opened) => {
    await opened;
  });
  expect(r.by).toBe(signal);
  expectNotWritten(dir, output, signal, r.err);
}

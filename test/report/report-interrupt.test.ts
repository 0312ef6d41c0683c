// Shows that Ctrl-C or SIGTERM while `report` reads a trace leaves no temporary file behind, says the output not written as run and compare do, and exits as a shell reports the signal.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-report-interrupt-"));
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
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts `report` into `output` on a new FIFO, fed the trace and kept open, so that it is still
 * reading whatever the machine's speed; `ready` says when to send `signal`. Its exit code, the
 * signal that ended it, and its stderr.
 */
async function interrupted(
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

/** Ready once the temporary file of `output` is there (made after the signal handlers are). */
function temporaryFileOf(output: string) {
  return async (child: ChildProcess): Promise<void> => {
    const tmp = () => readdirSync(dir).some((n) => n.startsWith(`.${output}.tmp-`));
    while (!tmp()) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error("report ended before its temporary file appeared");
      await new Promise((next) => setTimeout(next, 5));
    }
  };
}

describe("report interrupted while it writes a Perfetto file", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s removes the temporary file, exit %i", async (signal, code) => {
    const output = `run-${signal}.trace.json`;
    const r = await interrupted(output, signal, temporaryFileOf(output));
    expect(r.code).toBe(code);
    expect(r.err).toBe(`aftershock: stopped by ${signal}: not written: ${join(dir, output)}\n`);
    expect(readdirSync(dir).filter((n) => n.includes(output) && !n.endsWith(".fifo"))).toEqual([]);
    expect(existsSync(join(dir, output))).toBe(false);
  });
});

describe("report interrupted while it reads a trace for an HTML or Markdown report", () => {
  it.each([
    ["SIGINT", "run.html"],
    ["SIGTERM", "run.md"],
  ] as const)("%s says %s not written, as run does, and leaves nothing", async (signal, output) => {
    // Its input opens after the report listens for the signal.
    const r = await interrupted(output, signal, async (_child, opened) => {
      await opened;
    });
    expect(r.by).toBe(signal);
    expect(r.err).toBe(`aftershock: stopped by ${signal}: not written: ${join(dir, output)}\n`);
    expect(readdirSync(dir).filter((n) => n.includes(output) && !n.endsWith(".fifo"))).toEqual([]);
  });
});

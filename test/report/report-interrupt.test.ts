// Shows that Ctrl-C or SIGTERM while `report` writes a Perfetto file from a trace leaves no temporary file behind, and exits as a shell reports the signal.
import { spawn, spawnSync } from "node:child_process";
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
 * Starts `report` into `output` on a FIFO that holds the trace and is kept open, so that it is
 * still writing whatever the machine's speed; sends `signal` once its temporary file is there
 * (made after its signal handlers are installed). Its exit code and stderr.
 */
async function interrupted(
  output: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; err: string }> {
  const fifo = join(dir, `${signal}.fifo`);
  expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
  const child = spawn(process.execPath, [BIN, "report", fifo, "-o", join(dir, output)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const closed = new Promise<number | null>((end) => child.on("close", end));
  // The rest of the trace never comes; the FIFO breaks when the process ends.
  const input = createWriteStream(fifo).on("error", () => {});
  input.write(readFileSync(join(dir, "run.jsonl")));
  const tmp = () => readdirSync(dir).some((n) => n.startsWith(`.${output}.tmp-`));
  while (!tmp()) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`report ended before its temporary file appeared: ${err}`);
    await new Promise((next) => setTimeout(next, 5));
  }
  child.kill(signal);
  const code = await closed;
  input.destroy();
  return { code, err };
}

describe("report interrupted while it writes a Perfetto file", () => {
  it.each([
    ["SIGINT", 130, ""],
    ["SIGTERM", 143, " by SIGTERM"],
  ] as const)("%s removes the temporary file, exit %i", async (signal, code, by) => {
    const output = `run-${signal}.trace.json`;
    const r = await interrupted(output, signal);
    expect(r.code).toBe(code);
    expect(r.err).toBe(`aftershock: interrupted${by}; ${join(dir, output)} not written\n`);
    expect(readdirSync(dir).filter((n) => n.includes(output))).toEqual([]);
    expect(existsSync(join(dir, output))).toBe(false);
  });
});

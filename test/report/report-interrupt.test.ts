// Shows that Ctrl-C or SIGTERM while `report` writes a Perfetto file from a trace leaves no temporary file behind, and exits as a shell reports the signal.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-report-interrupt-"));
  // A trace long enough to take a while to read (about 120 000 events).
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      "run",
      join(ROOT, "scenarios", "qstash-2026-05-08.yaml"),
      "--trace",
      join(dir, "may8.jsonl"),
      "--quiet",
    ],
    { encoding: "utf8" },
  );
  expect(r.status, r.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `report` into `output`, sends `signal` once its temporary file is there; its exit code and stderr. */
async function interrupted(
  output: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [BIN, "report", join(dir, "may8.jsonl"), "-o", join(dir, output)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const closed = new Promise<number | null>((end) => child.on("close", end));
  const started = Date.now();
  while (!readdirSync(dir).some((n) => n.startsWith(`.${output}.tmp-`)) && Date.now() - started < 10_000)
    await new Promise((next) => setTimeout(next, 5));
  child.kill(signal);
  return { code: await closed, err };
}

describe("report interrupted while it writes a Perfetto file", () => {
  it.each([
    ["SIGINT", 130, ""],
    ["SIGTERM", 143, " by SIGTERM"],
  ] as const)("%s removes the temporary file, exit %i", async (signal, code, by) => {
    const output = `may8-${signal}.trace.json`;
    const r = await interrupted(output, signal);
    expect(r.code).toBe(code);
    expect(r.err).toBe(`aftershock: interrupted${by}; ${join(dir, output)} not written\n`);
    expect(readdirSync(dir).filter((n) => n.includes(output))).toEqual([]);
    expect(existsSync(join(dir, output))).toBe(false);
  });
});

// Shows report reading `-` from a pipe whose writer is slower than the reader (`slow | aftershock report -`), which a read of descriptor 0 as a file refused with EAGAIN, and letting go of stdin when it refuses the input early, so a writer that keeps the pipe open does not hold the process.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(ROOT, "test", "report", "fixtures", "tiny.yaml");

let dir: string;
let trace: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-stdin-"));
  // The trace piped in: main's, written in this process (the pipes below are the processes').
  const file = join(dir, "trace.jsonl");
  const r = await cli(["run", TINY, "--trace", file, "--quiet"]);
  expect(r.code, r.err).toBe(0);
  trace = readFileSync(file, "utf8");
  expect(trace.split("\n").length).toBeGreaterThan(10);
});

/** `report - -o out` with stdin a pipe `feed` writes to; resolves with the exit code and stderr. */
function reportFromPipe(
  out: string,
  feed: (stdin: NodeJS.WritableStream) => void,
): Promise<{ code: number | null; err: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, "report", "-", "-o", out], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["pipe", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (t: string) => {
    err += t;
  });
  child.stdin.on("error", () => {}); // the reader may let go first: that is the point
  feed(child.stdin);
  return new Promise((done) => child.on("exit", (code) => done({ code, err, ms: Date.now() - started })));
}

describe("report - from a pipe", () => {
  it("waits for a writer slower than the reader, as a file's reader would", async () => {
    const out = join(dir, "slow.md");
    const half = Math.floor(trace.length / 2);
    const r = await reportFromPipe(out, (stdin) => {
      setTimeout(() => stdin.write(trace.slice(0, half)), 400);
      setTimeout(() => stdin.end(trace.slice(half)), 800);
    });
    expect(r.err).toContain(`aftershock: wrote ${out}`);
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("tiny-may8");
  });

  it("ends once it refuses the input, though the writer still holds the pipe open", async () => {
    const out = join(dir, "refused.md");
    const firstLine = `${trace.split("\n")[0]}\n`;
    let quiet: NodeJS.Timeout | undefined;
    const r = await reportFromPipe(out, (stdin) => {
      stdin.write(`${firstLine}{bad\n`);
      // The writer goes quiet, its end of the pipe open, for longer than the check waits.
      quiet = setTimeout(() => stdin.end(), 20_000);
    });
    clearTimeout(quiet);
    expect(r.err).toContain("<stdin>:2:2: error: not a JSON line (");
    expect(r.code).toBe(2);
    expect(r.ms).toBeLessThan(15_000);
  }, 30_000);
});

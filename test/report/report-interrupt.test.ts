// Shows that Ctrl-C or SIGTERM while `report` reads a trace leaves no temporary file behind, says the output not written as run and compare do, and exits as a shell reports the signal.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTemporaryFileRemoved, interrupted, traceDir } from "./interrupted-report.js";

let dir: string;
beforeAll(() => {
  dir = traceDir();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("report interrupted while it writes a Perfetto file", () => {
  // SIGTERM, which the same handler answers, in the long tier (report-interrupt.long.test.ts).
  it("SIGINT removes the temporary file, exit 130", async () => {
    await expectTemporaryFileRemoved(dir, "SIGINT", 130);
  });
});

describe("report interrupted while it reads a trace for an HTML or Markdown report", () => {
  it.each([
    ["SIGINT", "run.html"],
    ["SIGTERM", "run.md"],
  ] as const)("%s says %s not written, as run does, and leaves nothing", async (signal, output) => {
    // Its input opens after the report listens for the signal.
    const r = await interrupted(dir, output, signal, async (_child, opened) => {
      await opened;
    });
    expect(r.by).toBe(signal);
    expect(r.err).toBe(`aftershock: stopped by ${signal}: not written: ${join(dir, output)}\n`);
    expect(readdirSync(dir).filter((n) => n.includes(output) && !n.endsWith(".fifo"))).toEqual([]);
  });
});

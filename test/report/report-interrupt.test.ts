// Shows that Ctrl-C while `report` reads a trace or writes a file leaves no temporary file behind, says the output not written as run and compare do, and exits as a shell reports the signal (SIGTERM, which the same handler answers, in report-interrupt.long.test.ts).
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, it } from "vitest";
import { expectNotWrittenWhileReading, expectTemporaryFileRemoved, traceDir } from "./interrupted-report.js";

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
  // SIGTERM into a Markdown file alike, in the long tier (report-interrupt.long.test.ts).
  it("SIGINT says run.html not written, as run does, and leaves nothing", async () => {
    await expectNotWrittenWhileReading(dir, "SIGINT", "run.html");
  });
});

// Shows SIGTERM while `report` writes a Perfetto file removes its temporary file and exits 143, and SIGTERM while it reads a trace for a Markdown file says it not written, as report-interrupt.test.ts shows for Ctrl-C (into an HTML file while it reads).
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, it } from "vitest";
import { expectNotWrittenWhileReading, expectTemporaryFileRemoved, traceDir } from "./interrupted-report.js";

let dir: string;
beforeAll(() => {
  dir = traceDir();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("report interrupted while it writes a Perfetto file", () => {
  it("SIGTERM removes the temporary file, exit 143", async () => {
    await expectTemporaryFileRemoved(dir, "SIGTERM", 143);
  });
});

describe("report interrupted while it reads a trace for an HTML or Markdown report", () => {
  it("SIGTERM says run.md not written, as run does, and leaves nothing", async () => {
    await expectNotWrittenWhileReading(dir, "SIGTERM", "run.md");
  });
});

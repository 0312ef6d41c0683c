// Shows SIGTERM while `report` writes a Perfetto file removes its temporary file and exits 143, as report-interrupt.test.ts shows for Ctrl-C.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, it } from "vitest";
import { expectTemporaryFileRemoved, traceDir } from "./interrupted-report.js";

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

// Shows `aftershock report` reads back the traces of the May 8 variants whose event types buggy's and panic-recovery's already hold (read back in cli-report.test.ts and report-input.test.ts): fixed, early-return and v1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { expectMay8TraceReadBack } from "./may8-trace.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-report-variants-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the traces the world writes", () => {
  it("are all read back: fixed's, early-return's and v1's of the bundled May 8 scenario", {
    timeout: 120_000,
  }, async () => {
    for (const variant of ["fixed", "early-return", "v1"]) await expectMay8TraceReadBack(variant, dir);
  });
});

// Shows `aftershock report` reads back the traces of the May 8 variants but buggy (read back in cli-report.test.ts), whose event types and fields buggy's and a small world's panic-recovery trace (report-input.test.ts) hold between them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { expectTraceReadBack } from "./trace-read-back.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-report-variants-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the traces the world writes", () => {
  it("are all read back: each variant's of the bundled May 8 scenario but buggy's", {
    timeout: 120_000,
  }, async () => {
    for (const variant of ["fixed", "early-return", "panic-recovery", "v1"])
      await expectTraceReadBack(variant, dir);
  });
});

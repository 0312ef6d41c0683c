// Shows the other writers of outputs.test.ts's two checks of a file already there: an empty file replaced by run's --html and --perfetto and the gate's --markdown, and an edited report kept for report's and the gate's Markdown.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { cli } from "../gate/helpers.js";
import { editedKept, emptyFilesReplaced, GATED, TINY } from "./output-writers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-outputs-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("output paths", () => {
  it("an empty file is replaced without --force by run's --html and --perfetto and the gate's --markdown", async () => {
    await emptyFilesReplaced(dir, [
      ["run", TINY, "--quiet", "--html"],
      ["run", TINY, "--quiet", "--perfetto"],
      ["gate", GATED, "--jobs", "1", "--markdown"],
    ]);
  });

  it("a Markdown report of report or the gate edited since aftershock wrote it is kept without --force; one as written is replaced", async () => {
    const saved = join(dir, "run.json");
    writeFileSync(saved, (await cli(["run", TINY, "--json"])).out);
    await editedKept(["report", saved, "-o", join(dir, "pm.md")]);
    await editedKept(["gate", GATED, "--jobs", "1", "--markdown", join(dir, "gate.md")]);
  });
});

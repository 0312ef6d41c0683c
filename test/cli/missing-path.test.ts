// Shows that a path that names nothing readable is said for what it is: a loop of symbolic links, a link to nothing, or no file at all.
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureContext } from "../train/helpers.js";

function paths() {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-missing-"));
  const loop = join(dir, "loop.yaml");
  symlinkSync(join(dir, "back.yaml"), loop);
  symlinkSync(loop, join(dir, "back.yaml"));
  const dangling = join(dir, "dangling.json");
  symlinkSync(join(dir, "gone.json"), dangling);
  return { loop, dangling, none: join(dir, "none.yaml") };
}

async function stderrOf(args: string[]): Promise<string> {
  const ctx = captureContext();
  expect(await main(args, ctx), args.join(" ")).toBe(2);
  return ctx.stderr();
}

describe("a path that names nothing to read", () => {
  it("is a loop of links, a link to nothing, or no such file, for validate, run and merge", async () => {
    const { loop, dangling, none } = paths();
    const looping = `${loop}: a symbolic link in a loop of links that never reaches a file`;
    expect(await stderrOf(["validate", loop])).toContain(looping);
    expect(await stderrOf(["run", loop])).toContain(looping);
    expect(await stderrOf(["merge", loop])).toContain(looping);
    const nowhere = `${dangling}: a symbolic link to ${join(dangling, "..", "gone.json")}, which does not exist`;
    expect(await stderrOf(["validate", dangling])).toContain(nowhere);
    expect(await stderrOf(["merge", dangling])).toContain(nowhere);
    expect(await stderrOf(["validate", none])).toContain(`${none}: no such file or folder`);
    expect(await stderrOf(["run", none])).toContain(`${none}: no such file (bundled scenarios:`);
  });
});

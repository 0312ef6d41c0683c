// Shows that a path that names nothing readable is said for what it is: a loop of symbolic links, a link to nothing, or no file at all.
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
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

  it("suggests the file that is there when only its extension or its case differs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-near-"));
    writeFileSync(join(dir, "brownout.yaml"), "name: x\n");
    writeFileSync(join(dir, "brownout.json"), "{}\n");
    writeFileSync(join(dir, "Quiet.json"), "{}\n");
    const yml = join(dir, "brownout.yml");
    // YAML for YAML first, then the same scenario saved as JSON.
    expect(await stderrOf(["run", yml])).toContain(
      `${yml}: no such file — did you mean ${join(dir, "brownout.yaml")} or ${join(dir, "brownout.json")}?`,
    );
    expect(await stderrOf(["validate", yml])).toContain(
      `${yml}: no such file or folder — did you mean ${join(dir, "brownout.yaml")} or ${join(dir, "brownout.json")}?`,
    );
    const upper = join(dir, "BROWNOUT.yaml");
    expect(await stderrOf(["run", upper])).toContain(`did you mean ${join(dir, "brownout.yaml")} or`);
    expect(await stderrOf(["run", join(dir, "quiet.yaml")])).toContain(
      `did you mean ${join(dir, "Quiet.json")}?`,
    );
    // Nothing near: no guess.
    expect(await stderrOf(["run", join(dir, "other.yaml")])).not.toContain("did you mean");
  });
});

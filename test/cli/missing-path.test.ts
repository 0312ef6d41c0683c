// Shows that a path that names nothing readable is said for what it is: a loop of symbolic links, a link to nothing, or no file at all, with the file beside it that was likely meant.
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

  it("is an empty string, said as one (an unset variable), never read as a file or the root folder", async () => {
    // `aftershock run "$SCENARIO"` with SCENARIO unset; `gate ""` once read `/` as the folder meant.
    const unset = "found an empty string (a shell variable that is not set?)";
    for (const args of [
      ["run", ""],
      ["compare", ""],
      ["why", "", "w1"],
      ["validate", ""],
      ["gate", ""],
    ]) {
      const err = await stderrOf(args);
      expect(err, args.join(" ")).toMatch(/^(aftershock: )?expected a scenario file/m);
      expect(err, args.join(" ")).toContain(unset);
      expect(err, args.join(" ")).not.toContain("no such file");
    }
    expect(await stderrOf(["report", "", "-o", "x.html"])).toContain(
      `aftershock: expected a saved --json output or --trace file, ${unset}`,
    );
    expect(await stderrOf(["merge", "", "shard-2.json"])).toContain(
      `aftershock: expected a shard's --json report, ${unset}`,
    );
    // A module named by an unset variable is not the working folder, nor a bundled scheduler's name.
    const tiny = join(import.meta.dirname, "fixtures/tiny.yaml");
    for (const args of [
      ["run", tiny, "--scheduler", ""],
      ["explore", "--generated", "--scheduler", "", "--runs", "1"],
    ])
      expect(await stderrOf(args), args.join(" ")).toBe(
        `aftershock: --scheduler: expected a bundled scheduler (v1, v2) or a module's path, ${unset}\n`,
      );
    expect(await stderrOf(["gate", tiny, "--scheduler", ""])).toBe(
      `aftershock: --scheduler: expected a scheduler module's path, ${unset}\n`,
    );
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

  it("suggests the saved output that is there to report and merge when only its extension or its case differs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-near-saved-"));
    writeFileSync(join(dir, "run.json"), "{}\n");
    writeFileSync(join(dir, "Shard-2.json"), "{}\n");
    writeFileSync(join(dir, "trace.yaml"), "name: x\n");
    const report = (input: string) => stderrOf(["report", input, "-o", join(dir, "r.html")]);
    // A run saved with --json and its --trace are both what report reads.
    const jsonl = join(dir, "run.jsonl");
    expect(await report(jsonl)).toContain(`${jsonl}: no such file — did you mean ${join(dir, "run.json")}?`);
    const upper = join(dir, "RUN.json");
    expect(await report(upper)).toContain(`${upper}: no such file — did you mean ${join(dir, "run.json")}?`);
    // A scenario is no saved output: not suggested.
    expect(await report(join(dir, "trace.json"))).not.toContain("did you mean");
    // A shard's name one slip from a report that is there is that report, never a shard that stopped.
    const shard = join(dir, "shard-2.json");
    const near = `${shard}: no such file — did you mean ${join(dir, "Shard-2.json")}?`;
    expect(await stderrOf(["merge", join(dir, "run.json"), shard])).toContain(near);
    expect(await stderrOf(["merge", join(dir, "run.json"), shard, "--allow-missing"])).toContain(near);
    // Nothing near: the shard may have stopped before it wrote, as before.
    expect(await stderrOf(["merge", join(dir, "shard-3.json")])).toContain(
      `${join(dir, "shard-3.json")}: no such file, so its shard wrote no report`,
    );
  });

  it("suggests the file one slip away: a letter missing, extra or changed, an extension missing, doubled or mistyped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-slip-"));
    writeFileSync(join(dir, "explore-1.json"), "{}\n");
    writeFileSync(join(dir, "explore-2.json"), "{}\n");
    writeFileSync(join(dir, "run.json"), "{}\n");
    writeFileSync(join(dir, "brownout.yaml"), "name: x\n");
    writeFileSync(join(dir, "m3.yaml"), "name: x\n");
    const one = join(dir, "explore-1.json");
    const meant = `did you mean ${join(dir, "explore-2.json")}?`;
    for (const slip of [
      "explore-22.json",
      "explor-2.json",
      "explore-2.jsn",
      "explore2.json",
      "explore-2.json.json",
      "explore-2",
    ]) {
      const typed = join(dir, slip);
      // Refused even with --allow-missing: the shard did write its report, under the name meant.
      expect(await stderrOf(["merge", one, typed, "--allow-missing"]), slip).toContain(
        `${typed}: no such file — ${meant}`,
      );
      expect(await stderrOf(["merge", one, typed]), slip).toContain(`${typed}: no such file — ${meant}`);
    }
    const runn = join(dir, "runn.json");
    expect(await stderrOf(["report", runn, "-o", join(dir, "r.html")])).toContain(
      `${runn}: no such file — did you mean ${join(dir, "run.json")}?`,
    );
    const brownot = join(dir, "brownot.yaml");
    expect(await stderrOf(["run", brownot])).toContain(`did you mean ${join(dir, "brownout.yaml")}?`);
    // A name whose number differs names another file (shard 3, scenario m2), not a slip.
    expect(await stderrOf(["run", join(dir, "m2.yaml")])).not.toContain("did you mean");
    expect(await stderrOf(["merge", join(dir, "explore-3.json")])).toContain(
      `${join(dir, "explore-3.json")}: no such file, so its shard wrote no report`,
    );
    // Two letters away is too far for a short name: `rum.jsn` is not `run.json`.
    expect(await stderrOf(["report", join(dir, "rum.jsn"), "-o", join(dir, "r.html")])).not.toContain(
      "did you mean",
    );
  });
});

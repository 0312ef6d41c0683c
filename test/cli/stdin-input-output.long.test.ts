// Shows the other outputs and descriptor paths onto stdin that stdin-input-output.test.ts refuses once each: run's --markdown and compare's --html onto the scenario read from stdin, a symbolic link to it, and stdin by number (/dev/fd/0, /proc/self/fd/0) where the default run names it /dev/stdin.
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderWith, IS_STDIN, run, SAME_AS_STDIN, SCENARIO } from "./stdin-run.js";

describe("an output onto the input read from stdin", () => {
  it("is refused for run's --markdown and compare's --html, even with --force", () => {
    const dir = folderWith({ "my.yaml": SCENARIO });
    for (const argv of [
      ["run", "-", "--quiet", "--markdown", "my.yaml", "--force"],
      ["compare", "-", "--html", "my.yaml", "--force"],
    ]) {
      const r = run(argv, dir, { file: "my.yaml" });
      expect(r.err, argv.join(" ")).toMatch(SAME_AS_STDIN);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect(readFileSync(join(dir, "my.yaml"), "utf8")).toBe(SCENARIO);
  });

  it("is refused through a symbolic link to the file stdin is read from, even with --force", () => {
    const dir = folderWith({ "my.yaml": SCENARIO });
    symlinkSync("my.yaml", join(dir, "link.txt"));
    const argv = ["run", "-", "--quiet", "--trace", "link.txt", "--force"];
    const r = run(argv, dir, { file: "my.yaml" });
    expect(r.err, argv.join(" ")).toMatch(SAME_AS_STDIN);
    expect(r.code, argv.join(" ")).toBe(2);
    expect(readFileSync(join(dir, "my.yaml"), "utf8")).toBe(SCENARIO);
  });

  it.each(["/dev/fd/0", "/proc/self/fd/0"])("is refused by the descriptor path %s", (path) => {
    if (!existsSync(path)) return;
    const dir = folderWith({ "my.yaml": SCENARIO });
    const r = run(["run", "-", "--quiet", "--trace", path, "--force"], dir, { file: "my.yaml" });
    expect(r.err, path).toMatch(IS_STDIN);
    expect(r.code, path).toBe(2);
    const named = run(["run", "my.yaml", "--quiet", "--trace", path], dir, { file: "my.yaml" });
    expect(named.err, path).toMatch(/: the same file as the input my\.yaml; write the output elsewhere\n/);
    expect(named.code, path).toBe(2);
    expect(readFileSync(join(dir, "my.yaml"), "utf8")).toBe(SCENARIO);
  });
});

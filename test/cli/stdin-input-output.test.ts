// Shows an output refused, even with --force, when it is the file a command reads its input from through stdin (`run - --trace my.yaml --force < my.yaml`, report's `-`, train's commands), or stdin itself by a descriptor path (`/dev/stdin`); the input is left as it was, and a file merely named `stdin` is not taken for it. stdin-input-output.long.test.ts has the other outputs, a link to the input, and `/dev/fd/0` and `/proc/self/fd/0`.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";
import { folderWith, IS_STDIN, run, SAME_AS_STDIN, SCENARIO, TINY } from "./stdin-run.js";

describe("an output onto the input read from stdin", () => {
  it("is refused for run, report and train, even with --force", async () => {
    const dir = folderWith({ "my.yaml": SCENARIO, "cmds.txt": "next\nquit\n" });
    // The trace report reads: main's, in this process (stdin is no part of writing it).
    const trace = await cli(["run", TINY, "--quiet", "--trace", join(dir, "t.jsonl")]);
    expect(trace.code, trace.err).toBe(0);
    const traceText = readFileSync(join(dir, "t.jsonl"), "utf8");
    const cases: [readonly string[], string][] = [
      [["run", "-", "--quiet", "--trace", "my.yaml", "--force"], "my.yaml"],
      [["report", "-", "-o", "t.jsonl", "--format", "markdown", "--force"], "t.jsonl"],
      [["train", TINY, "--save", "cmds.txt", "--force"], "cmds.txt"],
    ];
    for (const [argv, input] of cases) {
      const r = run(argv, dir, { file: input });
      expect(r.err, argv.join(" ")).toMatch(SAME_AS_STDIN);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect(readFileSync(join(dir, "my.yaml"), "utf8")).toBe(SCENARIO);
    expect(readFileSync(join(dir, "t.jsonl"), "utf8")).toBe(traceText);
    expect(readFileSync(join(dir, "cmds.txt"), "utf8")).toBe("next\nquit\n");
  });

  it("is refused when a session's own `save` names the file its commands are read from", () => {
    const dir = folderWith({ "cmds.txt": "save cmds.txt --force\n" });
    const r = run(["train", TINY], dir, { file: "cmds.txt" });
    expect(r.out).toMatch(/save: cmds\.txt: the same file as this command's stdin/);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "cmds.txt"), "utf8")).toBe("save cmds.txt --force\n");
  });

  it("is refused by its descriptor path, stdin redirected from a file or piped", () => {
    const dir = folderWith({ "my.yaml": SCENARIO });
    // By name (/dev/stdin); by number (/dev/fd/0, /proc/self/fd/0), the same descriptor, in the long tier.
    for (const path of ["/dev/stdin"]) {
      if (!existsSync(path)) continue;
      const r = run(["run", "-", "--quiet", "--trace", path, "--force"], dir, { file: "my.yaml" });
      expect(r.err, path).toMatch(IS_STDIN);
      expect(r.code, path).toBe(2);
      // Stdin redirected from the scenario the command names: the same file as that input.
      const named = run(["run", "my.yaml", "--quiet", "--trace", path], dir, { file: "my.yaml" });
      expect(named.err, path).toMatch(/: the same file as the input my\.yaml; write the output elsewhere\n/);
      expect(named.code, path).toBe(2);
    }
    const piped = run(["run", "-", "--quiet", "--trace", "/dev/stdin"], dir, { input: SCENARIO });
    expect(piped.err).toMatch(/--trace \/dev\/stdin: is this command's stdin/);
    expect(piped.code).toBe(2);
    expect(readFileSync(join(dir, "my.yaml"), "utf8")).toBe(SCENARIO);
  });

  it("is told from a file named stdin, which is written as any other output", () => {
    const dir = folderWith({ "my.yaml": SCENARIO });
    copyFileSync(TINY, join(dir, "stdin"));
    const r = run(["run", "-", "--quiet", "--trace", "stdin", "--force"], dir, { file: "my.yaml" });
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, "stdin"), "utf8")).toMatch(/^\{"t":/);
    expect(readFileSync(join(dir, "my.yaml"), "utf8")).toBe(SCENARIO);
  });
});

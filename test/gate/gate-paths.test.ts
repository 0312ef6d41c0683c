// Shows the gate naming an absolute scenario path inside the working directory by its path from there, however the path reaches it: through a link to the directory (a shell's $PWD is the link, the process's directory the real one, as /tmp is /private/tmp on macOS), and for a file whose name starts with two dots; so its JSON, JUnit and Markdown do not change with the machine's layout.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const TINY = join(import.meta.dirname, "../cli/fixtures/tiny.yaml");
/**
 * The tiny scenario gating one variant (fixed) over its first four minutes: these gates are about
 * the names of the files, which any run of theirs gives.
 */
const SMALL = readFileSync(TINY, "utf8")
  .replace(/^ {2}- \{ variant: buggy.*\n/m, "")
  .replace(/^duration: 12m$/m, "duration: 4m");

describe("the gate's names of absolute scenario paths", () => {
  it("are paths from the working directory, reached through a link or named with two leading dots", async () => {
    const root = mkdtempSync(join(tmpdir(), "aftershock-gate-paths-"));
    const real = join(root, "real");
    const link = join(root, "link");
    mkdirSync(real);
    expect(SMALL).not.toMatch(/variant: buggy|duration: 12m/);
    writeFileSync(join(real, "tiny.yaml"), SMALL);
    writeFileSync(join(real, "..weird.yaml"), SMALL.replace(/^name: tiny-may8$/m, "name: weird-may8"));
    symlinkSync(real, link);
    /** The gate run in this process from `cwd`, the shell's $PWD `pwd`, as a process started there has them. */
    const files = async (cwd: string, pwd: string, args: string[]) => {
      const [home, typed] = [process.cwd(), process.env.PWD];
      process.chdir(cwd);
      process.env.PWD = pwd;
      try {
        const r = await cli(["gate", ...args, "--json", "--jobs", "1"]);
        expect(r.code, r.err).toBeLessThanOrEqual(1);
        return (JSON.parse(r.out) as { suites: { file: string }[] }).suites.map((s) => s.file);
      } finally {
        process.chdir(home);
        if (typed === undefined) delete process.env.PWD;
        else process.env.PWD = typed;
      }
    };
    try {
      const here = [join(link, "tiny.yaml"), join(link, "..weird.yaml")];
      expect(await files(link, link, here)).toEqual(["tiny.yaml", "..weird.yaml"]);
      // Outside the working directory: as given (gated with tiny.yaml, under a name of its own).
      const outside = join(root, "outside.yaml");
      writeFileSync(outside, SMALL.replace(/^name: tiny-may8$/m, "name: outside-may8"));
      expect(await files(real, real, [join(real, "tiny.yaml"), outside])).toEqual(["tiny.yaml", outside]);
      expect(await files(root, root, [join(real, "tiny.yaml")])).toEqual(["real/tiny.yaml"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

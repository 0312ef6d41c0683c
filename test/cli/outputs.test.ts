// Shows every command's output paths checked alike before the work starts: a folder, an empty path, or one of the command's inputs is exit 2, with or without --force.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const GATED = "test/gate/fixtures/pass/small-cascade.yaml";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-outputs-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Each command with an output flag, the flag last so a path can follow it. */
const COMMANDS: readonly (readonly string[])[] = [
  ["run", TINY, "--quiet", "--trace"],
  ["run", TINY, "--quiet", "--html"],
  ["run", TINY, "--quiet", "--markdown"],
  ["run", TINY, "--quiet", "--perfetto"],
  ["compare", TINY, "--html"],
  ["gate", GATED, "--jobs", "1", "--junit"],
  ["gate", GATED, "--jobs", "1", "--markdown"],
  ["train", TINY, "--script", TINY, "--save"],
  ["report", TINY, "--format", "html", "-o"],
];

async function refused(argv: readonly string[], message: RegExp): Promise<void> {
  const r = await cli(argv);
  const line = argv.join(" ");
  expect(r.err, line).toMatch(message);
  expect(r.err, line).not.toMatch(/\n\s+at /);
  expect(r.out, line).toBe("");
  expect(r.code, line).toBe(2);
}

describe("output paths", () => {
  it("a folder is refused as any output, with or without --force", async () => {
    const folder = join(dir, "tdir");
    mkdirSync(folder);
    for (const argv of COMMANDS) {
      const flag = argv.at(-1)!;
      const message = new RegExp(`${flag} ${folder}: is a folder, expected a file\\n`);
      await refused([...argv, folder], message);
      await refused([...argv, folder, "--force"], message);
    }
  });

  it("an empty path is refused, not ignored", async () => {
    for (const argv of COMMANDS) {
      const flag = argv.at(-1)!;
      const message =
        flag === "-o" ? /give the output file with -o FILE/ : new RegExp(`${flag}: expected a file path\n`);
      await refused([...argv, ""], message);
    }
  });
});

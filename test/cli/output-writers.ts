// Runs the commands that write output files in this process, for the tests that an output already there is replaced, refused or kept as its kind and history say.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { cli } from "../gate/helpers.js";

export const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
export const GATED = "test/gate/fixtures/pass/small-cascade.yaml";

/** `aftershock <argv>` refused before any work: exit 2, `message` on stderr, no stack trace, no output. */
export async function refused(argv: readonly string[], message: RegExp): Promise<void> {
  const r = await cli(argv);
  const line = argv.join(" ");
  expect(r.err, line).toMatch(message);
  expect(r.err, line).not.toMatch(/\n\s+at /);
  expect(r.out, line).toBe("");
  expect(r.code, line).toBe(2);
}

/** Each of `writers` (its output flag last) writes over an empty file in `dir` without --force. */
export async function emptyFilesReplaced(
  dir: string,
  writers: readonly (readonly string[])[],
): Promise<void> {
  for (const argv of writers) {
    // One file a command and flag: `empty-run-trace.out`.
    const out = join(dir, `empty-${argv[0]}${argv.at(-1)}.out`);
    writeFileSync(out, "");
    const r = await cli([...argv, out]);
    expect(r.err, argv.join(" ")).not.toContain("not written by aftershock");
    expect(r.code, argv.join(" ")).toBe(0);
    expect(readFileSync(out, "utf8").length, argv.join(" ")).toBeGreaterThan(0);
  }
}

/**
 * `argv`, its report file and flag last: as written, a rerun replaces the file; edited (at its end
 * or inside), it is kept, refused without --force; with --force it is replaced.
 */
export async function editedKept(argv: readonly string[]): Promise<void> {
  const file = argv.at(-1)!;
  const flag = argv.at(-2)!;
  const line = argv.join(" ");
  expect((await cli(argv)).code, line).toBe(0);
  // As written: a rerun replaces it.
  expect((await cli(argv)).code, line).toBe(0);
  const notes = `${readFileSync(file, "utf8")}\n## Our notes\nRoot cause: ...\n`;
  writeFileSync(file, notes);
  await refused(
    argv,
    new RegExp(`${flag} ${file}: was edited since aftershock wrote it; pass --force to replace it\n`),
  );
  expect(readFileSync(file, "utf8"), line).toBe(notes);
  // An edit inside the file, not only at its end, is seen too.
  const lines = notes.replace("\n## Our notes\nRoot cause: ...\n", "").split("\n");
  lines[3] += " (ours)";
  writeFileSync(file, lines.join("\n"));
  await refused(argv, /was edited since aftershock wrote it/);
  const forced = await cli([...argv, "--force"]);
  expect(forced.code, line).toBe(0);
  expect(readFileSync(file, "utf8"), line).not.toContain("Our notes");
}

// Runs the built CLI with stdin redirected from a file or piped, in a folder of files of the test's, for the tests of an output onto the input read from stdin.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
export const TINY = join(ROOT, "test", "report", "fixtures", "tiny.yaml");
export const SCENARIO = readFileSync(TINY, "utf8");

/** The built CLI in `cwd` with stdin redirected from the file `stdin` (`< stdin`), or piped `input`. */
export function run(argv: readonly string[], cwd: string, stdin: { file: string } | { input: string }) {
  const fd = "file" in stdin ? openSync(join(cwd, stdin.file), "r") : null;
  try {
    const r = spawnSync(process.execPath, [BIN, ...argv], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
      ...(fd === null ? { input: (stdin as { input: string }).input } : { stdio: [fd, "pipe", "pipe"] }),
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** A fresh folder holding `files` (name: text). */
export function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-stdin-output-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export const SAME_AS_STDIN =
  /: the same file as this command's stdin, which it reads its input from; write the output elsewhere\n/;
export const IS_STDIN =
  /: is this command's stdin, which it reads its input from; write the output elsewhere\n/;

// Shell lines whose output file is the file the command's stdout or stderr is redirected to, and the refusal each must get, for cli-process.test.ts and its long tier.
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";

/** One shell line, the file its output names and its stream is redirected to, and what was in it. */
export interface RedirectCase {
  readonly line: string;
  readonly file: string;
  readonly stream: string;
  readonly before: string;
  /** A hard link to `file` the line names as its output. */
  readonly twin?: string;
  /** A symbolic link to `file` the line names as its output. */
  readonly link?: string;
}

/** A shell line run to its end. */
export type Shell = (line: string) => SpawnSyncReturns<string>;

/** A new folder, and a shell running lines in it (processes one after another: a loaded machine's time). */
export function redirectFolder(): {
  dir: string;
  sh: (line: string) => SpawnSyncReturns<string>;
} {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
  const sh = (line: string) =>
    spawnSync("bash", ["-c", line], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { dir, sh };
}

/**
 * Runs each case in `dir` and expects it refused, exit 2, with the message naming the output as
 * the redirected stream's file, and a file redirected as stdout left as it was.
 */
export function expectRedirectsRefused(dir: string, sh: Shell, cases: readonly RedirectCase[]): void {
  for (const { line, file, stream, before, twin, link } of cases) {
    writeFileSync(join(dir, file), before);
    if (twin) linkSync(join(dir, file), join(dir, twin));
    if (link) symlinkSync(file, join(dir, link));
    const r = sh(line);
    const err = stream === "stderr" ? readFileSync(join(dir, file), "utf8") : r.stderr;
    const output = (twin ?? link ?? file).replace(".", "\\.");
    expect(err, line).toMatch(
      new RegExp(
        `(^|\\s)(\\./)?${output}: is the same file as this command's ${stream}, which is redirected to it: replacing it would lose what is written there, even with --force; write the output elsewhere, or to /dev/${stream} to send it into that stream\n$`,
      ),
    );
    expect(r.status, line).toBe(2);
    if (stream === "stdout") expect(readFileSync(join(dir, file), "utf8"), line).toBe(before);
  }
}

// The built CLI run with its stdout and stderr redirected to files, as a shell's `> out 2> err` does, for standard-streams.test.ts and its long tier.
import { spawnSync } from "node:child_process";
import { closeSync, fstatSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");

/** What a redirected run wrote to each file, and how it ended. */
export interface Redirected {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  /** Whether the file stdout went to was replaced by another one at its path. */
  readonly replaced: boolean;
}

/** Runs the CLI in `dir` with stdout and stderr redirected to `out.txt` and `err.txt` there. */
export function redirected(dir: string, args: readonly string[]): Redirected {
  const outFile = join(dir, "out.txt");
  const errFile = join(dir, "err.txt");
  const out = openSync(outFile, "w");
  const err = openSync(errFile, "w");
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      stdio: ["ignore", out, err],
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 120_000,
    });
    return {
      code: r.status,
      out: readFileSync(outFile, "utf8"),
      err: readFileSync(errFile, "utf8"),
      replaced: statSync(outFile).ino !== fstatSync(out).ino,
    };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

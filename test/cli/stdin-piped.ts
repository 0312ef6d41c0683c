// Runs the built CLI with a scenario piped into its stdin, and makes a folder whose scenario names a scheduler module there, for stdin-scenario.test.ts and its long tier.
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, SCENARIO, TINY } from "./stdin-run.js";

const ROOT = join(import.meta.dirname, "..", "..");

export { TINY };
export const TEXT = SCENARIO;

/** A folder of its own for a CLI run. */
export function freshFolder(): string {
  return mkdtempSync(join(tmpdir(), "aftershock-stdin-scenario-"));
}

/** The built CLI with `input` piped into its stdin, in `cwd` (by default a folder of its own). */
export function piped(argv: readonly string[], input: string, cwd = freshFolder()) {
  return run(argv, cwd, { input });
}

/**
 * A folder holding the example module as `mine.mjs`, and the tiny scenario naming it with both
 * fixes: the module is found from the working folder, as a scenario read from stdin has no
 * folder of its own.
 */
export function moduleFolder(): { readonly folder: string; readonly text: string } {
  const folder = freshFolder();
  copyFileSync(join(ROOT, "examples", "reintroduced-bug1.mjs"), join(folder, "mine.mjs"));
  const text = TEXT.replace(
    "fleet:",
    "scheduler: { module: ./mine.mjs, fixes: [early-return, panic-recovery] }\nfleet:",
  );
  return { folder, text };
}

/** The scenario of `moduleFolder` over 3 minutes, the deletion in them: for compare, which has no --until. */
export function shortened(text: string): string {
  const short = text.replace("\nduration: 12m\n", "\nduration: 3m\n");
  if (short === text) throw new Error("the tiny scenario no longer lasts 12 minutes");
  return short;
}

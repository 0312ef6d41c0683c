// A temporary folder with the tiny scenario's saved --json output, and the built CLI run there with input on its stdin, for the tests of `-` as stdin and stdout (standard-dash.test.ts and its long tier).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { cli as inProcess } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "bin", "aftershock.js");
export const TINY = join(ROOT, "test", "report", "fixtures", "tiny.yaml");

/** What a file's tests read of the folder; call at its top level (it adds the hooks that make and remove it). */
export interface DashFolder {
  /** A path in the folder. */
  at(name: string): string;
  /** The folder. */
  dir(): string;
  /** The tiny scenario's buggy run's --json output, as saved output to pipe in. */
  saved(): string;
  /** The built CLI run in the folder, with `input` on its stdin. */
  cli(args: string[], input?: string): { code: number | null; out: string; err: string };
}

export function dashFolder(): DashFolder {
  let dir = "";
  let saved = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aftershock-dash-"));
    // The saved output the tests pipe in: main's, in this process (its stdout is the same there).
    const r = await inProcess(["run", TINY, "--variant", "buggy", "--json"]);
    expect(r.code).toBe(0);
    saved = r.out;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    at: (name) => join(dir, name),
    dir: () => dir,
    saved: () => saved,
    cli(args, input = "") {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: dir,
        input,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 60_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
  };
}

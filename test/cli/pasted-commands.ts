// Runs run, compare, the gate and explore in this process on a scenario and a module in a folder whose name a shell would split or expand, and reads back the commands they print as a shell would, for the tests that a printed command pasted into a shell gives back its arguments.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { cli } from "../explore/cli-helpers.js";
import { shellArguments } from "../report/shell-arguments.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const MODULE = join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs");

/** A folder a shell splits: what it holds, the folder's, scenario's and module's names. */
export const A_SPACE = ["a space", "my scenarios", "s c.yaml", "bug 1.mjs"] as const;
/** A folder holding a quote (and a scenario with a `$`, which a shell would expand). */
export const A_SINGLE_QUOTE = ["a single quote", "it's", "$x.yaml", "it's.mjs"] as const;

/** The line after `label` in `text` (`Reproduce: `, `  reproduce: `, `replay: `). */
export function lineAfter(text: string, label: string): string {
  const line = text.split("\n").find((l) => l.trimStart().startsWith(label));
  expect(line, `no ${label} in:\n${text}`).toBeDefined();
  return line!.trimStart().slice(label.length).trim();
}

/** run, compare and compare's Markdown in `FOLDER` under `dir`: their Reproduce lines read back. */
export async function runAndCompareReadBack(dir: string, folder: string, name: string, module: string) {
  const at = join(dir, folder);
  mkdirSync(at, { recursive: true });
  copyFileSync(TINY, join(at, name));
  copyFileSync(MODULE, join(at, module));
  const scenario = join(at, name);
  const scheduler = join(at, module);
  const run = await cli("run", scenario, "--scheduler", scheduler, "--until", "09:45");
  const compare = await cli("compare", scenario, "--markdown", join(at, "c.md"), "--force");
  const markdown = readFileSync(join(at, "c.md"), "utf8").match(/^Reproduce: `(.*)`$/m)?.[1] ?? "";
  expect(
    shellArguments([lineAfter(run.out, "Reproduce:"), lineAfter(compare.out, "Reproduce:"), markdown]),
  ).toEqual([
    ["run", scenario, "--seed", "5", "--scheduler", scheduler, "--until", "09:45"],
    ["compare", scenario, "--seed", "5", "--variants", "buggy,fixed"],
    ["compare", scenario, "--seed", "5", "--variants", "buggy,fixed"],
  ]);
}

/** The gate on a failing scenario in `gate-FOLDER` under `dir`, with and without the module: its reproduce lines and golden update read back. */
export async function gateReadBack(dir: string, folder: string, name: string, module: string) {
  const at = join(dir, `gate-${folder}`);
  mkdirSync(at, { recursive: true });
  const failing = readFileSync(TINY, "utf8").replace(
    "property: no-panic-death, holds: true",
    "property: no-panic-death, holds: false",
  );
  writeFileSync(join(at, name), failing);
  copyFileSync(MODULE, join(at, module));
  const scenario = join(at, name);
  const scheduler = join(at, module);
  const bundled = await cli("gate", scenario);
  const substituted = await cli("gate", scenario, "--scheduler", scheduler);
  const update = bundled.out.match(/run `(aftershock gate .*)` to pin it/)?.[1] ?? "";
  expect(
    shellArguments([lineAfter(bundled.out, "reproduce:"), lineAfter(substituted.out, "reproduce:"), update]),
  ).toEqual([
    ["run", scenario, "--variant", "fixed"],
    ["run", scenario, "--scheduler", scheduler, "--fix", "early-return,panic-recovery", "--seed", "5"],
    ["gate", scenario, "--update-golden"],
  ]);
}

/** explore writing its reproducer into `explore-FOLDER` under `dir`: its replay lines read back. */
export async function exploreReadBack(dir: string, folder: string) {
  const out = join(dir, `explore-${folder}`);
  const r = await cli("explore", TINY, "--variant", "buggy", "--runs", "1", "--jobs", "1", "--out", out);
  expect(r.code, r.err).toBe(1);
  const file = lineAfter(r.out, "reproducer ");
  expect(file.startsWith(out)).toBe(true);
  const header = readFileSync(file, "utf8").match(/^# replay: (.*)$/m)?.[1] ?? "";
  expect(shellArguments([lineAfter(r.out, "replay:"), header])).toEqual([
    ["run", file],
    ["run", file],
  ]);
}

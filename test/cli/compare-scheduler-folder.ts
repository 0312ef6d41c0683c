// Writes tiny.yaml beside two scheduler modules (the bundled v2 re-exported, and the example with a planted bug) and runs compare on it in this process, for the tests of `aftershock compare --scheduler MODULE`.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { cli } from "../explore/cli-helpers.js";
import { ROOT } from "../gate/helpers.js";
import { once } from "./once.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
export const BOTH = "early-return,panic-recovery";

export interface Event {
  readonly t: number;
  readonly type: string;
  readonly [field: string]: unknown;
}
export interface JsonDivergence {
  readonly variants: [string, string];
  readonly index: number;
  readonly t: number;
  readonly a: Event | null;
  readonly b: Event | null;
}
export interface JsonReport {
  readonly variant: { name: string | null; scheduler: string; fixes: string[] };
  readonly traceHash: string;
  readonly metrics: Record<string, unknown>;
  readonly verdicts: { property: string; ok: boolean }[];
}
export interface JsonComparison {
  readonly variants: JsonReport[];
  readonly divergence: JsonDivergence | null;
  readonly divergences: JsonDivergence[];
}

export interface CompareFolder {
  readonly dir: string;
  /** The scenario, copied beside the modules: a module is `module:./NAME.mjs` in its runs. */
  readonly scenario: string;
  /** The bundled v2, re-exported as a module: with both fixes it is the fixed variant. */
  readonly fixedV2: string;
  /** examples/reintroduced-bug1.mjs: v2 whose deleted-account path lost its early return. */
  readonly planted: string;
}

/** A fresh folder with the scenario and the two modules in it. */
export function compareFolder(): CompareFolder {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-compare-scheduler-"));
  const scenario = join(dir, "tiny.yaml");
  copyFileSync(TINY, scenario);
  const fixedV2 = join(dir, "fixed-v2.mjs");
  const v2 = pathToFileURL(join(ROOT, "dist", "src", "schedulers", "v2.js")).href;
  writeFileSync(fixedV2, `export { v2 as scheduler } from ${JSON.stringify(v2)};\n`);
  const planted = join(dir, "planted.mjs");
  copyFileSync(join(ROOT, "examples", "reintroduced-bug1.mjs"), planted);
  return { dir, scenario, fixedV2, planted };
}

/**
 * `aftershock <argv>` in this process, run once for the tests that ask for it: a command that
 * writes no file prints the same each time (same scenario, seed and module).
 */
export const shared = once(cli);

/** `compare SCENARIO <argv> --json`, run once (`shared`): the comparison it prints. */
export async function compareJsonOf(scenario: string, ...argv: string[]): Promise<JsonComparison> {
  const r = await shared("compare", scenario, ...argv, "--json");
  // A compare that printed no JSON says why (exit code and stderr) rather than fail to parse.
  expect(r.out.length > 0 ? "" : `exit ${r.code}: ${r.err}`).toBe("");
  return JSON.parse(r.out) as JsonComparison;
}

/** An event without the fields that name its scheduler (a module's run names the module). */
export function behaviour(e: Event | null): Omit<Event, "scheduler" | "fixes" | "seq" | "cause"> | null {
  if (e === null) return null;
  const { scheduler: _s, fixes: _f, seq: _q, cause: _c, ...rest } = e;
  return rest;
}

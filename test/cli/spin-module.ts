// Writes a scheduler module whose goroutine loops without yielding, and tiny.yaml with a 300 ms wall budget beside it, for the tests of runs stopped at their wall-clock budget.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Captured, cli } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
/**
 * The module: its scheduler goroutine loops without yielding or calling the runtime. It gives up
 * (a panic) some seconds after it is loaded, so that without a stop a test fails rather than hangs;
 * each test loads its own copy.
 */
const SPIN = `const giveUpAtMs = performance.now() + 8000;
export const scheduler = { name: "spin", description: "loops until it gives up", fixes: [], create() {
  return { name: "spin", fixes: [], main: function* () {
    while (performance.now() < giveUpAtMs) {}
    throw new Error("gave up looping");
  } };
} };
`;
/** What every command says of the run: the goroutine stopped, and why a bigger budget will not help. */
export const STOPPED =
  /hit the wall-clock budget \(300 ms\): goroutine scheduler on w1#\d+ was stopped after [\d.]+ s: a goroutine step never returned/;
/** Time a command may take: the budget, the guard's grace, and building the worlds and reports. */
export const ENDS_WITHIN_MS = 15_000;
const BUDGET = "\nlimits: { wallBudget: 300ms }\n";

/** A fresh copy of the module in `dir`, for the test `name`: its path. */
export function spinIn(dir: string, name: string): string {
  const path = join(dir, `spin-${name}.mjs`);
  writeFileSync(path, SPIN);
  return path;
}

/** tiny.yaml with a 300 ms wall budget and `edit` made, in `dir` as `name`.yaml: its path. */
export function budgetScenarioIn(
  dir: string,
  name: string,
  edit: (text: string) => string = (text) => text,
): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `${edit(readFileSync(TINY, "utf8"))}${BUDGET}`);
  return path;
}

/** `aftershock <argv>` in this process, and how long it took. */
export async function timed(...argv: string[]): Promise<Captured & { readonly wallMs: number }> {
  const started = performance.now();
  const r = await cli(...argv);
  return { ...r, wallMs: performance.now() - started };
}

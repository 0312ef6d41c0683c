// Writes scheduler modules that loop as the CLI loads and checks them (top level, export, `create`), with a tiny scenario of a 300 ms wall budget naming one, and runs commands on them in this process, for stuck-load.test.ts and its long tier.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect } from "vitest";
import { type Captured, cli, tmp } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
/** Each module gives up (throws) some seconds after it starts looping: without a stop, a test fails rather than hangs. */
const GIVE_UP = "const giveUpAtMs = performance.now() + 8000;\n";
const LOOP = 'while (performance.now() < giveUpAtMs) {} throw new Error("gave up looping");';
const MODULES = {
  "create.mjs": `${GIVE_UP}export const scheduler = { name: "c", fixes: [], create() { ${LOOP} } };\n`,
  "top.mjs": `${GIVE_UP}${LOOP}\nexport const scheduler = { name: "t", fixes: [], create() { return { main: function* () {} }; } };\n`,
  "getter.mjs": `${GIVE_UP}export const scheduler = { get name() { ${LOOP} }, fixes: [], create() { return { main: function* () {} }; } };\n`,
  "fixes.ts": `${GIVE_UP}export const scheduler = { name: "f", fixes: ["a", "b"], create(fixes: string[]) { if (fixes.length === 1) { ${LOOP} } return { main: function* () {} }; } };\n`,
};
/** Time a command may take: the 300 ms budget, loading, and the test's own start-up. */
export const ENDS_WITHIN_MS = 6000;

const STOPPED_CREATE =
  "./create.mjs: create([]) did not finish within 300 ms as it was checked, before any run, and was stopped (a loop that never ends?); nothing was run";

/**
 * The folder of the modules, `plain.yaml` (tiny, 300 ms budget), `own.yaml` (the same, naming
 * `./create.mjs`) and `quit.txt` (a training script); call at a file's top level (it adds the hook
 * that makes it).
 */
export function loopingLoad(): { readonly dir: () => string } {
  let dir = "";
  beforeAll(() => {
    dir = tmp();
    const tiny = readFileSync(TINY, "utf8").replace(/\nexpect:[\s\S]*$/, "\n");
    for (const [name, text] of Object.entries(MODULES)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, "quit.txt"), "quit\n");
    writeFileSync(join(dir, "plain.yaml"), `${tiny}limits: { wallBudget: 300ms }\n`);
    writeFileSync(
      join(dir, "own.yaml"),
      `${tiny}limits: { wallBudget: 300ms }\nscheduler: { module: ./create.mjs }\nexpect:\n  - { variant: fixed, property: no-panic-death, holds: true }\n`,
    );
  });
  return { dir: () => dir };
}

/** `aftershock <argv>` in this process, run from `dir`, and how long it took. */
export async function timedIn(
  dir: string,
  ...argv: string[]
): Promise<Captured & { readonly wallMs: number }> {
  const started = performance.now();
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const r = await cli(...argv);
    return { ...r, wallMs: performance.now() - started };
  } finally {
    process.chdir(cwd);
  }
}

/** `argv` on own.yaml, run from `dir`: stopped at the budget in `create([])`, placed in the scenario, exit 2. */
export async function expectCreateStopped(dir: string, argv: readonly string[]): Promise<void> {
  const r = await timedIn(dir, ...argv);
  expect(r.code).toBe(2);
  expect(r.out + r.err).toContain(`own.yaml:`);
  expect(r.out + r.err).toContain(`scheduler.module: ${STOPPED_CREATE}`);
  expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
}

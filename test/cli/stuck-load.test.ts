// Shows that a scheduler module whose code loops as the CLI loads and checks it (top level, export, `create`) is stopped at its scenario's wall budget before any run: a clear error naming the module and what it was doing, exit 2, in every command.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Captured, cli, tmp } from "../explore/cli-helpers.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";

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
const ENDS_WITHIN_MS = 6000;

let dir: string;

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

/** `aftershock <argv>` in this process, run from the test's folder, and how long it took. */
async function timed(...argv: string[]): Promise<Captured & { readonly wallMs: number }> {
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

const STOPPED_CREATE =
  "./create.mjs: create([]) did not finish within 300 ms as it was checked, before any run, and was stopped (a loop that never ends?); nothing was run";

describe("a scheduler module looping as the CLI loads it", () => {
  const commands: readonly (readonly string[])[] = [
    ["run", "own.yaml"],
    ["validate", "own.yaml"],
    ["compare", "own.yaml"],
    ["why", "own.yaml", "w1"],
    ["gate", "own.yaml", "--jobs", "1"],
    ["explore", "own.yaml", "--runs", "2", "--jobs", "1", "--out", "repro"],
    ["train", "own.yaml", "--script", "quit.txt"],
  ];
  for (const argv of commands) {
    it(`in create(): ${argv[0]} stops it at the scenario's budget, names the module and the call, exit 2`, async () => {
      const r = await timed(...argv);
      expect(r.code).toBe(2);
      expect(r.out + r.err).toContain(`own.yaml:`);
      expect(r.out + r.err).toContain(`scheduler.module: ${STOPPED_CREATE}`);
      expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
    }, 20_000);
  }

  const ofRun: readonly { readonly where: string; readonly module: string; readonly says: string }[] = [
    {
      where: "in its top-level code (an ES module): stopped as it is loaded",
      module: "top.mjs",
      says: "top.mjs: its top-level code did not finish within 300 ms as the module was loaded, and was stopped (a loop that never ends?); nothing was run",
    },
    {
      where: "in a getter of its export: stopped as it is read",
      module: "getter.mjs",
      says: "getter.mjs: reading its export did not finish within 300 ms as the module was loaded",
    },
    {
      where: "in create() with one of its fixes (TypeScript): names that call",
      module: "fixes.ts",
      says: 'fixes.ts: create(["a"]) did not finish within 300 ms as it was checked, before any run',
    },
  ];
  for (const { where, module, says } of ofRun) {
    it(`${where}, exit 2`, async () => {
      const r = await timed("run", "plain.yaml", "--scheduler", module);
      expect(r.code).toBe(2);
      expect(r.err).toContain(says);
      expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
    }, 20_000);
  }

  it.skipIf(!BUILT)(
    "run, as a process: exit 2 within seconds, no stack trace (needs dist/)",
    () => {
      const started = performance.now();
      const r = cliBuilt(["run", join(dir, "plain.yaml"), "--scheduler", join(dir, "top.mjs"), "--quiet"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("its top-level code did not finish within 300 ms");
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(performance.now() - started).toBeLessThan(ENDS_WITHIN_MS);
    },
    20_000,
  );
});

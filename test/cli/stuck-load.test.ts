// Shows that a scheduler module whose code loops as the CLI loads and checks it (top level, export, `create`) is stopped at its scenario's wall budget before any run: a clear error naming the module and what it was doing, exit 2, in each way a command loads it (run's, validate's and the gate's; stuck-load.long.test.ts has the other commands, which load it as run does).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { ENDS_WITHIN_MS, expectCreateStopped, loopingLoad, timedIn } from "./looping-load.js";

const { dir } = loopingLoad();

describe("a scheduler module looping as the CLI loads it", () => {
  // Each way a command loads a scenario's modules: run's registry (compare, why, explore and train
  // build the same one: stuck-load.long.test.ts), validate's check, the gate's.
  const commands: readonly (readonly string[])[] = [
    ["run", "own.yaml"],
    ["validate", "own.yaml"],
    ["gate", "own.yaml", "--jobs", "1"],
  ];
  for (const argv of commands) {
    it(`in create(): ${argv[0]} stops it at the scenario's budget, names the module and the call, exit 2`, async () => {
      await expectCreateStopped(dir(), argv);
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
      const r = await timedIn(dir(), "run", "plain.yaml", "--scheduler", module);
      expect(r.code).toBe(2);
      expect(r.err).toContain(says);
      expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
    }, 20_000);
  }

  it.skipIf(!BUILT)(
    "run, as a process: exit 2 within seconds, no stack trace (needs dist/)",
    () => {
      const started = performance.now();
      const r = cliBuilt([
        "run",
        join(dir(), "plain.yaml"),
        "--scheduler",
        join(dir(), "top.mjs"),
        "--quiet",
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("its top-level code did not finish within 300 ms");
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(performance.now() - started).toBeLessThan(ENDS_WITHIN_MS);
    },
    20_000,
  );
});

// Shows the stray-module cases that repeat a path stray-module-errors.test.ts takes in the default run: a microtask's throw on the main thread (a callback's, as a timer's is), the gate on more than one worker thread, explore in one thread and a timer's throw in explore, process.exit(1) in run, process.exit(0) on the gate's one worker thread and in a run on its worker threads (the hook a thread's import meets), process.exit(9) in a run on explore's threads, and a gate ended with no report file there before it. Each command a module ends is a process of its own (the built CLI).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { expectStraySaid, STRAYS, strayModules, TINY } from "./stray-modules.js";

const { dir, module, moduleWith } = strayModules();

describe.skipIf(!BUILT)("a scheduler module that throws outside the simulation", () => {
  it("ends run with exit 2 naming the module (microtask)", () => {
    const [stray, boom] = STRAYS.microtask;
    const path = module("run-microtask", stray);
    expectStraySaid(cliBuilt(["run", TINY, "--scheduler", path]), path, boom);
  });

  it("ends gate with exit 2 and writes no JUnit file, on worker threads (--jobs 2)", () => {
    const [stray, boom] = STRAYS.rejected;
    const path = module("gate", stray);
    const junit = join(dir, "gate-2.xml");
    const r = cliBuilt(["gate", TINY, "--scheduler", path, "--jobs", "2", "--junit", junit]);
    expectStraySaid(r, path, boom);
    expect(existsSync(junit)).toBe(false);
  });

  it("ends explore --generated with exit 2 and no report, in one thread (rejected)", () => {
    const [stray, boom] = STRAYS.rejected;
    const path = module("explore-rejected", stray);
    const out = join(dir, "explore-rejected-1");
    const argv = ["explore", "--generated", "--scheduler", path, "--runs", "6", "--jobs", "1"];
    const r = cliBuilt([...argv, "--json", "--out", out]);
    expectStraySaid(r, path, boom);
    expect(r.out).toBe("");
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("ends explore --generated with exit 2 and no report, in one thread and on worker threads (timer)", () => {
    const [stray, boom] = STRAYS.timer;
    const path = module("explore-timer", stray);
    for (const jobs of ["1", "2"]) {
      const out = join(dir, `explore-timer-${jobs}`);
      const argv = ["explore", "--generated", "--scheduler", path, "--runs", "6", "--jobs", jobs];
      const r = cliBuilt([...argv, "--json", "--out", out]);
      expectStraySaid(r, path, boom);
      expect(r.out).toBe("");
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    }
  });
});

describe.skipIf(!BUILT)("a scheduler module that calls process.exit", () => {
  it("ends explore with exit 2 when it does so on a worker thread, which it ends alone", () => {
    const path = module("exit-thread", "process.exit(9)");
    const r = cliBuilt(["explore", "--generated", "--scheduler", path, "--runs", "4", "--jobs", "2"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("a worker thread was ended by process.exit(9)");
    expect(r.err).not.toContain("internal error");
  });

  it("says nothing of a gate's JUnit file when none was there before the module ended the gate", () => {
    const path = moduleWith("gate-exit-fresh", "if (!isMainThread) process.exit(0)", true);
    const fresh = cliBuilt(["gate", TINY, "--scheduler", path, "--junit", join(dir, "fresh.xml")]);
    expect(fresh.code).toBe(2);
    expect(fresh.err).not.toContain("there before this gate");
  });

  it.each([
    ["run", 1, "", "the process", ["run", TINY]],
    // A module's runs take a worker thread even with one job.
    [
      "gate --jobs 1, on its one thread",
      0,
      "!isMainThread",
      "a worker thread",
      ["gate", TINY, "--jobs", "1"],
    ],
    [
      "gate, on a worker thread",
      0,
      "!isMainThread",
      "a worker thread",
      ["gate", TINY, "--jobs", "2", "--explore", "2"],
    ],
  ] as const)("ends %s with exit 2 for process.exit(%i) too", (_what, code, where, who, argv) => {
    const exit = where === "" ? `process.exit(${code})` : `if (${where}) process.exit(${code})`;
    const path = moduleWith(`exit-${code}-${argv.length}`, exit, where !== "");
    const r = cliBuilt([...argv, "--scheduler", path]);
    expect(r.err).toContain(`${who} was ended by process.exit(${code})`);
    expect(r.code).toBe(2);
  });
});

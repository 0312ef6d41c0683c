// Shows that a scheduler module that throws outside the simulation (a promise it rejects that nothing handles, a timer or a microtask that throws) or calls process.exit ends every command with one clear message naming it, exit 2, no stack trace and no half-written output, on the main thread and on worker threads: each kind of stray and each thread that meets one, once (stray-module-errors.long.test.ts has the other thread arrangements and exit codes). Each command a module ends is a process of its own (the built CLI); only the earlier gate whose files one must leave as they were runs in this process.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli as inProcess } from "../explore/cli-helpers.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { expectStraySaid, STRAYS, strayModules, TINY } from "./stray-modules.js";

const { dir, module, moduleWith } = strayModules();

describe.skipIf(!BUILT)("a scheduler module that throws outside the simulation", () => {
  // A rejection and a throw from a callback: the two ways Node meets a stray (a microtask's is a
  // callback's too).
  for (const name of ["rejected", "timer"] as const) {
    const [stray, boom] = STRAYS[name];
    it(`ends run with exit 2 naming the module (${name})`, () => {
      const path = module(`run-${name}`, stray);
      expectStraySaid(cliBuilt(["run", TINY, "--scheduler", path]), path, boom);
    });
  }

  it("says a rejection with an object that is no Error by what the object holds, not as [object Object]", () => {
    const path = module("run-rejected-object", "Promise.reject({ code: 5 })");
    const r = cliBuilt(["run", TINY, "--scheduler", path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `aftershock: ${path}: the scheduler module rejected a promise that nothing handled`,
    );
    expect(r.err).toContain("outside the simulation: { code: 5 } (not an Error). ");
  });

  // A module's runs take a worker thread even with one job.
  it("ends gate with exit 2 and writes no JUnit file, on its one worker thread", () => {
    const [stray, boom] = STRAYS.rejected;
    const path = module("gate", stray);
    const junit = join(dir, "gate-1.xml");
    const r = cliBuilt(["gate", TINY, "--scheduler", path, "--jobs", "1", "--junit", junit]);
    expectStraySaid(r, path, boom);
    expect(existsSync(junit)).toBe(false);
    // With no file there before, nothing is said of one.
    expect(r.err).not.toContain("there before this gate");
  });

  it("says a gate's JUnit and Markdown files from an earlier gate are left as they were: not its outcome", async () => {
    const path = moduleWith("gate-exit-earlier", "if (!isMainThread) process.exit(0)", true);
    const junit = join(dir, "earlier.xml");
    const markdown = join(dir, "earlier.md");
    // An earlier gate's (the bundled variants' alone) passed: written in this process, in this
    // thread, as any gate writes them; the processes below are the ones a module ends.
    expect(
      (await inProcess("gate", TINY, "--jobs", "1", "--junit", junit, "--markdown", markdown)).code,
    ).toBe(0);
    const passed = readFileSync(junit, "utf8");
    const r = cliBuilt(["gate", TINY, "--scheduler", path, "--junit", junit, "--markdown", markdown]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `aftershock: ${junit} and ${markdown}, there before this gate, are left as they were: not this gate's outcome\n`,
    );
    expect(readFileSync(junit, "utf8")).toBe(passed);
    // So too when the module ends the process as it loads, before any run.
    const atLoad = join(dir, "gate-exit-at-load.mjs");
    writeFileSync(atLoad, `process.exit(0);\n${readFileSync(path, "utf8")}`);
    const loading = cliBuilt(["gate", TINY, "--scheduler", atLoad, "--junit", junit, "--markdown", markdown]);
    expect(loading.code).toBe(2);
    expect(loading.err).toContain(
      `aftershock: ${junit} and ${markdown}, there before this gate, are left as they were`,
    );
    expect(readFileSync(junit, "utf8")).toBe(passed);
  });

  it("ends explore --generated with exit 2 and no report, on worker threads (rejected)", () => {
    const [stray, boom] = STRAYS.rejected;
    const path = module("explore-rejected", stray);
    const out = join(dir, "explore-rejected-2");
    const argv = ["explore", "--generated", "--scheduler", path, "--runs", "6", "--jobs", "2"];
    const r = cliBuilt([...argv, "--json", "--out", out]);
    expectStraySaid(r, path, boom);
    expect(r.out).toBe("");
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("ends explore --generated with exit 2 when the module's top-level code throws from a timer on a worker thread", () => {
    // Thrown while the thread loads what generated worlds need after the module (fast-check, the
    // scenario schema): said as the module's from the moment it is loaded, as any stray is.
    const path = join(dir, "explore-top-timer.mjs");
    writeFileSync(
      path,
      `import { isMainThread } from "node:worker_threads";\nif (!isMainThread) setTimeout(() => { throw new Error("top timer boom") }, 1);\n${readFileSync(module("explore-top-timer-body", "0"), "utf8")}`,
    );
    const argv = ["explore", "--generated", "--scheduler", path, "--runs", "4", "--jobs", "2"];
    expectStraySaid(cliBuilt(argv), path, "top timer boom");
  });

  it("ends compare with exit 2, its module's run on a worker thread", () => {
    const [stray, boom] = STRAYS.microtask;
    const path = module("compare", stray);
    expectStraySaid(cliBuilt(["compare", TINY, "--scheduler", path]), path, boom);
  });
});

describe.skipIf(!BUILT)("a scheduler module that calls process.exit", () => {
  it("ends the command with exit 2, saying the module ended the process", () => {
    const path = module("exit", "process.exit(7)");
    const r = cliBuilt(["run", TINY, "--scheduler", path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("the process was ended by process.exit(7), which something it ran called");
    expect(r.err).toContain(path);
  });

  // 0 and 1 are aftershock's own codes: left alone, a module's exit would read as a gate passed
  // (nothing judged, no JUnit file) or a property failed.
  it.each([
    ["gate", ["gate", TINY, "--jobs", "2", "--explore", "2"]],
    [
      "explore",
      ["explore", "--generated", "--runs", "4", "--jobs", "2", "--out", join(dir, "top-exit-repro")],
    ],
  ] as const)(
    "ends %s with exit 2 when a thread's import of the module calls process.exit(0)",
    (_what, argv) => {
      const path = join(dir, `top-exit-${argv[0]}.mjs`);
      writeFileSync(
        path,
        `import { isMainThread } from "node:worker_threads";\nif (!isMainThread) process.exit(0);\n${readFileSync(module(`top-exit-${argv[0]}-body`, "0"), "utf8")}`,
      );
      const r = cliBuilt([...argv, "--scheduler", path]);
      expect(r.err).toContain("a worker thread was ended by process.exit(0)");
      expect(r.code).toBe(2);
    },
  );
});

describe("a worker thread's stray error where the CLI runs in another program's process", () => {
  it("is left to Node, so the run fails, instead of being told to a main thread that does not listen", async () => {
    const path = join(dir, "rejects-on-threads.mjs");
    writeFileSync(
      path,
      `import { isMainThread } from "node:worker_threads";\nexport default { name: "x", fixes: [], create(f) { return { name: "x", fixes: f, main: function* (rt) {\n  if (!isMainThread) Promise.reject(new Error("thread boom"));\n  for (;;) yield rt.sleep(1000);\n} } } }\n`,
    );
    const out = join(dir, "repro");
    const r = await inProcess(
      ...["explore", "--generated", "--scheduler", path, "--runs", "6", "--jobs", "2", "--out", out],
    );
    expect(r.err).toContain("thread boom");
    expect(r.code).toBe(4);
  });
});

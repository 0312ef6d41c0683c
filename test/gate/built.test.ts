// What only the built CLI in its own process shows: --jobs spreads runs over worker threads without changing a byte of the result nor the determinism verdict, and .ts scheduler modules load (the JUnit times of runs that overlap on threads, whose suite time junit.test.ts shows is their span, in built.long.test.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  expectDeployedModuleRunAnew,
  expectImportedFileProblems,
  expectNondeterministic,
  ONE,
  TWO,
} from "./built-cases.js";
import { BUILT, cliBuilt } from "./helpers.js";

describe.skipIf(!BUILT)("the built gate (skipped without dist/: run `npm run build`)", () => {
  it("gives the same report with --jobs 2 as in one thread", () => {
    const one = cliBuilt(["gate", TWO, "--json", "--jobs", "1"]);
    const two = cliBuilt(["gate", TWO, "--json", "--jobs", "2"]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.out).toBe(one.out);
    expect(JSON.parse(two.out).counts.passed).toBeGreaterThan(5);
  });

  // Each of these runs in one thread arrangement here, the other in the long tier
  // (built.long.test.ts): between them, the determinism check on worker threads (--jobs 2) and in
  // the main thread with the third run on a new one (--jobs 1).
  it("fails the determinism check of a module that keeps state between runs with --jobs 2", () => {
    expectNondeterministic("test/gate/fixtures/modules/stateful-create.mjs", "nondeterminism", "2");
  });

  it("fails the determinism check of a module that reads Math.random() as it is imported, with --jobs 1", () => {
    // The two runs of a variant share one loaded module, so they agree: the third, on a thread
    // that imports the module anew, draws another value.
    expectNondeterministic(
      "test/gate/fixtures/modules/import-random.mjs",
      "a run on a thread that loaded the scheduler module anew gave a different trace",
      "1",
    );
  });

  it("runs a variant a third time on a new thread when the scenario's timeline deploys a module, with --jobs 2", () => {
    expectDeployedModuleRunAnew("2");
  });

  it("loads a TypeScript scheduler module, with its .js imports of .ts files, in the main thread and in workers, and passes a module that reads nothing as it is imported: three runs of each variant, one on a new thread", () => {
    // typed-v2.ts is the bundled v2 under another name: nothing of it differs between threads.
    const r = cliBuilt(["gate", ONE, "--scheduler", "test/gate/fixtures/modules/typed-v2.ts", "--jobs", "2"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("scheduler test/gate/fixtures/modules/typed-v2.ts in place of v2");
    expect(r.out).toMatch(/\d+ runs \(each variant twice, a scheduler module's once more on a new thread\)/);
    expect(r.out).toMatch(
      /deterministic +three runs \(the third on a thread that loaded the scheduler module anew\) at seed \d+ gave the same trace/,
    );
    expect(r.out).not.toContain("nondeterminism");
  });

  it("reports a TypeScript syntax error in a scheduler module as bad input (exit 2), at its line and column", () => {
    const broken = join(mkdtempSync(join(tmpdir(), "aftershock-ts-")), "broken.ts");
    writeFileSync(broken, "export const scheduler = {\n  name: 'x' as,\n};\n");
    const r = cliBuilt(["gate", ONE, "--scheduler", broken]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.ts:2:\d+: the scheduler module has a syntax error: Unexpected ","/);
    // One line: no `\u000a` from the hooks thread, no esbuild banner.
    expect(r.err).not.toMatch(/\\u000a|Transform failed/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("reports what fails in a local file a scheduler module imports at that file's line and column, not as the module's (exit 2)", () => {
    // A syntax error and a throw (a TypeScript file's syntax error and a missing import: the long tier).
    expectImportedFileProblems(["syntax.mjs", "throws.mjs"]);
  });

  it("reports a JavaScript syntax error in a scheduler module at its line and column (exit 2)", () => {
    // Run by the built CLI: under vitest, modules are parsed by vite, not by Node.
    const broken = join(mkdtempSync(join(tmpdir(), "aftershock-js-")), "syntax.mjs");
    writeFileSync(broken, 'export const scheduler = {\n  oops\n  name: "syntax",\n};\n');
    const r = cliBuilt(["gate", ONE, "--scheduler", broken, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "syntax.mjs:3:3: the scheduler module has a syntax error: Unexpected identifier 'name'",
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

// Shows the built gate's module cases in the thread arrangement built.test.ts does not run them in (its cases are the representatives): a module that keeps state fails the determinism check in one thread, one that reads Math.random() as it is imported fails it on worker threads, and a module a timeline deploys is run anew in one thread; a TypeScript file's syntax error and a missing import in a local file a module imports (built.test.ts: a syntax error and a throw); and the JUnit times of May 8's runs side by side on two threads, a suite's time their span, as junit.test.ts shows of runs placed in time.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  expectDeployedModuleRunAnew,
  expectImportedFileProblems,
  expectNondeterministic,
} from "./built-cases.js";
import { BUILT, cliBuilt } from "./helpers.js";

describe.skipIf(!BUILT)("the built gate (skipped without dist/: run `npm run build`)", () => {
  it("reports a TypeScript syntax error and a missing import in a local file a scheduler module imports, at that file's line and column", () => {
    expectImportedFileProblems(["syntax.ts", "missing.mjs"]);
  });

  it("fails the determinism check of a module that keeps state between runs in one thread", () => {
    expectNondeterministic("test/gate/fixtures/modules/stateful-create.mjs", "nondeterminism", "1");
  });

  it("fails the determinism check of a module that reads Math.random() as it is imported, with --jobs 2", () => {
    expectNondeterministic(
      "test/gate/fixtures/modules/import-random.mjs",
      "a run on a thread that loaded the scheduler module anew gave a different trace",
      "2",
    );
  });

  it("runs a variant a third time on a new thread when the scenario's timeline deploys a module, with --jobs 1", () => {
    expectDeployedModuleRunAnew("1");
  });

  it("gives no suite a JUnit time longer than the gate's when runs overlap on threads", () => {
    // Each variant's two runs share a thread: buggy's and fixed's go side by side. May 8's world,
    // whose runs take long enough to outweigh the threads' start, gating those two variants alone.
    const dir = mkdtempSync(join(tmpdir(), "aftershock-junit-"));
    const scenario = join(dir, "two-variants.yaml");
    const may8 = readFileSync("scenarios/qstash-2026-05-08.yaml", "utf8");
    writeFileSync(scenario, may8.replace(/^ {2}- \{ variant: (?!buggy|fixed).*\n/gm, ""));
    const xml = join(dir, "gate.xml");
    const r = cliBuilt(["gate", scenario, "--jobs", "2", "--junit", xml]);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(xml, "utf8");
    const seconds = (tag: string) =>
      [...text.matchAll(new RegExp(`<${tag} [^>]*?time="([\\d.]+)"`, "g"))].map((m) => Number(m[1]));
    const [total] = seconds("testsuites");
    const [suite] = seconds("testsuite");
    const cases = seconds("testcase");
    expect(suite).toBeGreaterThan(0);
    expect(suite).toBeLessThanOrEqual(total);
    // A case's time is its run's own; runs side by side add up to more than the suite took.
    expect(cases.reduce((a, b) => a + b, 0)).toBeGreaterThan(suite);
    expect(Math.max(...cases)).toBeLessThanOrEqual(suite);
  });
});

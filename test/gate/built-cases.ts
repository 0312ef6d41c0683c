// The built gate's cases that each thread arrangement repeats: a module's determinism verdict, and a module a scenario's timeline deploys.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { cliBuilt } from "./helpers.js";

/** Small worlds of their own (each gate here is a process, its threads each loading the bundle). */
export const TWO = "test/gate/fixtures/built/two-variants.yaml";
/** One variant, for a module's determinism verdict (each variant of a module costs one more thread for its third run). */
export const ONE = "test/gate/fixtures/built/one-variant.yaml";

/** Gates `module` with `--jobs JOBS`: exit 3, and every determinism case failed with `message` in it. */
export function expectNondeterministic(module: string, message: string, jobs: string): void {
  const r = cliBuilt(["gate", ONE, "--scheduler", module, "--json", "--jobs", jobs]);
  expect(r.code, `--jobs ${jobs}`).toBe(3);
  const cases: { name: string; status: string; message: string }[] = JSON.parse(r.out).suites.flatMap(
    (s: { cases: unknown[] }) => s.cases,
  );
  const deterministic = cases.filter((k) => k.name.endsWith("] deterministic"));
  expect(deterministic.length, `--jobs ${jobs}`).toBeGreaterThan(0);
  for (const k of deterministic) {
    expect(k.status, `${k.name} with --jobs ${jobs}`).toBe("failed");
    expect(k.message).toContain(message);
  }
}

/**
 * Gates, with `--jobs JOBS`, ONE starting on the bundled v2 whose timeline deploys a module that
 * reads Math.random() as it is imported (no --scheduler names it): its third run, on a new
 * thread, finds it.
 */
export function expectDeployedModuleRunAnew(jobs: string): void {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-deployed-module-"));
  const module = join(import.meta.dirname, "fixtures", "modules", "import-random.mjs");
  const scenario = join(dir, "deployed.yaml");
  writeFileSync(
    scenario,
    readFileSync(ONE, "utf8").replace(
      "timeline:\n",
      `timeline:\n  - { at: "09:41:00", action: deploy, module: ${JSON.stringify(module)}, stepDelay: 0s }\n`,
    ),
  );
  const r = cliBuilt(["gate", scenario, "--jobs", jobs]);
  expect(r.code, `--jobs ${jobs}: ${r.out}`).toBe(3);
  expect(r.out).toContain("a scheduler module's once more on a new thread");
  expect(r.out).toContain("a run on a thread that loaded the scheduler module anew gave a different trace");
}

// The built gate's cases that each thread arrangement repeats: a module's determinism verdict, and a module a scenario's timeline deploys; and the problems of a local file a module imports, shared between built.test.ts and its long tier.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

/** A local file a module imports, the place said of it, and what it is said to do there, by the module's name. */
const IMPORTED_FILE_CASES = {
  "syntax.mjs": [
    "bad.mjs",
    "export const a = 1;\nexport const b = (;\n",
    "lib/bad.mjs:2:",
    "has a syntax error: ",
  ],
  "syntax.ts": [
    "bad.ts",
    "export const a: number = 1;\nexport const b = (;\n",
    "lib/bad.ts:2:",
    "has a syntax error: ",
  ],
  "throws.mjs": [
    "boom.mjs",
    'export const a = 1;\nthrow new Error("boom");\n',
    "lib/boom.mjs:2:7",
    "threw while loading: boom",
  ],
  "missing.mjs": [
    "gone.mjs",
    'export { a } from "./nowhere.mjs";\n',
    "lib/gone.mjs:1:19",
    'imports "./nowhere.mjs", which is not there',
  ],
} as const;

/**
 * Gates ONE with each module named, itself fine, importing a local file that fails: exit 2, said
 * at that file's line and column (Node names no file for an ES module's syntax error), no stack.
 */
export function expectImportedFileProblems(modules: readonly (keyof typeof IMPORTED_FILE_CASES)[]): void {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-imports-"));
  mkdirSync(join(dir, "lib"));
  const factory =
    'export const scheduler = { name: "m", fixes: [], create: () => ({ name: "m", fixes: [], *main() {} }) };\n';
  for (const module of modules) {
    const [imported, text, place, what] = IMPORTED_FILE_CASES[module];
    writeFileSync(join(dir, "lib", imported), text);
    writeFileSync(
      join(dir, module),
      `import { a } from "./lib/${imported}";\nexport const used = a;\n${factory}`,
    );
    const r = cliBuilt(["gate", ONE, "--scheduler", join(dir, module), "--jobs", "1"]);
    expect(r.code, module).toBe(2);
    expect(r.err, module).toContain(`${join(dir, place)}`);
    expect(r.err, module).toContain(
      `the scheduler module ${join(dir, module)} imports this file, which ${what}`,
    );
    expect(r.err, module).not.toMatch(/\n\s+at /);
  }
}

import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, sep } from "node:path";
import { defineConfig } from "vitest/config";

/** Every test file under the checkout's `test/`, as a `/`-separated path from the checkout. */
function testFiles(): string[] {
  return readdirSync(join(import.meta.dirname, "test"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => `test/${file.split(sep).join("/")}`);
}

/**
 * The long tier: files named `*.long.test.ts`, which `npm run test:full` (vitest's `--mode full`)
 * runs with the rest and the default run leaves out, to keep `npm test` within five minutes on two
 * cores. They hold the 100-seed fidelity sweeps and the repetitions of a behaviour the default
 * tier tests once (each other thread arrangement, phase or format of it).
 */
const LONG = "test/**/*.long.test.ts";

/**
 * Test files that replace a module of the project (`vi.mock`): they need modules of their own,
 * which a process that ran other files before them has already loaded.
 */
const MOCKING = testFiles().filter((file) =>
  /\bvi\.(do)?[mM]ock\(/.test(readFileSync(join(import.meta.dirname, file), "utf8")),
);

/** What every project's files share. */
const common = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: "forks",
  // The CLI writes ASCII glyphs where the locale is not UTF-8 (src/cli/glyphs.ts); the tests that
  // start it read its Unicode, whatever locale the machine running them has (a CI image's is often C).
  env: { LC_ALL: "C.UTF-8" },
} as const;

export default defineConfig(({ mode }) => ({
  test: {
    // Once for the run (a project that extended this config would run them again, each):
    // rebuilds dist/ when a source is newer, as the binary and the worker threads run the build;
    // gives the run one temporary directory, removed at its end (test/setup/temp-dir.ts).
    globalSetup: ["test/setup/build-dist.ts", "test/setup/temp-dir.ts"],
    // Vitest's default leaves a core to its own process (cores - 1), which on a 2-core machine
    // runs the files one at a time; its process mostly waits, so every core runs a file.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        test: {
          ...common,
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: [...MOCKING, ...(mode === "full" ? [] : [LONG])],
          // A test process runs file after file on the project's modules, loaded once: loading
          // them anew for each of 250 files took a third of the run's time.
          isolate: false,
        },
      },
      {
        test: { ...common, name: "mocking", include: MOCKING, exclude: mode === "full" ? [] : [LONG] },
      },
    ],
  },
}));

import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Rebuilds dist/ when a source is newer: the binary and the worker threads run the build.
    // The second gives the run one temporary directory, removed at its end (test/setup/temp-dir.ts).
    globalSetup: ["test/setup/build-dist.ts", "test/setup/temp-dir.ts"],
    pool: "forks",
    // Vitest's default leaves a core to its own process (cores - 1), which on a 2-core machine
    // runs the files one at a time; its process mostly waits, so every core runs a file.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});

// Vitest's global setup: runs once in vitest's own process before any test file (and before each
// rerun in watch mode), so the test processes never build, or see a build, at the same time.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { buildIfStale } from "./dist-freshness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function npmRunBuild(): number {
  // stdout to stderr too: `vitest run --reporter=json` may be writing its report to stdout.
  const result = spawnSync("npm", ["run", "build"], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
    shell: process.platform === "win32",
  });
  return result.status ?? 1;
}

function say(line: string): void {
  process.stderr.write(`aftershock tests: ${line}\n`);
}

function ensureBuilt(): void {
  buildIfStale(ROOT, npmRunBuild, say);
}

export default function setup(project: TestProject): void {
  try {
    ensureBuilt();
  } catch (error) {
    // Thrown from here, vitest would first say "No test files found" of files that are there,
    // then the build's failure: the build's errors above and this line are the whole story.
    say((error as Error).message);
    process.exit(1);
  }
  project.onTestsRerun(() => {
    // In watch mode a failed build must not end the watcher (a throw here does): the failure is
    // said, the rerun goes on, and the next save tries the build again.
    try {
      ensureBuilt();
    } catch (error) {
      say((error as Error).message);
    }
  });
}

// Whether dist/ was built from the sources as they are now, and a rebuild when it was not.
// The tests that spawn bin/aftershock.js or start worker threads run dist/, not src/; without
// this a bare `npx vitest run` after an edit tests the code of the last build.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** What the build reads and what it writes, as paths relative to the package root. */
export interface BuildFiles {
  /** Files, and folders walked whole, whose change calls for a new build; a missing one is skipped. */
  readonly inputs: readonly string[];
  /** Files every build writes; the oldest of them dates the build, and a missing one means none. */
  readonly outputs: readonly string[];
}

export const BUILD_FILES: BuildFiles = {
  // package-lock.json: the bundle inlines the installed dependencies.
  inputs: [
    "src",
    "scripts/bundle.mjs",
    "tsconfig.json",
    "tsconfig.build.json",
    "package.json",
    "package-lock.json",
  ],
  // tsc's entry of the CLI, then the bundle's metafile, the build's very last write. Both count:
  // `tsc` alone leaves an old bundle, and the bundler alone bundles an old dist/src.
  outputs: ["dist/src/cli/main.js", "dist/bundle/meta.json"],
};

export type DistState = { readonly stale: false } | { readonly stale: true; readonly reason: string };

/** Stale when an output is missing or an input was modified after the oldest output was written. */
export function distState(root: string, files: BuildFiles = BUILD_FILES): DistState {
  let builtMs = Number.POSITIVE_INFINITY;
  for (const output of files.outputs) {
    const stats = statSync(join(root, output), { throwIfNoEntry: false });
    if (stats === undefined) return { stale: true, reason: `${output} is missing` };
    builtMs = Math.min(builtMs, stats.mtimeMs);
  }
  for (const input of files.inputs) {
    const newer = firstNewer(root, input, builtMs);
    if (newer !== null) return { stale: true, reason: `${newer} changed after the last build` };
  }
  return { stale: false };
}

/** The first file at or under `path` modified after `sinceMs`, or null. Dot-files (an editor's
 * swap file, .DS_Store) are not sources and are skipped: they change while nobody saves. */
function firstNewer(root: string, path: string, sinceMs: number): string | null {
  const stats = statSync(join(root, path), { throwIfNoEntry: false });
  if (stats === undefined) return null;
  if (!stats.isDirectory()) return stats.mtimeMs > sinceMs ? path : null;
  for (const name of readdirSync(join(root, path)).sort()) {
    if (name.startsWith(".")) continue;
    const newer = firstNewer(root, `${path}/${name}`, sinceMs);
    if (newer !== null) return newer;
  }
  return null;
}

/** How a rebuild is run: its exit status. */
export type Build = () => number;

/**
 * Rebuilds once when dist/ is stale, saying why on stderr (the build's own output goes there too,
 * so a machine reporter on stdout stays clean); does nothing else when it is fresh. Throws when
 * the build fails: tests of a dist/ that does not match the sources are the thing to avoid.
 */
export function buildIfStale(root: string, build: Build, log: (line: string) => void): void {
  const state = distState(root);
  if (!state.stale) return;
  log(`dist/ is out of date (${state.reason}): running \`npm run build\` before the tests`);
  const status = build();
  if (status !== 0) {
    const error = new Error(
      `\`npm run build\` failed (exit ${status}), see its output above; the tests that run the ` +
        "binary or worker threads would run an old dist/. Fix the build and run the tests again.",
    );
    error.stack = error.message;
    throw error;
  }
  const after = distState(root);
  // A source dated in the future stays newer than any build: say so once rather than rebuild
  // at every run without a word.
  if (after.stale) log(`dist/ still looks out of date after the build (${after.reason}); check its date`);
}

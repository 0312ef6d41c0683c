// Shows the test run's staleness check of dist/ on a made-up tree: fresh after a build, stale after an edit, a half build or none, and a rebuild only when stale.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILD_FILES, buildIfStale, distState } from "./dist-freshness.js";

const BUILT_S = 1_800_000_000;

let root: string;

/** Writes `path` under the tree, dated `seconds` after the build. */
function file(path: string, seconds: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, "");
  utimesSync(full, BUILT_S + seconds, BUILT_S + seconds);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "aftershock-dist-"));
  // A package as a build leaves it: every input older than every output.
  file("src/cli/main.ts", -60);
  file("src/kernel/deep/queue.ts", -60);
  file("scripts/bundle.mjs", -60);
  file("tsconfig.json", -60);
  file("tsconfig.build.json", -60);
  file("package.json", -60);
  file("dist/src/cli/main.js", -5);
  file("dist/bundle/meta.json", 0);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("distState", () => {
  it("is fresh when every output is newer than every input (package-lock.json may be absent)", () => {
    expect(distState(root)).toEqual({ stale: false });
  });

  it("is stale when a source deep under src/ was saved after the build, and names it", () => {
    file("src/kernel/deep/queue.ts", 1);
    expect(distState(root)).toEqual({
      stale: true,
      reason: "src/kernel/deep/queue.ts changed after the last build",
    });
  });

  it.each([
    "scripts/bundle.mjs",
    "tsconfig.json",
    "tsconfig.build.json",
    "package.json",
    "package-lock.json",
  ])("is stale when %s changed after the build", (path) => {
    file(path, 1);
    expect(distState(root)).toEqual({ stale: true, reason: `${path} changed after the last build` });
  });

  it("is stale when a new source file appeared", () => {
    file("src/world/fresh.ts", 1);
    expect(distState(root)).toMatchObject({
      stale: true,
      reason: "src/world/fresh.ts changed after the last build",
    });
  });

  it("is stale when only tsc ran after the edit: the bundle is older than the source", () => {
    file("src/cli/main.ts", 10);
    file("dist/src/cli/main.js", 20);
    expect(distState(root)).toMatchObject({ stale: true });
  });

  it("is stale when only the bundler ran after the edit: it bundled an old dist/src", () => {
    file("src/cli/main.ts", 10);
    file("dist/bundle/meta.json", 20);
    expect(distState(root)).toMatchObject({ stale: true });
  });

  it.each(BUILD_FILES.outputs)("is stale when %s is missing (never built)", (path) => {
    rmSync(join(root, path));
    expect(distState(root)).toEqual({ stale: true, reason: `${path} is missing` });
  });

  it("ignores dot-files under src/ (an editor's swap file) and files outside the inputs", () => {
    file("src/cli/.main.ts.swp", 30);
    file("test/cli/main.test.ts", 30);
    file("README.md", 30);
    expect(distState(root)).toEqual({ stale: false });
  });
});

describe("buildIfStale", () => {
  function attempt(status: number): { builds: number; log: string[]; error: unknown } {
    const result = { builds: 0, log: [] as string[], error: null as unknown };
    try {
      buildIfStale(
        root,
        () => {
          result.builds++;
          // A build leaves its outputs newer than the sources.
          if (status === 0) for (const output of BUILD_FILES.outputs) file(output, 100);
          return status;
        },
        (line) => result.log.push(line),
      );
    } catch (error) {
      result.error = error;
    }
    return result;
  }

  it("does not build, or say anything, when dist/ is fresh (as after `npm test`'s own build)", () => {
    expect(attempt(0)).toEqual({ builds: 0, log: [], error: null });
  });

  it("builds once when stale, saying why, and is fresh after", () => {
    file("src/cli/main.ts", 1);
    const { builds, log, error } = attempt(0);
    expect(error).toBeNull();
    expect(builds).toBe(1);
    expect(log).toEqual([
      "dist/ is out of date (src/cli/main.ts changed after the last build): running `npm run build` before the tests",
    ]);
    expect(distState(root)).toEqual({ stale: false });
    expect(attempt(0).builds).toBe(0);
  });

  it("stops the run, with the exit status and no stack, when the build fails", () => {
    rmSync(join(root, "dist"), { recursive: true });
    const { builds, error } = attempt(2);
    expect(builds).toBe(1);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^`npm run build` failed \(exit 2\), see its output above/);
    expect((error as Error).stack).toBe((error as Error).message);
  });

  it("builds once, not in a loop, when a source dated in the future stays newer, and says so", () => {
    file("src/cli/main.ts", 1000);
    const { builds, log, error } = attempt(0);
    expect(error).toBeNull();
    expect(builds).toBe(1);
    expect(log[1]).toBe(
      "dist/ still looks out of date after the build (src/cli/main.ts changed after the last build); check its date",
    );
  });
});

describe("the test run", () => {
  it("checks dist/ before any test file through vitest's global setup", async () => {
    const { default: configOf } = await import("../../vitest.config.js");
    // Each tier's config (the long tier's is `--mode full`) sets the run up alike.
    for (const mode of ["test", "full"]) {
      const config = configOf({ mode, command: "serve" });
      expect(config.test?.globalSetup ?? []).toContain("test/setup/build-dist.ts");
    }
    const { default: setup } = await import("./build-dist.js");
    expect(typeof setup).toBe("function");
  });
});

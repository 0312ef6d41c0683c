// The tiny scenario's variants as compare inputs, and the parallel compare of a user's scheduler module, for the compare tests.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";
import { expect } from "vitest";
import { compareRuns } from "../../src/explore/compare.js";
import { compareRunsParallel } from "../../src/explore/compare-parallel.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TINY = join(ROOT, "test", "cli", "fixtures", "tiny.yaml");
/** Whether the compare's worker is built (dist/), which its threads run. */
export const built = existsSync(join(ROOT, "dist", "bundle", "cli", "compare-worker.js"));

/** The tiny scenario as each of `variants`. */
export function tinyInputs(variants = ["buggy", "fixed", "early-return"]) {
  const parsed = parseScenario(readFileSync(TINY, "utf8"), TINY);
  if (!parsed.ok) throw new Error("fixture does not parse");
  const base = compileScenario(parsed.scenario);
  return variants.map((v) => applyVariant(base, v)!);
}

/** A module re-exporting the bundled v2, that notes in `log` each thread that imports it. */
function threadNotingModule(dir: string, file: string, typed: boolean): string {
  const path = join(dir, file);
  const v2 = pathToFileURL(join(ROOT, "dist", "src", "schedulers", "v2.js")).href;
  const log = JSON.stringify(join(dir, `${file}.threads`));
  const id = typed ? "const id: number = threadId;" : "const id = threadId;";
  writeFileSync(
    path,
    `import { appendFileSync } from "node:fs";\nimport { threadId } from "node:worker_threads";\n${id}\nappendFileSync(${log}, \`\${id}\\n\`);\nexport { v2 as scheduler } from ${JSON.stringify(v2)};\n`,
  );
  return path;
}

/**
 * Compares buggy, fixed and a module (`file`, TypeScript when `typed`) that re-exports the bundled
 * v2 on worker threads: what one thread gives, the module imported on a thread for its run.
 */
export async function comparesModuleOnThreads(file: string, typed: boolean): Promise<void> {
  const both = ["early-return", "panic-recovery"];
  const dir = mkdtempSync(join(tmpdir(), "aftershock-compare-parallel-"));
  const path = threadNotingModule(dir, file, typed);
  const name = `module:./${file}`;
  const factory = ((await import(pathToFileURL(path).href)) as { scheduler: SchedulerFactory }).scheduler;
  const schedulers = bundledSchedulers().set(name, factory);
  const [buggy, fixed] = tinyInputs(["buggy", "fixed"]);
  const mine = {
    ...fixed,
    config: { ...fixed.config, scheduler: { name, fixes: both } },
    variantName: null,
  };
  const inputs = [buggy, fixed, mine];
  const preload = typed
    ? { preload: pathToFileURL(join(ROOT, "dist", "src", "cli", "ts-register.js")).href }
    : {};
  const modules = [{ name, url: pathToFileURL(path).href, ...preload }];
  const sequential = compareRuns(inputs, { schedulers });
  const parallel = await compareRunsParallel(inputs, { schedulers }, null, { modules });
  expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
  // The module behaves as fixed does: it parts from buggy where fixed does.
  expect(parallel.divergences.map((d) => d.index)).toEqual([
    parallel.divergence?.index,
    parallel.divergence?.index,
  ]);
  // Imported here for the registry, and on a worker thread for its run.
  const threads = readFileSync(join(dir, `${file}.threads`), "utf8")
    .trim()
    .split("\n")
    .map(Number);
  expect(threads.filter((id) => id !== threadId).length).toBeGreaterThan(0);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * What an exploration's target digest covers (`target.digest`, which `aftershock merge` compares):
 * the compiled scenario, the scheduler modules its runs load, and every local file those modules
 * import, so that shards run with different code anywhere in a module do not merge. The imports
 * are listed by esbuild from the modules' source, without running them; packages from
 * `node_modules` are left out (their version is the lockfile's business, not the scenario's).
 */
import { createHash } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { ExploredVariant } from "../../explore/run-one.js";
import { normaliseModulePath } from "../../scenario/compile.js";
import type { Scenario } from "../../scenario/index.js";
import { CliError } from "../errors.js";
import { readText } from "../io.js";
import { type LoadedScenario, modulePathFrom } from "../load.js";
import { ModuleInputsError, moduleInputs } from "../module-imports.js";

export interface ExploreDigest {
  /** `sha256:` and hex. */
  readonly digest: string;
  /** The files it covers besides the scenario, by path from the scenario's folder: modules, then imports. */
  readonly files: readonly string[];
}

/**
 * The digest of what an exploration of `loaded` with `variant` runs. The compiled scenario comes
 * first and each module's text after it, as digests always were, so a scenario without modules,
 * or whose modules import no local file, keeps the digest earlier versions gave it; the files
 * the modules import follow, each with its path from the scenario's folder.
 */
export async function exploreDigest(
  loaded: LoadedScenario,
  variant: ExploredVariant,
): Promise<ExploreDigest> {
  const baseDir = dirname(loaded.path);
  const modules = modulesRun(loaded.scenario, variant);
  const hash = createHash("sha256").update(JSON.stringify(loaded.compiled));
  for (const m of modules) hash.update("\0module\0").update(readText(resolve(baseDir, m)));
  const imported = await importedFiles(modules, baseDir);
  for (const f of imported)
    hash.update("\0import\0").update(f.path).update("\0").update(readFileSync(f.file));
  return {
    digest: `sha256:${hash.digest("hex")}`,
    files: [
      ...modules.map((m) => modulePathFrom(resolve(baseDir, m), loaded.path)),
      ...imported.map((f) => f.path),
    ],
  };
}

/**
 * The digest of a scheduler module that generated worlds run (`explore --generated --scheduler`):
 * its text and every local file it imports, with their paths from the working folder (a CI
 * runner's checkout), so that shards run with different code in the module do not merge.
 */
export async function moduleDigest(modulePath: string): Promise<ExploreDigest> {
  const hash = createHash("sha256").update("\0module\0").update(readText(modulePath));
  const imported = await importedFiles([modulePath], process.cwd());
  for (const f of imported)
    hash.update("\0import\0").update(f.path).update("\0").update(readFileSync(f.file));
  const base = realpathSync(process.cwd());
  const own = normaliseModulePath(relative(base, realpathSync(modulePath)).split(sep).join("/"));
  return { digest: `sha256:${hash.digest("hex")}`, files: [own, ...imported.map((f) => f.path)] };
}

/**
 * The user modules an exploration's runs load, as the scenario writes them: its deploys', and
 * its own scheduler's unless a bundled variant runs in its place.
 */
export function modulesRun(scenario: Scenario, variant: ExploredVariant): string[] {
  const out = new Set<string>();
  if (scenario.scheduler.kind === "module" && variant === null) out.add(scenario.scheduler.module);
  for (const a of scenario.timeline)
    if (a.action === "deploy" && a.scheduler.kind === "module") out.add(a.scheduler.module);
  return [...out];
}

interface LocalFile {
  /** From the scenario's folder, `/`-separated: `./lib/retry.mjs`. */
  readonly path: string;
  readonly file: string;
}

/** The local files `modules` import, directly or not, other than the modules themselves; sorted by path. */
async function importedFiles(modules: readonly string[], baseDir: string): Promise<LocalFile[]> {
  // Real paths, so that a scenario reached through a symbolic link names its files as one that is not.
  const base = realpathSync(baseDir);
  const entries = new Set(modules.map((m) => realpathSync(resolve(baseDir, m))));
  const found = new Map<string, LocalFile>();
  for (const m of modules) {
    for (const input of await digestInputs(m, base)) {
      const file = resolve(base, input);
      if (entries.has(file)) continue;
      found.set(file, { path: normaliseModulePath(input), file });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The inputs esbuild reads to bundle `module` (its own file included), relative to `base`. */
async function digestInputs(module: string, base: string): Promise<string[]> {
  try {
    return await moduleInputs(module, base);
  } catch (error) {
    if (!(error instanceof ModuleInputsError)) throw error;
    throw new CliError(
      `${module}: cannot list the files it imports, which the exploration's digest covers: ${error.message}`,
    );
  }
}

/**
 * The local files a scheduler module imports, listed by esbuild from the module's source without
 * running it; packages (`node_modules`) are left out. esbuild is loaded on first use only: most
 * commands name no module.
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import type { BuildOptions } from "esbuild";

/** Why the files a module imports could not be listed: esbuild's first error, placed if it could. */
export class ModuleInputsError extends Error {}

/**
 * esbuild's options for listing what `entry` (a path) reads, from `base`: a bundle in memory, its
 * metafile's inputs the local files, packages left out. Here and where a module that failed to
 * load is looked into for the file at fault (`module-load-error.ts`).
 */
export function inputsBuild(entry: string, base: string) {
  return {
    entryPoints: [entry],
    absWorkingDir: base,
    bundle: true as const,
    write: false as const,
    metafile: true as const,
    platform: "node" as const,
    format: "esm" as const,
    packages: "external" as const,
    logLevel: "silent" as const,
  } satisfies BuildOptions;
}

/** The inputs esbuild reads to bundle `module` (its own file included), relative to `base`. */
export async function moduleInputs(module: string, base: string): Promise<string[]> {
  const { build } = await import("esbuild");
  try {
    const result = await build(inputsBuild(resolve(base, module), base));
    return Object.keys(result.metafile.inputs);
  } catch (error) {
    const first = (
      error as {
        errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
      }
    ).errors?.[0];
    const at = first?.location
      ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
      : "";
    throw new ModuleInputsError(`${at}${first?.text ?? (error as Error).message}`);
  }
}

/**
 * The files `modules` (paths from the working folder) read when loaded: each module and every
 * local file it imports, directly or not, as real paths. A module whose imports cannot be
 * listed counts as itself alone: loading it says what is wrong with it.
 */
export async function moduleFiles(modules: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const m of modules) {
    let real: string;
    try {
      real = realpathSync(m);
    } catch {
      files.add(resolve(m)); // missing: its reader says so
      continue;
    }
    files.add(real);
    const base = realpathSync(".");
    try {
      for (const input of await moduleInputs(real, base)) files.add(resolve(base, input));
    } catch (error) {
      if (!(error instanceof ModuleInputsError)) throw error;
    }
  }
  return [...files];
}

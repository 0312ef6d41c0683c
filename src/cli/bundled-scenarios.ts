/**
 * The scenarios the package ships (`scenarios/` at its root), found without the rest of the
 * scenario loader, so that `list` loads no more than it needs.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { realPathOrNull } from "./io.js";

/**
 * The folder of bundled scenarios (`scenarios/` at the package root): three levels up from the
 * built modules (`dist/src/cli`, `dist/bundle/cli`), two from the sources the tests run.
 */
export function bundledScenarioDir(): string {
  const up = import.meta.url.endsWith(".ts") ? "../../" : "../../../";
  return fileURLToPath(new URL(`${up}scenarios/`, import.meta.url));
}

export interface BundledScenario {
  readonly name: string;
  readonly path: string;
}

/**
 * The names a folder's scenario files have: `.yaml`, `.yml`, `.json` in any case, since a file
 * named so (`b.YAML`) is read as a scenario when named, and a folder gated without it would pass
 * on expectations never judged.
 */
export const SCENARIO_FILE = /\.(ya?ml|json)$/i;

export function bundledScenarios(): BundledScenario[] {
  const dir = bundledScenarioDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.(ya?ml|json)$/, ""), path: join(dir, f) }));
}

/** The bundled scenario called `name`, if there is one. */
export function bundledScenarioNamed(name: string): BundledScenario | undefined {
  return bundledScenarios().find((s) => s.name === name);
}

/**
 * The bundled scenario whose name is the file name of `path` without its extension, when `path`
 * is more than that name (`scenarios/qstash-2026-05-08.yaml`, `qstash-2026-05-08.yaml`): a path
 * to a copy of aftershock's own `scenarios/` typed where there is none, as its examples and docs
 * write them.
 */
export function bundledScenarioFileNamed(path: string): BundledScenario | undefined {
  const stem = basename(path).replace(SCENARIO_FILE, "");
  return stem === path ? undefined : bundledScenarioNamed(stem);
}

/**
 * A bundled file or folder as a message shows it: by its path from the working folder when it is
 * under it (`node_modules/aftershock/scenarios/…` in a project that installs aftershock), else by
 * its absolute path (a global install).
 */
export function bundledPathShown(path: string): string {
  const from = relative(process.cwd(), path);
  return from === "" || from.startsWith("..") || isAbsolute(from) ? path : from;
}

/**
 * The bundled scenario at `path` (absolute), typed by its path or reached through a link (in a
 * pnpm or `npm link` install the package is reached through one), if it is one.
 */
export function bundledScenarioAt(path: string): BundledScenario | undefined {
  const real = realPathOrNull(path);
  return bundledScenarios().find(
    (s) => resolve(s.path) === resolve(path) || (real !== null && realPathOrNull(s.path) === real),
  );
}

/**
 * How a user's scheduler module is named in a run: the name it is registered under and the trace
 * and the report show. The CLI and the programmatic API both name modules here, so that a
 * scenario run by `aftershock run` and by `runScenario` wants its module under one name and gives
 * one trace hash. Only the CLI reads the disk: it tells how (`ModuleNamingHost`).
 */
import { dirname, relative, resolve, sep } from "node:path";
import { type ModuleNaming, moduleSchedulerName, normaliseModulePath } from "../scenario/compile.js";

/** What naming a module may learn of the machine; the library, which reads no files, gives nothing. */
export interface ModuleNamingHost {
  /** The folder relative paths are from; without it, the working folder (`path.resolve`'s). */
  readonly cwd?: string;
  /** A file's path with every symbolic link followed, or null (not there, or links not followed). */
  readonly realPath?: (path: string) => string | null;
  /**
   * The folder a module given for the scenario at `scenarioFile` (both absolute) is named from
   * instead of the scenario's, or null for the scenario's: the CLI names a module given for one
   * of the package's own scenarios from the user's project, not from inside node_modules.
   */
  readonly namedFrom?: (scenarioFile: string, module: string) => string | null;
}

/**
 * The name a module given as a path from the working folder is registered under for a scenario
 * at `scenarioFile`: its path from the scenario's folder, as the scenario would write it (from
 * the folder `host.namedFrom` gives, for one of the package's own scenarios). The name is in the
 * trace, so it must not depend on the working folder, on where the project is checked out or
 * aftershock installed, or on how the path was typed.
 */
export function commandLineModuleName(
  modulePath: string,
  scenarioFile: string,
  host: ModuleNamingHost = {},
): string {
  return moduleSchedulerName(modulePathFrom(modulePath, scenarioFile, host));
}

/**
 * The name a module a scenario at `scenarioFile` names (its `scheduler`, a deploy) is registered
 * and traced under: its path from the scenario's folder, as `commandLineModuleName` names a
 * `--scheduler` module, however the file spells it (`/home/me/scen/x.mjs`, `../scen/x.mjs` and
 * `./x.mjs` in `scen/` are all `module:./x.mjs`). So `run` and the `run --scheduler` line the gate
 * prints give the same trace hash, and an absolute path gives the same one on every machine.
 */
export function scenarioModuleName(
  module: string,
  scenarioFile: string,
  host: ModuleNamingHost = {},
): string {
  return commandLineModuleName(resolve(cwdOf(host), dirname(scenarioFile), module), scenarioFile, host);
}

/** How the modules of a scenario at `scenarioFile` are named (`scenarioModuleName`), for `compileScenario`. */
export function scenarioModuleNaming(scenarioFile: string, host: ModuleNamingHost = {}): ModuleNaming {
  return (module) => scenarioModuleName(module, scenarioFile, host);
}

/**
 * A module's path (from the working folder) as a scenario at `scenarioFile` writes it: `../mods/x.mjs`
 * (or from the folder `host.namedFrom` gives).
 *
 * The path is the one between the two files as written, unless it climbs through a symbolic link
 * that the real path between them does not need: `"$PWD/mods/x.mjs"` in a shell whose folder was
 * reached through a link (`/ci/link/mods/x.mjs`, while the working folder is the real
 * `/build/repo`) is `../mods/x.mjs`, as `mods/x.mjs` is. A scenario's `../shared/x.mjs`, where
 * `shared` links to a folder elsewhere, keeps that name: its real path climbs further.
 */
export function modulePathFrom(
  modulePath: string,
  scenarioFile: string,
  host: ModuleNamingHost = {},
): string {
  const cwd = cwdOf(host);
  const scenario = resolve(cwd, scenarioFile);
  const module = resolve(cwd, modulePath);
  const from = host.namedFrom?.(scenario, module) ?? dirname(scenario);
  const written = relative(from, module);
  const real = realRelative(from, module, host);
  const fromScenario = real !== null && climbs(real) < climbs(written) ? real : written;
  return normaliseModulePath(fromScenario.split(sep).join("/"));
}

/** `resolve(".", x)` is from the working folder, as `resolve(x)` is. */
function cwdOf(host: ModuleNamingHost): string {
  return host.cwd ?? ".";
}

/** The path from `dir` to `file` once every link in either is followed; null if either is not known. */
function realRelative(dir: string, file: string, host: ModuleNamingHost): string | null {
  if (host.realPath === undefined) return null;
  const [realDir, realFile] = [host.realPath(dir), host.realPath(file)];
  return realDir === null || realFile === null ? null : relative(realDir, realFile);
}

/** How many folders up a relative path goes before it goes down. */
function climbs(path: string): number {
  return path.split(sep).filter((part) => part === "..").length;
}

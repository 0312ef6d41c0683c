import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";

/**
 * Why a path names nothing to read: nothing is there at all (with the files beside it that it
 * was likely meant to name, if any), or something is that leads nowhere.
 */
export type MissingPath =
  | { readonly absent: true; readonly nearby: readonly string[] }
  | { readonly absent: false; readonly message: string };

/**
 * The extensions one file may be saved with, in families of one format: `brownout.yml` typed for
 * `brownout.yaml` is one slip, and a file of the same family is the nearer guess.
 */
export type ExtensionFamilies = readonly (readonly string[])[];

/** A scenario, YAML (`.yaml`, `.yml`) or JSON. */
const SCENARIO_EXTENSIONS: ExtensionFamilies = [[".yaml", ".yml"], [".json"]];
/** What `report` reads: a run's `--json` output or its `--trace`. */
export const SAVED_OUTPUT_EXTENSIONS: ExtensionFamilies = [[".json"], [".jsonl"]];
/** What `merge` reads: explore's `--json` output (a trace is never a shard's report). */
export const EXPLORE_REPORT_EXTENSIONS: ExtensionFamilies = [[".json"]];
/** The most near names a suggestion lists. */
const NEARBY_MAX = 2;

/**
 * Why a path given on the command line names nothing to read, or null when it names a file or
 * folder. `existsSync` is false for a loop of symbolic links and for a link to nothing alike,
 * and "no such file" would send the reader looking for a file that is there.
 */
export function missingPath(path: string, extensions = SCENARIO_EXTENSIONS): MissingPath | null {
  try {
    statSync(path);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const because = (message: string): MissingPath => ({ absent: false, message });
    if (code === "ELOOP") return because("a symbolic link in a loop of links that never reaches a file");
    if (code !== "ENOENT") return because(`cannot be read (${(error as Error).message})`);
    const target = linkTarget(path);
    return target === null
      ? { absent: true, nearby: nearbyFiles(path, extensions) }
      : because(`a symbolic link to ${target}, which does not exist`);
  }
}

/**
 * The files in the folder of `path` it differs from only in the case of its letters or in its
 * extension within `extensions` (`.yml` for `.yaml`, `.json` for `.yaml`), as paths written like `path`.
 */
function nearbyFiles(path: string, extensions: ExtensionFamilies): string[] {
  const name = basename(path);
  // The family of a name's extension, -1 for none of them.
  const family = (file: string) => {
    const ext = extname(file).toLowerCase();
    return extensions.findIndex((kind) => kind.includes(ext));
  };
  const stem = (file: string) =>
    (family(file) >= 0 ? file.slice(0, -extname(file).length) : file).toLowerCase();
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const near = names.filter(
    (other) =>
      other !== name &&
      (other.toLowerCase() === name.toLowerCase() ||
        (family(name) >= 0 && family(other) >= 0 && stem(other) === stem(name))),
  );
  // Nearest first: the same name in another case, then the same format (`.yml`, `.yaml`), then the rest.
  const distance = (other: string) =>
    other.toLowerCase() === name.toLowerCase() ? 0 : family(other) === family(name) ? 1 : 2;
  // Written as the user wrote the folder: `brownout.yml` gets `brownout.yaml`, not `./brownout.yaml`.
  return near
    .sort((a, b) => distance(a) - distance(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, NEARBY_MAX)
    .map((other) => (path === name ? other : join(dirname(path), other)));
}

/** ` — did you mean a?` for the near names of a missing path, or "" when there are none. */
export function nearbyText(missing: MissingPath): string {
  if (!missing.absent || missing.nearby.length === 0) return "";
  return ` — did you mean ${missing.nearby.join(" or ")}?`;
}

/** What the symbolic link at `path` points to, as written; null when `path` is no link. */
function linkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

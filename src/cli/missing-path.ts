import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { editDistance } from "../scenario/suggest.js";

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
 * and "no such file" would send the reader looking for a file that is there. `given`: the other
 * paths on the command line, never suggested (merge's `s-11.json` missing is not `s-1.json`,
 * merged already).
 */
export function missingPath(
  path: string,
  extensions = SCENARIO_EXTENSIONS,
  given: readonly string[] = [],
): MissingPath | null {
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
      ? { absent: true, nearby: nearbyFiles(path, extensions, given) }
      : because(`a symbolic link to ${target}, which does not exist`);
  }
}

/**
 * The files in the folder of `path` it is one slip from, nearest first, as paths written like
 * `path`: a change of case, an extension of the same family (`.yml` for `.yaml`) or another one
 * read (`.json`), an extension left off or typed twice, or a letter or two missing, extra,
 * changed or swapped (one for a short name). The files in `given` are never suggested.
 */
function nearbyFiles(path: string, extensions: ExtensionFamilies, given: readonly string[]): string[] {
  const name = basename(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const taken = new Set(given.map((file) => resolve(file)));
  const near = names
    .filter((other) => other !== name && !taken.has(resolve(dirname(path), other)))
    .map((other) => ({ other, slip: slipBetween(name, other, extensions) }))
    .filter((found): found is { other: string; slip: number } => found.slip !== null);
  // Written as the user wrote the folder: `brownout.yml` gets `brownout.yaml`, not `./brownout.yaml`.
  return near
    .sort((a, b) => a.slip - b.slip || (a.other < b.other ? -1 : a.other > b.other ? 1 : 0))
    .slice(0, NEARBY_MAX)
    .map(({ other }) => (path === name ? other : join(dirname(path), other)));
}

/**
 * How far the file name `other` is from the name typed, `name`, or null when it is no slip:
 * 0 for a change of case, 1 for an extension of the same family, 2 for another extension read or
 * one left off or typed twice, 2 + the edit distance for letters. Only files of an extension read
 * are suggested, and only with the same numbers, as `shard-3.json` is not `shard-2.json` mistyped
 * (a key pressed twice aside: `explore-22.json` for `explore-2.json`).
 */
function slipBetween(name: string, other: string, extensions: ExtensionFamilies): number | null {
  const family = (file: string) => extensions.findIndex((kind) => kind.includes(extname(file).toLowerCase()));
  if (family(other) < 0) return null;
  const typed = name.toLowerCase();
  const there = other.toLowerCase();
  if (typed === there) return 0;
  const stem = (file: string) => (family(file) >= 0 ? file.slice(0, -extname(file).length) : file);
  if (family(name) >= 0 && stem(typed) === stem(there)) return family(name) === family(other) ? 1 : 2;
  // `explore-2` for `explore-2.json`, and `explore-2.json.json`.
  if (typed === stem(there) || stem(typed) === there) return 2;
  if (!sameNumbers(typed, there) && !keyPressedTwice(typed, there)) return null;
  const distance = editDistance(typed, there);
  // Within a third of the name before its extension, and never all of it: `a.json` is no `b.json`.
  const letters = name.length - extname(name).length;
  const allowed = Math.min(SLIP_LETTERS_MAX, Math.floor(letters / 3));
  return distance <= allowed && distance < letters ? 2 + distance : null;
}

/** The most letters a name may be off by and still be suggested. */
const SLIP_LETTERS_MAX = 2;

/** Whether `a` and `b` hold the same numbers in the same order (`run-2.json`, `Run2.yml`). */
function sameNumbers(a: string, b: string): boolean {
  return (a.match(/\d+/g) ?? []).join(" ") === (b.match(/\d+/g) ?? []).join(" ");
}

/** Whether one of `a` and `b` is the other with one character typed twice (`explore-22`, `explore-2`). */
function keyPressedTwice(a: string, b: string): boolean {
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  if (longer.length !== shorter.length + 1) return false;
  for (let i = 1; i < longer.length; i++) {
    if (longer[i] === longer[i - 1] && longer.slice(0, i) + longer.slice(i + 1) === shorter) return true;
  }
  return false;
}

/** ` — did you mean a?` for the near names of a missing path, or "" when there are none. */
export function nearbyText(missing: MissingPath): string {
  if (!missing.absent || missing.nearby.length === 0) return "";
  return ` — did you mean ${missing.nearby.join(" or ")}?`;
}

/** What is wrong with a missing path: `no such file — did you mean a?`, or what the path is (a link to nothing, say). */
export function missingText(missing: MissingPath, noun = "file"): string {
  return missing.absent ? `no such ${noun}${nearbyText(missing)}` : missing.message;
}

/** What the symbolic link at `path` points to, as written; null when `path` is no link. */
function linkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

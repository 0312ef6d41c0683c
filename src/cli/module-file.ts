/**
 * What is wrong with the path a scheduler module is named by, found before it is loaded: nothing
 * there (with the module files beside it that it was likely meant to name), a folder, a file that
 * is not JavaScript or TypeScript, or one that cannot be read. Left to Node, a folder or a file
 * that cannot be read would be refused in Node's own words (a folder as an import from a file of
 * aftershock's bundle), and said as if the module had thrown.
 */
import { closeSync, openSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { type ExtensionFamilies, missingPath } from "./missing-path.js";

/** The files a scheduler module may be. */
export const MODULE_FILE = /\.([cm]?js|m?ts)$/;

/** The extensions of `MODULE_FILE`, as messages list them. */
const MODULE_EXTENSIONS_TEXT = ".js, .mjs, .cjs, .ts, .mts";

/** `MODULE_FILE` in families of one language, for the near names of a path that is not there. */
const MODULE_EXTENSIONS: ExtensionFamilies = [
  [".mjs", ".js", ".cjs"],
  [".ts", ".mts"],
];

/** The most module files of a folder a message names. */
const LISTED_MAX = 3;

/**
 * Why a module path names no module: nothing is there (`absent`: the caller says where it
 * looked), or something is that is no module file (`message`); with the module files it was
 * likely meant to name, written as the path was (`nearby`, perhaps none).
 */
export interface ModuleFileProblem {
  readonly absent: boolean;
  readonly message: string;
  readonly nearby: readonly string[];
}

/**
 * What is wrong with the module at `absolute`, written `written` (as the user gave it), or null
 * when it is a file of a module's extension that can be read.
 */
export function moduleFileProblem(absolute: string, written: string): ModuleFileProblem | null {
  let folder: boolean;
  let regular: boolean;
  try {
    const stats = statSync(absolute);
    folder = stats.isDirectory();
    regular = stats.isFile();
  } catch (error) {
    // A folder on its way that may not be searched: the file may well be there.
    return isPermissionDenied(error) ? because(unreadableText(error)) : missingModule(absolute, written);
  }
  if (folder) return folderProblem(absolute, written);
  if (!MODULE_FILE.test(absolute))
    return because(`a scheduler module must be JavaScript or TypeScript (${MODULE_EXTENSIONS_TEXT})`);
  // Opening a FIFO would wait for a writer; a socket cannot be opened at all.
  if (!regular) return because("not a regular file (a FIFO, socket or device): name the module's file");
  try {
    closeSync(openSync(absolute, "r"));
  } catch (error) {
    return because(unreadableText(error));
  }
  return null;
}

/** ` — did you mean a or b?` for the near module files of a problem, or "" when there are none. */
export function nearbyModulesText(problem: ModuleFileProblem): string {
  return problem.nearby.length === 0 ? "" : ` — did you mean ${problem.nearby.join(" or ")}?`;
}

/**
 * A path where nothing is: a link to nothing or in a loop said as such (`missingPath`), else
 * absent, with the module files beside it one slip from its name (`sched` for `sched.mjs`,
 * `shced.mjs` for `sched.mjs`).
 */
function missingModule(absolute: string, written: string): ModuleFileProblem {
  const missing = missingPath(absolute, MODULE_EXTENSIONS);
  if (missing !== null && !missing.absent) return because(missing.message);
  const near = missing?.nearby ?? [];
  const nearby = near.filter((file) => MODULE_FILE.test(file) && isFile(file));
  return { absent: true, message: "", nearby: nearby.map((file) => besideWritten(written, basename(file))) };
}

/** `name` in the folder of the path `written`, written as that path writes its folder. */
function besideWritten(written: string, name: string): string {
  const path = written.replace(/[/\\]+$/, "");
  return `${path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1)}${name}`;
}

/** A folder given as a module: said so, with the module files in it, written from `written`. */
function folderProblem(absolute: string, written: string): ModuleFileProblem {
  const said = "a folder, not a scheduler module file";
  const files = moduleFilesIn(absolute);
  if (files.length === 0)
    return because(`${said} (it holds no ${MODULE_EXTENSIONS_TEXT} file): name the module file itself`);
  if (files.length > LISTED_MAX)
    return because(
      `${said}: name the module file itself (it holds ${files.length} module files: ${files.slice(0, LISTED_MAX).join(", ")}, …)`,
    );
  const inFolder = written.replace(/[/\\]+$/, "");
  return because(
    said,
    files.map((f) => `${inFolder}/${f}`),
  );
}

/** Something is at the path, and it is no module file: `message`. */
function because(message: string, nearby: readonly string[] = []): ModuleFileProblem {
  return { absent: false, message, nearby };
}

/**
 * What a module file that cannot be opened is said to be: `cannot be read (permission denied)`,
 * with what to do, or, for another error, with the system's words (which name the user's file).
 */
export function unreadableText(error: unknown): string {
  if (isPermissionDenied(error))
    return "the scheduler module cannot be read (permission denied): give the user running aftershock read access to it and search access to its folders";
  return `the scheduler module cannot be read (${(error as Error).message})`;
}

function isPermissionDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "EACCES" || code === "EPERM";
}

/** The names of the module files in `folder`, sorted; none when it cannot be listed. */
function moduleFilesIn(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.filter((name) => MODULE_FILE.test(name) && isFile(join(folder, name))).sort();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

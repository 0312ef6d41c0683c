/**
 * What is wrong with the path a scheduler module is named by, found before it is loaded: nothing
 * there, a folder, a file that is not JavaScript or TypeScript, or one that cannot be read. Left
 * to Node, a folder or a file that cannot be read would be refused in Node's own words (a folder
 * as an import from a file of aftershock's bundle), and said as if the module had thrown.
 */
import { closeSync, openSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The files a scheduler module may be. */
export const MODULE_FILE = /\.([cm]?js|m?ts)$/;

/** The extensions of `MODULE_FILE`, as messages list them. */
const MODULE_EXTENSIONS_TEXT = ".js, .mjs, .cjs, .ts, .mts";

/** The most module files of a folder a message names. */
const LISTED_MAX = 3;

/** Why a module path names no module: nothing is there, or something is that is no module file. */
export type ModuleFileProblem =
  | { readonly absent: true }
  | { readonly absent: false; readonly message: string };

/**
 * What is wrong with the module at `absolute`, written `written` (as the user gave it), or null
 * when it is a file of a module's extension.
 */
export function moduleFileProblem(absolute: string, written: string): ModuleFileProblem | null {
  const because = (message: string): ModuleFileProblem => ({ absent: false, message });
  let folder: boolean;
  let regular: boolean;
  try {
    const stats = statSync(absolute);
    folder = stats.isDirectory();
    regular = stats.isFile();
  } catch (error) {
    // A folder on its way that may not be searched: the file may well be there.
    return isPermissionDenied(error) ? because(unreadableText(error)) : { absent: true };
  }
  if (folder) return because(folderText(absolute, written));
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

/** A folder given as a module: said so, with the module files in it, written from `written`. */
function folderText(absolute: string, written: string): string {
  const said = "a folder, not a scheduler module file";
  const files = moduleFilesIn(absolute);
  if (files.length === 0)
    return `${said} (it holds no ${MODULE_EXTENSIONS_TEXT} file): name the module file itself`;
  if (files.length > LISTED_MAX)
    return `${said}: name the module file itself (it holds ${files.length} module files: ${files.slice(0, LISTED_MAX).join(", ")}, …)`;
  const inFolder = written.replace(/[/\\]+$/, "");
  return `${said} — did you mean ${files.map((f) => `${inFolder}/${f}`).join(" or ")}?`;
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

/**
 * What is wrong with the path a scheduler module is named by, found before it is loaded: nothing
 * there, a folder, or a file that is not JavaScript or TypeScript. Left to Node, a folder would
 * be refused in Node's own words, as an import from a file of aftershock's bundle, and said as
 * if the module had thrown.
 */
import { readdirSync, statSync } from "node:fs";
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
  let isFolder: boolean;
  try {
    isFolder = statSync(absolute).isDirectory();
  } catch {
    return { absent: true };
  }
  const because = (message: string): ModuleFileProblem => ({ absent: false, message });
  if (isFolder) return because(folderText(absolute, written));
  if (!MODULE_FILE.test(absolute))
    return because(`a scheduler module must be JavaScript or TypeScript (${MODULE_EXTENSIONS_TEXT})`);
  return null;
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

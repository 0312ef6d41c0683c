import { lstatSync, readlinkSync, statSync } from "node:fs";

/** Why a path names nothing to read: nothing is there at all, or something is that leads nowhere. */
export type MissingPath = { readonly absent: true } | { readonly absent: false; readonly message: string };

/**
 * Why a path given on the command line names nothing to read, or null when it names a file or
 * folder. `existsSync` is false for a loop of symbolic links and for a link to nothing alike,
 * and "no such file" would send the reader looking for a file that is there.
 */
export function missingPath(path: string): MissingPath | null {
  try {
    statSync(path);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const because = (message: string): MissingPath => ({ absent: false, message });
    if (code === "ELOOP") return because("a symbolic link in a loop of links that never reaches a file");
    if (code !== "ENOENT") return because(`cannot be read (${(error as Error).message})`);
    const target = linkTarget(path);
    return target === null ? { absent: true } : because(`a symbolic link to ${target}, which does not exist`);
  }
}

/** What the symbolic link at `path` points to, as written; null when `path` is no link. */
function linkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

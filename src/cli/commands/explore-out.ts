/**
 * The folder explore writes reproducers to (`--out`): checked before the search starts, so a
 * bad path is bad input (exit 2) rather than a crash after an hour of exploring, and created
 * one level at a time when the first reproducer is written.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CliError } from "../errors.js";

/**
 * Refuses an `--out` that cannot hold reproducers: empty, a file (or a path through one), or
 * a folder that cannot be written to (the nearest existing one is probed with a file). Creates
 * nothing, so an exploration that finds nothing leaves no empty folder behind.
 */
export function checkOutDir(out: string): void {
  if (out.trim() === "") throw new CliError("--out: expected a folder, found an empty string");
  const missing: string[] = [];
  let dir = resolve(out);
  for (;;) {
    const kind = kindOf(dir);
    if (kind === "folder") break;
    if (kind === "other") throw new CliError(`--out ${out}: ${dir} exists and is not a folder`);
    if (kind === "unreachable") throw new CliError(`--out ${out}: cannot look into ${dirname(dir)}`);
    const parent = dirname(dir);
    if (parent === dir) throw new CliError(`--out ${out}: no folder of it exists`);
    missing.push(dir);
    dir = parent;
  }
  const probe = join(dir, `.aftershock-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const what = missing.length > 0 ? `cannot create ${missing.at(-1)} in ${dir}` : `cannot write to ${dir}`;
    throw new CliError(`--out ${out}: ${what} (${code})`);
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Creates `out` and its missing parents, one level at a time: Node's recursive mkdir spins
 * forever under /proc, which refuses a new entry with ENOENT whatever its parents.
 */
export function makeOutDir(out: string): void {
  const missing: string[] = [];
  for (let dir = resolve(out); kindOf(dir) === "missing"; dir = dirname(dir)) {
    if (dirname(dir) === dir) break;
    missing.push(dir);
  }
  for (const dir of missing.reverse()) mkdirSync(dir);
}

function kindOf(path: string): "folder" | "other" | "missing" | "unreachable" {
  try {
    return statSync(path).isDirectory() ? "folder" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file, which the walk up finds and names.
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    return "unreachable";
  }
}

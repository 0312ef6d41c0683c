/**
 * The folder explore writes reproducers to (`--out`): checked before the search starts, so a
 * bad path is bad input (exit 2) rather than a crash after an hour of exploring, and created
 * one level at a time when the first reproducer is written.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CliError } from "../errors.js";
import { checkOverwrite } from "../io.js";

/**
 * Refuses an `--out` that cannot hold reproducers: empty, a file (or a path through one), or
 * a folder that cannot be written to (the nearest existing one is probed with a file). Creates
 * nothing, so an exploration that finds nothing leaves no empty folder behind. `name` is how
 * messages call the folder (the gate checks its golden folders with it too).
 */
export function checkOutDir(out: string, name = `--out ${out}`): void {
  if (out.trim() === "") throw new CliError(`${name.trimEnd()}: expected a folder, found an empty string`);
  const missing: string[] = [];
  let dir = resolve(out);
  for (;;) {
    const kind = kindOf(dir);
    if (kind === "folder") break;
    if (kind === "other") throw new CliError(`${name}: ${dir} exists and is not a folder`);
    if (kind === "unreachable") throw new CliError(`${name}: cannot look into ${dirname(dir)}`);
    const parent = dirname(dir);
    if (parent === dir) throw new CliError(`${name}: no folder of it exists`);
    missing.push(dir);
    dir = parent;
  }
  const probe = join(dir, `.aftershock-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const what = missing.length > 0 ? `cannot create ${missing.at(-1)} in ${dir}` : `cannot write to ${dir}`;
    throw new CliError(`${name}: ${what} (${code})`);
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

/** What a reproducer written by explore starts with (so a rerun may replace it). */
export const REPRODUCER_SIGNATURE = /^# aftershock explore reproducer/;
/** Other names tried for a reproducer whose name is taken (a bound, as on every loop). */
const FREE_NAME_TRIES_MAX = 1000;

export interface ReproducerPlace {
  readonly file: string;
  /** The file aftershock did not write that holds the reproducer's own name, or null. */
  readonly taken: string | null;
  /** Whether `file` holds an earlier reproducer that this one replaces. */
  readonly replaces: boolean;
}

/**
 * Where the reproducer `name` goes in `out`: under that name, unless a file aftershock did not
 * write holds it (and no --force): then under the first free `<name>-2.yaml`, `-3`, ..., so
 * the user's file stays and the finding is not lost either.
 */
export function reproducerPlace(out: string, name: string, force: boolean): ReproducerPlace {
  const wanted = join(out, name);
  if (replaceable(wanted, force)) return { file: wanted, taken: null, replaces: existsSync(wanted) };
  const stem = name.replace(/\.yaml$/, "");
  for (let k = 2; k <= FREE_NAME_TRIES_MAX; k++) {
    const file = join(out, `${stem}-${k}.yaml`);
    if (replaceable(file, false)) return { file, taken: wanted, replaces: existsSync(file) };
  }
  throw new CliError(`${wanted}: exists, and so do ${FREE_NAME_TRIES_MAX - 1} other names for it`);
}

/** Whether writing `file` loses nothing: it is missing, aftershock's own, or --force says so. */
function replaceable(file: string, force: boolean): boolean {
  try {
    checkOverwrite(file, force, REPRODUCER_SIGNATURE);
    return true;
  } catch (error) {
    if (error instanceof CliError) return false;
    throw error;
  }
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

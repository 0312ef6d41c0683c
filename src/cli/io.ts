import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "./errors.js";

/** Reads a text file, or fails with a message naming it (exit 2). */
export function readText(file: string): string {
  try {
    if (statSync(file).isDirectory()) throw new CliError(`${file}: is a folder, expected a file`);
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`${file}: no such file`);
    if (code === "EACCES") throw new CliError(`${file}: permission denied`);
    throw new CliError(`${file}: cannot read (${(error as Error).message})`);
  }
}

/**
 * Refuses to overwrite a file the user wrote: an existing output file is replaced only when
 * it looks like aftershock's own output (its first bytes match `signature`) or with --force.
 */
export function checkOverwrite(file: string, force: boolean, signature: RegExp): void {
  if (force || !existsSync(file)) return;
  let head = "";
  try {
    const fd = openSync(file, "r");
    const buffer = Buffer.alloc(512);
    let n = 0;
    try {
      n = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
    head = buffer.subarray(0, n).toString("utf8");
  } catch {
    throw new CliError(`${file}: exists and cannot be read; pass --force to replace it`);
  }
  if (!signature.test(head)) {
    throw new CliError(`${file}: exists and was not written by aftershock; pass --force to replace it`);
  }
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over the target
 * at `commit()`; `abort()` (or a crash) leaves the target untouched.
 *
 * Ctrl-C during a run ends the process at once (the simulation does not yield to a signal
 * handler, and waiting for it would make Ctrl-C seem ignored), so its temporary file stays
 * behind. The next write to the same file removes the ones whose process is gone.
 */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | null;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `${tmpPrefix(path)}${process.pid}`);
    removeAbandoned(path);
    try {
      this.fd = openSync(this.tmp, "w");
    } catch (error) {
      throw new CliError(`${path}: cannot write (${(error as Error).message})`);
    }
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** The name of `path`'s temporary files, before the pid of the process writing one. */
function tmpPrefix(path: string): string {
  return `.${basename(path)}.tmp-`;
}

/** Removes temporary files of `path` left by aftershock processes that are no longer running. */
function removeAbandoned(path: string): void {
  const dir = dirname(path);
  const prefix = tmpPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the folder is missing or unreadable: opening the file will say so
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || running(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

/** Whether a process with this pid exists (signal 0 only checks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Writes a whole file atomically. */
export function writeFileAtomic(path: string, text: string): void {
  const file = new AtomicFile(path);
  try {
    file.write(text);
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}

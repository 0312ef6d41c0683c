import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
} from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { DEFAULT_CAPS } from "../scenario/index.js";
import { CliError, errorAt, fileError, outputError } from "./errors.js";
import { writeAll } from "./output.js";
import { type Seal, sealRefusal } from "./seal.js";
import { STDOUT_PATH } from "./spec.js";
import { shownPath, standardWriter } from "./standard-streams.js";

/**
 * Most bytes `readText` reads. UTF-8 spends at most 3 bytes on a UTF-16 code unit, so a file
 * past this has more characters than a scenario may have: reading stops there, and input that
 * never ends (`/dev/zero`, a generator behind a FIFO) is refused instead of filling memory.
 */
export const TEXT_BYTES_MAX = 3 * DEFAULT_CAPS.textCharsMax;

/**
 * Reads a UTF-8 text file, or fails with a message naming it (exit 2). `what` names the input in
 * the message of one too large: a scenario unless told (`a training script`, `a shard report`).
 */
export function readText(file: string, what = "a scenario", bytesMax = TEXT_BYTES_MAX): string {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw fileError(file, `is a folder, expected a file`);
    bytes = readBounded(file, what, bytesMax);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw cannotRead(file, error);
  }
  return decodeUtf8(bytes, file);
}

/** The file's bytes, read in chunks and refused once past `bytesMax` (size or end unknown ahead). */
function readBounded(file: string, what: string, bytesMax: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // Bounded: every pass reads at least one byte, and the loop ends past bytesMax.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 ** 2, bytesMax + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > bytesMax) {
        throw errorAt(
          { file, line: 1, column: 1 },
          what === "a scenario"
            ? `the file has more than ${bytesMax} bytes, more than aftershock reads of a scenario (one may have ${DEFAULT_CAPS.textCharsMax} characters)`
            : `the file has more than ${bytesMax} bytes, more than aftershock reads of ${what}`,
        );
      }
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** A file's path with every symbolic link followed, or null when it is not there. */
export function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The error of an input file that could not be read, naming it (exit 2). */
export function cannotRead(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return fileError(file, `no such file`);
  if (code === "EACCES") return fileError(file, `permission denied`);
  return fileError(file, `cannot read (${(error as Error).message})`);
}

/**
 * Decodes UTF-8, refusing bytes that are not (a file saved as Latin-1, say) at their line and
 * column rather than reading U+FFFD in their place. A byte order mark is kept, as Node keeps it.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== null)
    throw errorAt(
      { file, line: 1, column: 1 },
      `is UTF-16 (${utf16}, by its byte order mark), not UTF-8; save the file as UTF-8`,
    );
  // Without the mark (as `iconv -t utf-16le` and some editors save), its NULs would otherwise be
  // refused one by one as control characters, or a byte past ASCII as not UTF-8, nowhere near
  // saying what the file is.
  const bomless = utf16WithoutBom(bytes);
  if (bomless !== null)
    throw errorAt(
      { file, line: 1, column: 1 },
      `is UTF-16 (${bomless}, by a NUL byte beside each ASCII character, without a byte order mark), not UTF-8; save the file as UTF-8`,
    );
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // The longest prefix that decodes, an unfinished character at its end aside: the bad byte
    // follows it. Only on this path, so a binary search of fresh decodes is cheap enough.
    let good = 0;
    let bad = bytes.length;
    while (bad - good > 1) {
      const mid = Math.floor((good + bad) / 2);
      if (decodesAsPrefix(bytes.subarray(0, mid))) good = mid;
      else bad = mid;
    }
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, good), {
      stream: true,
    });
    const lineStart = text.lastIndexOf("\n") + 1;
    const line = text.slice(0, lineStart).split("\n").length;
    const column = text.length - lineStart + 1;
    const byte = bytes[Buffer.byteLength(text)] ?? bytes[good];
    throw errorAt(
      { file, line, column },
      `not UTF-8 (byte 0x${byte.toString(16).padStart(2, "0")}); save the file as UTF-8`,
    );
  }
}

/** `UTF-16LE` or `UTF-16BE` when `bytes` start with that byte order mark, else null. */
function utf16Bom(bytes: Uint8Array): string | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "UTF-16LE";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16BE";
  return null;
}

/** Bytes of a file's start `utf16WithoutBom` looks at: enough for a few lines of text. */
const UTF16_SNIFF_BYTES = 512;

/**
 * `UTF-16LE` or `UTF-16BE` when the start of `bytes` reads as UTF-16 text without a byte order
 * mark, else null: most of its byte pairs are an ASCII character beside a NUL, on the same side.
 * A UTF-8 scenario has no NUL at all but by mistake, so one NUL in it is not taken for this.
 */
function utf16WithoutBom(bytes: Uint8Array): string | null {
  const pairs = Math.floor(Math.min(bytes.length, UTF16_SNIFF_BYTES) / 2);
  let low = 0; // character byte first, NUL second: little-endian
  let high = 0; // NUL first: big-endian
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [bytes[2 * i], bytes[2 * i + 1]];
    if (a !== 0 && a < 0x80 && b === 0) low++;
    else if (a === 0 && b !== 0 && b < 0x80) high++;
  }
  // More than half each way: at most one side can be, and a character past ASCII (`é`, `中`) may
  // put its NUL on either side without hiding which order the file is in.
  if (low * 2 > pairs) return "UTF-16LE";
  if (high * 2 > pairs) return "UTF-16BE";
  return null;
}

/** Whether `bytes` is valid UTF-8 up to a character its end may cut short. */
function decodesAsPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * What an output path names once its symbolic links are followed: a file to write whole (`real`
 * is where it lives, `stat` what is there now, null for a new file), a folder (an error), or a
 * stream to write into: a character device or a FIFO (`/dev/null`, a terminal, a pipe), or an
 * open descriptor (`/dev/stdout`, `/dev/fd/3`, or a symbolic link to one), which names the stream
 * even when it is a file. `standard` is 1 or 2 for the command's own stdout or stderr.
 */
export type OutputTarget =
  | { readonly kind: "file"; readonly real: string; readonly stat: Stats | null }
  | { readonly kind: "folder" }
  | {
      readonly kind: "stream";
      readonly standard: 1 | 2 | null;
      /** The descriptor a descriptor path names (`/dev/fd/3`, `/dev/stdin`: 0); null for a device or FIFO. */
      readonly descriptor: number | null;
    };

/** Paths that name an open descriptor of this process rather than a file. */
const DESCRIPTOR_PATH = /^\/(?:dev\/(?:stdin|stdout|stderr|fd\/\d+)|proc\/self\/fd\/\d+)$/;

/** The standard descriptor (1 or 2) a descriptor path names, or null for another. */
function standardOf(descriptor: string): 1 | 2 | null {
  if (/^\/(?:dev\/stdout|(?:dev|proc\/self)\/fd\/1)$/.test(descriptor)) return 1;
  if (/^\/(?:dev\/stderr|(?:dev|proc\/self)\/fd\/2)$/.test(descriptor)) return 2;
  return null;
}

/** The descriptor a descriptor path names: `/dev/stdin` 0, `/dev/stdout` 1, `/dev/stderr` 2, `/dev/fd/N` N. */
function descriptorOf(descriptor: string): number {
  const named = ["stdin", "stdout", "stderr"].indexOf(descriptor.slice("/dev/".length));
  return named >= 0 ? named : Number(/(\d+)$/.exec(descriptor)?.[1]);
}

/**
 * Refuses `/dev/fd/N` (N ≥ 3) where Linux shows the descriptor was not given to this command by
 * its caller (as `3>>"$GITHUB_STEP_SUMMARY"` gives it): not open, or one of the runtime's own.
 * Node opens descriptors of its own from 3 up (its event loop's polls, and pipes whose both ends
 * it holds), and opening one of those pipes by its path would write the output into the runtime
 * itself. Where `/proc` cannot tell (not Linux), the path is taken as it was.
 */
function checkDescriptorGiven(fd: number, path: string, name: string): void {
  if (!existsSync("/proc/self/fd")) return;
  let target: string | null = null;
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    // Not open.
  }
  // A file the caller opened for reading (`< my.yaml`, `3< notes.txt`): writing through its path
  // would open it anew for writing and append to the file the caller gave to be read.
  if (target?.startsWith("/") && readOnly(fd))
    throw outputError(
      path,
      name,
      fd === 0
        ? `is this command's stdin, open for reading ${target}, not for writing; write the output elsewhere`
        : `descriptor ${fd} is open for reading ${target}, not for writing (open it for writing, as in \`${fd}>>file\`)`,
    );
  if (target !== null && !target.startsWith("anon_inode:") && !readsOwnPipe(target)) return;
  if (fd === 0 && target !== null)
    throw outputError(
      path,
      name,
      `is this command's stdin, a pipe open for reading, not writing; write the output elsewhere`,
    );
  throw outputError(
    path,
    name,
    `descriptor ${fd} was not given to this command (open it for the command, as in \`${fd}>>file\`; npx and npm exec pass on only 0, 1 and 2, so call node_modules/.bin/aftershock itself)`,
  );
}

/** Whether `target` is a pipe this process reads from itself (a descriptor open for reading on it). */
function readsOwnPipe(target: string): boolean {
  if (!target.startsWith("pipe:")) return false;
  for (const other of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${other}`) !== target) continue;
      if (readOnly(Number(other))) return true;
    } catch {
      // Closed since it was listed (the listing's own descriptor, say).
    }
  }
  return false;
}

/** Whether descriptor `fd` is open for reading only, as Linux's `/proc/self/fdinfo` says (false where it cannot). */
function readOnly(fd: number): boolean {
  let info: string;
  try {
    info = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8");
  } catch {
    return false;
  }
  const flags = /^flags:\s*([0-7]+)$/m.exec(info);
  return flags !== null && (Number.parseInt(flags[1], 8) & 3) === constants.O_RDONLY;
}

/** The longest file name most file systems take (ext4, XFS, btrfs, tmpfs, APFS), in bytes. */
export const NAME_BYTES_MAX = 255;

/**
 * `name` in at most `bytes` bytes (of UTF-8): as it is when it fits, else cut, with a digest of
 * the whole after the cut, so that two long names alike at their start still name two files.
 */
export function fittedName(name: string, bytes: number): string {
  if (Buffer.byteLength(name, "utf8") <= bytes) return name;
  const digest = `~${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
  let cut = "";
  for (const c of name) {
    if (Buffer.byteLength(cut + c + digest, "utf8") > bytes) break;
    cut += c;
  }
  return cut + digest;
}

function isFolderAt(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Bound on the symbolic links followed from one path (Linux's own limit). */
const LINK_HOPS_MAX = 40;

/**
 * The open descriptor `path` names once its symbolic links are followed (`/dev/stdin` 0,
 * `/dev/fd/3` 3), or null for any other path: for a check that comes before `outputTarget`'s own.
 */
export function descriptorNamed(path: string, name = path): number | null {
  if (path === STDOUT_PATH || path.endsWith("/")) return null;
  const real = followLinks(path, name);
  return DESCRIPTOR_PATH.test(real) ? descriptorOf(real) : null;
}

/** What `path` names as an output (`-` is stdout); `name` is how messages call it. */
export function outputTarget(path: string, name = path): OutputTarget {
  if (path === STDOUT_PATH) return { kind: "stream", standard: 1, descriptor: 1 };
  // `out/` names a folder: never a file called `out`, nor one written in place of `notes.txt`
  // given as `notes.txt/`.
  if (path.endsWith("/")) {
    if (isFolderAt(path)) return { kind: "folder" };
    throw outputError(path, name, `ends with "/", which names a folder; expected a file`);
  }
  const base = basename(path);
  if (Buffer.byteLength(base, "utf8") > NAME_BYTES_MAX)
    throw outputError(
      path,
      name,
      `its file name is too long (${Buffer.byteLength(base, "utf8")} bytes; file systems take at most ${NAME_BYTES_MAX})`,
    );
  const real = followLinks(path, name);
  if (DESCRIPTOR_PATH.test(real)) {
    const standard = standardOf(real);
    const descriptor = descriptorOf(real);
    if (standard === null) checkDescriptorGiven(descriptor, path, name);
    return { kind: "stream", standard, descriptor };
  }
  let stat: Stats;
  try {
    stat = statSync(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "file", real, stat: null };
    throw outputError(path, name, `cannot write (${(error as Error).message})`);
  }
  if (stat.isDirectory()) return { kind: "folder" };
  if (stat.isCharacterDevice() || stat.isFIFO()) return { kind: "stream", standard: null, descriptor: null };
  if (!stat.isFile())
    throw outputError(
      path,
      name,
      `is a ${stat.isBlockDevice() ? "block device" : "socket"}, expected a file`,
    );
  return { kind: "file", real, stat };
}

/**
 * Where a file written at `path` lands: its symbolic links followed (a dangling one included,
 * since writing through it creates its target), in a folder named by its real path. A link that
 * leads to a descriptor path stops there: `/proc/self/fd/1` is itself a link to whatever stdout
 * is (a file under `> out.txt`), which is to be written into, not replaced.
 */
function followLinks(path: string, name: string): string {
  let current = path;
  for (let hops = 0; hops <= LINK_HOPS_MAX; hops++) {
    if (DESCRIPTOR_PATH.test(resolve(current))) return resolve(current);
    let dir: string;
    try {
      dir = realpathSync(dirname(current));
    } catch {
      return current; // no such folder: the checks say so
    }
    current = join(dir, basename(current));
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch {
      return current; // nothing there yet
    }
    current = resolve(dir, link);
  }
  throw outputError(path, name, `too many symbolic links`);
}

/** Which file a path held: compared, not read, to tell whether it is still the file checked. */
interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

function identityOf(stat: Stats | null): FileIdentity | null {
  return stat === null ? null : { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * What each output file (by real path) held when `checkOverwrite` looked, before the command's
 * work: the file agreed to be replaced (aftershock's own, or --force), or null for none. When the
 * output is put in place, a different file there (swapped in, edited, or new where there was
 * none) is one nobody agreed to lose, and it is kept (`AtomicFile.putInPlace`). A report written
 * at the end is opened only then, so its own view of the target comes too late to tell.
 */
const checkedFiles = new Map<string, FileIdentity | null>();

/**
 * Refuses to overwrite a file the user wrote: an existing output file is replaced only when
 * it looks like aftershock's own output (its first bytes match `signature`) and, for a kind of
 * file people edit (`seal`), is as aftershock wrote it, or with --force.
 * A stream (a device, a FIFO) is written into, not replaced: nothing is lost, so it needs no
 * --force. Nor does an empty file: it holds nothing to lose, and it is what a CI runner or
 * `mktemp` hands over to be written (GitHub Actions' `$GITHUB_STEP_SUMMARY`).
 */
export function checkOverwrite(
  file: string,
  force: boolean,
  signature: RegExp,
  name = file,
  seal: Seal | null = null,
  writtenKindOf: (head: string) => string | null = () => null,
): void {
  const target = outputTarget(file, name);
  if (target.kind === "folder") throw outputError(file, name, `is a folder, expected a file`);
  if (target.kind === "file") checkedFiles.set(target.real, identityOf(target.stat));
  if (target.kind === "file" && target.stat !== null) checkNotStandard(target.stat, file, name);
  if (force || target.kind === "stream" || target.stat === null || target.stat.size === 0) return;
  let head = "";
  try {
    const fd = openSync(target.real, "r");
    const buffer = Buffer.alloc(512);
    let n = 0;
    try {
      n = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
    head = buffer.subarray(0, n).toString("utf8");
  } catch {
    throw outputError(file, name, `exists and cannot be read; pass --force to replace it`);
  }
  if (!signature.test(head)) {
    // One aftershock wrote, of another kind (a trace where a summary goes): said as what it is.
    const kind = writtenKindOf(head);
    if (kind !== null)
      throw outputError(
        file,
        name,
        `exists and is ${kind} aftershock wrote, not a file of this output's kind; pass --force to replace it`,
      );
    throw outputError(file, name, `exists and was not written by aftershock; pass --force to replace it`);
  }
  if (seal === null) return;
  let text: string;
  try {
    text = readFileSync(target.real, "utf8");
  } catch {
    throw outputError(file, name, `exists and cannot be read; pass --force to replace it`);
  }
  const refusal = sealRefusal(seal.state(text));
  if (refusal !== null) throw outputError(file, name, `${refusal}; pass --force to replace it`);
}

/**
 * Refuses an output file that the command's stdout or stderr is redirected to (`run --trace
 * out.txt > out.txt`, or to a link to it): renaming the output over it would unlink the file the
 * shell is writing into, and one of the two would be lost. --force does not help, as for two
 * outputs on one file; `/dev/stdout` names the stream itself, written into in order
 * (`standardWriter`).
 */
function checkNotStandard(stat: Stats, path: string, name: string): void {
  const fd = standardStreamAt(stat);
  if (fd === null) return;
  const stream = fd === 1 ? "stdout" : "stderr";
  // Named as the user wrote the output: the redirect may have named the file another way (a
  // link, another path), and only the shell knows how.
  throw outputError(
    path,
    name,
    `is the same file as this command's ${stream}, which is redirected to it: replacing it would lose what is written there, even with --force; write the output elsewhere, or to /dev/${stream} to send it into that stream`,
  );
}

/**
 * The command's stdout or stderr (1 or 2) when it is the regular file `stat` describes (same
 * device and inode: a hard link or another spelling of the path is the same file), else null.
 */
export function standardStreamAt(stat: Stats): 1 | 2 | null {
  for (const fd of [1, 2] as const) {
    let stream: Stats;
    try {
      stream = fstatSync(fd);
    } catch {
      continue; // closed: nothing is written there
    }
    if (stream.isFile() && stream.dev === stat.dev && stream.ino === stat.ino) return fd;
  }
  return null;
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over the target
 * at `commit()`; `abort()` (or a crash) leaves the target untouched. A symbolic link is followed:
 * its target is replaced, the link stays. A stream (`/dev/null`, a FIFO, `/dev/stdout`) is
 * written into as the text comes, since it cannot be replaced and holds nothing to lose; the
 * command's own stdout and stderr through the command's streams (`standardWriter`).
 *
 * A temporary file is removed if the process ends before it is put in place: on `process.exit`,
 * and on a signal no command handles (`unfinished`), which then ends the process as it would
 * have. Only a process killed outright (SIGKILL, a crash of Node itself) leaves one behind; the
 * next write to the same file removes those whose process is gone.
 */
export class AtomicFile {
  /** The temporary file renamed over `target` at commit; null for a stream, written directly. */
  private readonly tmp: string | null;
  private readonly target: string;
  private fd: number | null = null;
  /**
   * The file the target may be replaced with this one: what `checkOverwrite` found there (or,
   * for a path it did not check, what was there when this file was opened); null for none.
   */
  private readonly replaceable: FileIdentity | null = null;
  /** For the command's own stdout or stderr: its stream, written in order with the rest. */
  private readonly standard: ((text: string) => void) | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Bytes handed on so far (to the file, or the stream). */
  private handedBytes = 0;
  /** A stream whose reader went away (EPIPE): the rest is dropped, as on stdout. */
  private readerGone = false;
  /** The write that failed, if one did: the file was given up, and commit says so again. */
  private failure: CliError | null = null;
  /** Whether the failure's message named the temporary file left behind (abort then does not). */
  private leftNamed = false;
  /** Whether the temporary file was made: one whose opening failed is not there to remove. */
  private tmpMade = false;

  constructor(readonly path: string) {
    const target = outputTarget(path);
    if (target.kind === "folder") throw fileError(path, `is a folder, expected a file`);
    if (target.kind === "stream") {
      this.target = path;
      this.tmp = null;
      if (target.standard !== null) {
        this.standard = standardWriter(target.standard);
        return;
      }
      // Appending, so a descriptor that names a file (`/dev/fd/3 3>> out.txt`) is not cut short.
      this.fd = this.open(path, constants.O_WRONLY | constants.O_APPEND);
      return;
    }
    this.target = target.real;
    this.replaceable = checkedFiles.has(target.real)
      ? checkedFiles.get(target.real)!
      : identityOf(target.stat);
    this.tmp = join(dirname(target.real), `${tmpPrefix(target.real)}${process.pid}`);
    removeAbandoned(target.real);
    // Listened for before the file exists, so that no signal can end the process in between.
    unfinished.add(this, shownPath(this.path));
    try {
      this.fd = this.open(this.tmp, "w");
    } catch (error) {
      unfinished.delete(this);
      throw error;
    }
    this.tmpMade = true;
    // The file replaced keeps its permissions (a report made private stays private).
    if (target.stat !== null) {
      this.keepOwner(target.stat);
      this.keepMode(target.stat.mode & 0o7777);
    }
  }

  /** The bytes written so far: once committed, the file's size. */
  get size(): number {
    return this.handedBytes + this.pending.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  }

  write(text: string): void {
    if (this.failure !== null) return; // given up: commit says why
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  /** Writes what is pending and puts the file in place; on failure, leaves the target as it was. */
  commit(): void {
    if (this.failure !== null) throw this.failure;
    if (this.standard !== null) {
      this.flush();
      return;
    }
    if (this.fd === null) return;
    try {
      this.flush();
      if (this.tmp !== null) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
      if (this.tmp !== null) this.putInPlace(this.tmp);
      unfinished.delete(this);
    } catch (error) {
      throw error instanceof CliError ? error : this.cannotWrite(error);
    }
  }

  /**
   * Leaves the target as it was (a stream keeps what was written into it). Safe after commit,
   * and never throws: it runs while another failure is on its way to the user. Returns what it
   * could not remove (the temporary file, and why) for the user to be told, or null (also when
   * the failure of this file already named it).
   */
  abort(): string | null {
    unfinished.delete(this);
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing only fails for a descriptor already closed, or with an I/O error: nothing to keep.
      }
      this.fd = null;
    }
    if (this.tmp === null || !this.tmpMade) return null;
    try {
      unlinkSync(this.tmp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || this.leftNamed) return null;
      return `${this.tmp} (${(error as Error).message})`;
    }
    return null;
  }

  /**
   * Puts the written file at the target, replacing only the file agreed to (`replaceable`). The
   * target is looked at again now: the file checked (same device, inode, size and modification
   * time) is replaced, renamed over; where nothing is (none at the start, or the one checked
   * deleted since) the file is linked in, which fails rather than replace one saved there
   * meanwhile; any other file (saved where there was none, swapped in, edited) is kept, and this
   * output goes beside it under a free name, said as a failure (`keepBeside`). Looking and
   * renaming are two steps (Node has no compare-and-rename): a file swapped in within the instant
   * between them is still replaced; one swapped in at any time before is kept.
   */
  private putInPlace(tmp: string): void {
    const now = identityOf(entryAt(this.target));
    const replaced = this.replaceable;
    checkedFiles.delete(this.target); // a later write of this path looks anew
    if (now === null) {
      if (linkFresh(tmp, this.target)) return;
    } else if (replaced !== null && sameFile(now, replaced)) {
      renameSync(tmp, this.target);
      return;
    }
    throw this.keepBeside(tmp, replaced === null);
  }

  /**
   * The failure of a file whose target changed while the command ran: the file there is kept,
   * and this output is put beside it (`report.new.html`, `report.new-2.html`, ...) so that the
   * work is not lost; only if that fails too is it dropped.
   */
  private keepBeside(tmp: string, appeared: boolean): CliError {
    const what = appeared
      ? "a file appeared there while aftershock ran"
      : "changed while aftershock ran (it is not the file checked when the command started)";
    let kept: string | null = null;
    let why = "no free name beside it";
    try {
      kept = setAside(tmp, this.target);
    } catch (error) {
      why = (error as Error).message;
    }
    if (kept === null) {
      try {
        unlinkSync(tmp);
      } catch {
        // Said by abort, which tries again.
      }
    }
    this.failure = new CliError(
      kept !== null
        ? `${this.path}: ${what}; it is kept, and this output is at ${kept} instead`
        : `${this.path}: ${what}; it is kept, and this output was not written (${why})`,
    );
    return this.failure;
  }

  private open(file: string, flags: string | number): number {
    try {
      return openSync(file, flags);
    } catch (error) {
      throw this.cannotWrite(error);
    }
  }

  /**
   * Gives the file the owner and group of the one it replaces, where this process may (root may,
   * `--force` over another user's report): else a report that user could read would become one
   * they cannot, its mode kept but no longer theirs. Where it may not, the file is the writer's,
   * as any file it makes.
   */
  private keepOwner(stat: Stats): void {
    if (stat.uid === process.getuid?.() && stat.gid === process.getgid?.()) return;
    try {
      fchownSync(this.fd!, stat.uid, stat.gid);
    } catch {
      // Not permitted: the writer's own file.
    }
  }

  private keepMode(mode: number): void {
    try {
      fchmodSync(this.fd!, mode);
    } catch (error) {
      throw this.cannotWrite(error);
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    if (this.standard !== null) {
      // The command's stream says its own failures (a reader gone, a full disk) at the end.
      const all = this.pending.join("");
      this.handedBytes += Buffer.byteLength(all);
      this.standard(all);
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    if (this.fd === null) return;
    const text = this.pending.join("");
    this.pending = [];
    this.pendingBytes = 0;
    this.handedBytes += Buffer.byteLength(text);
    if (this.readerGone) return;
    try {
      writeAll(this.fd, text);
    } catch (error) {
      if (this.tmp === null && (error as NodeJS.ErrnoException).code === "EPIPE") this.readerGone = true;
      else throw this.cannotWrite(error);
    }
  }

  /** The error for a failed write; the file is given up at once, its temporary file removed. */
  private cannotWrite(error: unknown): CliError {
    const left = this.abort();
    this.leftNamed = left !== null;
    const leftText = left === null ? "" : `; its partial copy is left at ${left}`;
    this.failure = fileError(this.path, `cannot write (${(error as Error).message})${leftText}`);
    return this.failure;
  }
}

/** The signals that end a process by default and that a user or a CI system sends to stop one. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * The files whose temporary file exists and is not yet in place or removed, and those a command
 * will write once its run is over (`AwaitedFile`). While there are any, the process removes the
 * temporary files before it ends: on `process.exit` (a command's own Ctrl-C handler ends that
 * way), and on a signal that nothing else in the process listens for, which it answers by naming
 * every file not written on stderr, then sends again to end the process as it would have ended
 * without this (killed by it). A signal that a command handles (`explore`, `gate`, `train`,
 * `report`) is left to it: its files may still be finished and written.
 *
 * A signal that comes during a run is seen at the run's next turn of the event loop (`run`,
 * `compare` and `why` run in stretches, `runWorldInTurns`), or once the run is over where it
 * does not yield (a large one is cut short by `vm`, see `interruptibleWallGuard`): the listeners
 * stay two turns of the event loop after the last file is done, so that such a signal still ends
 * the process rather than being dropped with them.
 */
class UnfinishedFiles {
  /** In the order they were begun: files being written, and files a command will write later. */
  private readonly entries = new Map<AtomicFile | AwaitedFile, string>();
  private listening = false;
  private stopping = false;

  add(entry: AtomicFile | AwaitedFile, path: string): void {
    this.entries.set(entry, path);
    if (!this.listening) this.listen();
  }

  delete(entry: AtomicFile | AwaitedFile): void {
    if (!this.entries.delete(entry) || this.entries.size > 0 || this.stopping) return;
    this.stopping = true;
    setImmediate(() =>
      setImmediate(() => {
        this.stopping = false;
        if (this.entries.size === 0) this.unlisten();
      }),
    );
  }

  private readonly onExit = (): void => {
    for (const entry of [...this.entries.keys()]) if (entry instanceof AtomicFile) entry.abort();
  };

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (process.listenerCount(signal) > 1) return; // the command handles it
    // Said, as a command that handles the signal says what it did not finish: the user asked
    // for these files, and none of them is there.
    const paths = [...new Set(this.entries.values())];
    if (paths.length > 0) {
      try {
        process.stderr.write(`aftershock: stopped by ${signal}: not written: ${paths.join(", ")}\n`);
      } catch {
        // stderr gone too: the signal still ends the process.
      }
    }
    this.onExit();
    this.unlisten();
    process.kill(process.pid, signal);
  };

  private listen(): void {
    this.listening = true;
    process.on("exit", this.onExit);
    for (const signal of ENDING_SIGNALS) process.on(signal, this.onSignal);
  }

  private unlisten(): void {
    if (!this.listening) return;
    this.listening = false;
    process.off("exit", this.onExit);
    for (const signal of ENDING_SIGNALS) process.off(signal, this.onSignal);
  }
}

/**
 * A file a command writes whole once its run is over (an HTML report, a Markdown summary): until
 * it is written, or given up (`done`), a signal that ends the process names it among the files
 * not written, as it names those being written.
 */
export class AwaitedFile {
  constructor(readonly path: string) {
    unfinished.add(this, shownPath(path));
  }

  done(): void {
    unfinished.delete(this);
  }
}

const unfinished = new UnfinishedFiles();

/** What `link` fails with where a file system has no hard links. */
const NO_HARD_LINKS: ReadonlySet<string> = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"]);

/** What is at `path` itself (a link not followed), or null for nothing. */
function entryAt(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/**
 * Gives the written file `tmp` the name `path` if nothing holds it: a hard link, which fails if
 * the name is taken, so nothing is replaced (false then); on a file system without hard links, a
 * rename once the name is seen free. `tmp` is gone once it is in place.
 */
function linkFresh(tmp: string, path: string): boolean {
  try {
    linkSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
    if (existsSync(path)) return false;
    renameSync(tmp, path);
    return true;
  }
  try {
    unlinkSync(tmp);
  } catch {
    // The file is in place; a temporary name left beside it is removed by the next write.
  }
  return true;
}

/** Bound on the names tried for an output kept beside a target that changed. */
const KEPT_NAMES_MAX = 100;

/** Puts `tmp` beside `target` under the first free `<stem>.new<ext>`, `<stem>.new-2<ext>`, ...; null when none is free. */
function setAside(tmp: string, target: string): string | null {
  const ext = extname(target);
  const stem = target.slice(0, target.length - ext.length);
  for (let k = 1; k <= KEPT_NAMES_MAX; k++) {
    const path = `${stem}.new${k === 1 ? "" : `-${k}`}${ext}`;
    if (linkFresh(tmp, path)) return path;
  }
  return null;
}

/** Room a temporary file's name needs beside the file's own: `.`, `.tmp-` and a pid. */
const TMP_NAME_EXTRA = 1 + ".tmp-".length + 10;

/**
 * The name of `path`'s temporary files, before the pid of the process writing one: the file's
 * own name, hidden, cut (`fittedName`) where it is too long to take more within the file
 * system's limit.
 */
function tmpPrefix(path: string): string {
  return `.${fittedName(basename(path), NAME_BYTES_MAX - TMP_NAME_EXTRA)}.tmp-`;
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
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Gone already, or not ours to remove: it does not stop this write.
    }
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

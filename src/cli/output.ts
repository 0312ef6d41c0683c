import { fstatSync, statSync, writeSync } from "node:fs";

/**
 * Writes all of `text` into descriptor `fd`. A write to a nearly full disk (or past a file size
 * limit) may take only part of what it is given and say so only in the count it returns: the
 * rest is written again, which then fails with the reason (ENOSPC, EFBIG) for the caller to say,
 * instead of being dropped while the file looks written.
 */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let at = 0;
  while (at < bytes.length) {
    const n = writeSync(fd, bytes, at, bytes.length - at);
    if (n <= 0) throw Object.assign(new Error("ENOSPC: a write took none of its bytes"), { code: "ENOSPC" });
    at += n;
  }
}

/** Whether `path` names a regular file that exists (not a folder); false for what cannot be stat'ed. */
export function isFilePath(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Whether descriptor `fd` is a regular file (a redirect to one: `> out.json`). */
function isFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * The process's standard streams for the CLI's output, made safe to lose: a reader may close
 * its end early (`aftershock compare … --json | head`), and a later write then fails with
 * EPIPE. Node reports that as an unhandled error with a stack trace; a command-line tool stops
 * writing, quietly, and finishes with its own exit code. Any other failure to write (a full
 * disk under a redirect) also stops the writes, and is kept to be said once at the end.
 */
export class ProcessOutput {
  private closed = false;
  /** Why a write failed, other than a reader gone away (EPIPE); null if none did. */
  failure: string | null = null;
  /**
   * The descriptor of a stream redirected to a regular file, written straight into (`writeAll`):
   * Node's stream for a file drops what a short write did not take. Null for a terminal or a
   * pipe, written through the stream.
   */
  private readonly fileFd: number | null;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    fd?: number,
  ) {
    this.fileFd = fd !== undefined && isFile(fd) ? fd : null;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      this.closed = true;
      if (error.code !== "EPIPE") this.failure ??= error.message;
    });
  }

  /**
   * Calls `then` once everything written so far has been taken (true), or has not all been
   * (false): the reader went away (EPIPE) or a write failed. A pipe takes what it is given as
   * its reader reads, and says it went away only then.
   */
  readonly taken = (then: (whole: boolean) => void): void => {
    if (this.closed || this.fileFd !== null) {
      then(!this.closed);
      return;
    }
    this.stream.write("", (error) => then(!error && !this.closed));
  };

  /** Writes `text`, unless an earlier write failed. */
  readonly write = (text: string): void => {
    if (this.closed) return;
    if (this.fileFd === null) {
      this.stream.write(text);
      return;
    }
    try {
      writeAll(this.fileFd, text);
    } catch (error) {
      this.closed = true;
      this.failure ??= (error as Error).message;
    }
  };
}

import type { CliContext } from "./context.js";
import { writeAll } from "./output.js";
import { STDOUT_PATH } from "./spec.js";

/**
 * The command's own stdout and stderr, for output files that name them (`--trace /dev/stdout`).
 * Such a file is written through the command's stream, in order with the rest of what it
 * prints: opening `/dev/stdout` anew would give a second file position on a redirected file, and
 * each would write over the other's text.
 *
 * stdout then carries that output alone (machine formats never mix with human text there): what
 * the command would print on stdout goes to stderr, as tar does when its archive is stdout.
 */
interface Standard {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly outTaken: CliContext["outTaken"];
  /** The output file given stdout, as written (`-`, `/dev/stdout`), so the command's own text goes to stderr. */
  stdoutPath: string | null;
  /** Whether an output file is written through stderr (`--trace /dev/stderr`). */
  stderrTaken: boolean;
}

let standard: Standard | null = null;

/**
 * Binds the command's streams for the output files that name them, and returns the context the
 * command runs with: its stdout text (and paint) follows stderr once an output takes stdout.
 */
export function bindStandardStreams(context: CliContext): CliContext {
  const bound: Standard = {
    out: context.out,
    err: context.err,
    outTaken: context.outTaken,
    stdoutPath: null,
    stderrTaken: false,
  };
  standard = bound;
  return {
    ...context,
    out: (text) => (bound.stdoutPath !== null ? context.err : context.out)(text),
    get paint() {
      return bound.stdoutPath !== null ? context.paintErr : context.paint;
    },
    get ascii() {
      return bound.stdoutPath !== null ? context.asciiErr : context.ascii;
    },
    stderrTaken: () => bound.stderrTaken,
  };
}

/**
 * Gives stderr to an output file too (`--trace /dev/stderr`): the command's messages still follow
 * it there, but nothing is written in the middle of it while the run goes (`stderrTaken`).
 */
export function takeStderr(): void {
  if (standard !== null) standard.stderrTaken = true;
}

/** Gives stdout to the output file at `path`: the command's own stdout text goes to stderr from now on. */
export function takeStdout(path: string): void {
  if (standard !== null) standard.stdoutPath = path;
}

/**
 * How to write into descriptor 1 or 2: through the command's stream when one is bound, else
 * straight into the descriptor (the programmatic API, where nothing else writes there).
 */
export function standardWriter(fd: 1 | 2): (text: string) => void {
  const bound = standard;
  if (bound !== null) return fd === 1 ? bound.out : bound.err;
  return (text) => {
    writeAll(fd, text);
  };
}

/** How messages name an output path: `-` as stdout, any other as the user wrote it. */
export function shownPath(path: string): string {
  return path === STDOUT_PATH ? "stdout" : path;
}

/**
 * Says on `err` that the output at `path` was written, with what it holds (`detail`). An output
 * on stdout is said once stdout has taken all of it (for a pipe, into the pipe's buffer: what a
 * reader that goes away later leaves unread is not known here), and not at all when its reader
 * went away first (`aftershock run … --trace - | head`): it was not all written, and output cut short by
 * its reader is cut short quietly, with the command's own exit code, as the command's own stdout
 * is. A write that failed otherwise is said at exit (`runBinary`).
 */
export function sayWritten(err: (text: string) => void, path: string, detail: string): void {
  whenWritten(path, () =>
    err(`aftershock: wrote ${shownPath(path)}${detail === "" ? "" : ` (${detail})`}\n`),
  );
}

/**
 * Calls `say` once the output at `path` is written, in words of the command's own: at once for a
 * file, once stdout has taken all of it for an output on stdout, never when its reader went away
 * first (as `sayWritten` says it).
 */
export function whenWritten(path: string, say: () => void): void {
  const outTaken = standard?.outTaken;
  if (path !== standard?.stdoutPath || outTaken === undefined) {
    say();
    return;
  }
  outTaken((whole) => {
    if (whole) say();
  });
}

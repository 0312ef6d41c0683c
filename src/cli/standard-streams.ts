import type { CliContext } from "./context.js";
import { writeAll } from "./output.js";

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
  /** Whether an output file was given stdout, so the command's own text goes to stderr. */
  stdoutTaken: boolean;
}

let standard: Standard | null = null;

/**
 * Binds the command's streams for the output files that name them, and returns the context the
 * command runs with: its stdout text (and paint) follows stderr once an output takes stdout.
 */
export function bindStandardStreams(context: CliContext): CliContext {
  const bound: Standard = { out: context.out, err: context.err, stdoutTaken: false };
  standard = bound;
  return {
    ...context,
    out: (text) => (bound.stdoutTaken ? context.err : context.out)(text),
    get paint() {
      return bound.stdoutTaken ? context.paintErr : context.paint;
    },
  };
}

/** Gives stdout to an output file: the command's own stdout text goes to stderr from now on. */
export function takeStdout(): void {
  if (standard !== null) standard.stdoutTaken = true;
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

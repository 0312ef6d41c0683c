import { createReadStream, fstatSync, statSync } from "node:fs";
import { errorAt, fileError } from "./errors.js";
import { cannotRead, decodeUtf8 } from "./io.js";
import { missingPath, missingText, SAVED_OUTPUT_EXTENSIONS } from "./missing-path.js";

/** The UTF-8 byte-order mark. */
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The most bytes read to find the first line, which tells a trace from a JSON report. */
const HEAD_BYTES_MAX = 1 << 16;

/**
 * A file read once, from start to end: its first line is known before the rest is read, and the
 * rest follows without reopening or seeking it, so a pipe or a FIFO (`cat t.jsonl | aftershock
 * report -`, `<(zcat t.jsonl.gz)`) reads as a file does.
 */
export interface SavedInput {
  /** The first line (of at most the first 64 kB), without its newline. */
  readonly head: string;
  /** Whether the input holds nothing at all. */
  readonly empty: boolean;
  /** Every byte of the input, the head's included; once only. */
  readonly chunks: () => AsyncIterable<Buffer>;
}

/**
 * How messages name the process's stdin when it is the input (`-` on the command line). It is
 * read through `process.stdin`, not by opening `/dev/stdin`: stdin may be a socket (a parent
 * process's pipe in Node, some CI runners), which cannot be opened by path.
 */
export const STDIN_NAME = "<stdin>";

/**
 * Lets go of stdin once the input read from it is done with, read to its end or not: a writer
 * still holding the pipe open (a report refused at its second line while the trace goes on)
 * would otherwise keep the process waiting for it.
 */
export function releaseStdin(): void {
  // Not destroyed: a read still on its way would fail, and its error reach no handler. Paused and
  // unreferenced (a pipe, a socket or a terminal; a file ends by itself), it holds nothing up.
  const stdin = process.stdin as NodeJS.ReadStream & { unref?: () => void };
  stdin.pause();
  stdin.unref?.();
}

/**
 * Refuses a path that names nothing to read as the scenario commands do: with the saved output
 * beside it that it was likely meant to name (`run.jsonl` for `run.json`), or what the path is.
 */
function refuseMissing(file: string): void {
  const missing = missingPath(file, SAVED_OUTPUT_EXTENSIONS);
  if (missing === null) return;
  throw fileError(file, `${missingText(missing)}`);
}

/**
 * Opens `file` (stdin for `STDIN_NAME`) and reads up to its first line; a read that fails is
 * exit 2, naming the file.
 */
export async function openSavedInput(file: string): Promise<SavedInput> {
  const stdin = file === STDIN_NAME;
  if (!stdin) refuseMissing(file);
  let isFolder: boolean;
  try {
    isFolder = (stdin ? fstatSync(0) : statSync(file)).isDirectory();
  } catch (error) {
    throw cannotRead(file, error);
  }
  if (isFolder) throw fileError(file, `is a folder, expected a file`);
  // Stdin through Node's own stream: a pipe or socket handed over non-blocking gives EAGAIN to a
  // file stream on descriptor 0 whenever the writer is slower than the reader (`slow | report -`).
  const stream = stdin ? process.stdin : createReadStream(file);
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const next = async (): Promise<IteratorResult<Buffer>> => {
    try {
      return await iterator.next();
    } catch (error) {
      throw cannotRead(file, error);
    }
  };
  const read: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  while (bytes < HEAD_BYTES_MAX && !read.some((chunk) => chunk.includes(0x0a))) {
    const chunk = await next();
    if (chunk.done) {
      ended = true;
      break;
    }
    read.push(chunk.value);
    bytes += chunk.value.length;
  }
  // A byte-order mark some editors put first is no part of the text: a trace, a report or a
  // scenario saved with one reads as without it.
  let first = Buffer.concat(read);
  if (first.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) first = first.subarray(UTF8_BOM.length);
  const text = first.subarray(0, HEAD_BYTES_MAX).toString("utf8");
  const newline = text.indexOf("\n");
  let taken = false;
  return {
    head: newline < 0 ? text : text.slice(0, newline),
    empty: ended && first.length === 0,
    chunks: async function* () {
      if (taken) throw new Error(`${file}: read twice`);
      taken = true;
      if (first.length > 0) yield first;
      if (ended) return;
      for (;;) {
        const chunk = await next();
        if (chunk.done) return;
        yield chunk.value;
      }
    },
  };
}

/**
 * Most bytes of a saved JSON report read whole. A trace streams, however long; a RunReport or a
 * comparison is a few megabytes, so an input far past that (`/dev/zero`, a trace whose first
 * line was lost) is refused rather than read into memory until the process dies.
 */
export const SAVED_JSON_BYTES_MAX = 256 * 1024 ** 2;

/** The whole input as text; bytes that are not UTF-8 are refused at their place in `file`. */
export async function savedText(
  input: SavedInput,
  file: string,
  bytesMax = SAVED_JSON_BYTES_MAX,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of input.chunks()) {
    chunks.push(chunk);
    total += chunk.length;
    if (total > bytesMax)
      throw errorAt(
        { file, line: 1, column: 1 },
        `the file has more than ${bytesMax} bytes and does not start as a trace, so it would be a saved JSON report (run --json, compare --json), which is never that large`,
      );
  }
  return decodeUtf8(Buffer.concat(chunks), file);
}

/**
 * Most bytes of one trace line. An event is a few hundred bytes; a line past this is no event
 * (a trace cut and glued to something else), and read on it would grow one string until the
 * process dies, so it is refused at its line number.
 */
export const TRACE_LINE_BYTES_MAX = 16 * 1024 ** 2;

/** The input's chunks, refused at the first line longer than `lineBytesMax` (exit 2, naming the line). */
export async function* boundedLines(
  chunks: AsyncIterable<Buffer>,
  file: string,
  lineBytesMax = TRACE_LINE_BYTES_MAX,
): AsyncIterable<Buffer> {
  let lineNo = 1;
  let lineBytes = 0;
  for await (const chunk of chunks) {
    let from = 0;
    // Bounded by the chunk: each pass moves past one newline.
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      lineBytes += nl - from;
      if (lineBytes > lineBytesMax) break;
      lineNo++;
      lineBytes = 0;
      from = nl + 1;
    }
    if (lineBytes <= lineBytesMax) lineBytes += chunk.length - from;
    if (lineBytes > lineBytesMax)
      throw errorAt(
        { file, line: lineNo, column: 1 },
        `the line is longer than ${lineBytesMax} bytes, so it is no trace event`,
      );
    yield chunk;
  }
}

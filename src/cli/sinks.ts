import { JsonlSink, type TraceSink } from "../kernel/index.js";
import { AtomicFile } from "./io.js";

/** What a trace file written by aftershock starts with. */
export const TRACE_SIGNATURE = /^\{"t":\d+,"seq":0,"type":"run\.started"/;

/** A JSONL trace written whole or not at all (its path checked before, with `checkOutputs`). */
export class TraceFile {
  readonly sink: TraceSink;
  private readonly file: AtomicFile;

  constructor(path: string) {
    this.file = new AtomicFile(path);
    this.sink = new JsonlSink((line) => this.file.write(line));
  }

  commit(): void {
    this.file.commit();
  }

  /** Leaves the target as it was; returns the temporary file it could not remove, if any (`AtomicFile.abort`). */
  abort(): string | null {
    return this.file.abort();
  }
}

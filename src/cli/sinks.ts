import { JsonlSink, type TraceSink, type TraceView } from "../kernel/index.js";
import { CliError } from "./errors.js";
import { AtomicFile } from "./io.js";
import { shownPath } from "./standard-streams.js";

/** What a trace file written by aftershock starts with. */
export const TRACE_SIGNATURE = /^\{"t":\d+,"seq":0,"type":"run\.started"/;

/** A size in bytes as a person reads it: `812 kB`, `473.2 MB`, `1.4 GB` (of 1024). */
export function sizeText(bytes: number): string {
  const kB = bytes / 1024;
  if (kB < 1024) return `${Math.round(kB)} kB`;
  const MB = kB / 1024;
  return MB < 1024 ? `${MB.toFixed(1)} MB` : `${(MB / 1024).toFixed(1)} GB`;
}

/** A JSONL trace written whole or not at all (its path checked before, with `checkOutputs`). */
export class TraceFile {
  readonly sink: TraceSink;
  private readonly file: AtomicFile;
  /** The trace written, once the sink is added to it. */
  private trace: TraceView | null = null;

  constructor(path: string) {
    this.file = new AtomicFile(path);
    const lines = new JsonlSink((line) => this.file.write(line));
    this.sink = {
      onEvent: (event) => lines.onEvent(event),
      attach: (trace) => {
        this.trace = trace;
      },
    };
  }

  /**
   * Puts the file in place; refused (the target left as it was) when the run was stopped from
   * outside in the middle of tracing an event (`Trace.cutEvent`): the file may lack that event
   * or hold part of it.
   */
  commit(): void {
    const cut = this.trace?.cutEvent ?? null;
    if (cut !== null) {
      const left = this.file.abort();
      const leftText = left === null ? "" : `; its partial copy is left at ${left}`;
      throw new CliError(
        `${shownPath(this.file.path)}: not written: the run was stopped by its wall-clock budget while event ${cut} was being traced, so the trace would not be whole${leftText}`,
      );
    }
    this.file.commit();
  }

  /** The path it was given. */
  get path(): string {
    return this.file.path;
  }

  /**
   * What the file holds once written: its number of events and its size, so that a trace of a
   * big world (hundreds of MB) is not found by the disk filling up.
   */
  get written(): string {
    const events = this.trace?.length ?? 0;
    return `trace, ${events} ${events === 1 ? "event" : "events"}, ${sizeText(this.file.size)}`;
  }

  /** Leaves the target as it was; returns the temporary file it could not remove, if any (`AtomicFile.abort`). */
  abort(): string | null {
    return this.file.abort();
  }
}

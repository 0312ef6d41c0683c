/**
 * The trace sinks a library caller gives a run, made read-only. Every sink is handed the same
 * event object, and the checks hold events in batches (`COLLECTOR_BATCH`) after the sinks have
 * seen them: a sink that changed one (`e.type = "x"`) would change the metrics and verdicts
 * while the trace hash, computed before any sink, stayed as it was, and so would a report or a
 * trace file written by another sink. Wrapped here, a caller's sink is given each event frozen,
 * all the way down, before it sees it: a write throws a TypeError in strict code (an ES module)
 * and is ignored in sloppy code. The CLI's own sinks are not wrapped, and its runs pay nothing.
 */
import type { Trace, TraceEvent, TraceSink } from "../kernel/index.js";
import type { RunOptions } from "./run.js";

/** `options` with its `sinks` and `watchers` read-only (`ReadOnlySink`); the same object without any. */
export function readOnlySinks<T extends RunOptions>(options: T): T {
  const { sinks, watchers } = options;
  if ((sinks === undefined || sinks.length === 0) && (watchers === undefined || watchers.length === 0))
    return options;
  return {
    ...options,
    ...(sinks === undefined ? {} : { sinks: sinks.map((s, i) => readOnly(s, `options.sinks[${i}]`)) }),
    ...(watchers === undefined
      ? {}
      : { watchers: watchers.map((s, i) => readOnly(s, `options.watchers[${i}]`)) }),
  };
}

function readOnly(sink: TraceSink, place: string): TraceSink {
  return sink instanceof ReadOnlySink ? sink : new ReadOnlySink(sink, place);
}

/**
 * A caller's sink, given each event frozen, whose error says which sink threw, at which event,
 * with the sink's own error as its `cause` (a run stops after the event a sink threw at, and
 * its caller gets the error: see `TraceSink`).
 */
export class ReadOnlySink implements TraceSink {
  private readonly label: string;

  constructor(
    private readonly sink: TraceSink,
    place: string,
  ) {
    const name = (sink as { constructor?: { name?: unknown } }).constructor?.name;
    this.label = typeof name === "string" && name !== "" && name !== "Object" ? `${place} (${name})` : place;
  }

  onEvent(event: TraceEvent): void {
    freezeEvent(event);
    try {
      this.sink.onEvent(event);
    } catch (error) {
      throw new Error(
        `${this.label} threw at trace event #${event.seq} (${event.type}): ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  attach(trace: Trace): void {
    this.sink.attach?.(trace);
  }
}

/** Freezes an event and every list and object in its fields (once: a frozen event is left as it is). */
export function freezeEvent(event: TraceEvent): void {
  if (Object.isFrozen(event)) return;
  for (const key in event) {
    const value = event[key];
    if (value !== null && typeof value === "object") freezeValue(value);
  }
  Object.freeze(event);
}

function freezeValue(value: object): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value))
    if (item !== null && typeof item === "object") freezeValue(item as object);
}

function messageOf(error: unknown): string {
  if (error instanceof Error)
    return error.message === ""
      ? error.name
      : error.name === "Error"
        ? error.message
        : `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return "a value that is no Error";
  }
}

/**
 * The trace sinks a library caller gives a run, made read-only. Every sink is handed the same
 * event object, and the checks hold events in batches (`COLLECTOR_BATCH`) after the sinks have
 * seen them: a sink that changed one (`e.type = "x"`) would change the metrics and verdicts
 * while the trace hash, computed before any sink, stayed as it was, and so would a report or a
 * trace file written by another sink. Wrapped here, a caller's sink is given each event frozen,
 * all the way down, before it sees it: a write throws a TypeError in strict code (an ES module)
 * and is ignored in sloppy code. Its `attach` is handed a read-only view of the trace, never the
 * trace itself. The CLI's own sinks are not wrapped, and its runs pay nothing.
 */
import { readOnlyTrace, type TraceEvent, type TraceSink, type TraceView } from "../kernel/index.js";
import type { RunOptions } from "./run.js";
import { checkSinks } from "./run-options-check.js";

/**
 * `options` with its `sinks` and `watchers` read-only (`ReadOnlySink`); the same object without any.
 * Throws a TypeError, as `runScenario` does, for sinks that are not a list of objects with
 * `onEvent` (`checkSinks`): wrapped unchecked, a sink with none would be reported as throwing.
 */
export function readOnlySinks<T extends RunOptions>(options: T): T {
  const { sinks, watchers } = options;
  checkSinks(sinks, "options.sinks");
  checkSinks(watchers, "options.watchers");
  if ((sinks === undefined || sinks.length === 0) && (watchers === undefined || watchers.length === 0))
    return options;
  return {
    ...options,
    ...(sinks === undefined ? {} : { sinks: sinks.map((s, i) => readOnly(s, "sinks", i)) }),
    ...(watchers === undefined ? {} : { watchers: watchers.map((s, i) => readOnly(s, "watchers", i)) }),
  };
}

function readOnly(sink: TraceSink, option: SinkOption, index: number): TraceSink {
  return sink instanceof ReadOnlySink ? sink : new ReadOnlySink(sink, option, index);
}

/** The run option a caller's sink was given in. */
export type SinkOption = "sinks" | "watchers";

/**
 * What a library caller's trace sink threw, from `onEvent` or `attach`, wrapped: the message says
 * which sink threw and where (`options.sinks[1] (MySink) threw at trace event #30537
 * (worker.crashed): sink boom`), `cause` is what the sink threw, as it was thrown (never
 * changed), and the other fields say the same as data.
 */
export class SinkError extends Error {
  override readonly name = "SinkError";
  /** What the sink threw. */
  declare readonly cause: unknown;

  constructor(
    /** The option the sink was given in. */
    readonly option: SinkOption,
    /** Its position in that list. */
    readonly sinkIndex: number,
    /** The `seq` of the event the sink threw at; null when it threw from `attach`. */
    readonly eventSeq: number | null,
    /** That event's `type`; null when it threw from `attach`. */
    readonly eventType: string | null,
    /** The variant whose run it threw in, for `compareVariants` (and `compareRuns` of named variants); else null. */
    readonly variant: string | null,
    cause: unknown,
    /** The name of the sink's class, when it has one of its own (not a plain object's); else null. */
    readonly sinkClass: string | null,
  ) {
    const label = `options.${option}[${sinkIndex}]${sinkClass === null ? "" : ` (${sinkClass})`}`;
    const where = eventSeq === null ? "in attach()" : `at trace event #${eventSeq} (${eventType})`;
    const run = variant === null ? "" : ` of the ${variant} run`;
    super(`${label} threw ${where}${run}: ${messageOf(cause)}`, { cause });
  }

  /** The same error, saying it came from the run of `variant` (one of several runs, as a compare's). */
  inVariant(variant: string): SinkError {
    if (this.variant !== null) return this;
    return new SinkError(
      this.option,
      this.sinkIndex,
      this.eventSeq,
      this.eventType,
      variant,
      this.cause,
      this.sinkClass,
    );
  }
}

/**
 * A caller's sink, given each event frozen, whose error is a `SinkError` saying which sink
 * threw, at which event, with the sink's own error as its `cause` (a run stops after the event
 * a sink threw at, and its caller gets the error: see `TraceSink`).
 */
export class ReadOnlySink implements TraceSink {
  private readonly sinkClass: string | null;

  constructor(
    private readonly sink: TraceSink,
    private readonly option: SinkOption,
    private readonly index: number,
  ) {
    const name = (sink as { constructor?: { name?: unknown } }).constructor?.name;
    this.sinkClass = typeof name === "string" && name !== "" && name !== "Object" ? name : null;
  }

  onEvent(event: TraceEvent): void {
    freezeEvent(event);
    let returned: unknown;
    try {
      returned = this.sink.onEvent(event);
    } catch (error) {
      throw new SinkError(this.option, this.index, event.seq, event.type, null, error, this.sinkClass);
    }
    if (isThenable(returned)) throw this.asynchronous(returned, event.seq, event.type, "onEvent");
  }

  /**
   * A sink whose `onEvent` (or `attach`) returned a promise, an `async` one: the run goes on
   * without waiting for it, so what it does comes after the events it was given, and its error
   * after the run has returned, where nothing catches it and Node ends the process. The run stops
   * at once with a `SinkError` instead, and the promise's own outcome is left unheard.
   */
  private asynchronous(
    returned: PromiseLike<unknown>,
    seq: number | null,
    type: string | null,
    method: string,
  ): SinkError {
    returned.then(undefined, () => {});
    const why = new TypeError(
      `${method} returned a promise (an async function?): a sink is called synchronously, event by event, and must finish its work before it returns; collect what it needs and do the asynchronous work after the run`,
    );
    return new SinkError(this.option, this.index, seq, type, null, why, this.sinkClass);
  }

  /**
   * Hands the sink a read-only view of the trace: through the trace itself it could emit an event
   * (the hash would change) or add a sink of its own, never wrapped.
   */
  attach(trace: TraceView): void {
    let returned: unknown;
    try {
      returned = this.sink.attach?.(readOnlyTrace(trace));
    } catch (error) {
      throw new SinkError(this.option, this.index, null, null, null, error, this.sinkClass);
    }
    if (isThenable(returned)) throw this.asynchronous(returned, null, null, "attach");
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

/** Whether `value` is a promise, or any object with a `then` method (what `await` would wait for). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

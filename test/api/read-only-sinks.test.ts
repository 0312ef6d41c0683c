// Shows a library caller's trace sinks are given read-only events: a write cannot change the report, and a sink's error says which sink threw.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildWorld,
  compareRuns,
  compareVariants,
  compileScenario,
  parseScenario,
  runScenario,
  runWorld,
  SinkError,
  type TraceEvent,
  type TraceSink,
  type TraceView,
} from "../../src/index.js";

const TINY = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");

/** A sink that renames every crash, as a sink of sloppy (non-module) code would. */
function sloppyRenamer(): TraceSink {
  // Code made by `Function` is sloppy: a write to a frozen object is ignored there, not thrown.
  const rename = new Function("e", 'if (e.type === "worker.crashed") { e.type = "x"; e.worker = "nobody"; }');
  return { onEvent: (e) => rename(e) };
}

describe("trace sinks given to the library", () => {
  const plain = runScenario(TINY, { variant: "buggy" }).report;

  it("cannot change the report: a write in sloppy code is ignored", () => {
    expect(plain.metrics.panicDeaths).toBeGreaterThan(1);
    const { report } = runScenario(TINY, { variant: "buggy", sinks: [sloppyRenamer()] });
    expect(report.traceHash).toBe(plain.traceHash);
    expect(report.metrics).toEqual(plain.metrics);
    expect(report.verdicts).toEqual(plain.verdicts);
  });

  it("see every event frozen, lists in it too, and a write in strict code throws naming the sink", () => {
    let events = 0;
    let lists = 0;
    const checker: TraceSink = {
      onEvent(e: TraceEvent) {
        events++;
        expect(Object.isFrozen(e)).toBe(true);
        for (const value of Object.values(e))
          if (value !== null && typeof value === "object") {
            lists++;
            expect(Object.isFrozen(value)).toBe(true);
          }
      },
    };
    runScenario(TINY, { variant: "buggy", watchers: [checker] });
    expect(events).toBe(plain.events);
    expect(lists).toBeGreaterThan(0); // `fixes` of run.started and worker.started
    const writer: TraceSink = {
      onEvent(e) {
        if (e.type === "worker.crashed") (e as { type: string }).type = "x";
      },
    };
    const thrown = catchError(() =>
      runScenario(TINY, { variant: "buggy", sinks: [{ onEvent() {} }, writer] }),
    );
    expect(thrown.message).toMatch(
      /^options\.sinks\[1\] threw at trace event #\d+ \(worker\.crashed\): TypeError: Cannot assign to read only property 'type'/,
    );
    expect(thrown.cause).toBeInstanceOf(TypeError);
  });

  it("that throws: the error names the sink (its class too) and carries the sink's own as its cause", () => {
    const boom = new Error("sink boom");
    class Exploding implements TraceSink {
      onEvent(e: TraceEvent): void {
        if (e.seq === 3) throw boom;
      }
    }
    const fromRun = catchError(() => runScenario(TINY, { sinks: [new Exploding()] }));
    expect(fromRun.message).toMatch(
      /^options\.sinks\[0\] \(Exploding\) threw at trace event #3 \(\S+\): sink boom$/,
    );
    expect(fromRun.cause).toBe(boom);
    expect(fromRun).toBeInstanceOf(SinkError);
    expect(fromRun).toMatchObject({
      name: "SinkError",
      option: "sinks",
      sinkIndex: 0,
      eventSeq: 3,
      sinkClass: "Exploding",
      variant: null,
    });
    expect(typeof (fromRun as SinkError).eventType).toBe("string");
    const fromCompare = catchError(() => compareVariants(TINY, ["buggy"], { watchers: [new Exploding()] }));
    expect(fromCompare.message).toMatch(/^options\.watchers\[0\] \(Exploding\) threw at trace event #3/);
    expect(fromCompare.cause).toBe(boom);
    expect(fromCompare).toMatchObject({ option: "watchers", sinkIndex: 0, eventSeq: 3 });
  });

  it("that throws in compareVariants: the error says the variant whose run it threw in", () => {
    let started = 0;
    const secondRun: TraceSink = {
      onEvent(e) {
        if (e.seq === 0 && ++started === 2) throw new Error("second run");
      },
    };
    const thrown = catchError(() =>
      compareVariants(TINY, ["buggy", "fixed"], { sinks: [{ onEvent() {} }, secondRun] }),
    );
    expect(thrown.message).toMatch(
      /^options\.sinks\[1\] threw at trace event #0 \(run\.started\) of the fixed run: second run$/,
    );
    expect(thrown).toMatchObject({ variant: "fixed", sinkIndex: 1, eventSeq: 0, eventType: "run.started" });
  });

  it("that throws from attach: the same SinkError, at no event", () => {
    const refusal = new RangeError("no room");
    const thrown = catchError(() =>
      runScenario(TINY, {
        watchers: [
          {
            onEvent() {},
            attach() {
              throw refusal;
            },
          },
        ],
      }),
    );
    expect(thrown).toBeInstanceOf(SinkError);
    expect(thrown.message).toBe("options.watchers[0] threw in attach(): RangeError: no room");
    expect(thrown).toMatchObject({ cause: refusal, eventSeq: null, eventType: null, sinkIndex: 0 });
  });

  it("that are async: the run stops at their first event with a SinkError, and their rejection ends nothing after it", async () => {
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listen);
    try {
      let called = 0;
      const late: TraceSink = {
        async onEvent(e: TraceEvent) {
          called++;
          if (e.seq === 0) throw new Error("async boom");
        },
      };
      const thrown = catchError(() => runScenario(TINY, { variant: "fixed", sinks: [late] }));
      expect(thrown).toBeInstanceOf(SinkError);
      expect(thrown.message).toMatch(
        /^options\.sinks\[0\] threw at trace event #0 \(run\.started\): TypeError: onEvent returned a promise \(an async function\?\): a sink is called synchronously/,
      );
      // Stopped where a sink that throws stops it: after the step that traced its first event.
      const whole = runScenario(TINY, { variant: "fixed" }).report.events;
      expect(called).toBeLessThan(whole / 2);
      const attaching = catchError(() =>
        runScenario(TINY, { watchers: [{ onEvent() {}, attach: async () => {} }] as TraceSink[] }),
      );
      expect(attaching.message).toMatch(
        /^options\.watchers\[0\] threw in attach\(\): TypeError: attach returned a promise/,
      );
      // The async sink's own rejection comes a turn later: nothing hears it, and nothing ends.
      await new Promise((done) => setTimeout(done, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listen);
    }
  });

  it("are handed a read-only view of the trace in attach: its length and hash, no way to emit or add a sink", () => {
    let view: TraceView | undefined;
    let lengthAtAttach: number | undefined;
    const reader: TraceSink = {
      onEvent() {},
      attach(trace) {
        view = trace;
        lengthAtAttach = trace.length;
      },
    };
    const { report } = runScenario(TINY, { variant: "buggy", sinks: [reader] });
    expect(lengthAtAttach).toBe(0);
    expect(view?.length).toBe(report.events);
    expect(view?.hash).toBe(report.traceHash);
    expect(view?.cutEvent).toBeNull();
    expect(Object.isFrozen(view)).toBe(true);
    // Through the trace itself, a sink could emit an event (changing the hash) or add a sink of its own.
    const sneaks: ((trace: Record<string, (...args: unknown[]) => unknown>) => void)[] = [
      (trace) => trace.emit("sink.sneaked", null),
      (trace) => trace.addSink({ onEvent() {} }),
    ];
    for (const sneak of sneaks) {
      const thrown = catchError(() =>
        runScenario(TINY, { variant: "buggy", watchers: [{ onEvent() {}, attach: sneak as never }] }),
      );
      expect(thrown).toBeInstanceOf(SinkError);
      expect(thrown.message).toMatch(/^options\.watchers\[0\] threw in attach\(\): TypeError: /);
    }
  });

  it("of the wrong shape: runWorld, buildWorld and compareRuns say so before any run, as runScenario does", () => {
    const parsed = parseScenario(TINY, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const compiled = compileScenario(parsed.scenario);
    const onEvent = () => {};
    const cases: [unknown, RegExp][] = [
      [
        { sinks: [{}] },
        /^options\.sinks\[0\]: expected a trace sink, an object with onEvent\(event\), found an empty object$/,
      ],
      [{ sinks: [null] }, /^options\.sinks\[0\]: expected a trace sink, .* found null$/],
      [
        { sinks: { onEvent } },
        /^options\.sinks: expected a list of trace sinks .*: put the sink in a list, \[sink\]$/,
      ],
      [{ watchers: [{ onevent: onEvent }] }, /^options\.watchers\[0\]: expected a trace sink, /],
      // A sink with an onEvent that is no function says what it is.
      [
        { sinks: [{ onEvent: 1 }] },
        /^options\.sinks\[0\]: expected a trace sink, an object with onEvent\(event\), found an object with `onEvent`: its onEvent is a number, not a function$/,
      ],
      [{ watchers: [{ onEvent: "log" }] }, /: its onEvent is a string, not a function$/],
      [{ sinks: [{ onEvent: null, name: "x" }] }, /: its onEvent is null, not a function$/],
      // An attach that is no function is said before any run, not as a SinkError from inside it.
      [
        { sinks: [{ onEvent, attach: true }] },
        /^options\.sinks\[0\]: its attach is a boolean, not a function \(attach\(trace\), optional, is called once before any event\)$/,
      ],
    ];
    for (const [options, message] of cases) {
      for (const call of [
        () => runWorld(compiled, options as never),
        () => buildWorld(compiled, options as never),
        () => compareRuns([compiled], options as never),
      ]) {
        const thrown = catchError(call);
        expect(thrown).toBeInstanceOf(TypeError);
        expect(thrown.message).toMatch(message);
      }
    }
    expect(catchError(() => runScenario(TINY, { sinks: [{}] } as never)).message).toMatch(cases[0][1]);
  });

  it("through runWorld too", () => {
    const parsed = parseScenario(TINY, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const compiled = compileScenario(parsed.scenario);
    const { report } = runWorld(compiled, { sinks: [sloppyRenamer()] });
    expect(report.metrics).toEqual(runWorld(compiled).report.metrics);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw ${String(error)}`);
  }
  throw new Error("did not throw");
}

// Shows the behaviour print that compare uses ignores exactly the fields that name the scheduler or number the trace, and tells apart everything else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { behaviourPrint, PrintRecorder } from "../../src/explore/compare.js";
import { CollectSink, Trace, type TraceEvent } from "../../src/kernel/index.js";

const event = (rest: Record<string, unknown>): TraceEvent =>
  ({ t: 1_778_233_500_000, seq: 7, type: "schedule.fired", cause: 3, ...rest }) as TraceEvent;

describe("behaviourPrint", () => {
  it("ignores seq, cause, scheduler and fixes", () => {
    fc.assert(
      fc.property(fc.nat(), fc.option(fc.nat(), { nil: null }), fc.string(), (seq, cause, scheduler) => {
        const a = event({ worker: "w1", scheduler: "v2", fixes: [] });
        const b = { ...a, seq, cause, scheduler, fixes: ["early-return"] } as TraceEvent;
        expect(behaviourPrint(b)).toBe(behaviourPrint(a));
      }),
    );
  });

  it("changes with any other field's value, kind or name", () => {
    const base = event({ worker: "w1", partition: 17, due: 1_778_233_440_000, ok: true, detail: null });
    const changed: TraceEvent[] = [
      { ...base, t: base.t + 1 },
      { ...base, type: "schedule.created" },
      { ...base, worker: "w2" },
      { ...base, partition: 18 },
      { ...base, partition: "17" },
      { ...base, due: 1_778_233_440_000 + 2 ** 32 },
      { ...base, ok: false },
      { ...base, detail: "null" },
      { ...base, extra: 1 },
      event({ worker: "w1", partition: 17, due: 1_778_233_440_000, ok: true, detail: null, x: 0.5 }),
      event({ workers: "w1", partition: 17, due: 1_778_233_440_000, ok: true, detail: null }),
    ] as TraceEvent[];
    const prints = new Set(changed.map(behaviourPrint));
    expect(prints.has(behaviourPrint(base))).toBe(false);
    expect(prints.size).toBe(changed.length);
  });

  it("prints nested values by their content", () => {
    const a = event({ fields: { a: [1, 2] } });
    expect(behaviourPrint(event({ fields: { a: [1, 2] } }))).toBe(behaviourPrint(a));
    expect(behaviourPrint(event({ fields: { a: [2, 1] } }))).not.toBe(behaviourPrint(a));
  });

  it("gives the same prints from the trace's hasher, or computed alone when added to a running trace", () => {
    const fields = [
      { worker: "w1", scheduler: "v2", fixes: [] },
      { worker: "w2", partition: 17, due: 1_778_233_440_000 },
      { schedule: "s-1", ok: true, x: 0.5, detail: null },
    ];
    const record = (addedAt: number) => {
      const recorder = new PrintRecorder();
      const collect = new CollectSink();
      const trace = new Trace(() => 1_778_233_500_000);
      trace.addSink(collect);
      fields.forEach((f, i) => {
        if (i === addedAt) trace.addSink(recorder);
        trace.emit(i === 0 ? "worker.started" : "schedule.fired", i === 0 ? null : 0, f);
      });
      return { prints: [...recorder.prints.slice(0, recorder.length)], events: collect.events };
    };
    const early = record(0);
    const late = record(1);
    const expected = early.events.map(behaviourPrint);
    expect(early.prints).toEqual(expected);
    expect(late.prints).toEqual(expected.slice(1));
  });
});

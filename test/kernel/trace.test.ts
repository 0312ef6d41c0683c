// Shows the trace hash fingerprints every field, order and value, and the sinks keep or write exactly what they promise.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  CollectSink,
  CounterSink,
  eventBuilderCount,
  eventPrint,
  JsonlSink,
  PREPARED_FIELDS_MAX,
  PreparedEvent,
  PrintingHasher,
  RingBufferSink,
  SHAPE_HASH_AFTER,
  Trace,
  type TraceEvent,
  TraceHasher,
  type TraceValue,
} from "../../src/kernel/index.js";

const scalar: fc.Arbitrary<TraceValue> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<TraceValue> = fc.oneof(
  { arbitrary: scalar, weight: 4 },
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("a", "b", "c"), scalar, { maxKeys: 3 }),
);
const fieldsArb = fc.dictionary(fc.constantFrom("worker", "schedule", "account", "partition", "n"), value, {
  maxKeys: 4,
});
const eventArb: fc.Arbitrary<TraceEvent> = fc
  .record({
    t: fc.integer({ min: 0, max: 2 ** 45 }),
    seq: fc.nat(),
    type: fc.constantFrom("worker.started", "worker.crashed", "lease.acquired", "schedule.fired"),
    cause: fc.option(fc.nat(), { nil: null }),
    fields: fieldsArb,
  })
  .map(({ fields, ...head }) => ({ ...head, ...fields }) as TraceEvent);

function hashOf(events: readonly TraceEvent[]): string {
  const hasher = new TraceHasher();
  for (const e of events) hasher.onEvent(e);
  return hasher.digest();
}

/** A copy of the event with `key` changed to something else of a different value. */
function withChangedField(event: TraceEvent, key: string): TraceEvent {
  const old = event[key];
  let next: TraceValue = "changed";
  if (typeof old === "string") next = `${old}!`;
  else if (typeof old === "number") next = Number.isSafeInteger(old) ? old + 1 : old * 2 + 1;
  else if (typeof old === "boolean") next = !old;
  else if (old === null) next = 0;
  else if (Array.isArray(old)) next = [...old, 0];
  else next = { ...(old as object), extra: 1 };
  return { ...event, [key]: next } as TraceEvent;
}

describe("TraceHasher", () => {
  it("is equal for equal traces and a 16-hex-digit digest", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 20 }), (events) => {
        const copy = events.map((e) => JSON.parse(JSON.stringify(e)) as TraceEvent);
        expect(hashOf(copy)).toBe(hashOf(events));
        expect(hashOf(events)).toMatch(/^[0-9a-f]{16}$/);
      }),
    );
  });

  it("changes when any field of any event changes", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 10 }), fc.nat(), fc.nat(), (events, i, k) => {
        const index = i % events.length;
        const keys = Object.keys(events[index]);
        const key = keys[k % keys.length];
        const mutated = events.slice();
        mutated[index] = withChangedField(events[index], key);
        expect(hashOf(mutated)).not.toBe(hashOf(events));
      }),
      { numRuns: 300 },
    );
  });

  it("changes when events are dropped, repeated or reordered", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 2, maxLength: 10 }), fc.nat(), (events, i) => {
        const index = i % events.length;
        const base = hashOf(events);
        expect(hashOf(events.filter((_, j) => j !== index))).not.toBe(base);
        expect(hashOf([...events.slice(0, index + 1), ...events.slice(index)])).not.toBe(base);
        const swapped = events.slice();
        const other = (index + 1) % events.length;
        [swapped[index], swapped[other]] = [swapped[other], swapped[index]];
        if (JSON.stringify(swapped) !== JSON.stringify(events)) expect(hashOf(swapped)).not.toBe(base);
      }),
      { numRuns: 200 },
    );
  });

  it("tells apart field order, value kinds and nesting that print alike", () => {
    const e = (rest: Record<string, TraceValue>): TraceEvent =>
      ({ t: 1, seq: 0, type: "x", cause: null, ...rest }) as TraceEvent;
    const pairs: [TraceEvent, TraceEvent][] = [
      [e({ a: 1, b: 2 }), e({ b: 2, a: 1 })],
      [e({ a: 1 }), e({ a: "1" })],
      [e({ a: 1 }), e({ a: 1.5 })],
      [e({ a: null }), e({ a: "null" })],
      [e({ a: true }), e({ a: "true" })],
      [e({ a: [1, 2] }), e({ a: [[1], 2] })],
      [e({ a: ["ab"] }), e({ a: ["a", "b"] })],
      [e({ a: { x: 1 } }), e({ a: [1] })],
      [e({ ab: "c" }), e({ a: "bc" })],
      [e({ a: 2 ** 40 }), e({ a: 2 ** 40 + 1 })],
      [e({ a: 0 }), e({ a: 2 ** 32 })],
    ];
    for (const [a, b] of pairs) expect([a, hashOf([a])]).not.toEqual([a, hashOf([b])]);
  });

  it("skips undefined fields, as the JSON trace does", () => {
    const a = { t: 1, seq: 0, type: "x", cause: null, worker: "w1" } as TraceEvent;
    const b = { t: 1, seq: 0, type: "x", cause: null, gone: undefined, worker: "w1" } as TraceEvent;
    expect(hashOf([b])).toBe(hashOf([a]));
  });
});

describe("PrintingHasher", () => {
  const ignored = ["seq", "cause", "n"];

  it("hashes exactly as the plain hasher and leaves each event's print as eventPrint computes it", () => {
    let nested = 0;
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), (events) => {
        const printing = new PrintingHasher(ignored);
        for (const e of events) {
          printing.onEvent(e);
          expect(printing.lastPrint).toBe(eventPrint(e, ignored));
          if (Object.values(e).some((v) => v !== null && typeof v === "object")) nested++;
        }
        expect(printing.digest()).toBe(hashOf(events));
      }),
      { numRuns: 300 },
    );
    // The fall-back path (arrays, records, fractions) was reached, not only strings and integers.
    expect(nested).toBeGreaterThan(50);
  });

  it("prints ignore the ignored fields and see every other field's name, kind and value", () => {
    fc.assert(
      fc.property(eventArb, fc.nat(), fc.nat(), (e, seq, n) => {
        expect(eventPrint({ ...e, seq, n } as TraceEvent, ignored)).toBe(
          eventPrint({ ...e, n: 0 } as TraceEvent, ignored),
        );
        const keys = Object.keys(e).filter((k) => !ignored.includes(k));
        for (const key of keys)
          expect(eventPrint(withChangedField(e, key), ignored)).not.toBe(eventPrint(e, ignored));
      }),
      { numRuns: 200 },
    );
  });

  it("is taken by a trace only before its first event, and once per set of ignored fields", () => {
    const trace = new Trace(() => 0);
    const printing = trace.usePrints(ignored);
    expect(trace.usePrints(ignored)).toBe(printing);
    expect(() => trace.usePrints(["seq"])).toThrow(/other ignored fields/);
    const other = new Trace(() => 0);
    other.emit("x", null);
    expect(() => other.usePrints(ignored)).toThrow(/already hashed/);
    const plain = new Trace(() => 0);
    for (const t of [trace, plain]) t.emit("worker.started", null, { worker: "w1", n: 3 });
    expect(trace.hash).toBe(plain.hash);
    expect(printing.lastPrint).toBe(
      eventPrint({ t: 0, seq: 0, type: "worker.started", cause: null, worker: "w1" } as TraceEvent, ignored),
    );
  });
});

describe("Trace", () => {
  it("builds every event as a copy of its fields would be, in any order and mix of shapes", () => {
    const fieldNames = fc.constantFrom("worker", "schedule", "n", "m", "partition", "7", "t", "__proto__");
    const emits = fc.array(
      fc.record({
        type: fc.constantFrom("a.one", "b.two", "c.three"),
        fields: fc.option(fc.dictionary(fieldNames, fc.option(scalar, { nil: undefined }), { maxKeys: 5 }), {
          nil: undefined,
        }),
      }),
      { maxLength: 40 },
    );
    const before = eventBuilderCount();
    fc.assert(
      fc.property(emits, (list) => {
        const trace = new Trace(() => 42);
        const collect = new CollectSink();
        trace.addSink(collect);
        // Each twice: the second emit of a shape seen whole goes through its builder.
        const twice = list.flatMap((e) => [e, e]);
        twice.forEach(({ type, fields }, i) => {
          trace.emit(type, i === 0 ? null : i - 1, fields);
        });
        const expected = twice.map(({ type, fields }, i) => {
          const e: Record<string, TraceValue> = { t: 42, seq: i, type, cause: i === 0 ? null : i - 1 };
          for (const key in fields ?? {}) {
            const v = fields?.[key];
            // The copy the trace has always made, field by field (so a "__proto__" field sets
            // the prototype, as an assignment does).
            if (v !== undefined) e[key] = v;
          }
          return e;
        });
        expect(collect.events.map((e) => Object.entries(e))).toEqual(expected.map((e) => Object.entries(e)));
        expect(trace.hash).toBe(hashOf(expected as unknown as TraceEvent[]));
      }),
      { numRuns: 200 },
    );
    // Builders were made and used, not only the copy.
    expect(eventBuilderCount()).toBeGreaterThan(before);
  });

  it("hashes events of a hot shape by the shape's own code, to the hash the events give", () => {
    // Identifiers, and names the shape's code must leave to the plain hasher: an array index
    // (enumerated first) and one that is not an identifier.
    const keyLists = [
      [],
      ["worker", "schedule", "due"],
      ["worker", "next"],
      ["constructor", "due", "schedule", "worker"],
      ["7", "worker"],
      ["a-b", "next"],
    ];
    // A type of its own for each list (types of other tests have their shapes already), made hot:
    // its first event teaches the shape, the next SHAPE_HASH_AFTER are built from it.
    const typeOf = (keys: readonly string[]): string => `hot.${keys.join("+")}`;
    const warm = new Trace(() => 0);
    for (const keys of keyLists)
      for (let i = 0; i <= SHAPE_HASH_AFTER; i++)
        warm.emit(typeOf(keys), null, Object.fromEntries(keys.map((k) => [k, i])));
    const emits = fc.array(
      fc.record({
        t: fc.constantFrom(0, 1_778_230_860_012, 2 ** 40 + 3),
        keys: fc.constantFrom(...keyLists),
        // Numbers that are not safe integers, which the hash tells apart from integers; and some
        // undefined: an event that leaves a field out is of another shape.
        values: fc.array(
          fc.oneof(value, fc.constantFrom(1.5, -0.25, 2 ** 53, 1e300, -(2 ** 60)), fc.constant(undefined)),
          { minLength: 4, maxLength: 4 },
        ),
      }),
      { minLength: 5, maxLength: 30 },
    );
    let shapedEvents = 0;
    fc.assert(
      fc.property(emits, (list) => {
        let now = 0;
        const plain = new Trace(() => now);
        const printing = new Trace(() => now);
        const printer = printing.usePrints(["seq"]);
        const shaped = vi.spyOn(plain.hasher, "onShapedEvent");
        const collect = new CollectSink();
        plain.addSink(collect);
        const prints: number[] = [];
        printing.addSink({ onEvent: () => prints.push(printer.lastPrint) });
        for (const { t, keys, values } of list) {
          now = t;
          const fields = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
          plain.emit(typeOf(keys), null, fields);
          printing.emit(typeOf(keys), null, fields);
        }
        shapedEvents += shaped.mock.calls.length;
        expect(plain.hash).toBe(hashOf(collect.events));
        expect(printing.hash).toBe(plain.hash);
        expect(prints).toEqual(collect.events.map((e) => eventPrint(e, ["seq"])));
      }),
      { numRuns: 200 },
    );
    // The shapes' own code hashed events, not only the plain hasher.
    expect(shapedEvents).toBeGreaterThan(100);
  });

  it("emits a prepared event as emit does the same fields: the same event, seq and hash, cold and hot", () => {
    const keys = ["worker", "schedule", "due", "next"];
    const prepared = new PreparedEvent("prepared.test", keys);
    const values = fc.array(
      fc.oneof(value, fc.constantFrom(1.5, 2 ** 53, -(2 ** 60)), fc.constant(undefined)),
      { minLength: 4, maxLength: 4 },
    );
    const run = (list: (TraceValue | undefined)[][], byPrepared: boolean) => {
      let now = 0;
      const trace = new Trace(() => now);
      const printer = trace.usePrints(["seq"]);
      const collect = new CollectSink();
      const prints: number[] = [];
      trace.addSink(collect);
      trace.addSink({ onEvent: () => prints.push(printer.lastPrint) });
      const seqs = list.map(([a, b, c, d], i) => {
        now = 1_778_230_860_000 + i;
        if (byPrepared) return trace.emitPrepared(prepared, i === 0 ? null : i - 1, a, b, c, d);
        return trace.emit("prepared.test", i === 0 ? null : i - 1, {
          worker: a,
          schedule: b,
          due: c,
          next: d,
        });
      });
      return { seqs, events: collect.events, hash: trace.hash, prints };
    };
    // Past SHAPE_HASH_AFTER events, the prepared shape's own hash takes over from the plain hasher.
    const many = Array.from({ length: SHAPE_HASH_AFTER + 50 }, (_, i) => ["w1", `s${i}`, i * 60_000, null]);
    expect(run(many, true)).toEqual(run(many, false));
    fc.assert(
      fc.property(fc.array(values, { maxLength: 20 }), (list) => {
        const prepared = run(list, true);
        expect(prepared).toEqual(run(list, false));
        expect(prepared.hash).toBe(hashOf(prepared.events));
      }),
      { numRuns: 200 },
    );
  });

  it("emits a prepared event of as many fields as it takes as emit does, cold and hot", () => {
    const keys = Array.from({ length: PREPARED_FIELDS_MAX }, (_, i) => `f${i}`);
    const prepared = new PreparedEvent("prepared.wide", keys);
    const run = (list: (TraceValue | undefined)[][], byPrepared: boolean) => {
      const trace = new Trace(() => 1_778_230_860_000);
      const collect = new CollectSink();
      trace.addSink(collect);
      for (const values of list) {
        if (byPrepared) trace.emitPrepared(prepared, null, ...values);
        else trace.emit("prepared.wide", null, Object.fromEntries(keys.map((k, i) => [k, values[i]])));
      }
      return { events: collect.events, hash: trace.hash };
    };
    const values = fc.array(fc.oneof(value, fc.constant(undefined)), {
      minLength: PREPARED_FIELDS_MAX,
      maxLength: PREPARED_FIELDS_MAX,
    });
    const many = Array.from({ length: SHAPE_HASH_AFTER + 50 }, (_, i) => keys.map((_, k) => `v${i}.${k}`));
    const hot = run(many, true);
    expect(hot).toEqual(run(many, false));
    // The last field is in the event: none is dropped past what emitPrepared takes.
    expect(hot.events[0][`f${PREPARED_FIELDS_MAX - 1}`]).toBe(`v0.${PREPARED_FIELDS_MAX - 1}`);
    fc.assert(
      fc.property(fc.array(values, { maxLength: 10 }), (list) => {
        expect(run(list, true)).toEqual(run(list, false));
      }),
      { numRuns: 100 },
    );
  });

  it("refuses to prepare field names an event literal could not hold in their order", () => {
    for (const keys of [
      ["t"],
      ["seq", "x"],
      ["7"],
      ["a-b"],
      ["x", "x"],
      ["__proto__"],
      Array.from({ length: PREPARED_FIELDS_MAX + 1 }, (_, i) => `f${i}`),
    ])
      expect(() => new PreparedEvent("prepared.bad", keys)).toThrow(RangeError);
  });

  it("numbers events, stamps the clock, drops undefined fields and hashes what the sinks see", () => {
    let now = 1000;
    const trace = new Trace(() => now);
    const collect = new CollectSink();
    trace.addSink(collect);
    expect(trace.emit("a.started", null, { worker: "w1", gone: undefined })).toBe(0);
    now = 2500;
    expect(trace.emit("a.stopped", 0, { worker: "w1" })).toBe(1);
    expect(trace.length).toBe(2);
    expect(collect.events).toEqual([
      { t: 1000, seq: 0, type: "a.started", cause: null, worker: "w1" },
      { t: 2500, seq: 1, type: "a.stopped", cause: 0, worker: "w1" },
    ]);
    expect(Object.keys(collect.events[0])).toEqual(["t", "seq", "type", "cause", "worker"]);
    expect(trace.hash).toBe(hashOf(collect.events));
  });
});

describe("sinks", () => {
  it("RingBufferSink keeps the last N events, oldest first", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(60), (capacity, count) => {
        const ring = new RingBufferSink(capacity);
        const all: TraceEvent[] = [];
        for (let seq = 0; seq < count; seq++) {
          const event = { t: seq, seq, type: "tick", cause: null } as TraceEvent;
          all.push(event);
          ring.onEvent(event);
        }
        expect(ring.events()).toEqual(all.slice(Math.max(0, count - capacity)));
      }),
    );
    expect(() => new RingBufferSink(0)).toThrow(RangeError);
  });

  it("JsonlSink writes one JSON line per event, starting with t, seq, type and cause", () => {
    fc.assert(
      fc.property(fc.array(fieldsArb, { maxLength: 10 }), (fieldSets) => {
        const lines: string[] = [];
        const trace = new Trace(() => 7);
        const collect = new CollectSink();
        trace.addSink(new JsonlSink((line) => lines.push(line)));
        trace.addSink(collect);
        fieldSets.forEach((fields, i) => {
          trace.emit("x.happened", i === 0 ? null : i - 1, fields);
        });
        expect(lines).toHaveLength(fieldSets.length);
        lines.forEach((line, i) => {
          expect(line.endsWith("\n")).toBe(true);
          expect(line.slice(0, -1)).not.toContain("\n");
          const parsed = JSON.parse(line) as Record<string, unknown>;
          expect(Object.keys(parsed).slice(0, 4)).toEqual(["t", "seq", "type", "cause"]);
          expect(parsed).toEqual(JSON.parse(JSON.stringify(collect.events[i])));
        });
      }),
    );
    const lines: string[] = [];
    const sink = new JsonlSink((line) => lines.push(line));
    sink.onEvent({ t: 0, seq: 0, type: "x", cause: null, note: "two\nlines" } as TraceEvent);
    expect(lines).toEqual(['{"t":0,"seq":0,"type":"x","cause":null,"note":"two\\nlines"}\n']);
  });

  it("CounterSink counts events by type", () => {
    const counter = new CounterSink();
    for (const type of ["a", "b", "a", "a"])
      counter.onEvent({ t: 0, seq: 0, type, cause: null } as TraceEvent);
    expect(counter.total).toBe(4);
    expect(counter.count("a")).toBe(3);
    expect(counter.count("b")).toBe(1);
    expect(counter.count("c")).toBe(0);
  });
});

// Shows the event queue and the simulation pop events in (time, seq) order, same-time events first in, first out.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, Simulation } from "../../src/kernel/index.js";

describe("event order", () => {
  it("EventQueue pops by time, then by push order, under interleaved pushes and pops", () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 50 }) }),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const queue = new EventQueue(2);
        const model: { time: number; seq: number; slot: number }[] = [];
        let slot = 0;
        for (const o of ops) {
          if ("push" in o) {
            const seq = queue.push(o.push, slot);
            model.push({ time: o.push, seq, slot });
            slot++;
          } else {
            model.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const expected = model.shift();
            const time = queue.peekTime();
            const got = queue.pop();
            if (expected === undefined) {
              expect(got).toBe(-1);
            } else {
              expect(time).toBe(expected.time);
              expect(got).toBe(expected.slot);
            }
          }
          expect(queue.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("EventQueue keeps (time, seq) order for any times: ties, huge, fractional, negative, infinite, and many distinct", () => {
    const time = fc.oneof(
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 1_778_198_400_000, max: 1_778_198_400_100 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, Number.MAX_SAFE_INTEGER),
    );
    const op = fc.oneof(
      { arbitrary: fc.record({ push: time }), weight: 3 },
      { arbitrary: fc.constant({ pop: true as const }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), fc.integer({ min: 0, max: 64 }), (ops, capacity) => {
        const queue = new EventQueue(capacity);
        const model: { time: number; seq: number; slot: number }[] = [];
        let slot = 0;
        const check = () => {
          expect(queue.size).toBe(model.length);
          if (model.length === 0) {
            expect(queue.peekTime()).toBe(Number.POSITIVE_INFINITY);
            expect(queue.peekSeq()).toBe(-1);
            return;
          }
          let best = model[0];
          for (const e of model)
            if (e.time < best.time || (e.time === best.time && e.seq < best.seq)) best = e;
          expect(queue.peekTime() === best.time).toBe(true);
          expect(queue.peekSeq()).toBe(best.seq);
        };
        for (const o of ops) {
          if ("push" in o) {
            const seq = queue.push(o.push, slot);
            expect(seq).toBe(queue.seqNext - 1);
            model.push({ time: o.push, seq, slot: slot++ });
          } else {
            check();
            model.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.seq - b.seq));
            const expected = model.shift();
            expect(queue.pop()).toBe(expected === undefined ? -1 : expected.slot);
          }
        }
        check();
        // Drain: the rest comes out in order too.
        model.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.seq - b.seq));
        for (const e of model) expect(queue.pop()).toBe(e.slot);
        expect(queue.pop()).toBe(-1);
      }),
      { numRuns: 150 },
    );
  });

  it("EventQueue stays in order under load: thousands of live times, pushes to times already queued, steady pops", () => {
    for (const seed of [1, 2]) {
      let x = seed;
      const random = () => {
        // A small LCG: the test needs volume, not fast-check's shrinking.
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return x / 2 ** 32;
      };
      const queue = new EventQueue(16);
      const model: { time: number; seq: number; slot: number }[] = [];
      const popped: number[] = [];
      const expected: number[] = [];
      let now = 0;
      for (let i = 0; i < 40_000; i++) {
        if (random() < 0.55 || model.length === 0) {
          const time = now + Math.floor(random() * 4000);
          model.push({ time, seq: queue.push(time, i), slot: i });
        } else {
          now = queue.peekTime();
          popped.push(queue.pop());
          let best = 0;
          for (let j = 1; j < model.length; j++) {
            const a = model[j];
            const b = model[best];
            if (a.time < b.time || (a.time === b.time && a.seq < b.seq)) best = j;
          }
          expected.push(model[best].slot);
          model.splice(best, 1);
        }
      }
      expect(popped).toEqual(expected);
      expect(queue.size).toBe(model.length);
    }
  });

  it("EventQueue refuses a NaN time rather than losing its order", () => {
    const queue = new EventQueue();
    expect(() => queue.push(Number.NaN, 1)).toThrow(RangeError);
    expect(queue.size).toBe(0);
  });

  it("Simulation runs scheduled callbacks in (time, scheduling order) and never goes back in time", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }), (delays) => {
        const sim = new Simulation({
          seed: 1,
          startMs: 1000,
          limits: { horizonMs: 10_000, maxEvents: 10_000 },
        });
        const ran: [number, number][] = [];
        delays.forEach((d, i) => {
          sim.at(1000 + d, () => ran.push([sim.now, i]));
        });
        sim.run();
        const expected = delays
          .map((d, i) => [1000 + d, i] as [number, number])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(ran).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("an event scheduled for now during a callback runs after the events already due now", () => {
    const sim = new Simulation({ seed: 1, startMs: 0, limits: { horizonMs: 100, maxEvents: 100 } });
    const order: string[] = [];
    sim.at(5, () => {
      order.push("a");
      sim.at(5, () => order.push("c"));
    });
    sim.at(5, () => order.push("b"));
    sim.run();
    expect(order).toEqual(["a", "b", "c"]);
  });
});

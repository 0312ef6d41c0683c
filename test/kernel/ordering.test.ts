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

// Shows the seeded random helpers keep their bounds and edge cases, and named streams never disturb each other.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomStreams, Rng } from "../../src/kernel/index.js";

const seedArb = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }));

describe("Rng", () => {
  it("int(lo, hi) stays within both bounds, inclusive, and reaches both ends", () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 0, max: 5 }),
        (seed, lo, width) => {
          const rng = new Rng(String(seed));
          const hi = lo + width;
          const seen = new Set<number>();
          for (let i = 0; i < 200; i++) {
            const x = rng.int(lo, hi);
            expect(Number.isInteger(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(lo);
            expect(x).toBeLessThanOrEqual(hi);
            seen.add(x);
          }
          // 200 draws over at most 6 values: every value, the ends included, comes up.
          expect(seen.size).toBe(width + 1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("int on an empty range throws instead of inventing a value", () => {
    expect(() => new Rng("s").int(5, 4)).toThrow(RangeError);
  });

  it("chance is false at or below zero and true at or above the denominator, without drawing", () => {
    const rng = new Rng("edges");
    const reference = new Rng("edges");
    for (const [n, d] of [
      [0, 1],
      [-1, 1],
      [0, 10],
      [1, 1],
      [5, 5],
      [6, 5],
    ] as const) {
      expect(rng.chance(n, d)).toBe(n >= d);
    }
    // A probability of 0 or 1 draws nothing, so it cannot shift what the stream draws next.
    expect(rng.next()).toBe(reference.next());
  });

  it("chance(1, 4) comes up about a quarter of the time", () => {
    const rng = new Rng("quarter");
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (rng.chance(1, 4)) hits++;
    expect(hits / 20_000).toBeGreaterThan(0.23);
    expect(hits / 20_000).toBeLessThan(0.27);
  });

  it("pick returns an element of the list; an empty list throws", () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), (seed, items) => {
        const rng = new Rng(String(seed));
        for (let i = 0; i < 20; i++) expect(items).toContain(rng.pick(items));
      }),
    );
    expect(() => new Rng("s").pick([])).toThrow(RangeError);
  });

  it("shuffle returns a permutation, leaves its input alone, and is the same for the same seed", () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer(), { maxLength: 40 }), (seed, items) => {
        const before = items.slice();
        const a = new Rng(String(seed)).shuffle(items);
        const b = new Rng(String(seed)).shuffle(items);
        expect(items).toEqual(before);
        expect(a.slice().sort((x, y) => x - y)).toEqual(before.slice().sort((x, y) => x - y));
        expect(b).toEqual(a);
      }),
    );
  });

  it("shuffle moves things: over many seeds, the first element lands everywhere", () => {
    const items = [0, 1, 2, 3, 4, 5];
    const positions = new Set<number>();
    for (let seed = 0; seed < 200; seed++) positions.add(new Rng(`s${seed}`).shuffle(items).indexOf(0));
    expect(positions.size).toBe(items.length);
  });

  it("pickWeighted never picks a zero weight and favours the heavy one", () => {
    const rng = new Rng("weights");
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) counts[rng.pickWeighted(["a", "b", "c"] as const, [1, 0, 9])]++;
    expect(counts.b).toBe(0);
    expect(counts.c).toBeGreaterThan(8 * counts.a);
  });

  it("exponentialMs and jitterMs give whole milliseconds within their ranges", () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, base, ratio) => {
          const rng = new Rng(String(seed));
          const e = rng.exponentialMs(base);
          expect(Number.isInteger(e)).toBe(true);
          expect(e).toBeGreaterThanOrEqual(0);
          const j = rng.jitterMs(base, ratio);
          expect(Number.isInteger(j)).toBe(true);
          expect(j).toBeGreaterThanOrEqual(Math.floor(base * (1 - ratio)));
          expect(j).toBeLessThanOrEqual(Math.ceil(base * (1 + ratio)));
        },
      ),
    );
    expect(new Rng("s").exponentialMs(0)).toBe(0);
    const rng = new Rng("mean");
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.exponentialMs(1000);
    expect(sum / 20_000).toBeGreaterThan(950);
    expect(sum / 20_000).toBeLessThan(1050);
  });

  it("a forked stream depends only on the parent's seed and the name, not on the parent's draws", () => {
    const parent = new Rng("parent");
    const early = parent.fork("child");
    for (let i = 0; i < 10; i++) parent.next();
    const late = parent.fork("child");
    const a = Array.from({ length: 5 }, () => early.next());
    const b = Array.from({ length: 5 }, () => late.next());
    expect(b).toEqual(a);
    expect(parent.fork("other").next()).not.toBe(a[0]);
  });
});

describe("RandomStreams", () => {
  it("adding draws on one stream never changes what another stream draws", () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.constantFrom("workload", "faults", "latency"), { maxLength: 60 }),
        (seed, order) => {
          // Alone: the workload stream's draws with nothing else drawing.
          const alone = new RandomStreams(seed);
          const workloadCount = order.filter((s) => s === "workload").length;
          const expected = Array.from({ length: workloadCount }, () => alone.stream("workload").next());
          // Interleaved with draws on the other streams.
          const mixed = new RandomStreams(seed);
          const got: number[] = [];
          for (const name of order) {
            const x = mixed.stream(name).next();
            if (name === "workload") got.push(x);
          }
          expect(got).toEqual(expected);
        },
      ),
    );
  });

  it("stream(name) is one continuing stream; different names and different seeds draw differently", () => {
    const streams = new RandomStreams(42);
    expect(streams.stream("workload")).toBe(streams.stream("workload"));
    const first = streams.stream("workload").next();
    expect(streams.stream("workload").next()).not.toBe(first);
    expect(new RandomStreams(42).stream("workload").next()).toBe(first);
    expect(new RandomStreams(42).stream("faults").next()).not.toBe(first);
    expect(new RandomStreams(43).stream("workload").next()).not.toBe(first);
  });
});

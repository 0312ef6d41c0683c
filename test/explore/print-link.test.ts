// Shows two PrintWatch ends, however their runs interleave, find the first divergence, keep the events there, and hold only the unmatched window.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstDifference } from "../../src/explore/compare.js";
import { makePrintLinks, PrintWatch, publishedPrints } from "../../src/explore/print-link.js";
import type { TraceEvent } from "../../src/kernel/index.js";

const event = (i: number, value: number): TraceEvent =>
  ({
    t: 1_778_233_500_000 + i,
    seq: i,
    type: "schedule.fired",
    cause: null,
    worker: `w${value}`,
  }) as TraceEvent;

/** Two traces: a shared prefix, then each its own tail (either may be empty). */
const traces = fc
  .record({
    prefix: fc.array(fc.nat(5), { maxLength: 40 }),
    tailA: fc.array(fc.nat(5), { maxLength: 20 }),
    tailB: fc.array(fc.nat(5), { maxLength: 20 }),
  })
  .map(({ prefix, tailA, tailB }) => {
    // Tails that start alike would move the divergence: b's first tail value is made to differ
    // (on a copy: fast-check shrinks from the values it generated).
    const clash = tailA.length > 0 && tailB.length > 0 && tailA[0] === tailB[0];
    const tail = clash ? [(tailB[0] + 1) % 6, ...tailB.slice(1)] : tailB;
    const a = [...prefix, ...tailA].map((v, i) => event(i, v));
    const b = [...prefix, ...tail].map((v, i) => event(i, v));
    const expected = tailA.length === 0 && tailB.length === 0 ? -1 : prefix.length;
    return { a, b, expected };
  });

/** Feeds both traces to their watches in the order `steps` says (true: side a), then the rest. */
function interleave(
  a: readonly TraceEvent[],
  b: readonly TraceEvent[],
  steps: readonly boolean[],
  watches: readonly [PrintWatch, PrintWatch],
  each?: () => void,
): void {
  let i = 0;
  let j = 0;
  for (const step of steps) {
    if (step && i < a.length) watches[0].onEvent(a[i++]);
    else if (!step && j < b.length) watches[1].onEvent(b[j++]);
    each?.();
  }
  while (i < a.length) watches[0].onEvent(a[i++]);
  while (j < b.length) watches[1].onEvent(b[j++]);
}

describe("PrintWatch", () => {
  it("finds the first divergence and still holds both events there, in any interleaving", () => {
    let diverged = 0;
    fc.assert(
      fc.property(traces, fc.array(fc.boolean(), { maxLength: 120 }), ({ a, b, expected }, steps) => {
        const links = makePrintLinks(4, 1024);
        const watches = [new PrintWatch(links[0], 1_000), new PrintWatch(links[1], 1_000)] as const;
        interleave(a, b, steps, watches);
        const index = firstDifference(
          publishedPrints(links[0], 0, watches[0].privatePrints()),
          publishedPrints(links[0], 1, watches[1].privatePrints()),
        );
        expect(index).toBe(expected);
        if (index < 0) return;
        diverged++;
        expect(watches[0].eventAt(index)).toBe(a[index] ?? null);
        expect(watches[1].eventAt(index)).toBe(b[index] ?? null);
      }),
      { numRuns: 300 },
    );
    expect(diverged).toBeGreaterThan(200);
  });

  it("holds only the events the other run has not reached while the runs agree", () => {
    const same = Array.from({ length: 5_000 }, (_, i) => event(i, i % 7));
    const links = makePrintLinks();
    const watches = [new PrintWatch(links[0], 100_000), new PrintWatch(links[1], 100_000)] as const;
    let most = 0;
    // Side a runs three events ahead, then they alternate.
    const steps = [true, true, true, ...Array.from({ length: 10_000 }, (_, i) => i % 2 === 1)];
    interleave(same, same, steps, watches, () => {
      most = Math.max(most, watches[0].kept, watches[1].kept);
    });
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(0);
  });

  it("stops keeping past its bound and says the divergence must be replayed", () => {
    const a = Array.from({ length: 50 }, (_, i) => event(i, 1));
    const b = [...a.slice(0, 30), ...Array.from({ length: 20 }, (_, i) => event(30 + i, 2))];
    const links = makePrintLinks();
    const watches = [new PrintWatch(links[0], 10), new PrintWatch(links[1], 10)] as const;
    // All of a first: it gets more than 10 events ahead of b and gives up keeping.
    interleave(a, b, [], watches);
    expect(watches[0].eventAt(30)).toBeUndefined();
    // b runs against a's finished prints, so it matches as it goes and keeps its event.
    expect(watches[1].eventAt(30)).toBe(b[30]);
    expect(watches[0].kept).toBe(0);
  });

  it("goes on in private memory past the shared maximum, and the prints come with the result", () => {
    const a = Array.from({ length: 40 }, (_, i) => event(i, 1));
    const b = [...a.slice(0, 25), ...Array.from({ length: 15 }, (_, i) => event(25 + i, 3))];
    const links = makePrintLinks(2, 8);
    const watches = [new PrintWatch(links[0], 1_000), new PrintWatch(links[1], 1_000)] as const;
    interleave(
      a,
      b,
      Array.from({ length: 80 }, (_, i) => i % 2 === 0),
      watches,
    );
    const pa = watches[0].privatePrints();
    expect(pa).not.toBeNull();
    expect(pa?.length).toBe(40);
    const index = firstDifference(
      publishedPrints(links[0], 0, pa),
      publishedPrints(links[0], 1, watches[1].privatePrints()),
    );
    expect(index).toBe(25);
    // Past the shared part neither side could match the other, so both still hold position 25.
    expect(watches[0].eventAt(25)).toBe(a[25]);
    expect(watches[1].eventAt(25)).toBe(b[25]);
  });

  it("with more variants, the first run's watch keeps its event at each other's divergence, in any interleaving", () => {
    /** A trace that follows `base` for `prefix` events, then goes its own way (value 9 never in base). */
    const parting = (base: readonly number[], prefix: number, tail: number) => [
      ...base.slice(0, prefix),
      ...Array.from({ length: tail }, () => 9),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.nat(5), { minLength: 1, maxLength: 40 }),
        fc.nat(40),
        fc.nat(40),
        fc.nat(10),
        fc.array(fc.nat(2), { maxLength: 150 }),
        (base, p1, p2, tail, steps) => {
          const values = [
            base,
            parting(base, Math.min(p1, base.length), tail),
            parting(base, Math.min(p2, base.length), tail),
          ];
          const traces = values.map((v) => v.map((x, i) => event(i, x)));
          const links = makePrintLinks(4, 1024, 3);
          const watches = links.map((link) => new PrintWatch(link, 1_000));
          const next = [0, 0, 0];
          const feed = (k: number) => {
            if (next[k] < traces[k].length) watches[k].onEvent(traces[k][next[k]++]);
          };
          for (const k of steps) feed(k);
          for (const k of [0, 1, 2]) while (next[k] < traces[k].length) feed(k);
          const prints = watches.map((w, k) => publishedPrints(links[0], k, w.privatePrints()));
          for (const k of [1, 2]) {
            const index = firstDifference(prints[0], prints[k]);
            const expected =
              values[k].length === base.length && values[k].every((x, i) => x === base[i])
                ? -1
                : Math.min(k === 1 ? p1 : p2, base.length);
            expect(index).toBe(expected);
            if (index < 0) continue;
            expect(watches[0].eventAt(index)).toBe(traces[0][index] ?? null);
            expect(watches[k].eventAt(index)).toBe(traces[k][index] ?? null);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

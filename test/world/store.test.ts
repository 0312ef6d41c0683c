// Shows the store's leases and due work fenced on both sides of a handoff, its invariants halting on misuse, and the backlog gauge agreeing with a naive scan.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CollectSink, InvariantViolation, Simulation } from "../../src/kernel/index.js";
import { Store } from "../../src/world/store.js";
import { START } from "./helpers.js";

const TTL = 30_000;

function makeStore(partitions = 4) {
  const sim = new Simulation({
    seed: 1,
    startMs: START,
    limits: { horizonMs: START + 86_400_000, maxEvents: 1e6 },
  });
  const sink = new CollectSink();
  sim.trace.addSink(sink);
  const store = new Store(sim, partitions, TTL, () => null);
  const advance = (ms: number) => sim.runUntil(sim.now + ms);
  /** Advances time by `ms`, renewing a lease every 10 s on the way (a live, heartbeating owner). */
  const advanceHolding = (ms: number, worker: string, partition: number, token: number) => {
    for (let left = ms; left > 0; left -= 10_000) {
      advance(Math.min(10_000, left));
      expect(store.renew(worker, partition, token)).toBe(true);
    }
  };
  return { sim, store, events: sink.events, advance, advanceHolding };
}

/** A schedule id that lands in `partition`. */
function scheduleIn(store: Store, partition: number, n = 0): string {
  for (let i = 0; ; i++) {
    const id = `s-${partition}-${n}-${i}`;
    if (store.partitionOf(id) === partition) return id;
  }
}

describe("leases", () => {
  it("grants one holder at a time, with growing fencing tokens, and takes over only after expiry", () => {
    const { store, events, advance } = makeStore();
    const a = store.acquire("w1", 0);
    expect(a).toBeGreaterThan(0);
    expect(store.acquire("w2", 0)).toBe(-1);
    advance(TTL - 1);
    expect(store.holds("w1", 0, a)).toBe(true);
    expect(store.acquire("w2", 0)).toBe(-1);
    advance(1);
    expect(store.holds("w1", 0, a)).toBe(false);
    const b = store.acquire("w2", 0);
    expect(b).toBeGreaterThan(a);
    expect(store.renew("w1", 0, a)).toBe(false);
    const expired = events.filter((e) => e.type === "lease.expired");
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ worker: "w1", token: a, expiredAt: START + TTL });
    expect(events.filter((e) => e.type === "lease.acquired").at(-1)).toMatchObject({
      worker: "w2",
      previous: "w1",
    });
  });

  it("renews only the current token, and drops a lease renewed too late", () => {
    const { store, events, advance } = makeStore();
    const a = store.acquire("w1", 1);
    advance(TTL / 2);
    expect(store.renew("w1", 1, a)).toBe(true);
    advance(TTL - 1);
    expect(store.holds("w1", 1, a)).toBe(true);
    advance(1);
    expect(store.renew("w1", 1, a)).toBe(false);
    expect(store.lease(1).owner).toBeNull();
    expect(events.filter((e) => e.type === "lease.expired")).toHaveLength(1);
    expect(store.release("w1", 1, a)).toBe(false);
  });
});

describe("due work", () => {
  it("hands work in flight under an older token to the new holder, and fences the old one", () => {
    const { store, advance, advanceHolding } = makeStore();
    const id = scheduleIn(store, 2);
    store.createAccount("acct");
    store.createSchedule(id, "acct", "* * * * *", "https://x.invalid/", 3);
    const old = store.acquire("w1", 2);
    expect(store.claimDue("w2", 2, old, 10)).toBeNull();
    advanceHolding(60_000, "w1", 2, old);
    const [item] = store.claimDue("w1", 2, old, 10)!;
    const due = item.due;
    expect(item.starts).toBe(1);
    expect(store.claimDue("w1", 2, old, 10)).toEqual([]);
    // w1 goes silent; its lease runs out and w2 takes the partition and the work with it.
    advance(TTL);
    const fresh = store.acquire("w2", 2);
    const handed = store.claimDue("w2", 2, fresh, 10)!;
    expect(handed).toEqual([item]);
    expect(item.starts).toBe(2);
    expect(store.claimedBy(item, old)).toBe(false);
    // The old holder's late completion is a broken fence: the store refuses to be corrupted.
    expect(() => store.complete(item, old)).toThrow(InvariantViolation);
    expect(store.abandon(item, old)).toBe(false);
    expect(store.complete(item, fresh)).toBe(due + 60_000);
    store.verify();
  });

  it("refuses to complete work twice", () => {
    const { store, advanceHolding } = makeStore();
    const id = scheduleIn(store, 0);
    store.createAccount("acct");
    store.createSchedule(id, "acct", "* * * * *", "https://x.invalid/", 3);
    const token = store.acquire("w1", 0);
    advanceHolding(60_000, "w1", 0, token);
    const [item] = store.claimDue("w1", 0, token, 10)!;
    store.complete(item, token);
    expect(() => store.complete(item, token)).toThrow(InvariantViolation);
    store.verify();
  });

  it("catches a corrupted schedule row in its state check", () => {
    const { store } = makeStore();
    store.createAccount("acct");
    const row = store.createSchedule(scheduleIn(store, 1), "acct", "*/5 * * * *", "https://x.invalid/", 3);
    store.verify();
    row.nextFireAt = (row.nextFireAt ?? 0) + 1;
    expect(() => store.verify()).toThrow(InvariantViolation);
  });
});

describe("backlog gauge", () => {
  type Op =
    | { kind: "advance"; ms: number }
    | { kind: "claim"; partition: number; limit: number }
    | { kind: "complete"; pick: number }
    | { kind: "abandon"; pick: number }
    | { kind: "pause"; schedule: number; paused: boolean }
    | { kind: "quarantine"; schedule: number }
    | { kind: "delete"; schedule: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: 400_000 }) }),
    fc.record({
      kind: fc.constant("claim" as const),
      partition: fc.integer({ min: 0, max: 3 }),
      limit: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({ kind: fc.constant("complete" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("abandon" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("pause" as const), schedule: fc.nat(), paused: fc.boolean() }),
    fc.record({ kind: fc.constant("quarantine" as const), schedule: fc.nat() }),
    fc.record({ kind: fc.constant("delete" as const), schedule: fc.nat() }),
  );

  it("counts the same due work as a scan of every schedule, with the same ages", () => {
    let compared = 0;
    let nonEmpty = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 60 }), (ops) => {
        const { sim, store } = makeStore();
        store.createAccount("acct");
        const crons = ["* * * * *", "*/2 * * * *", "*/5 * * * *", "0 * * * *"];
        const ids: string[] = [];
        for (let i = 0; i < 24; i++) {
          ids.push(`s${i}`);
          store.createSchedule(`s${i}`, "acct", crons[i % crons.length], "https://x.invalid/", 3);
        }
        const tokens = [0, 1, 2, 3].map((p) => store.acquire("w1", p));
        const inFlight: {
          item: ReturnType<Store["claimDue"]> extends (infer T)[] | null ? T : never;
          token: number;
        }[] = [];
        for (const o of ops) {
          switch (o.kind) {
            case "advance":
              // The owner heartbeats through the gap, so its leases (and claims) stay valid.
              for (let left = o.ms; left > 0; left -= 10_000) {
                sim.runUntil(sim.now + Math.min(10_000, left));
                for (let p = 0; p < 4; p++) store.renew("w1", p, tokens[p]);
              }
              break;
            case "claim":
              for (const item of store.claimDue("w1", o.partition, tokens[o.partition], o.limit) ?? [])
                inFlight.push({ item, token: tokens[o.partition] });
              break;
            case "complete":
            case "abandon": {
              if (inFlight.length === 0) break;
              const [w] = inFlight.splice(o.pick % inFlight.length, 1);
              if (o.kind === "complete") store.complete(w.item, w.token);
              else store.abandon(w.item, w.token);
              break;
            }
            case "pause":
              store.pauseSchedule(ids[o.schedule % ids.length], o.paused);
              break;
            case "quarantine":
              store.quarantineSchedule(ids[o.schedule % ids.length], "operator");
              break;
            case "delete":
              store.deleteSchedule(ids[o.schedule % ids.length], "operator");
              break;
          }
          store.verify();
          const ageGroups: number[] = [];
          const count = store.dueBacklog(sim.now, ageGroups);
          const ages: number[] = [];
          for (let g = 0; g < ageGroups.length; g += 2) {
            for (let i = 0; i < ageGroups[g + 1]; i++) ages.push(ageGroups[g]);
          }
          const naive: number[] = [];
          for (const row of store.schedules.values()) {
            const t = row.nextFireAt;
            if (t === null || t > sim.now || row.paused || row.quarantined) continue;
            naive.push(sim.now - t);
          }
          expect(count).toBe(naive.length);
          expect(ages.sort((a, b) => a - b)).toEqual(naive.sort((a, b) => a - b));
          compared++;
          if (count > 0) nonEmpty++;
        }
      }),
      { numRuns: 60, seed: 4242 },
    );
    expect(nonEmpty, "comparisons with some backlog").toBeGreaterThan(compared / 10);
  });
});

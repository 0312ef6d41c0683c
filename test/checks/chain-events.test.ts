// Shows that `why` keeps only the events a causal chain may read (ChainEvents): every chain of the May 8 cascade and of a run with faults is the same from them as from the whole trace, from a small share of it, and a delivery's events are dropped once its task commits with nothing else of it traced.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChainEvents, causalChain } from "../../src/checks/index.js";
import { runScenario } from "../../src/index.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import { at, TraceBuilder, task } from "./trace-builder.js";

const PER_DELIVERY = new Set(["schedule.fired", "delivery.sent", "delivery.acked", "task.committed"]);

function bothOf(file: string, variant?: string): { all: TraceEvent[]; kept: TraceEvent[] } {
  const all = new CollectSink();
  const kept = new ChainEvents();
  runScenario(readFileSync(file, "utf8"), { variant, sinks: [all, kept] }, file);
  return { all: all.events, kept: kept.events };
}

describe("ChainEvents", () => {
  it.each([
    // The May 8 cascade: every death's chain (each a `why w3#2`); the fixtures: nearly every event's.
    ["scenarios/qstash-2026-05-08.yaml", "buggy", (e: TraceEvent) => e.type === "worker.crashed"],
    [
      "test/checks/fixtures/why-faults.yaml",
      undefined,
      (e: TraceEvent) => !PER_DELIVERY.has(e.type) || e.seq % 8 === 0,
    ],
    // A worker frozen mid-task past its lease: another fires and commits the due, then its commit is fenced.
    [
      "test/checks/fixtures/why-fenced.yaml",
      undefined,
      (e: TraceEvent) => !PER_DELIVERY.has(e.type) || e.seq % 8 === 0,
    ],
  ])(
    "gives every chain of %s (%s) that the whole trace up to its target gives, from a fraction of its events",
    (file, variant, target) => {
      const { all } = bothOf(join(import.meta.dirname, "..", "..", file), variant);
      // As why reads them: the run stops at its target, so the events are those up to it.
      const kept = new ChainEvents();
      let compared = 0;
      let fenced = 0;
      for (const [i, e] of all.entries()) {
        kept.onEvent(e);
        if (!target(e)) continue;
        if (e.type === "task.fenced") fenced++;
        compared++;
        expect(causalChain(kept.events, e.seq, { leaseTtlMs: 30_000 }), `#${e.seq} ${e.type}`).toEqual(
          causalChain(all.slice(0, i + 1), e.seq, { leaseTtlMs: 30_000 }),
        );
      }
      expect(compared).toBeGreaterThan(50);
      if (file.includes("fenced")) expect(fenced).toBeGreaterThan(0);
      expect(kept.events.length * 3).toBeLessThan(all.length);
    },
  );

  it("drops a delivery's events after its task commits with nothing else traced, and keeps a failed or unfinished one's", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1 });
    const lease = b.at(at(1)).lease("w1");
    const quiet = b.fired("s1", "acct-1", at(1), "w1", { cause: lease });
    b.sent("s1", "acct-1", at(1), "w1", { cause: quiet });
    b.emit("task.committed", { ...task("w1", "s1", "acct-1", at(1)), next: at(2) }, { cause: quiet });
    const failing = b.fired("s2", "acct-1", at(1), "w1", { cause: lease });
    const sent = b.sent("s2", "acct-1", at(1), "w1", { cause: failing });
    const failed = b.emit(
      "delivery.failed",
      {
        ...task("w1", "s2", "acct-1", at(1)),
        message: `m-s2-${at(1)}`,
        attempt: 0,
        status: 500,
        retryAt: at(2),
      },
      { cause: failing },
    );
    const committed = b.emit("task.committed", { ...task("w1", "s2", "acct-1", at(1)), next: at(2) });
    const open = b.fired("s3", "acct-1", at(1), "w1", { cause: lease });
    const last = b.emit("lease.expired", { worker: "w1", partition: 0, token: 1, expiredAt: at(3) });
    const kept = new ChainEvents();
    for (const e of b.events) kept.onEvent(e);
    // One event after the quiet commit, its events are gone: lease, the failing task whole, the open fire.
    const seqs = kept.events.map((e) => e.seq);
    expect(seqs).toEqual(expect.arrayContaining([lease, failing, sent, failed, committed, open, last]));
    expect(seqs).not.toContain(quiet);
    expect(kept.lastSeq).toBe(last);
    // The events come in trace order.
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });
});

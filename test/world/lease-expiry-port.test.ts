// Shows that `rt.leaseExpiresAt` tells a scheduler when each lease it believes it holds runs out as it last learned it: never past while its renewals go through, already past for the leases a pause outlived though `ownedPartitions` still lists them, and that a scheduler which sends only before it sends no fire another worker sends too, where one that trusts `ownedPartitions` delivers duplicates.
import { describe, expect, it } from "vitest";
import { pauseWorker } from "../../src/faults/verbs.js";
import type { GoroutineBody } from "../../src/kernel/index.js";
import type { Message, Runtime, SchedulerFactory, TaskTx } from "../../src/world/runtime.js";
import { eventsOf, MIN, reportOf, runWorld, smallWorldConfig } from "./helpers.js";

const START = Date.UTC(2026, 4, 8, 9, 30);
const TTL_MS = 30_000;

interface Seen {
  readonly worker: string;
  readonly at: number;
  readonly partition: number;
  readonly expiresAt: number | null;
  readonly monotonic: number;
}

/**
 * Claims due work every second; each task reads its account, waits 2 s (a slow lookup), then
 * sends, unless `checked` and its lease runs out within 5 s as the worker knows it. Every tick
 * notes, for each partition it believes it holds, what `leaseExpiresAt` says.
 */
function slowSender(name: string, checked: boolean, seen: Seen[]): SchedulerFactory {
  function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
    const [, err] = yield* rt.store.getAccount(tx.account);
    yield rt.sleep(2000);
    const expiresAt = rt.leaseExpiresAt(tx.partition);
    if (err !== null || (checked && (expiresAt === null || rt.monotonicMs() > expiresAt - 5000))) {
      yield* tx.abandon();
      return;
    }
    if (tx.work.kind === "fire") {
      const schedule = tx.work.schedule;
      const message: Message = {
        id: tx.task,
        schedule: schedule.id,
        account: tx.account,
        destination: schedule.destination,
        body: "{}",
        retries: schedule.retries,
      };
      yield* rt.http.post(tx, message, 0);
    }
    yield* tx.commit();
  }
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      for (const partition of rt.ownedPartitions())
        seen.push({
          worker: rt.worker,
          at: rt.now(),
          partition,
          expiresAt: rt.leaseExpiresAt(partition),
          monotonic: rt.monotonicMs(),
        });
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null) for (const tx of claim.tasks) rt.go(`${name} ${tx.task}`, task(rt, tx), tx);
      yield rt.sleep(1000);
    }
  }
  return { name, description: name, fixes: [], create: () => ({ name, fixes: [], main }) };
}

/** Four workers, one frozen 45 s from 09:40:00.5 (past its 30-s leases); every event, and what the schedulers saw. */
function paused(checked: boolean) {
  const seen: Seen[] = [];
  const name = checked ? "checked" : "trusting";
  const config = smallWorldConfig({
    scheduler: name,
    deleteAtMs: null,
    durationMs: 15 * MIN,
    leaseTtlMs: TTL_MS,
    destination: { failureRate: 0 },
  });
  const pauseAt = START + 10 * MIN + 500;
  const { events } = runWorld(
    { ...config, startMs: START },
    (world) => world.sim.at(pauseAt, () => void pauseWorker(world, "w2", 45_000), null),
    [slowSender(name, checked, seen)],
  );
  return { events, seen, pauseAt };
}

describe("rt.leaseExpiresAt", () => {
  it("is never past for a lease whose renewals go through, and past for those a pause outlived, still listed as owned", () => {
    const { events, seen, pauseAt } = paused(true);
    const resumedAt = pauseAt + 45_000;
    // Before the pause, and on other workers: a lease held is one not yet run out.
    const held = seen.filter((s) => s.at < pauseAt || s.worker !== "w2");
    expect(held.length).toBeGreaterThan(1000);
    for (const s of held)
      expect(s.expiresAt! - s.monotonic, `${s.worker} p${s.partition}`).toBeGreaterThan(0);
    // w2 at its first tick after the pause: it still lists its partitions, every one run out.
    const first = seen.filter((s) => s.worker === "w2" && s.at >= resumedAt);
    const atFirst = first.filter((s) => s.at === first[0].at);
    expect(atFirst.length).toBeGreaterThan(0);
    for (const s of atFirst) expect(s.expiresAt! - s.monotonic).toBeLessThan(-10_000);
    // And truly another's by then: each was acquired by another worker during the pause.
    const taken = eventsOf(events, "lease.acquired").filter(
      (e) => e.worker !== "w2" && e.t > pauseAt && e.t < resumedAt,
    );
    for (const s of atFirst)
      expect(
        taken.some((e) => e.partition === s.partition),
        `p${s.partition}`,
      ).toBe(true);
  });

  it("lets a scheduler send no fire that another worker sends too, where trusting ownedPartitions delivers duplicates", () => {
    const trusting = reportOf(paused(false).events).metrics.deliveries;
    const checked = reportOf(paused(true).events).metrics.deliveries;
    expect(trusting.duplicate).toBeGreaterThan(0);
    expect(checked.duplicate).toBe(0);
    expect(checked.onTime).toBeGreaterThan(0);
  });
});

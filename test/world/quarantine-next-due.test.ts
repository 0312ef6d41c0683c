// Shows that a commit that quarantines its schedule gives the scheduler no next due (`tx.nextDueAt` null: it fires no more), while a plain commit gives the store's next fire, and that the trace's `task.committed` keeps the store's next as it always said it. An operator's quarantine does the same for a task claimed before it and committed after it.
import { describe, expect, it } from "vitest";
import type { GoroutineBody } from "../../src/kernel/index.js";
import type { Runtime, SchedulerFactory, TaskTx } from "../../src/world/runtime.js";
import { eventsOf, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

/** Commits every task, quarantining the first task of every other schedule; notes each commit's `nextDueAt`. */
function quarantiningFirst(
  seen: { task: string; quarantined: boolean; next: number | null }[],
): SchedulerFactory {
  const met = new Set<string>();
  function* task(tx: TaskTx): GoroutineBody {
    const first = !met.has(tx.schedule) && met.size % 2 === 0;
    met.add(tx.schedule);
    if (first) tx.quarantine(1);
    const err = yield* tx.commit();
    if (err === null) seen.push({ task: tx.task, quarantined: first, next: tx.nextDueAt });
  }
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null) for (const tx of claim.tasks) rt.go(`q ${tx.task}`, task(tx), tx);
      yield rt.sleep(1000);
    }
  }
  return {
    name: "q-first",
    description: "q-first",
    fixes: [],
    create: () => ({ name: "q-first", fixes: [], main }),
  };
}

describe("tx.nextDueAt after a commit", () => {
  it("is null when the commit quarantined the schedule, and the store's next fire otherwise", () => {
    const seen: { task: string; quarantined: boolean; next: number | null }[] = [];
    const config = smallWorldConfig({ scheduler: "q-first", deleteAtMs: null, durationMs: 5 * MIN });
    const { events } = runWorld(config, undefined, [quarantiningFirst(seen)]);
    const quarantines = seen.filter((s) => s.quarantined);
    expect(quarantines.length).toBeGreaterThan(0);
    for (const s of quarantines) expect(s.next, s.task).toBeNull();
    // The trace says the store's next as it always did.
    const committed = new Map(eventsOf(events, "task.committed").map((e) => [e.task, e]));
    expect(quarantines.some((s) => typeof committed.get(s.task)?.next === "number")).toBe(true);
  });

  it("is the store's next fire after a plain commit", () => {
    const seen: { task: string; quarantined: boolean; next: number | null }[] = [];
    const config = smallWorldConfig({
      scheduler: "q-first",
      deleteAtMs: null,
      durationMs: 5 * MIN,
      workers: 1,
      accounts: 1,
    });
    const { events } = runWorld(config, undefined, [quarantiningFirst(seen)]);
    const committed = new Map(eventsOf(events, "task.committed").map((e) => [e.task, e.next]));
    const plain = seen.filter((x) => !x.quarantined);
    expect(plain.length).toBeGreaterThan(2);
    for (const s of plain) {
      expect(s.next).not.toBeNull();
      expect(s.next).toBe(committed.get(s.task));
    }
  });
});

/** Each task waits 20 s between its claim and its commit; notes each commit's time and `nextDueAt`. */
function slowCommits(seen: { schedule: string; at: number; next: number | null }[]): SchedulerFactory {
  function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
    yield rt.sleep(20_000);
    const err = yield* tx.commit();
    if (err === null) seen.push({ schedule: tx.schedule, at: rt.now(), next: tx.nextDueAt });
  }
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null) for (const tx of claim.tasks) rt.go(`slow ${tx.task}`, task(rt, tx), tx);
      yield rt.sleep(1000);
    }
  }
  return {
    name: "slow-commit",
    description: "slow-commit",
    fixes: [],
    create: () => ({ name: "slow-commit", fixes: [], main }),
  };
}

describe("tx.nextDueAt after an operator's quarantine", () => {
  it("is null for a task of the schedule claimed before the quarantine and committed after it", () => {
    const seen: { schedule: string; at: number; next: number | null }[] = [];
    // The schedule fires every minute; the operator quarantines it 10 s into its third minute's
    // task, which commits 10 s later.
    const quarantineAt = START + 2 * MIN + 10_000;
    const config = smallWorldConfig({
      scheduler: "slow-commit",
      deleteAtMs: null,
      durationMs: 5 * MIN,
      workers: 1,
      accounts: 2,
      timeline: [{ action: "quarantine-schedule", schedule: "sched-poison-1", atMs: quarantineAt }],
    });
    runWorld(config, undefined, [slowCommits(seen)]);
    const quarantined = seen.filter((s) => s.schedule === "sched-poison-1");
    const before = quarantined.filter((s) => s.at < quarantineAt);
    const after = quarantined.filter((s) => s.at > quarantineAt);
    expect(before.length).toBeGreaterThan(0);
    for (const s of before) expect(s.next).not.toBeNull();
    expect(after).toHaveLength(1);
    expect(after[0].next).toBeNull();
    // Other schedules still have a next fire.
    const others = seen.filter((s) => s.schedule !== "sched-poison-1" && s.at > quarantineAt);
    expect(others.length).toBeGreaterThan(0);
    for (const s of others) expect(s.next).not.toBeNull();
  });
});

// Shows that the Runtime port fences a scheduler's own mistakes: a task reused after its commit can neither commit again nor make its schedule skip a due.
import { describe, expect, it } from "vitest";
import type { GoroutineBody } from "../../src/kernel/index.js";
import type { Runtime, SchedulerFactory, TaskTx } from "../../src/world/runtime.js";
import { eventsOf, MIN, runWorld, smallWorldConfig } from "../world/helpers.js";

/** A careless scheduler: after committing a task, it restarts it and commits it again. */
function carelessScheduler(outcomes: [Error | null, Error | null][]): SchedulerFactory {
  function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
    const first = yield* tx.commit();
    const again = yield* tx.restart().commit();
    outcomes.push([first, again]);
    yield rt.sleep(0);
  }
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null) for (const tx of claim.tasks) rt.go(`careless ${tx.task}`, task(rt, tx), tx);
      yield rt.sleep(1000);
    }
  }
  return {
    name: "careless",
    description: "commits every task twice",
    fixes: [],
    create: () => ({ name: "careless", fixes: [], main }),
  };
}

describe("a scheduler misusing its tasks", () => {
  it("cannot commit a task twice, and its schedules advance one due at a time", () => {
    const outcomes: [Error | null, Error | null][] = [];
    const config = smallWorldConfig({ scheduler: "careless", deleteAtMs: null, durationMs: 6 * MIN });
    const { events, world } = runWorld(config, undefined, [carelessScheduler(outcomes)]);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.filter(([first]) => first !== null)).toEqual([]);
    const seconds = outcomes.map(([, again]) => again);
    expect(seconds.map((e) => e?.message ?? "ok").filter((m) => !/no longer claimed/.test(m))).toEqual([]);
    // Every due of every schedule committed exactly once, with no gap between dues.
    const byschedule = new Map<string, number[]>();
    for (const c of eventsOf(events, "task.committed"))
      byschedule.set(c.schedule, [...(byschedule.get(c.schedule) ?? []), c.due]);
    for (const [schedule, dues] of byschedule) {
      expect(new Set(dues).size, schedule).toBe(dues.length);
      const next = eventsOf(events, "task.committed").filter((c) => c.schedule === schedule);
      for (let i = 1; i < next.length; i++) expect(next[i].due, schedule).toBe(next[i - 1].next);
    }
    world.store.verify();
  });
});

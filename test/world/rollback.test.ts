// Shows that a task whose goroutine panics rolls back: nothing it buffered commits, its schedule stays due, and the next owner fires the same task again.
import { describe, expect, it } from "vitest";
import { injectPanic } from "../../src/faults/index.js";
import {
  acksByDue,
  dueKey,
  eventsOf,
  FIXED,
  MIN,
  panicDeaths,
  reportOf,
  runWorld,
  START,
  smallWorldConfig,
} from "./helpers.js";

describe("rollback on panic", () => {
  it("leaves every panicking task due, and the next owner fires the same task id", () => {
    const { events } = runWorld(smallWorldConfig());
    const deaths = panicDeaths(events);
    expect(deaths.length).toBeGreaterThan(5);
    const fired = eventsOf(events, "schedule.fired");
    const committed = eventsOf(events, "task.committed");
    let refired = 0;
    for (const death of deaths) {
      expect(death.task, "a task panic names its task").toBeDefined();
      // No commit of that task by the worker between its firing and its death.
      const firedHere = fired.filter(
        (f) => f.task === death.task && f.worker === death.worker && f.t <= death.t,
      );
      expect(firedHere.length).toBeGreaterThan(0);
      const since = firedHere[firedHere.length - 1].t;
      expect(
        committed.filter(
          (c) => c.task === death.task && c.worker === death.worker && c.t >= since && c.t <= death.t,
        ),
      ).toEqual([]);
      // The work stayed due: it is fired again later, as the same task, with a higher attempt.
      const later = fired.filter((f) => f.task === death.task && f.seq > death.seq);
      if (later.length > 0) {
        expect(later[0].attempt).toBeGreaterThan(firedHere[firedHere.length - 1].attempt);
        refired++;
      }
    }
    // All but the deaths near the horizon were followed by a new owner firing the task again.
    expect(refired).toBeGreaterThanOrEqual(deaths.length - 4);
    // The deleted account's poison tasks never commit at all, by anyone.
    const poison = new Set(deaths.map((d) => d.task));
    expect(committed.filter((c) => poison.has(c.task))).toEqual([]);
  });

  it("never commits the deleted account's cleanup without the fixes", () => {
    const { events, world } = runWorld(smallWorldConfig());
    expect(eventsOf(events, "account.deleted")).toHaveLength(1);
    expect(eventsOf(events, "schedule.deleted")).toEqual([]);
    // The cleanup was buffered, then thrown away with the panicking task.
    expect(world.store.schedules.has("sched-poison-1")).toBe(true);
    expect(world.store.schedules.has("sched-poison-2")).toBe(true);
    const poisonPanics = panicDeaths(events).filter((d) => d.account === "acct-deleted");
    expect(poisonPanics.length).toBeGreaterThan(0);
    world.store.verify();
  });

  it("rolls back a panic after delivery: the schedule stays due and is delivered again", () => {
    // A panic between the delivery and the commit: the message went out, the commit did not.
    const { events } = runWorld(smallWorldConfig({ deleteAtMs: null, durationMs: 6 * MIN }), (world) =>
      world.at(START + 2 * MIN + 30_000, () =>
        injectPanic(world, { point: "before-commit", schedule: "sched-000002" }),
      ),
    );
    const deaths = panicDeaths(events);
    expect(deaths).toHaveLength(1);
    const task = deaths[0].task!;
    const acked = eventsOf(events, "delivery.acked").filter((e) => e.task === task);
    const commits = eventsOf(events, "task.committed").filter((e) => e.task === task);
    expect(acked.length, "delivered once by the dead worker, once by the next owner").toBe(2);
    expect(commits).toHaveLength(1);
    expect(commits[0].t).toBeGreaterThan(deaths[0].t);
    expect(acksByDue(events).get(dueKey(acked[0]))).toBe(2);
    // Later firings of the schedule go on as normal: exactly one commit per due.
    const dues = eventsOf(events, "task.committed").filter((e) => e.schedule === "sched-000002");
    expect(new Set(dues.map((e) => e.due)).size).toBe(dues.length);
    expect(dues.length).toBeGreaterThanOrEqual(5);
  });

  it("rolls back a commit the store refuses: the work is fired again, not left in flight for good", () => {
    // A store that refuses 2% of its calls, both fixes, no deletion: nothing else disturbs it.
    const { events, world } = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        deleteAtMs: null,
        store: { failureRate: 0.02 },
        durationMs: 30 * MIN,
      }),
    );
    const refused = eventsOf(events, "log").filter((l) =>
      /^commit of \S+ failed: store unavailable$/.test(String(l.message)),
    );
    expect(refused.length).toBeGreaterThan(5);
    const fired = eventsOf(events, "schedule.fired");
    const committed = eventsOf(events, "task.committed");
    const horizon = START + 30 * MIN;
    let retried = 0;
    for (const log of refused) {
      const task = String(log.message).split(" ")[2];
      if (!task.includes("@")) continue; // a message retry, not a schedule's due
      const again = fired.find((f) => f.task === task && f.seq > log.seq);
      if (again === undefined) {
        expect(log.t, `${task} was never fired again`).toBeGreaterThan(horizon - MIN);
        continue;
      }
      retried++;
      // Claimed again at v2's next refresh of its claims (every 10 s), a tick and a store call on.
      expect(again.t - log.t).toBeLessThan(12_000);
      const done = committed.find((c) => c.task === task && c.seq > again.seq);
      if (done === undefined) expect(again.t).toBeGreaterThan(horizon - MIN);
    }
    expect(retried).toBeGreaterThan(5);
    // No due is lost behind a refused commit: each is delivered, if late.
    expect(reportOf(events).metrics.deliveries.missed).toBe(0);
    world.store.verify();
  });
});

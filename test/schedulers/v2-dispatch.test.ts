// Shows how v2 dispatches and retries: a claim that fills every free slot is followed by another at once, a backlog left by a stall is caught up at one due per tick, and a recovered panic is retried after 1 s, 2 s, 4 s ... until the task is quarantined.
import { describe, expect, it } from "vitest";
import { clockSkew, injectPanic, storeOutage } from "../../src/faults/index.js";
import { DEFAULT_FLEET, type TimedAction } from "../../src/world/config.js";
import type { World } from "../../src/world/world.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "../world/helpers.js";

describe("v2 dispatch with one slot", () => {
  it("claims again as soon as a full claim's task is done, even when nothing more is queued", () => {
    // Three partitions, one per worker, one schedule each (s1, s7, s3 hash to 0, 1, 2), all due
    // at 09:31. w2 and w3 die with their fire in flight; w1 takes both partitions in one tick and
    // inherits two fires that are in flight, not queued: only a full claim says more may wait.
    const dueAt = START + MIN;
    const kill = (worker: string): TimedAction => ({ action: "kill-worker", worker, atMs: dueAt + 5_000 });
    const base = smallWorldConfig({
      fixes: FIXED,
      workers: 3,
      accounts: 0,
      deleteAtMs: null,
      durationMs: 6 * MIN,
      fleet: {
        partitions: 3,
        concurrency: 1,
        supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 30 * MIN },
      },
      destination: { latencyMs: 20_000, jitter: 0 },
      // No periodic refresh within the run: only the claim's own answer can bring a new claim.
      schedulerOptions: { refreshMs: 30 * MIN },
      timeline: [kill("w2"), kill("w3")],
    });
    const { events } = runWorld({
      ...base,
      workload: {
        ...base.workload,
        named: [
          {
            id: "acct-a",
            schedules: ["s1", "s7", "s3"].map((id) => ({ id, cron: "31 9 8 5 *" })),
          },
        ],
      },
    });
    const taken = eventsOf(events, "lease.acquired").filter((e) => e.t > dueAt && e.worker === "w1");
    expect(taken.map((e) => e.previous).sort()).toEqual(["w2", "w3"]);
    expect(new Set(taken.map((e) => e.t)).size).toBe(1);
    const committed = eventsOf(events, "task.committed");
    expect(committed.map((e) => e.schedule).sort()).toEqual(["s1", "s3", "s7"]);
    // Each inherited fire takes one 20 s delivery, one after the other, right after the takeover.
    const last = Math.max(...committed.map((e) => e.t));
    expect(last - taken[0].t).toBeLessThan(45_000);
  });
});

describe("v2 after a stall", () => {
  // From 09:32:30 to 09:37:30 the worker fires nothing, so its every-minute schedule owes the
  // dues 09:33 to 09:37 when the stall ends. Each claim brings one due per schedule (the next is
  // written by that due's commit), so the catch-up rate is one due per schedule per claim.
  const stallAtMs = START + 2 * MIN + 30_000;
  const stallMs = 5 * MIN;
  const stalls: [string, (world: World) => void][] = [
    ["a store outage", (world) => storeOutage(world, stallMs)],
    ["a clock set back", (world) => clockSkew(world, "w1", -stallMs, stallMs)],
  ];

  it.each(stalls)("catches up the backlog after %s at one due per tick, not one per refresh", (_, stall) => {
    const config = smallWorldConfig({
      fixes: FIXED,
      workers: 1,
      accounts: 0,
      deleteAtMs: null,
      durationMs: 10 * MIN,
      schedulerOptions: { tickMs: 1000, refreshMs: 10_000 },
    });
    const { events } = runWorld(config, (world) => {
      world.sim.at(stallAtMs, () => stall(world));
    });
    const backlog = eventsOf(events, "schedule.fired")
      .filter((e) => e.schedule === "sched-poison-1" && e.due > stallAtMs && e.due < stallAtMs + stallMs)
      .sort((a, b) => a.due - b.due);
    expect(backlog.map((e) => e.due)).toEqual([3, 4, 5, 6, 7].map((m) => START + m * MIN));
    expect(backlog[0].t).toBeGreaterThanOrEqual(stallAtMs + stallMs);
    // Each commit says its schedule's next due has passed: the next tick claims it, rather than
    // the dispatcher waiting for its 10 s refresh because the last claim saw nothing queued.
    for (let i = 1; i < backlog.length; i++) {
      expect(backlog[i].t - backlog[i - 1].t, `due ${i + 1} of the backlog`).toBeLessThan(2_000);
    }
  });
});

describe("v2 with panic-recovery", () => {
  it("retries a panicking task after 1 s, 2 s, 4 s, then quarantines it at its last attempt, logging each panic", () => {
    const config = smallWorldConfig({
      fixes: FIXED,
      deleteAtMs: null,
      durationMs: 8 * MIN,
      schedulerOptions: { panicAttemptsMax: 4 },
    });
    const { events } = runWorld(config, (world) =>
      injectPanic(world, { point: "before-delivery", schedule: "sched-000001", count: 100 }),
    );
    const recovered = eventsOf(events, "panic.recovered").filter((e) => e.schedule === "sched-000001");
    expect(recovered.map((e) => [e.attempt, e.retryInMs])).toEqual([
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, null],
    ]);
    // Each retry runs when its back-off says, on the worker that recovered the panic.
    for (let i = 1; i < recovered.length; i++) {
      expect(recovered[i].t - recovered[i - 1].t).toBeGreaterThanOrEqual(recovered[i - 1].retryInMs!);
      expect(recovered[i].t - recovered[i - 1].t).toBeLessThan(recovered[i - 1].retryInMs! + 100);
    }
    const quarantined = eventsOf(events, "task.quarantined").filter((e) => e.schedule === "sched-000001");
    expect(quarantined.map((e) => e.attempts)).toEqual([4]);
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    // Each panic is logged too, on its worker, at once: a retry warned of, the quarantine an error.
    const logs = eventsOf(events, "log").filter((e) => e.schedule === "sched-000001");
    expect(logs.map((e) => [e.t, e.worker, e.level])).toEqual(
      recovered.map((e) => [e.t, e.worker, e.retryInMs === null ? "error" : "warn"]),
    );
    expect(logs[0].message).toBe(
      `task ${recovered[0].task} panicked (attempt 1 of 4): injected panic at before-delivery; retrying in 1000 ms`,
    );
  });
});

describe("bundled scheduler options a scheduler cannot use", () => {
  // validate refuses them for a bundled scheduler; a variant run in a module's place (`--variant
  // buggy` on a module scenario) still hands the module's options to v1 or v2, whose names may
  // mean something else to the module. A tickMs of 0 looped at one instant to the event limit.
  for (const scheduler of ["v1", "v2"] as const)
    it(`${scheduler} takes its defaults for them, as for options not given`, () => {
      const run = (schedulerOptions: Record<string, number>) => {
        // v1 has no fixes: it is given none.
        const fixes = scheduler === "v1" ? [] : FIXED;
        const config = smallWorldConfig({ fixes, durationMs: 10 * MIN, schedulerOptions });
        return runWorld({ ...config, scheduler: { ...config.scheduler, name: scheduler } });
      };
      const plain = run({});
      const unusable = run({ tickMs: 0, refreshMs: -5, v1BatchMax: 2.5, panicAttemptsMax: 0.5 });
      expect(plain.world.sim.events).toBeLessThan(100_000);
      expect(eventsOf(plain.events, "delivery.acked").length).toBeGreaterThan(20);
      expect(unusable.hash).toBe(plain.hash);
      // A usable value is taken: the same world with a slower tick is another run.
      expect(run({ tickMs: 2000 }).hash).not.toBe(plain.hash);
    });
});

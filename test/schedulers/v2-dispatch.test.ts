// Shows how v2 dispatches and retries: a claim that fills every free slot is followed by another at once, and a recovered panic is retried after 1 s, 2 s, 4 s ... until the task is quarantined.
import { describe, expect, it } from "vitest";
import { injectPanic } from "../../src/faults/index.js";
import { DEFAULT_FLEET, type TimedAction } from "../../src/world/config.js";
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

describe("v2 with panic-recovery", () => {
  it("retries a panicking task after 1 s, 2 s, 4 s, then quarantines it at its last attempt", () => {
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
  });
});

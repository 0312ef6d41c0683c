// Shows a rolling deploy: workers replaced one at a time in fleet order, stepDelayMs apart, each stopping gracefully (leases released) and a worker waiting in back-off replaced at once.
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET, type TimedAction } from "../../src/world/config.js";
import {
  eventsOf,
  expectExclusiveOwnership,
  FIXED,
  leaseGrants,
  MIN,
  runWorld,
  START,
  smallWorldConfig,
} from "./helpers.js";

const DEPLOY_AT = START + 5 * MIN;
const STEP_MS = 30_000;
const deploy: TimedAction = {
  action: "deploy",
  scheduler: "v2",
  fixes: FIXED,
  stepDelayMs: STEP_MS,
  atMs: DEPLOY_AT,
};

describe("rolling deploy", () => {
  it("replaces the fleet one worker at a time, in order, with graceful stops", () => {
    const { events } = runWorld(
      smallWorldConfig({ scheduler: "v1", deleteAtMs: null, durationMs: 10 * MIN, timeline: [deploy] }),
    );
    const started = eventsOf(events, "deploy.started");
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ t: DEPLOY_AT, scheduler: "v2", workers: 4, stepDelayMs: STEP_MS });
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.map((s) => [s.worker, s.index, s.t - DEPLOY_AT])).toEqual([
      ["w1", 0, 0],
      ["w2", 1, STEP_MS],
      ["w3", 2, 2 * STEP_MS],
      ["w4", 3, 3 * STEP_MS],
    ]);
    const grants = leaseGrants(events);
    for (const step of steps) {
      const at = events.filter((e) => e.t === step.t && e.seq > step.seq);
      const held = grants.filter(
        (g) => g.worker === step.worker && g.from < step.t && g.validUntil >= step.t,
      );
      expect(held.length, `${step.worker} held leases before its turn`).toBeGreaterThan(0);
      // Graceful: every lease released at once, then the process stops, then the new one starts.
      const released = eventsOf(at, "lease.released").filter((e) => e.worker === step.worker);
      expect(released.map((e) => e.partition).sort((a, b) => a - b)).toEqual(
        held.map((g) => g.partition).sort((a, b) => a - b),
      );
      const stopped = eventsOf(at, "worker.stopped").find((e) => e.worker === step.worker)!;
      expect(stopped).toMatchObject({ why: "deploy", incarnation: 1 });
      expect(Math.max(...released.map((e) => e.seq))).toBeLessThan(stopped.seq);
      const next = eventsOf(at, "worker.started").find((e) => e.worker === step.worker)!;
      expect(next).toMatchObject({ incarnation: 2, scheduler: "v2", fixes: FIXED });
      expect(next.seq).toBeGreaterThan(stopped.seq);
      const ready = eventsOf(events, "worker.ready").find(
        (e) => e.worker === step.worker && e.incarnation === 2,
      );
      expect(ready!.t - step.t).toBe(DEFAULT_FLEET.startupTimeMs);
      // One at a time: the previous replacement serves before the next worker goes down.
      expect(ready!.t).toBeLessThan(step.t + STEP_MS);
    }
    const finished = eventsOf(events, "deploy.finished");
    expect(finished).toHaveLength(1);
    expect(finished[0].t).toBe(steps[3].t);
    expect(finished[0].seq).toBeGreaterThan(steps[3].seq);
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    expectExclusiveOwnership(events);
    // Released partitions are picked up by the workers still serving, long before any lease TTL.
    for (const r of eventsOf(events, "lease.released").filter((e) => e.t >= DEPLOY_AT)) {
      const next = grants.find((g) => g.partition === r.partition && g.token > r.token)!;
      expect(next.from - r.t).toBeLessThan(DEFAULT_FLEET.rebalanceIntervalMs * 1.1 + 1_000);
    }
  });

  it("replaces a worker waiting in back-off at once, and cancels its pending restart", () => {
    const killAt = DEPLOY_AT + 20_000;
    const { events } = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        deleteAtMs: null,
        durationMs: 10 * MIN,
        fleet: { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 120_000 } },
        timeline: [deploy, { action: "kill-worker", worker: "w3", atMs: killAt }],
      }),
    );
    const backoff = eventsOf(events, "worker.backoff").filter((e) => e.worker === "w3");
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({ t: killAt, delayMs: 120_000 });
    const step = eventsOf(events, "deploy.progressed").find((e) => e.worker === "w3")!;
    expect(step.t).toBe(DEPLOY_AT + 2 * STEP_MS);
    expect(step.t).toBeLessThan(killAt + 120_000);
    // Nothing to stop: the replacement starts at the step.
    expect(eventsOf(events, "worker.stopped").filter((e) => e.worker === "w3")).toEqual([]);
    const starts = eventsOf(events, "worker.started").filter((e) => e.worker === "w3");
    expect(starts.map((e) => [e.incarnation, e.t])).toEqual([
      [1, START],
      [2, step.t],
    ]);
    // The supervisor's restart, due at kill + 120 s, never happens.
    expect(eventsOf(events, "worker.restarted")).toEqual([]);
    expect(
      eventsOf(events, "worker.ready").filter((e) => e.worker === "w3" && e.incarnation === 2),
    ).toHaveLength(1);
    expectExclusiveOwnership(events);
  });
});

describe("stopping a frozen worker", () => {
  const ACT_AT = START + 5 * MIN;
  const pause = (worker: string): TimedAction => ({
    action: "pause-worker",
    worker,
    durationMs: 60_000,
    atMs: ACT_AT - 2_000,
  });
  const cases: { name: string; worker: string; why: string; action: TimedAction; replaced: boolean }[] = [
    {
      name: "deploy",
      worker: "w2",
      why: "deploy",
      action: { ...deploy, atMs: ACT_AT, stepDelayMs: 5_000 },
      replaced: true,
    },
    {
      name: "restart-worker",
      worker: "w2",
      why: "restart",
      action: { action: "restart-worker", worker: "w2", atMs: ACT_AT },
      replaced: true,
    },
    {
      name: "scale-down",
      worker: "w4",
      why: "scale-down",
      action: { action: "scale", workers: 3, atMs: ACT_AT },
      replaced: false,
    },
  ];

  it.each(cases)(
    "a $name kills a paused worker as SIGKILL would: no lease released, its leases expire",
    (c) => {
      const { events } = runWorld(
        smallWorldConfig({
          fixes: FIXED,
          deleteAtMs: null,
          durationMs: 8 * MIN,
          timeline: [pause(c.worker), c.action],
        }),
      );
      const pausedAt = ACT_AT - 2_000;
      const stopped = eventsOf(events, "worker.stopped").filter((e) => e.worker === c.worker);
      expect(stopped).toHaveLength(1);
      const stop = stopped[0];
      expect(stop).toMatchObject({ why: c.why, incarnation: 1, graceful: false });
      expect(stop.t).toBeGreaterThan(pausedAt);
      expect(stop.t).toBeLessThan(pausedAt + 60_000);
      // A frozen process runs no shutdown: nothing released, its leases run out their TTL.
      expect(
        eventsOf(events, "lease.released").filter((e) => e.worker === c.worker && e.t >= pausedAt),
      ).toEqual([]);
      const grants = leaseGrants(events);
      const held = grants.filter(
        (g) => g.worker === c.worker && g.incarnation === 1 && g.from < stop.t && g.validUntil > stop.t,
      );
      expect(held.length, `${c.worker} held leases, still valid, when it was stopped`).toBeGreaterThan(0);
      const expired = eventsOf(events, "lease.expired").filter((e) => e.worker === c.worker);
      for (const g of held) {
        const expiry = expired.find((e) => e.token === g.token)!;
        expect(expiry, `partition ${g.partition} expired`).toBeDefined();
        expect(expiry.expiredAt).toBeGreaterThan(stop.t);
        expect(expiry.cause, "the expiry is traced as caused by the stop").toBe(stop.seq);
      }
      expect(eventsOf(events, "worker.crashed")).toEqual([]);
      expect(eventsOf(events, "worker.resumed").filter((e) => e.worker === c.worker)).toEqual([]);
      const restarts = eventsOf(events, "worker.started").filter(
        (e) => e.worker === c.worker && e.incarnation === 2,
      );
      expect(restarts.map((e) => e.t)).toEqual(c.replaced ? [stop.t] : []);
      expectExclusiveOwnership(events);
    },
  );
});

// Shows the supervisor's CrashLoopBackOff: restarts after 10 s, 20 s, 40 s ... capped at 300 s, reset after 10 min up or by a deploy or restart, and a start-up time before a restarted worker serves.
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { DEFAULT_FLEET, type TimedAction } from "../../src/world/config.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

/** One crash of a worker and what the supervisor did about it. */
interface Restart {
  crashedAt: number;
  delayMs: number;
  restarts: number;
  restartedAt: number | null;
  readyAt: number | null;
  startedAt: number | null;
}

/** Pairs each crash of `worker` with its back-off, restart, start and ready events. */
function restartsOf(events: readonly TraceEvent[], worker: string): Restart[] {
  const out: Restart[] = [];
  for (const e of events) {
    if ((e as { worker?: string }).worker !== worker) continue;
    const last = out[out.length - 1];
    switch (e.type) {
      case "worker.crashed":
        out.push({
          crashedAt: e.t,
          delayMs: -1,
          restarts: -1,
          restartedAt: null,
          readyAt: null,
          startedAt: null,
        });
        break;
      case "worker.backoff": {
        const ev = eventsOf([e], "worker.backoff")[0];
        expect(last.delayMs, "one back-off per crash").toBe(-1);
        expect(ev.t, "the back-off is decided at the crash").toBe(last.crashedAt);
        last.delayMs = ev.delayMs;
        last.restarts = ev.restarts;
        break;
      }
      case "worker.restarted":
        last.restartedAt = e.t;
        break;
      case "worker.started":
        if (last) last.startedAt = e.t;
        break;
      case "worker.ready":
        if (last) last.readyAt = e.t;
        break;
    }
  }
  return out;
}

describe("CrashLoopBackOff", () => {
  it("doubles the delay from 10 s and caps it at 300 s in a crash loop", () => {
    // One worker and the May 8 bugs: every time it serves again it takes the poison task back.
    const { events } = runWorld(smallWorldConfig({ workers: 1, durationMs: 40 * MIN }));
    const restarts = restartsOf(events, "w1");
    expect(restarts.length).toBeGreaterThanOrEqual(8);
    restarts.forEach((r, i) => {
      expect(r.delayMs, `crash ${i + 1}`).toBe(Math.min(300_000, 10_000 * 2 ** i));
      expect(r.restarts).toBe(i + 1);
    });
    expect(restarts.filter((r) => r.delayMs === 300_000).length).toBeGreaterThanOrEqual(2);
    for (const r of restarts.filter((x) => x.restartedAt !== null)) {
      expect(r.restartedAt! - r.crashedAt).toBe(r.delayMs);
      expect(r.startedAt).toBe(r.restartedAt);
      if (r.readyAt !== null) expect(r.readyAt - r.startedAt!).toBe(DEFAULT_FLEET.startupTimeMs);
    }
  });

  it("follows configured delays and start-up time", () => {
    const supervisor = { backoffInitialMs: 2_000, backoffMaxMs: 7_000, resetAfterMs: 60 * MIN };
    const { events } = runWorld(
      smallWorldConfig({ workers: 1, durationMs: 15 * MIN, fleet: { supervisor, startupTimeMs: 40_000 } }),
    );
    const restarts = restartsOf(events, "w1");
    expect(restarts.length).toBeGreaterThanOrEqual(5);
    expect(restarts.map((r) => r.delayMs).slice(0, 5)).toEqual([2_000, 4_000, 7_000, 7_000, 7_000]);
    const served = restarts.filter((r) => r.readyAt !== null);
    expect(served.length).toBeGreaterThanOrEqual(4);
    for (const r of served) expect(r.readyAt! - r.startedAt!).toBe(40_000);
  });

  it("resets the back-off after 10 minutes up, not before", () => {
    const kill = (atMs: number): TimedAction => ({ action: "kill-worker", worker: "w1", atMs });
    // w1 restarts at 1:10 and 2:20; killed at 12:00 it has run 9:40 (no reset); restarted at
    // 12:40 and killed at 25:00 it has run 12:20 (reset).
    const timeline = [
      kill(START + MIN),
      kill(START + 2 * MIN),
      kill(START + 12 * MIN),
      kill(START + 25 * MIN),
    ];
    const { events } = runWorld(
      smallWorldConfig({ fixes: FIXED, deleteAtMs: null, durationMs: 27 * MIN, timeline }),
    );
    const restarts = restartsOf(events, "w1");
    expect(restarts.map((r) => [r.crashedAt - START, r.delayMs, r.restarts])).toEqual([
      [MIN, 10_000, 1],
      [2 * MIN, 20_000, 2],
      [12 * MIN, 40_000, 3],
      [25 * MIN, 10_000, 1],
    ]);
    for (const r of restarts) {
      expect(r.restartedAt! - r.crashedAt).toBe(r.delayMs);
      expect(r.readyAt! - r.startedAt!).toBe(DEFAULT_FLEET.startupTimeMs);
    }
  });

  it.each(["restart-worker", "deploy"] as const)(
    "starts the back-off afresh for a worker replaced by %s after a crash loop",
    (how) => {
      const kill = (atMs: number): TimedAction => ({ action: "kill-worker", worker: "w1", atMs });
      const replace: TimedAction =
        how === "deploy"
          ? { action: "deploy", scheduler: "v2", fixes: FIXED, stepDelayMs: 0, atMs: START + 4 * MIN }
          : { action: "restart-worker", worker: "w1", atMs: START + 4 * MIN };
      // Two crashes (restarts after 10 s and 20 s), a replacement at 4:00, a kill at 5:00: the
      // replacement is a fresh process, not a third restart of the loop.
      const timeline = [kill(START + MIN), kill(START + 2 * MIN), replace, kill(START + 5 * MIN)];
      const { events } = runWorld(
        smallWorldConfig({ fixes: FIXED, deleteAtMs: null, durationMs: 7 * MIN, timeline }),
      );
      const restarts = restartsOf(events, "w1");
      expect(restarts.map((r) => [r.crashedAt - START, r.delayMs, r.restarts])).toEqual([
        [MIN, 10_000, 1],
        [2 * MIN, 20_000, 2],
        [5 * MIN, 10_000, 1],
      ]);
      expect(
        eventsOf(events, "worker.restarted")
          .filter((e) => e.worker === "w1")
          .at(-1),
      ).toMatchObject({
        t: START + 5 * MIN + 10_000,
        restarts: 1,
      });
    },
  );

  it("serves nothing during start-up", () => {
    const { events } = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        deleteAtMs: null,
        durationMs: 4 * MIN,
        timeline: [{ action: "kill-worker", worker: "w2", atMs: START + MIN }],
      }),
    );
    const started = eventsOf(events, "worker.started").find((e) => e.worker === "w2" && e.incarnation === 2)!;
    const ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w2" && e.incarnation === 2)!;
    expect(ready.t - started.t).toBe(DEFAULT_FLEET.startupTimeMs);
    const busy = events.filter(
      (e) =>
        (e as { worker?: string }).worker === "w2" &&
        e.t >= START + MIN &&
        e.t < ready.t &&
        ["lease.acquired", "schedule.fired", "delivery.sent", "task.committed"].includes(e.type),
    );
    expect(busy).toEqual([]);
    // The initial fleet is already serving at the start.
    const initial = eventsOf(events, "worker.ready").filter((e) => e.incarnation === 1);
    expect(initial.map((e) => e.t)).toEqual([START, START, START, START]);
  });
});

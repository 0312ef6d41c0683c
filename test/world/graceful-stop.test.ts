// Shows a worker stopped by a restart, a deploy or a scale-down finishing its tasks under way before it releases its leases and exits, so that a routine restart delivers nothing twice where a kill at the same instant does; the shutdown grace that bounds the wait; and a kill, a pause or a second stop while it waits.
import { describe, expect, it } from "vitest";
import { causalChain } from "../../src/checks/causal-chain.js";
import { LaneRecorder } from "../../src/checks/worker-lanes.js";
import { injectPanic } from "../../src/faults/index.js";
import { scheduleFaults } from "../../src/faults/schedule.js";
import type { GoroutineBody, TraceEvent } from "../../src/kernel/index.js";
import { eventText } from "../../src/report/event-words.js";
import { PerfettoTraceBuilder } from "../../src/report/perfetto.js";
import { OnCallObserver } from "../../src/train/observer.js";
import type { TimedAction } from "../../src/world/config.js";
import type { Runtime, SchedulerFactory, TaskTx } from "../../src/world/runtime.js";
import {
  eventsOf,
  expectExclusiveOwnership,
  FIXED,
  MIN,
  reportOf,
  runWorld,
  type SmallWorldOptions,
  START,
  smallWorldConfig,
} from "./helpers.js";

/** One second after a minute's fires: each worker has deliveries of 20 s under way. */
const STOP_AT = START + 2 * MIN + 1_000;

/** Four workers (by default) with both fixes, 30 accounts, six minutes, deliveries of 20 s. */
function stopWorld(o: SmallWorldOptions) {
  return smallWorldConfig({
    fixes: FIXED,
    workers: 4,
    accounts: 30,
    deleteAtMs: null,
    durationMs: 6 * MIN,
    ...o,
    destination: { latencyMs: 20_000, jitter: 0, ...o.destination },
  });
}

function world(timeline: TimedAction[], fleet: { shutdownGraceMs?: number } = {}) {
  return runWorld(stopWorld({ fleet, timeline })).events;
}

function duplicates(events: readonly TraceEvent[]): number {
  return reportOf(events).metrics.deliveries.duplicate;
}

/** The stop of w2 that began at `at`: its `worker.stopping` and its `worker.stopped`. */
function stopOf(events: readonly TraceEvent[], at: number) {
  const stopping = eventsOf(events, "worker.stopping").find((e) => e.worker === "w2" && e.t === at);
  const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w2" && e.t >= at);
  return { stopping, stopped };
}

describe("a graceful stop", () => {
  it("finishes the tasks under way, so a restart delivers nothing twice where a kill does", () => {
    const restarted = world([{ action: "restart-worker", worker: "w2", atMs: STOP_AT }]);
    const killed = world([{ action: "kill-worker", worker: "w2", atMs: STOP_AT }]);
    // The kill at the same instant leaves its sent tasks to the next owner: duplicates.
    expect(duplicates(killed)).toBeGreaterThan(0);
    expect(duplicates(restarted)).toBe(0);

    const { stopping, stopped } = stopOf(restarted, STOP_AT);
    expect(stopping?.inFlight).toBeGreaterThan(0);
    expect(stopping?.why).toBe("restart");
    // Its deliveries take 20 s from 1 s before the stop: it exits when the last is committed.
    expect(stopped!.t - STOP_AT).toBeGreaterThanOrEqual(18_000);
    expect(stopped!.t - STOP_AT).toBeLessThanOrEqual(20_000);
    expect(stopped!.abandoned).toBeUndefined();
    expect(stopped!.graceful).toBeUndefined();
    // Every commit of its tasks under way went through: none fenced, no lease left to expire.
    expect(eventsOf(restarted, "task.fenced")).toEqual([]);
    expect(eventsOf(restarted, "lease.expired").filter((e) => e.worker === "w2")).toEqual([]);
    const commits = eventsOf(restarted, "task.committed").filter(
      (e) => e.worker === "w2" && e.t > STOP_AT && e.t <= stopped!.t,
    );
    expect(commits).toHaveLength(stopping!.inFlight);
    // The new process starts once the old one is gone; the old one claimed nothing meanwhile.
    const started = eventsOf(restarted, "worker.started").find((e) => e.worker === "w2" && e.t > STOP_AT)!;
    expect(started.t).toBe(stopped!.t);
    expect(started.seq).toBeGreaterThan(stopped!.seq);
    const firedMeanwhile = eventsOf(restarted, "schedule.fired").filter(
      (e) => e.worker === "w2" && e.t > STOP_AT && e.t < stopped!.t,
    );
    expect(firedMeanwhile).toEqual([]);
    // It left the membership at once: the others took its partitions as it released them.
    expectExclusiveOwnership(restarted);
    // Its lane stops serving as the stop begins, and starts again with the new process.
    const lanes = new LaneRecorder();
    for (const e of restarted) lanes.onEvent(e);
    const lane = lanes.finish().find((l) => l.worker === "w2")!;
    expect(lane.segments.filter((g) => g.from >= STOP_AT).map((g) => [g.state, g.from])).toEqual([
      ["stopped", STOP_AT],
      ["starting", stopped!.t],
      ["serving", stopped!.t + 15_000],
    ]);
  });

  it("waits at most the fleet's shutdown grace, then exits with what is still under way", () => {
    const events = world([{ action: "restart-worker", worker: "w2", atMs: STOP_AT }], {
      shutdownGraceMs: 5_000,
    });
    const { stopping, stopped } = stopOf(events, STOP_AT);
    expect(stopping?.inFlight).toBeGreaterThan(0);
    expect(stopped!.t - STOP_AT).toBeGreaterThanOrEqual(5_000);
    expect(stopped!.t - STOP_AT).toBeLessThanOrEqual(5_100);
    expect(stopped!.abandoned).toBe(stopping!.inFlight);
    // Its tasks' next owner fires them again: what a grace too short for the work costs.
    expect(duplicates(events)).toBeGreaterThan(0);
  });

  it("ends as a crash when the worker is killed while it waits, and the slot goes on to its new process", () => {
    const killAt = STOP_AT + 5_000;
    const events = world([
      { action: "restart-worker", worker: "w2", atMs: STOP_AT },
      { action: "kill-worker", worker: "w2", atMs: killAt },
    ]);
    expect(stopOf(events, STOP_AT).stopping?.inFlight).toBeGreaterThan(0);
    const crash = eventsOf(events, "worker.crashed").filter((e) => e.worker === "w2");
    expect(crash.map((e) => [e.t, e.reason])).toEqual([[killAt, "killed"]]);
    expect(eventsOf(events, "worker.stopped").filter((e) => e.worker === "w2")).toEqual([]);
    // No back-off: the restart asked for a new process, which starts at once.
    expect(eventsOf(events, "worker.backoff").filter((e) => e.worker === "w2")).toEqual([]);
    const started = eventsOf(events, "worker.started").filter((e) => e.worker === "w2" && e.t > STOP_AT);
    expect(started.map((e) => e.t)).toEqual([killAt]);
  });

  it("kills a worker frozen while it waits at the grace's end, its leases left to expire", () => {
    const events = world([
      { action: "restart-worker", worker: "w2", atMs: STOP_AT },
      { action: "pause-worker", worker: "w2", durationMs: 2 * MIN, atMs: STOP_AT + 2_000 },
    ]);
    const { stopping, stopped } = stopOf(events, STOP_AT);
    expect(stopping?.inFlight).toBeGreaterThan(0);
    expect(stopped!.t - STOP_AT).toBeGreaterThanOrEqual(30_000);
    expect(stopped!.t - STOP_AT).toBeLessThanOrEqual(30_100);
    expect(stopped!.graceful).toBe(false);
    expect(eventsOf(events, "lease.expired").filter((e) => e.worker === "w2").length).toBeGreaterThan(0);
  });

  it("takes a scale-down's worker out of the fleet at once, and its process after its tasks", () => {
    const events = world([{ action: "scale", workers: 3, atMs: STOP_AT }]);
    const removed = eventsOf(events, "worker.removed");
    expect(removed.map((e) => [e.worker, e.t])).toEqual([["w4", STOP_AT]]);
    const stopping = eventsOf(events, "worker.stopping").find((e) => e.worker === "w4")!;
    expect(stopping.why).toBe("scale-down");
    expect(stopping.inFlight).toBeGreaterThan(0);
    const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w4")!;
    expect(stopped.t).toBeGreaterThan(STOP_AT);
    expect(eventsOf(events, "worker.started").filter((e) => e.worker === "w4" && e.t > START)).toEqual([]);
    expect(duplicates(events)).toBe(0);
    // Not counted up while it drains.
    const samples = eventsOf(events, "metrics.sampled").filter((e) => e.t > STOP_AT && e.t < stopped.t);
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expect(s.workersUp).toBe(3);
  });

  it("in a rolling deploy, starts each new process after the old one is gone, one worker down at a time", () => {
    const events = world([
      { action: "deploy", scheduler: "v2", fixes: FIXED, stepDelayMs: 5_000, atMs: STOP_AT },
    ]);
    const stops = eventsOf(events, "worker.stopping");
    expect(stops.length).toBeGreaterThan(0);
    for (const id of ["w1", "w2", "w3", "w4"]) {
      const stopped = eventsOf(events, "worker.stopped").filter((e) => e.worker === id && e.why === "deploy");
      const started = eventsOf(events, "worker.started").filter((e) => e.worker === id && e.t >= STOP_AT);
      expect(stopped, id).toHaveLength(1);
      expect(started, id).toHaveLength(1);
      expect(started[0].seq, id).toBeGreaterThan(stopped[0].seq);
    }
    const finished = eventsOf(events, "deploy.finished");
    expect(finished).toHaveLength(1);
    for (const s of eventsOf(events, "metrics.sampled").filter((e) => e.t >= STOP_AT))
      expect(s.workersUp, `at ${s.t - START} ms`).toBeGreaterThanOrEqual(3);
    expect(duplicates(events)).toBe(0);
    expectExclusiveOwnership(events);
  });

  it("goes on to the later request's process when a deploy reaches a worker still stopping for a restart", () => {
    const events = world([
      { action: "restart-worker", worker: "w1", atMs: STOP_AT },
      { action: "deploy", scheduler: "v1", fixes: [], stepDelayMs: 5_000, atMs: STOP_AT + 1_000 },
    ]);
    expect(eventsOf(events, "worker.stopping").find((e) => e.worker === "w1")?.why).toBe("restart");
    // One stop, then the deploy's version; the rollout goes on past it to the end.
    expect(eventsOf(events, "worker.stopped").filter((e) => e.worker === "w1")).toHaveLength(1);
    const last = new Map(eventsOf(events, "worker.started").map((e) => [e.worker, e.scheduler]));
    expect([...last]).toEqual([
      ["w1", "v1"],
      ["w2", "v1"],
      ["w3", "v1"],
      ["w4", "v1"],
    ]);
    expect(eventsOf(events, "deploy.finished")).toHaveLength(1);
    expect(eventsOf(events, "deploy.finished")[0].supersededBy).toBeUndefined();
  });

  it("is drawn as it goes: the lane stopped from its start, a Perfetto slice, the on-call log", () => {
    const events = world([{ action: "scale", workers: 3, atMs: STOP_AT }]);
    const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w4")!;
    const lanes = new LaneRecorder();
    const observer = new OnCallObserver();
    const slices: { name: string; ph: string; ts: number; pid: number }[] = [];
    const perfetto = new PerfettoTraceBuilder((json) => slices.push(JSON.parse(json)));
    for (const e of events) {
      lanes.onEvent(e);
      observer.onEvent(e);
      perfetto.onEvent(e);
    }
    // The lane stops serving as the stop begins, as workersUp does.
    const lane = lanes.finish().find((l) => l.worker === "w4")!;
    expect(lane.segments.filter((g) => g.state === "stopped").map((g) => g.from)).toEqual([STOP_AT]);
    // Perfetto: a slice from the stop's start to its end.
    const stopping = slices.filter((x) => x.name === "stopping (finishing its tasks)");
    expect(stopping.map((x) => x.ph)).toEqual(["B", "E"]);
    expect(stopping[1].ts - stopping[0].ts).toBe((stopped.t - STOP_AT) * 1000);
    // The on-call log: the shutdown and its end, once each.
    const said = observer.logs.filter((l) => l.source === "w4").map((l) => [l.t, l.text]);
    expect(said.filter(([, text]) => String(text).includes("shutting down gracefully"))).toHaveLength(1);
    expect(said).toContainEqual([
      STOP_AT,
      expect.stringMatching(/^shutting down gracefully \(scale-down\): finishing \d+ task\(s\) under way$/),
    ]);
    expect(said).toContainEqual([stopped.t, "stopped (scale-down): its tasks done"]);
  });

  it("counts the wait as no worker serving: the fleet's only worker restarted is an outage from the stop's start", () => {
    const config = stopWorld({
      workers: 1,
      destination: { latencyMs: 20_000, jitter: 0 },
      timeline: [{ action: "restart-worker", worker: "w1", atMs: STOP_AT }],
    });
    const { events } = runWorld(config);
    const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w1")!;
    const ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w1" && e.t > STOP_AT)!;
    expect(stopped.t).toBeGreaterThan(STOP_AT);
    expect(ready.t - stopped.t).toBe(config.fleet.startupTimeMs);
    const { metrics } = reportOf(events);
    expect(metrics.fullOutageMs).toBe(ready.t - STOP_AT);
    expect(metrics.workersMinUp).toBe(0);
  });

  it("brings a worker restarted while it stops for a deploy back on the deploy's version", () => {
    const events = world([
      { action: "deploy", scheduler: "v1", fixes: [], stepDelayMs: 5_000, atMs: STOP_AT },
      { action: "restart-worker", worker: "w1", atMs: STOP_AT + 4_000 },
    ]);
    const w1 = eventsOf(events, "worker.started").filter((e) => e.worker === "w1" && e.t > STOP_AT);
    expect(w1.map((e) => e.scheduler)).toEqual(["v1"]);
    const last = new Map(eventsOf(events, "worker.started").map((e) => [e.worker, e.scheduler]));
    expect([...last.values()]).toEqual(["v1", "v1", "v1", "v1"]);
  });

  it("keeps one serving worker down at most when a deploy supersedes one whose worker is stopping", () => {
    const events = world([
      { action: "deploy", scheduler: "v1", fixes: [], stepDelayMs: 5_000, atMs: STOP_AT },
      {
        action: "deploy",
        scheduler: "v2",
        fixes: ["early-return"],
        stepDelayMs: 5_000,
        atMs: STOP_AT + 4_000,
      },
    ]);
    const samples = eventsOf(events, "metrics.sampled").filter((e) => e.t >= STOP_AT);
    expect(samples.length).toBeGreaterThan(10);
    for (const s of samples) expect(s.workersUp, `at ${(s.t - START) / 1000} s`).toBeGreaterThanOrEqual(3);
    const last = new Map(eventsOf(events, "worker.started").map((e) => [e.worker, e.fixes]));
    expect([...last.values()]).toEqual([
      ["early-return"],
      ["early-return"],
      ["early-return"],
      ["early-return"],
    ]);
  });

  it("waits its grace, not a lease TTL, when the grace is the longer: no lease is given up under a task", () => {
    const config = stopWorld({
      workers: 4,
      destination: { latencyMs: 45_000, jitter: 0, timeoutMs: 60_000 },
      fleet: { shutdownGraceMs: 60_000, leaseTtlMs: 30_000 },
      timeline: [{ action: "restart-worker", worker: "w2", atMs: STOP_AT }],
    });
    const { events } = runWorld(config);
    const { stopping, stopped } = stopOf(events, STOP_AT);
    expect(stopping?.inFlight).toBeGreaterThan(0);
    expect(stopped!.t - STOP_AT).toBeGreaterThanOrEqual(43_000);
    expect(stopped!.abandoned).toBeUndefined();
    // Every task it had under way committed; none was fenced for a lease given up under it.
    const commits = eventsOf(events, "task.committed").filter(
      (e) => e.worker === "w2" && e.t > STOP_AT && e.t <= stopped!.t,
    );
    expect(commits).toHaveLength(stopping!.inFlight);
    expect(eventsOf(events, "task.fenced").filter((e) => e.worker === "w2")).toEqual([]);
  });

  it("leaves a scale-down's worker finishing its tasks out of kills and pauses: it is out of the fleet", () => {
    const drawn = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const config = smallWorldConfig({
        fixes: FIXED,
        workers: 4,
        accounts: 30,
        seed,
        deleteAtMs: null,
        durationMs: 4 * MIN,
        destination: { latencyMs: 20_000, jitter: 0 },
        timeline: [
          { action: "scale", workers: 3, atMs: STOP_AT },
          { action: "kill-worker", worker: "random", atMs: STOP_AT + 4_000 },
          { action: "kill-worker", worker: "w4", atMs: STOP_AT + 5_000 },
        ],
      });
      const { events } = runWorld(config);
      expect(eventsOf(events, "worker.stopping").find((e) => e.worker === "w4")?.inFlight).toBeGreaterThan(0);
      const [random, named] = eventsOf(events, "operator.action").filter((e) => e.action === "kill-worker");
      drawn.add(random.worker!);
      expect([named.applied, named.reason]).toEqual([false, "w4 was removed by a scale-down"]);
      expect(eventsOf(events, "worker.crashed").map((e) => e.worker)).toEqual([random.worker]);
    }
    expect(drawn.has("w4")).toBe(false);
    expect(drawn.size).toBeGreaterThan(1);
  });

  it("keeps one serving worker down at most through three deploys in a row while a worker stops", () => {
    const config = smallWorldConfig({
      fixes: FIXED,
      workers: 4,
      accounts: 30,
      deleteAtMs: null,
      durationMs: 8 * MIN,
      destination: { latencyMs: 20_000, jitter: 0 },
      fleet: { startupTimeMs: 40_000 },
      timeline: [
        { action: "deploy", scheduler: "v2", fixes: FIXED, stepDelayMs: 1_000, atMs: STOP_AT },
        {
          action: "deploy",
          scheduler: "v2",
          fixes: ["early-return"],
          stepDelayMs: 1_000,
          atMs: STOP_AT + 64_000,
        },
        { action: "deploy", scheduler: "v2", fixes: FIXED, stepDelayMs: 1_000, atMs: STOP_AT + 69_000 },
      ],
    });
    const { events } = runWorld({ ...config, sampleIntervalMs: 1_000 });
    expect(eventsOf(events, "worker.stopping").length).toBeGreaterThan(1);
    const samples = eventsOf(events, "metrics.sampled").filter((e) => e.t >= STOP_AT);
    for (const x of samples) expect(x.workersUp, `at ${(x.t - START) / 1000} s`).toBeGreaterThanOrEqual(3);
  });

  it("never overruns its grace: 250 ms waits 250 ms, 0 stops at once with what is under way", () => {
    for (const grace of [250, 0]) {
      const events = world([{ action: "restart-worker", worker: "w2", atMs: STOP_AT }], {
        shutdownGraceMs: grace,
      });
      const { stopping, stopped } = stopOf(events, STOP_AT);
      expect(stopped!.t - STOP_AT, `grace ${grace}`).toBe(grace);
      expect(stopped!.abandoned, `grace ${grace}`).toBe(stopping!.inFlight);
    }
  });

  it("counts the tasks under way of leases it lost while frozen: they are abandoned, not done", () => {
    const config = stopWorld({
      workers: 4,
      destination: { latencyMs: 50_000, jitter: 0, timeoutMs: 60_000 },
      fleet: { shutdownGraceMs: 60_000 },
      timeline: [
        { action: "restart-worker", worker: "w2", atMs: STOP_AT },
        { action: "pause-worker", worker: "w2", durationMs: 40_000, atMs: STOP_AT + 2_000 },
      ],
    });
    const { events } = runWorld(config);
    const { stopping, stopped } = stopOf(events, STOP_AT);
    expect(eventsOf(events, "lease.expired").filter((e) => e.worker === "w2").length).toBeGreaterThan(0);
    // Thawed at +42 s with its deliveries still under way (50 s): it waits for them, not stops as done.
    expect(stopped!.t - STOP_AT).toBeGreaterThanOrEqual(49_000);
    expect(stopping!.inFlight).toBeGreaterThan(0);
  });

  it("draws a worker that dies while it stops for a scale-down as stopped, not in back-off; thawed while it stops, not serving", () => {
    // Without panic-recovery, a panic armed as the fleet scales to 0 kills a process that stops.
    const config = smallWorldConfig({
      fixes: ["early-return"],
      workers: 2,
      accounts: 10,
      deleteAtMs: null,
      durationMs: 5 * MIN,
      destination: { latencyMs: 20_000, jitter: 0 },
      timeline: [{ action: "scale", workers: 0, atMs: STOP_AT }],
    });
    const { events: scaled } = runWorld(config, (w) => {
      w.sim.after(STOP_AT + 1_000 - START, () => injectPanic(w, { point: "before-commit", count: 1 }));
    });
    const died = eventsOf(scaled, "worker.crashed");
    expect(died).toHaveLength(1);
    expect(eventsOf(scaled, "worker.stopping").map((e) => e.worker)).toContain(died[0].worker);
    expect(eventsOf(scaled, "worker.backoff")).toEqual([]);
    const lanesOf = (events: readonly TraceEvent[], worker: string) => {
      const lanes = new LaneRecorder();
      for (const e of events) lanes.onEvent(e);
      return lanes
        .finish()
        .find((l) => l.worker === worker)!
        .segments.filter((g) => g.from >= STOP_AT);
    };
    expect(lanesOf(scaled, died[0].worker).at(-1)?.state).toBe("stopped");
    const paused = world([
      { action: "restart-worker", worker: "w2", atMs: STOP_AT },
      { action: "pause-worker", worker: "w2", durationMs: 3_000, atMs: STOP_AT + 2_000 },
    ]);
    const stopped = eventsOf(paused, "worker.stopped").find((e) => e.worker === "w2")!;
    expect(lanesOf(paused, "w2").map((g) => [g.state, g.from - STOP_AT])).toEqual([
      ["stopped", 0],
      ["paused", 2_000],
      ["stopped", 5_000],
      ["starting", stopped.t - STOP_AT],
      ["serving", stopped.t - STOP_AT + 15_000],
    ]);
  });

  it("does not wait for a transaction a module made again after committing it, which holds no work", () => {
    function* task(tx: TaskTx): GoroutineBody {
      const err = yield* tx.commit();
      // Restarted, then rolled back, after its commit: new transactions of no work, dropped.
      if (err === null) tx.restart().rollback();
    }
    const again: SchedulerFactory = {
      name: "again",
      description: "again",
      fixes: [],
      create: () => ({
        name: "again",
        fixes: [],
        *main(rt: Runtime): GoroutineBody {
          for (;;) {
            const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), 16);
            if (err === null) for (const tx of claim.tasks) rt.go(`t ${tx.task}`, task(tx), tx);
            yield rt.sleep(1000);
          }
        },
      }),
    };
    const config = stopWorld({
      scheduler: "again",
      fixes: [],
      destination: { latencyMs: 100 },
      timeline: [{ action: "restart-worker", worker: "w2", atMs: STOP_AT + 29_000 }],
    });
    const { events } = runWorld(config, undefined, [again]);
    expect(eventsOf(events, "task.committed").filter((e) => e.worker === "w2").length).toBeGreaterThan(0);
    expect(eventsOf(events, "worker.stopping").filter((e) => e.worker === "w2")).toEqual([]);
    const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w2")!;
    expect([stopped.t, stopped.abandoned]).toEqual([STOP_AT + 29_000, undefined]);
  });
});

describe("a stop inside a cascade", () => {
  it("counts a worker its poison task kills while it stops as a link of the cascade, and the restart goes on", () => {
    // Without panic-recovery, w2 is restarted with a delivery under way whose task then panics
    // after it: the stopping process dies, the partition's next owner fires the task again and
    // dies of it too, and so on while the panic lasts.
    const config = smallWorldConfig({
      fixes: ["early-return"],
      workers: 3,
      accounts: 12,
      deleteAtMs: null,
      durationMs: 6 * MIN,
      destination: { latencyMs: 20_000, jitter: 0 },
      timeline: [{ action: "restart-worker", worker: "w2", atMs: STOP_AT }],
    });
    // A schedule whose task w2 has under way at the stop (the same run, without the panic, so far).
    const { events: before } = runWorld(config);
    const underWay = eventsOf(before, "schedule.fired").find(
      (e) => e.worker === "w2" && e.t > START + 2 * MIN - 1_000 && e.t < STOP_AT,
    )!;
    const schedule = String(underWay.schedule);
    const { events } = runWorld(config, (w) => {
      w.sim.after(STOP_AT + 1_000 - START, () =>
        injectPanic(w, { point: "after-delivery", schedule, count: 2 }),
      );
    });
    const stopping = eventsOf(events, "worker.stopping").find((e) => e.worker === "w2")!;
    const crashes = eventsOf(events, "worker.crashed").filter((e) => e.reason === "panic");
    expect(crashes).toHaveLength(2);
    // The first death is w2's, in its stop, before it exited: it never stopped, and no back-off.
    expect(crashes[0].worker).toBe("w2");
    expect(crashes[0].t).toBeGreaterThan(stopping.t);
    expect(eventsOf(events, "worker.stopped").filter((e) => e.worker === "w2")).toEqual([]);
    expect(eventsOf(events, "worker.backoff").filter((e) => e.worker === "w2")).toEqual([]);
    const restarted = eventsOf(events, "worker.started").filter((e) => e.worker === "w2" && e.t > STOP_AT);
    expect(restarted.map((e) => e.t)).toEqual([crashes[0].t]);
    // The second is another worker's, of the same task fired again after the hand-off.
    expect(crashes[1].worker).not.toBe("w2");
    const report = reportOf(events).metrics;
    expect(report.panicDeaths).toBe(2);
    expect(report.cascade).toBe(true);
    expect(report.cascadeDepth).toBe(2);
    expect(report.poisonSchedules).toEqual([schedule]);
    expect(report.cascadeWorkers).toEqual(["w2", crashes[1].worker]);
    expectExclusiveOwnership(events);
  });
});

describe("a graceful stop in a store outage", () => {
  // Half a minute after the fires, when w2 has nothing under way: it stops at once.
  const QUIET_STOP = START + 2 * MIN + 30_000;
  const restart: TimedAction[] = [{ action: "restart-worker", worker: "w2", atMs: QUIET_STOP }];

  it("gives no lease back (the calls fail): they run out by their TTL and the others take them then", () => {
    const config = stopWorld({ timeline: restart });
    const calm = runWorld(config).events;
    const { events } = runWorld(config, (w) =>
      scheduleFaults(w, [{ atMs: QUIET_STOP - 1_000, fault: "store-outage", durationMs: 5_000 }]),
    );
    // Without the outage, the stop gives every lease back at once.
    const calmStop = stopOf(calm, QUIET_STOP).stopped!;
    const given = eventsOf(calm, "lease.released").filter((e) => e.worker === "w2" && e.t === QUIET_STOP);
    expect(given.length).toBeGreaterThan(0);
    expect(calmStop.unreleased).toBeUndefined();

    const stopped = stopOf(events, QUIET_STOP).stopped!;
    expect(stopped.t).toBe(QUIET_STOP);
    expect(stopped.unreleased).toBe(given.length);
    expect(eventText(stopped)).toBe(
      `w2 stopped (restart), ${given.length} leases not given back (the store was down)`,
    );
    expect(eventsOf(events, "lease.released").filter((e) => e.worker === "w2" && e.t === QUIET_STOP)).toEqual(
      [],
    );
    // Each of those partitions changes hands only once its lease ran out, a TTL after w2's last
    // heartbeat before the outage: after the lease expired, never at the stop.
    const ttl = config.fleet.leaseTtlMs;
    for (const { partition } of given) {
      const next = eventsOf(events, "lease.acquired").find(
        (e) => e.partition === partition && e.t >= QUIET_STOP,
      )!;
      expect(next.previous, `partition ${partition}`).toBe("w2");
      const expired = eventsOf(events, "lease.expired").find((e) => e.seq === next.cause)!;
      expect(expired.worker).toBe("w2");
      // The stop that left it ended it, as a crash would: the expiry follows from it.
      expect(expired.cause).toBe(stopped.seq);
      expect(expired.expiredAt).toBeGreaterThan(QUIET_STOP - 1_000);
      expect(expired.expiredAt).toBeLessThanOrEqual(QUIET_STOP - 1_000 + ttl);
      expect(next.t).toBeGreaterThanOrEqual(expired.expiredAt);
      // And `why` walks from the hand-off back through the stop, not "w2 did not die".
      const chain = causalChain(events, next.seq);
      expect(chain.map((link) => link.seq)).toContain(stopped.seq);
      // With the outage that kept it from giving the lease back, as context.
      const outage = chain.find((link) => link.type === "fault.injected" && link.fault === "store-outage");
      expect(outage?.context).toBe(
        `the store was down when w2 stopped, #${stopped.seq}: it could not give its leases back`,
      );
    }
    // The key events tell it as the stop it was, not as leases that ran out while w2 was up.
    const told = reportOf(events).timeline.map((entry) => entry.text);
    expect(told).toContain(
      `w2 stopped in a store outage (restart): it could not give back ${given.length} leases, which run out`,
    );
    expect(told.filter((text) => / expired .* while .* up .*w2/.test(text))).toEqual([]);
    expectExclusiveOwnership(events);
  });
});

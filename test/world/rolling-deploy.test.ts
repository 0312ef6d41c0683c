// Shows a rolling deploy: workers replaced one at a time in fleet order, each step waiting for the previous serving worker's replacement to be ready and then stepDelayMs, so the deploy never has two serving workers down; graceful stops (leases released), a worker waiting in back-off or frozen replaced at once.
import { describe, expect, it } from "vitest";
import { InvariantViolation, type TraceEvent } from "../../src/kernel/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { DEFAULT_FLEET, type TimedAction } from "../../src/world/config.js";
import { World } from "../../src/world/world.js";
import {
  eventsOf,
  expectExclusiveOwnership,
  FIXED,
  leaseGrants,
  MIN,
  runWorld,
  type SmallWorldOptions,
  START,
  smallWorldConfig,
} from "./helpers.js";

const DEPLOY_AT = START + 5 * MIN;
const STEP_MS = 30_000;
const STARTUP_MS = DEFAULT_FLEET.startupTimeMs;
/** Time between two steps when every worker was serving: its replacement's start-up, then the step delay. */
const PACE_MS = STARTUP_MS + STEP_MS;

/** Runs the small world with the fixed scheduler (nothing dies unless a fault kills it) for 10 minutes. */
function runFixed(timeline: TimedAction[], fleet: SmallWorldOptions["fleet"] = {}): TraceEvent[] {
  return runWorld(smallWorldConfig({ fixes: FIXED, deleteAtMs: null, durationMs: 10 * MIN, fleet, timeline }))
    .events;
}
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
      ["w2", 1, PACE_MS],
      ["w3", 2, 2 * PACE_MS],
      ["w4", 3, 3 * PACE_MS],
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
      expect(ready!.t - step.t).toBe(STARTUP_MS);
      // One at a time: the next worker goes down a step delay after this one's replacement serves.
      const nextStep = steps.find((s) => s.index === step.index + 1);
      if (nextStep) {
        expect(nextStep.t).toBe(ready!.t + STEP_MS);
        expect(nextStep.cause).toBe(ready!.seq);
      }
    }
    expect(maxServingDownByDeploy(events)).toBe(1);
    // Done once the last new process has served a step delay (a Deployment's pods all available),
    // not as its replacement began.
    const finished = eventsOf(events, "deploy.finished");
    expect(finished).toHaveLength(1);
    const lastReady = eventsOf(events, "worker.ready").find((e) => e.worker === "w4" && e.incarnation === 2)!;
    expect(finished[0].t).toBe(lastReady.t + STEP_MS);
    expect(finished[0].t).toBe(steps[3].t + PACE_MS);
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
    const events = runFixed([deploy, { action: "kill-worker", worker: "w3", atMs: killAt }], {
      supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 120_000 },
    });
    const backoff = eventsOf(events, "worker.backoff").filter((e) => e.worker === "w3");
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({ t: killAt, delayMs: 120_000 });
    const steps = eventsOf(events, "deploy.progressed");
    const step = steps.find((e) => e.worker === "w3")!;
    expect(step.t).toBe(DEPLOY_AT + 2 * PACE_MS);
    expect(step.t).toBeLessThan(killAt + 120_000);
    // w3 was down already: the rollout does not wait for its replacement to be ready.
    expect(steps.find((e) => e.worker === "w4")!.t).toBe(step.t + STEP_MS);
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

describe("rolling deploy pacing", () => {
  it("with a step delay shorter than start-up, never takes down a second worker before the first serves again", () => {
    const stepMs = 5_000;
    const events = runFixed([{ ...deploy, stepDelayMs: stepMs }], { startupTimeMs: 30_000 });
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.map((s) => [s.worker, s.t - DEPLOY_AT])).toEqual([
      ["w1", 0],
      ["w2", 35_000],
      ["w3", 70_000],
      ["w4", 105_000],
    ]);
    expect(maxServingDownByDeploy(events)).toBe(1);
    const samples = eventsOf(events, "metrics.sampled").filter((e) => e.t >= DEPLOY_AT);
    expect(Math.min(...samples.map((e) => e.workersUp))).toBe(3);
    expect(eventsOf(events, "deploy.finished")[0].t).toBe(steps[3].t + 35_000);
  });

  it("goes on a step delay after a replacement that dies before it is ready", () => {
    const stepMs = 5_000;
    const killAt = DEPLOY_AT + 8_000;
    const events = runFixed([
      { ...deploy, stepDelayMs: stepMs },
      { action: "kill-worker", worker: "w1", atMs: killAt },
    ]);
    const crash = eventsOf(events, "worker.crashed").find((e) => e.worker === "w1")!;
    expect(crash).toMatchObject({ t: killAt, incarnation: 2, reason: "killed" });
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.map((s) => [s.worker, s.t - DEPLOY_AT])).toEqual([
      ["w1", 0],
      ["w2", 8_000 + stepMs],
      ["w3", 8_000 + stepMs + STARTUP_MS + stepMs],
      ["w4", 8_000 + stepMs + 2 * (STARTUP_MS + stepMs)],
    ]);
    expect(steps[1].cause).toBe(crash.seq);
    expect(eventsOf(events, "deploy.finished")).toHaveLength(1);
    expectExclusiveOwnership(events);
  });
});

describe("a deploy started while another is rolling", () => {
  it("supersedes it: the older stops part-way, the newer replaces every worker, one serving worker down at most", () => {
    // The older deploy is slow (a minute between workers); the newer comes while w1 is starting.
    const older: TimedAction = { ...deploy, fixes: ["early-return"], stepDelayMs: 60_000 };
    const newer: TimedAction = { ...deploy, stepDelayMs: 0, atMs: DEPLOY_AT + 10_000 };
    const events = runFixed([older, newer]);
    const [olderStart, newerStart] = eventsOf(events, "deploy.started");
    const finished = eventsOf(events, "deploy.finished");
    expect(finished).toHaveLength(2);
    expect(finished[0]).toMatchObject({
      t: newerStart.t,
      fixes: ["early-return"],
      supersededBy: newerStart.seq,
    });
    expect(finished[0].cause).toBe(newerStart.seq);
    // Part-way: w2 to w4 still ran the older version.
    expect(finished[0].rolledOut).toBeUndefined();
    expect(finished[1].supersededBy).toBeUndefined();
    // The older one replaced w1 only; the newer one every worker, starting once w1 serves again.
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.filter((s) => s.seq < newerStart.seq).map((s) => s.worker)).toEqual(["w1"]);
    const newerSteps = steps.filter((s) => s.seq > newerStart.seq);
    expect(newerSteps.map((s) => s.worker)).toEqual(["w1", "w2", "w3", "w4"]);
    const w1Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w1" && e.t > olderStart.t)!;
    expect(newerSteps[0].t).toBe(w1Ready.t);
    expect(maxServingDownByDeploy(events)).toBe(1);
    // Every worker ends on the newer deploy's scheduler: its last start is the newer one's.
    const lastStart = new Map<string, TraceEvent>();
    for (const e of eventsOf(events, "worker.started")) lastStart.set(String(e.worker), e);
    for (const [worker, e] of lastStart) expect(e.fixes, worker).toEqual(FIXED);
    expectExclusiveOwnership(events);
  });
});

describe("a deploy started as another replaces its last worker", () => {
  it("waits for that worker's new process: the older is not done until it is ready, so one serving worker is down at most", () => {
    // The older deploy's last step (w4) is at 3 paces; the newer comes 5 s later, w4 still starting.
    const newerAt = DEPLOY_AT + 3 * PACE_MS + 5_000;
    const newer: TimedAction = { ...deploy, fixes: ["early-return"], stepDelayMs: 0, atMs: newerAt };
    const events = runFixed([deploy, newer]);
    const finished = eventsOf(events, "deploy.finished");
    // The older one was still under way: the newer supersedes it, then finishes itself.
    expect(finished.map((e) => [e.t, e.fixes, e.supersededBy !== undefined])).toEqual([
      [newerAt, FIXED, true],
      [expect.any(Number), ["early-return"], false],
    ]);
    // Every worker replaced already: superseded in its last wait, not part-way.
    expect(finished[0].rolledOut).toBe(true);
    expect(finished[1].rolledOut).toBeUndefined();
    const w4Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w4" && e.incarnation === 2)!;
    const newerSteps = eventsOf(events, "deploy.progressed").filter((e) => e.t >= newerAt);
    expect(newerSteps[0]).toMatchObject({ worker: "w1", t: w4Ready.t });
    expect(maxServingDownByDeploy(events)).toBe(1);
    expectExclusiveOwnership(events);
  });

  it("superseded once its last new process is ready, before the step delay after it is over, it had rolled out", () => {
    const newerAt = DEPLOY_AT + 3 * PACE_MS + STARTUP_MS + 5_000;
    const newer: TimedAction = { ...deploy, fixes: ["early-return"], atMs: newerAt };
    const events = runFixed([deploy, newer]);
    const w4Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w4" && e.incarnation === 2)!;
    expect(w4Ready.t).toBeLessThan(newerAt);
    const [older] = eventsOf(events, "deploy.finished");
    expect(older).toMatchObject({ t: newerAt, supersededBy: expect.any(Number), rolledOut: true });
  });

  it("superseded while its last worker still finishes its tasks under the old version, it stopped part-way", () => {
    const { events, newerAt, last, stopped } = supersedeWhileLastDrains([]);
    expect(last.t).toBeLessThan(newerAt);
    expect(stopped.t).toBeGreaterThan(newerAt);
    const [older] = eventsOf(events, "deploy.finished");
    expect(older).toMatchObject({ t: newerAt, supersededBy: expect.any(Number) });
    expect(older.rolledOut).toBeUndefined();
  });

  it("superseded after a scale-down removed its last worker while it finished its tasks, it had rolled out, and the newer waits for no one", () => {
    // As above, but w4 leaves the fleet before the newer deploy: it gets no new process.
    const { events, newerAt, last, stopped } = supersedeWhileLastDrains([
      { action: "scale", workers: 3, atMs: DEPLOY_AT + 55_000 - 3 * PACE_MS + 169_000 },
    ]);
    expect(last.t).toBeLessThan(newerAt - 1_000);
    expect(stopped).toMatchObject({ incarnation: 1, why: "deploy" });
    expect(stopped.t).toBeGreaterThan(newerAt);
    expect(eventsOf(events, "worker.started").filter((e) => e.worker === "w4" && e.t >= last.t)).toEqual([]);
    const [older, newer] = eventsOf(events, "deploy.finished");
    expect(older).toMatchObject({ t: newerAt, supersededBy: expect.any(Number), rolledOut: true });
    expect(newer.supersededBy).toBeUndefined();
    // w4 will not serve again: the newer deploy's first step does not wait for its stop.
    const newerSteps = eventsOf(events, "deploy.progressed").filter((e) => e.t >= newerAt);
    expect(newerSteps.map((e) => [e.worker, e.t])).toEqual([
      ["w1", newerAt],
      ["w2", expect.any(Number)],
      ["w3", expect.any(Number)],
    ]);
  });

  it("is done only once a last worker that was finishing its tasks has stopped and its new process is ready", () => {
    // Deliveries of 40 s: w4's stop at its step waits for its tasks under way.
    const events = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        deleteAtMs: null,
        durationMs: 10 * MIN,
        timeline: [{ ...deploy, atMs: DEPLOY_AT + 55_000 - 3 * PACE_MS }],
        destination: { latencyMs: 40_000, jitter: 0 },
      }),
    ).events;
    const last = eventsOf(events, "deploy.progressed").find((e) => e.worker === "w4")!;
    const stopping = eventsOf(events, "worker.stopping").find((e) => e.worker === "w4" && e.t === last.t);
    expect(stopping?.inFlight).toBeGreaterThan(0);
    const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w4" && e.t > last.t)!;
    const ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w4" && e.incarnation === 2)!;
    expect(ready.t).toBe(stopped.t + STARTUP_MS);
    const [finished] = eventsOf(events, "deploy.finished");
    expect(finished.t).toBe(ready.t + STEP_MS);
  });
});

describe("rolling deploy and scaling", () => {
  it("a scale-down during its last worker's start-up does not end it: a deploy right after waits for that worker", () => {
    // Scaled to 5 and back to 4 while w4, the last, starts: w5 was never in the rollout.
    const lastStep = DEPLOY_AT + 3 * PACE_MS;
    const events = runFixed([
      deploy,
      { action: "scale", workers: 5, atMs: DEPLOY_AT + 5_000 },
      { action: "scale", workers: 4, atMs: lastStep + 5_000 },
      { ...deploy, fixes: ["early-return"], stepDelayMs: 0, atMs: lastStep + 6_000 },
    ]);
    const [first] = eventsOf(events, "deploy.finished");
    // The first is still waiting for w4 when the second comes: superseded then, not done at the scale-down.
    expect(first).toMatchObject({ t: lastStep + 6_000, supersededBy: expect.any(Number) });
    const w4Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w4" && e.incarnation === 2)!;
    const newerSteps = eventsOf(events, "deploy.progressed").filter((e) => e.t > lastStep);
    expect(newerSteps[0]).toMatchObject({ worker: "w1", t: w4Ready.t });
    expect(maxServingDownByDeploy(events)).toBe(1);
  });

  it("a scale with a rollout under way that waits for nothing is a broken simulator: an invariant, not a silent end", () => {
    const config = smallWorldConfig({
      fixes: FIXED,
      deleteAtMs: null,
      durationMs: 10 * MIN,
      timeline: [{ ...deploy, atMs: START + 30_000 }],
    });
    const world = new World(config, { schedulers: bundledSchedulers() });
    // After w1's step, the rollout waits for w1's new process to be ready.
    world.runUntil(START + 31_000);
    const inside = world as unknown as {
      rollouts: { armed: boolean; finishing: boolean; draining?: unknown }[];
      startupWaiters: Map<unknown, unknown>;
    };
    expect(inside.rollouts).toHaveLength(1);
    expect(inside.startupWaiters.size).toBe(1);
    // The state no path of the world leaves: no step armed, no process or stop waited for.
    inside.startupWaiters.clear();
    Object.assign(inside.rollouts[0], { armed: false, finishing: false, draining: undefined });
    let thrown: unknown;
    try {
      world.scale(3);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvariantViolation);
    expect((thrown as Error).message).toMatch(
      /^a rollout of v2 \(deploy\.started #\d+\) waits for nothing after a scale to 3$/,
    );
  });

  it("skips the workers a scale-down removed and finishes after its last real step", () => {
    // After w1's step: w4 goes; w2 and w3 are still replaced, and the deploy finishes with w3.
    const events = runFixed([deploy, { action: "scale", workers: 3, atMs: DEPLOY_AT + 10_000 }]);
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.map((s) => [s.worker, s.index, s.t - DEPLOY_AT])).toEqual([
      ["w1", 0, 0],
      ["w2", 1, PACE_MS],
      ["w3", 2, 2 * PACE_MS],
    ]);
    const finished = eventsOf(events, "deploy.finished");
    expect(finished.map((e) => e.t)).toEqual([steps[2].t + PACE_MS]);
    expect(
      eventsOf(events, "worker.stopped")
        .filter((e) => e.worker === "w4")
        .map((e) => e.why),
    ).toEqual(["scale-down"]);
  });

  it("finishes once its last new process is available when a scale-down removes every worker it had left", () => {
    const scaleAt = DEPLOY_AT + PACE_MS + 10_000;
    const events = runFixed([deploy, { action: "scale", workers: 2, atMs: scaleAt }]);
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.map((s) => [s.worker, s.t - DEPLOY_AT])).toEqual([
      ["w1", 0],
      ["w2", PACE_MS],
    ]);
    const removed = eventsOf(events, "worker.removed");
    expect(removed.map((e) => [e.worker, e.t])).toEqual([
      ["w4", scaleAt],
      ["w3", scaleAt],
    ]);
    // w2, replaced before the scale-down, was still starting: the deploy waits for it, then a step.
    const finished = eventsOf(events, "deploy.finished");
    expect(finished).toHaveLength(1);
    const w2Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w2" && e.incarnation === 2)!;
    expect(w2Ready.t).toBeGreaterThan(scaleAt);
    expect(finished[0].t).toBe(w2Ready.t + STEP_MS);
    expect(
      events.filter((e) => e.type.startsWith("deploy.") && e.t > scaleAt && e.seq !== finished[0].seq),
    ).toEqual([]);
  });

  it("waits for a last worker that was not serving when a scale-down removes every worker after it", () => {
    // w3 waits in back-off at its step: the rollout arms its next step, a step delay on. Then w4
    // goes: w3 is the last, and the deploy is done once its new process has served a step delay.
    const events = runFixed(
      [
        deploy,
        { action: "kill-worker", worker: "w3", atMs: DEPLOY_AT + 20_000 },
        { action: "scale", workers: 3, atMs: DEPLOY_AT + 2 * PACE_MS + 1_000 },
      ],
      { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 120_000 } },
    );
    const steps = eventsOf(events, "deploy.progressed");
    expect(steps.map((s) => [s.worker, s.t - DEPLOY_AT])).toEqual([
      ["w1", 0],
      ["w2", PACE_MS],
      ["w3", 2 * PACE_MS],
    ]);
    const w3Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w3" && e.incarnation === 2)!;
    expect(w3Ready.t).toBe(steps[2].t + STARTUP_MS);
    const finished = eventsOf(events, "deploy.finished");
    expect(finished.map((e) => [e.t, e.supersededBy])).toEqual([[w3Ready.t + STEP_MS, undefined]]);
  });

  it("waits for a last worker that was not serving from its new process's death, if it dies starting", () => {
    const stepAt = DEPLOY_AT + 2 * PACE_MS;
    const events = runFixed(
      [
        deploy,
        { action: "kill-worker", worker: "w3", atMs: DEPLOY_AT + 20_000 },
        { action: "scale", workers: 3, atMs: stepAt + 1_000 },
        { action: "kill-worker", worker: "w3", atMs: stepAt + 5_000 },
      ],
      { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 120_000 } },
    );
    const crash = eventsOf(events, "worker.crashed").find((e) => e.worker === "w3" && e.incarnation === 2)!;
    expect(crash.t).toBe(stepAt + 5_000);
    const finished = eventsOf(events, "deploy.finished");
    expect(finished.map((e) => e.t)).toEqual([crash.t + STEP_MS]);
  });

  it("a scale-down after a last worker that was not serving is ready waits out the step delay from its ready", () => {
    // With a step delay longer than start-up, w3 is ready before the scale-down.
    const stepMs = 60_000;
    const stepAt = DEPLOY_AT + 2 * (STARTUP_MS + stepMs);
    const events = runFixed(
      [
        { ...deploy, stepDelayMs: stepMs },
        { action: "kill-worker", worker: "w3", atMs: DEPLOY_AT + 20_000 },
        { action: "scale", workers: 3, atMs: stepAt + STARTUP_MS + 10_000 },
      ],
      { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 300_000 } },
    );
    const w3Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w3" && e.incarnation === 2)!;
    expect(w3Ready.t).toBe(stepAt + STARTUP_MS);
    expect(eventsOf(events, "deploy.finished").map((e) => e.t)).toEqual([w3Ready.t + stepMs]);
  });

  // w3 waits in back-off at its step: the rollout steps to w4 a step delay on, without waiting for
  // w3's new process. A scale-down then removes w4, before its new process is ready: w3's, still
  // starting, is the last in the fleet, and the deploy is done once it has served a step delay.
  it.each([
    { when: "its new process starts", deployAt: DEPLOY_AT, destination: {} },
    // Deliveries of 20 s: w4's step, 10 s into a minute, comes while its old process has tasks
    // under way, and the scale-down while it finishes them (no new process starts).
    {
      when: "its old process finishes its tasks",
      deployAt: DEPLOY_AT - 20_000,
      destination: { latencyMs: 20_000, jitter: 0 },
    },
  ])(
    "waits for a worker not serving it stepped past when a scale-down removes the next while $when",
    ({ deployAt, destination }) => {
      const startupMs = 90_000;
      const w3StepAt = deployAt + 2 * (startupMs + STEP_MS);
      const scaleAt = w3StepAt + STEP_MS + 5_000;
      const events = runWorld(
        smallWorldConfig({
          fixes: FIXED,
          deleteAtMs: null,
          durationMs: 15 * MIN,
          destination,
          fleet: {
            startupTimeMs: startupMs,
            supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 400_000 },
          },
          timeline: [
            { ...deploy, atMs: deployAt },
            { action: "kill-worker", worker: "w3", atMs: deployAt + 20_000 },
            { action: "scale", workers: 3, atMs: scaleAt },
          ],
        }),
      ).events;
      const steps = eventsOf(events, "deploy.progressed");
      expect(steps.map((s) => [s.worker, s.t])).toEqual([
        ["w1", deployAt],
        ["w2", deployAt + startupMs + STEP_MS],
        ["w3", w3StepAt],
        ["w4", w3StepAt + STEP_MS],
      ]);
      const w4 = events.filter((e) => e.worker === "w4" && e.t >= steps[3].t);
      const w4Stopping = eventsOf(w4, "worker.stopping").filter((e) => e.why === "deploy");
      expect(w4Stopping.length, "w4's old process drains at its step").toBe(destination.latencyMs ? 1 : 0);
      const w4Stopped = eventsOf(w4, "worker.stopped").map((e) => [e.incarnation, e.t > scaleAt]);
      // Its old process stops after the scale-down if it drains (no new one then), else at once, and
      // its new one, started at the step, at the scale-down.
      expect(w4Stopped).toEqual(
        destination.latencyMs
          ? [[1, true]]
          : [
              [1, false],
              [2, false],
            ],
      );
      expect(eventsOf(w4, "worker.removed").map((e) => e.t)).toEqual([scaleAt]);
      const w3Ready = eventsOf(events, "worker.ready").find((e) => e.worker === "w3" && e.incarnation === 2)!;
      expect(w3Ready.t).toBe(w3StepAt + startupMs);
      expect(eventsOf(events, "deploy.finished").map((e) => [e.t, e.supersededBy])).toEqual([
        [w3Ready.t + STEP_MS, undefined],
      ]);
    },
  );

  it("leaves the workers a scale-up adds alone: they start on the new version", () => {
    const events = runFixed([
      { ...deploy, scheduler: "v1", fixes: [] },
      { action: "scale", workers: 5, atMs: DEPLOY_AT + 10_000 },
    ]);
    expect(eventsOf(events, "deploy.progressed").map((s) => s.worker)).toEqual(["w1", "w2", "w3", "w4"]);
    const w5 = eventsOf(events, "worker.started").filter((e) => e.worker === "w5");
    expect(w5.map((e) => [e.t, e.scheduler, e.fixes])).toEqual([[DEPLOY_AT + 10_000, "v1", []]]);
  });
});

/**
 * The most serving workers the deploy had down at once, from the trace: a worker stopped by the
 * deploy while it served counts until its replacement is ready (or dies: then the crash, not the
 * deploy, keeps it down).
 */
/**
 * A deploy superseded by a newer one while its last worker, w4, still finishes its tasks under the
 * old version (deliveries of 40 s), with `extra` actions; w4's last step and its old process's stop.
 */
function supersedeWhileLastDrains(extra: TimedAction[]) {
  const olderAt = DEPLOY_AT + 55_000 - 3 * PACE_MS;
  // Its steps wait for stops that finish tasks: w4's comes at olderAt + 167.1 s, its stop 15.1 s on.
  const newerAt = olderAt + 170_000;
  const older = {
    action: "deploy",
    scheduler: "v2",
    fixes: FIXED,
    stepDelayMs: STEP_MS,
    atMs: olderAt,
  } as const;
  const newer: TimedAction = { ...older, fixes: ["early-return"], atMs: newerAt };
  const events = runWorld(
    smallWorldConfig({
      fixes: FIXED,
      deleteAtMs: null,
      durationMs: 10 * MIN,
      timeline: [older, ...extra, newer],
      destination: { latencyMs: 40_000, jitter: 0 },
    }),
  ).events;
  const last = eventsOf(events, "deploy.progressed").find((e) => e.worker === "w4")!;
  const stopped = eventsOf(events, "worker.stopped").find((e) => e.worker === "w4" && e.t >= last.t)!;
  return { events, newerAt, last, stopped };
}

function maxServingDownByDeploy(events: readonly TraceEvent[]): number {
  const serving = new Set<string>();
  const down = new Set<string>();
  let most = 0;
  for (const e of events) {
    const worker = String(e.worker);
    switch (e.type) {
      case "worker.ready":
      case "worker.resumed":
        down.delete(worker);
        serving.add(worker);
        break;
      case "worker.paused":
        serving.delete(worker);
        break;
      case "worker.crashed":
        down.delete(worker);
        serving.delete(worker);
        break;
      case "worker.stopped":
        if (e.why === "deploy" && serving.has(worker)) down.add(worker);
        serving.delete(worker);
        break;
    }
    most = Math.max(most, down.size);
  }
  return most;
}

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
      const events = runFixed([pause(c.worker), c.action]);
      const pausedAt = ACT_AT - 2_000;
      const stopped = eventsOf(events, "worker.stopped").filter((e) => e.worker === c.worker);
      expect(stopped).toHaveLength(1);
      const stop = stopped[0];
      expect(stop).toMatchObject({ why: c.why, incarnation: 1, graceful: false });
      expect(stop.t).toBeGreaterThan(pausedAt);
      expect(stop.t).toBeLessThan(pausedAt + 60_000);
      // A frozen process runs no shutdown: nothing released, its leases run out their TTL.
      const grants = leaseGrants(events);
      const frozenTokens = new Set(
        grants.filter((g) => g.worker === c.worker && g.incarnation === 1).map((g) => g.token),
      );
      expect(
        eventsOf(events, "lease.released").filter((e) => frozenTokens.has(e.token) && e.t >= pausedAt),
      ).toEqual([]);
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
      if (c.why === "deploy") {
        const next = eventsOf(events, "deploy.progressed").find((e) => e.worker === "w3")!;
        expect(next.t, "a frozen worker was not serving: the rollout does not wait for its replacement").toBe(
          stop.t + 5_000,
        );
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

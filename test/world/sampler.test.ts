// Shows what the metrics sampler reports (delivery lag percentiles, crashes in the last minute) and that an alert fires once per episode of its rule holding.
import { describe, expect, it } from "vitest";
import { CollectSink, Simulation } from "../../src/kernel/index.js";
import type { AlertRule } from "../../src/world/config.js";
import { type GaugeSource, Sampler } from "../../src/world/sampler.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

const INTERVAL_MS = 10_000;

/**
 * A gauge source whose workers-up reading follows `workersUp`, one value per sample, whose lags
 * are `lags` and whose due work is `backlog`, as [age, schedules] pairs.
 */
function scriptedSource(
  workersUp: readonly number[],
  lags: readonly number[] = [],
  backlog: readonly (readonly [number, number])[] = [],
): GaugeSource {
  let samples = 0;
  return {
    workersUp: () => workersUp[Math.min(samples++, workersUp.length - 1)],
    workersCrashLooping: () => 0,
    crashesSince: () => 0,
    dueBacklog: (ageGroups) => {
      for (const [age, schedules] of backlog) ageGroups.push(age, schedules);
      return backlog.reduce((sum, [, schedules]) => sum + schedules, 0);
    },
    takeDeliveryLags: () => [...lags],
  };
}

/** Runs a sampler over `source` for `ticks` samples and returns the trace. */
function sampled(source: GaugeSource, rules: readonly AlertRule[], ticks: number) {
  const sim = new Simulation({
    seed: 1,
    startMs: START,
    limits: { horizonMs: START + ticks * INTERVAL_MS, maxEvents: 10_000 },
  });
  const sink = new CollectSink();
  sim.trace.addSink(sink);
  new Sampler(sim, source, rules, INTERVAL_MS).start();
  sim.run();
  return sink.events;
}

describe("the metrics sampler", () => {
  it("reports the 50th and 99th percentiles of the delivery lags it took", () => {
    // 100 lags, 1 to 100 ms, out of order: p50 is the 50th smallest, p99 the 99th.
    const lags = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    const [first] = eventsOf(sampled(scriptedSource([4], lags), [], 1), "metrics.sampled");
    expect(first).toMatchObject({ lagP50Ms: 50, lagP99Ms: 99 });
  });

  it("counts the age of due work once per schedule in the lag percentiles, and the schedules in the backlog", () => {
    // Lags 1 to 100, 100 schedules due 30 ms ago, 50 due 200 ms ago: 250 values, sorted
    // 1..30, 30 (100 times), 31..100, 200 (50 times). p50 is the 125th (30), p99 the 248th (200).
    const lags = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    const backlog = [
      [200, 50],
      [30, 100],
    ] as const;
    const [first] = eventsOf(sampled(scriptedSource([4], lags, backlog), [], 1), "metrics.sampled");
    expect(first).toMatchObject({ dueBacklog: 150, lagP50Ms: 30, lagP99Ms: 200 });
  });

  it("counts a crash in crashesLastMinute 45 s after it, and no longer a minute and more after", () => {
    const killedAt = START + MIN + 5_000;
    const { events } = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        deleteAtMs: null,
        durationMs: 4 * MIN,
        timeline: [{ action: "kill-worker", worker: "w2", atMs: killedAt }],
      }),
    );
    const crashes = (t: number) =>
      eventsOf(events, "metrics.sampled").find((e) => e.t === t)?.crashesLastMinute;
    expect(crashes(killedAt - 5_000)).toBe(0);
    expect(crashes(killedAt + 5_000)).toBe(1);
    expect(crashes(killedAt + 45_000)).toBe(1);
    expect(crashes(killedAt + 65_000)).toBe(0);
  });
});

describe("alert rules", () => {
  const rule: AlertRule = { name: "fleet-down", metric: "workersUp", op: "<", threshold: 2 };

  it("fire once when their rule starts holding, resolve when it stops, and fire again for a new episode", () => {
    const events = sampled(scriptedSource([4, 1, 1, 1, 4, 4, 0, 1, 3, 3]), [rule], 10);
    const at = (t: number) => (t - START) / INTERVAL_MS;
    expect(eventsOf(events, "alert.fired").map((e) => [at(e.t), e.value])).toEqual([
      [2, 1],
      [7, 0],
    ]);
    expect(eventsOf(events, "alert.resolved").map((e) => [at(e.t), e.value])).toEqual([
      [5, 4],
      [9, 3],
    ]);
  });
});

describe("alert rules with a `for`", () => {
  const rule: AlertRule = { name: "fleet-down", metric: "workersUp", op: "<", threshold: 2, forMs: 20_000 };

  it("fire only once the rule has held at every sample for that long, and a sample that does not hold starts it again", () => {
    // Held at samples 2, 3 and 4: fires at 4 (20 s after 2). Held at 7 and 8 only (10 s): never fires.
    const events = sampled(scriptedSource([4, 1, 1, 1, 4, 4, 0, 1, 3, 3]), [rule], 10);
    const at = (t: number) => (t - START) / INTERVAL_MS;
    expect(eventsOf(events, "alert.fired").map((e) => [at(e.t), e.value, e.forMs])).toEqual([[4, 1, 20_000]]);
    expect(eventsOf(events, "alert.resolved").map((e) => [at(e.t), e.value])).toEqual([[5, 4]]);
  });

  it("count from the first sample that holds, so a `for` shorter than the interval waits for the next sample", () => {
    const events = sampled(scriptedSource([4, 1, 1, 4]), [{ ...rule, forMs: 5_000 }], 4);
    const at = (t: number) => (t - START) / INTERVAL_MS;
    expect(eventsOf(events, "alert.fired").map((e) => at(e.t))).toEqual([3]);
  });
});

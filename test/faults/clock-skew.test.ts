// Shows that a clock-skew fault changes what the skewed worker does: it claims as due what its own clock says is due (set back, it fires late; set ahead, early), for the fault's duration or to the end of the run.
import { describe, expect, it } from "vitest";
import { faultEndMs, scheduleFaults } from "../../src/faults/index.js";
import type { GoroutineBody, Simulation, TraceEvent } from "../../src/kernel/index.js";
import { clockSkewOf } from "../../src/world/events.js";
import type { Runtime, SchedulerFactory } from "../../src/world/runtime.js";
import { at, eventsOf, runDocument, smallDocument, type TracedRun } from "../explore/helpers.js";
import { MIN, runWorld, smallWorldConfig } from "../world/helpers.js";

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;

/** The `schedule.fired` events of one worker, optionally only those for dues in [fromMs, toMs). */
function firesOf(run: TracedRun, worker: string, fromMs = 0, toMs = Number.POSITIVE_INFINITY): TraceEvent[] {
  return eventsOf(
    run,
    "schedule.fired",
    (e) => e.worker === worker && Number(e.due) >= fromMs && Number(e.due) < toMs,
  );
}

/** How long after its due time each fire came (negative: before it). */
function delays(fires: readonly TraceEvent[]): number[] {
  return fires.map((e) => e.t - Number(e.due));
}

function schedulesOf(fires: readonly TraceEvent[]): Set<string> {
  return new Set(fires.map((e) => String(e.schedule)));
}

function verdict(run: TracedRun, property: string) {
  return run.report.verdicts.find((v) => v.property === property)!;
}

describe("clock-skew", () => {
  it("a clock set 2 minutes back fires that worker's dues 2 minutes late, and only that worker's", () => {
    const run = runDocument(
      smallDocument({ faults: [{ at: "+2m", fault: "clock-skew", worker: "w3", skew: "-2m" }] }),
    );
    const skewed = firesOf(run, "w3", at(2));
    const w3Schedules = schedulesOf(skewed);
    expect(w3Schedules.size).toBeGreaterThan(0);
    // Each due from the skew on comes due by w3's clock 2 minutes later; v2 claims on its 1 s
    // tick, and the store call takes a few ms.
    for (const d of delays(skewed)) {
      expect(d).toBeGreaterThanOrEqual(2 * MIN);
      expect(d).toBeLessThan(2 * MIN + SECOND_MS);
    }
    // Nothing of w3's partitions is lost: each of its schedules fires every due 2m..17m.
    for (const s of w3Schedules) {
      const dues = skewed.filter((e) => e.schedule === s).map((e) => Number(e.due));
      expect(dues).toEqual(Array.from({ length: 16 }, (_, i) => at(2 + i)));
    }
    for (const worker of ["w1", "w2"]) {
      for (const d of delays(firesOf(run, worker))) expect(d).toBeLessThan(SECOND_MS);
    }
    // Hand count: w3's dues 2m..19m (18 a schedule, the last SLO window ends at the 20m horizon)
    // are all over the SLO of 1m: late when fired by 17m, missed when their fire falls past it.
    const { deliveries } = run.report.metrics;
    expect(deliveries.late + deliveries.missed).toBe(18 * w3Schedules.size);
    expect(deliveries.missed).toBe(2 * w3Schedules.size);
    expect(deliveries.onTime).toBe(deliveries.due - 18 * w3Schedules.size);
  });

  it("a clock set an hour ahead fires that worker's schedules early, up to an hour ahead; early counts on time", () => {
    const run = runDocument(
      smallDocument({
        faults: [{ at: "+2m", fault: "clock-skew", worker: "w3", skew: "+1h", duration: "3m" }],
      }),
    );
    const during = eventsOf(run, "schedule.fired", (e) => e.worker === "w3" && e.t > at(2) && e.t < at(5));
    expect(during.length).toBeGreaterThan(0);
    for (const d of delays(during)) {
      expect(d).toBeGreaterThanOrEqual(-HOUR_MS);
      expect(d).toBeLessThan(SECOND_MS);
    }
    // The last due of the run (19m) went out within the 3 minutes of the skew, 14 minutes early.
    const w3Schedules = schedulesOf(during);
    for (const s of w3Schedules) {
      const fired = during.filter((e) => e.schedule === s);
      expect(fired.some((e) => Number(e.due) === at(19) && e.t < at(5))).toBe(true);
    }
    // Fired once each: once its clock is right, w3 finds those dues done.
    const keys = firesOf(run, "w3").map((e) => `${e.schedule}@${e.due}`);
    expect(new Set(keys).size).toBe(keys.length);
    // An early delivery is delivered by its due + SLO: on time, and its lag counts as 0, not less.
    const { deliveries, lagP99MsMax } = run.report.metrics;
    expect(deliveries).toMatchObject({ late: 0, missed: 0, duplicate: 0 });
    expect(deliveries.onTime).toBe(deliveries.due);
    // And counted early: every due w3 delivered before its time, as the acks say (of the dues
    // judged: those whose SLO window ends by the end of the run).
    const endMs = Date.parse(run.report.run.end);
    const judged = (e: TraceEvent) => Number(e.due) + run.report.run.sloMs <= endMs;
    const early = eventsOf(run, "delivery.acked", (e) => e.t < Number(e.due) && judged(e));
    expect(early.length).toBeGreaterThan(0);
    expect(deliveries.early).toBe(new Set(early.map((e) => `${e.schedule}@${e.due}`)).size);
    expect(lagP99MsMax).toBeGreaterThanOrEqual(0);
    expect(lagP99MsMax).toBeLessThan(SECOND_MS);
  });

  it.each(["fixed", "buggy", "v1"] as const)(
    "a %s worker set an hour back for 5m fires nothing of its own until the skew ends, then is on time again",
    (variant) => {
      const run = runDocument(
        smallDocument({
          faults: [{ at: "+2m", fault: "clock-skew", worker: "w3", skew: "-1h", duration: "5m" }],
        }),
        variant,
      );
      expect(eventsOf(run, "fault.injected", (e) => e.fault === "clock-skew")[0]).toMatchObject({
        worker: "w3",
        durationMs: 5 * MIN,
        detail: "w3 clock -3600000 ms for 300000 ms",
      });
      // retry-after-backoff reads the skew back from these words: they must say it.
      const detail = eventsOf(run, "fault.injected", (e) => e.fault === "clock-skew")[0].detail;
      expect(clockSkewOf(String(detail))).toBe(-3_600_000);
      // Its clock reads 08:32..08:37 while the store's dues are 09:32..09:37: none is due for it.
      expect(eventsOf(run, "schedule.fired", (e) => e.worker === "w3" && e.t > at(2) && e.t < at(7))).toEqual(
        [],
      );
      const held = firesOf(run, "w3", at(2), at(7));
      expect(held.length).toBeGreaterThan(0);
      for (const e of held) expect(e.t).toBeGreaterThanOrEqual(at(7));
      // Caught up a minute after the skew ends: from then on, on time.
      for (const d of delays(firesOf(run, "w3", at(8)))) expect(d).toBeLessThan(SECOND_MS);
      // The quiet point is the skew's end (7m): every due from 12m is on time.
      const quiet = verdict(run, "deliveries-on-time-after-quiet");
      expect(quiet).toMatchObject({ ok: true, exercised: true });
      expect(quiet.detail).toContain("of the clock-skew fault at 09:32:00 (5m)");
      expect(run.report.metrics.deliveries.missed).toBe(0);
    },
  );

  it("the fixed scheduler's dues held by an hour's skew back go late by the hand count", () => {
    const run = runDocument(
      smallDocument({
        faults: [{ at: "+2m", fault: "clock-skew", worker: "w3", skew: "-1h", duration: "5m" }],
      }),
    );
    const w3Schedules = schedulesOf(firesOf(run, "w3", at(2), at(7)));
    // Dues 2m..6m of w3's schedules: at 7m its claims catch up one due a schedule per 10 s
    // refresh (the last claim left nothing queued to wait for), so 2m..6m are sent at
    // 7m00..7m40, over the SLO of 1m, and 7m at 7m50, within it.
    expect(run.report.metrics.deliveries.late).toBe(5 * w3Schedules.size);
  });

  it("a skew without a duration lasts to the end of the run, through a restart: the run has no quiet period after it", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+2m", fault: "clock-skew", worker: "w3", skew: "-2m" },
          { at: "+4m", fault: "kill-worker", worker: "w3" },
        ],
      }),
    );
    expect(eventsOf(run, "fault.injected", (e) => e.fault === "clock-skew")[0]).toMatchObject({
      durationMs: 18 * MIN,
      detail: "w3 clock -120000 ms to the end of the run",
    });
    expect(clockSkewOf("w3 clock -120000 ms to the end of the run")).toBe(-120_000);
    expect(clockSkewOf("w1 clock +5000 ms for 60000 ms")).toBe(5_000);
    expect(clockSkewOf("w1 clock ? ms")).toBeUndefined();
    const restarted = eventsOf(run, "worker.restarted", (e) => e.worker === "w3");
    expect(restarted).toHaveLength(1);
    // The new process of w3 runs on the same host clock, still 2 minutes behind.
    const after = eventsOf(run, "schedule.fired", (e) => e.worker === "w3" && e.t > restarted[0].t + MIN);
    expect(after.length).toBeGreaterThan(0);
    for (const d of delays(after)) expect(d).toBeGreaterThanOrEqual(2 * MIN);
    const quiet = verdict(run, "deliveries-on-time-after-quiet");
    expect(quiet).toMatchObject({ ok: true, exercised: false });
    expect(quiet.detail).toContain("the end at 09:50:00 of the clock-skew fault at 09:32:00");
    expect(faultEndMs({ atMs: at(2), fault: "clock-skew", worker: "w3", skewMs: -2 * MIN })).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(
      faultEndMs({ atMs: at(2), fault: "clock-skew", worker: "w3", skewMs: -2 * MIN, durationMs: MIN }),
    ).toBe(at(3));
  });

  it("a later skew of the worker replaces the earlier one, whose end then leaves it; 0s sets the clock right", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+2m", fault: "clock-skew", worker: "w3", skew: "-1h", duration: "6m" },
          { at: "+4m", fault: "clock-skew", worker: "w3", skew: "-2m" },
          { at: "+14m", fault: "clock-skew", worker: "w3", skew: "0s" },
        ],
      }),
    );
    // From 4m the clock is 2 minutes behind (not an hour), and stays so past 8m, the first's end.
    const behind = firesOf(run, "w3", at(5), at(12));
    expect(behind.length).toBeGreaterThan(0);
    for (const d of delays(behind)) {
      expect(d).toBeGreaterThanOrEqual(2 * MIN);
      expect(d).toBeLessThan(2 * MIN + SECOND_MS);
    }
    expect(eventsOf(run, "fault.injected", (e) => e.fault === "clock-skew").map((e) => e.durationMs)).toEqual(
      [6 * MIN, 16 * MIN, undefined],
    );
    for (const d of delays(firesOf(run, "w3", at(15)))) expect(d).toBeLessThan(SECOND_MS);
  });

  it("moves rt.now() by the skew for its duration and leaves rt.monotonicMs() alone", () => {
    /** [true time, rt.now(), rt.monotonicMs()] of w1, every second. */
    const readings: [number, number, number][] = [];
    let sim: Simulation | null = null;
    const clockReader: SchedulerFactory = {
      name: "clock-reader",
      description: "reads its clocks every second",
      fixes: [],
      create: () => ({
        name: "clock-reader",
        fixes: [],
        *main(rt: Runtime): GoroutineBody {
          for (;;) {
            if (rt.worker === "w1") readings.push([sim!.now, rt.now(), rt.monotonicMs()]);
            yield rt.sleep(SECOND_MS);
          }
        },
      }),
    };
    const config = smallWorldConfig({ scheduler: "clock-reader", deleteAtMs: null, durationMs: 6 * MIN });
    const skewAtMs = config.startMs + 2 * MIN;
    runWorld(
      config,
      (world) => {
        sim = world.sim;
        scheduleFaults(world, [
          { atMs: skewAtMs, fault: "clock-skew", worker: "w1", skewMs: -HOUR_MS, durationMs: 2 * MIN },
        ]);
      },
      [clockReader],
    );
    expect(readings.length).toBeGreaterThan(300);
    for (const [trueMs, nowMs] of readings) {
      const skewed = trueMs >= skewAtMs && trueMs < skewAtMs + 2 * MIN;
      expect(nowMs).toBe(skewed ? trueMs - HOUR_MS : trueMs);
    }
    for (let i = 1; i < readings.length; i++) {
      expect(readings[i][2] - readings[i - 1][2]).toBe(readings[i][0] - readings[i - 1][0]);
    }
  });
});

describe("clock-skew and retries", () => {
  it("a retry is set by the clock of the worker whose delivery failed: skewed ahead, it comes due that much later", () => {
    const base = smallDocument();
    const run = runDocument(
      smallDocument({
        workload: {
          ...base.workload,
          destination: { latency: "50ms", jitter: 0.2, failureRate: 0.5, timeout: "5s" },
        },
        faults: [{ at: "+2m", fault: "clock-skew", worker: "w3", skew: "+10m", duration: "5m" }],
      }),
    );
    // QStash's back-off, min(86400, e^(2.5 n)) s, for the first retries.
    const backoffs = [1, 2, 3].map((n) => Math.min(86_400, Math.exp(2.5 * n)) * SECOND_MS);
    const offsetOf = (e: TraceEvent) => Number(e.retryAt) - e.t;
    const isBackoff = (ms: number) => backoffs.some((b) => Math.abs(ms - b) < SECOND_MS);
    const failed = eventsOf(run, "delivery.failed", (e) => e.retryAt !== null);
    const skewed = failed.filter((e) => e.worker === "w3" && e.t > at(2) + SECOND_MS && e.t < at(7));
    const others = failed.filter((e) => e.worker !== "w3");
    expect(skewed.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const e of skewed) expect(isBackoff(offsetOf(e) - 10 * MIN)).toBe(true);
    for (const e of others) expect(isBackoff(offsetOf(e))).toBe(true);
  });
});

// Shows that an effect cut short (a clock skew set right or its worker scaled away, a pause ended by a kill or a restart, a hang ended with its process by a kill or a stop that gave up waiting for it) ends the disturbance then, for both liveness checks alike.
import { describe, expect, it } from "vitest";
import { computeReport, type Verdict } from "../../src/checks/index.js";
import { clockSkewDetail } from "../../src/world/events.js";
import { at, everyFiveMinutes, type TraceBuilder } from "./trace-builder.js";

const HOUR = 3_600_000;

function skew(b: TraceBuilder, worker: string, skewMs: number, durationMs?: number): number {
  const how = durationMs === undefined ? "" : " to the end of the run";
  return b.emit("fault.injected", {
    fault: "clock-skew",
    worker,
    detail: clockSkewDetail(worker, skewMs, how),
    probe: 1,
    durationMs,
  });
}

/** w2 frozen at :05 for 1000 h, by a `pause-worker` fault. */
function frozen(b: TraceBuilder): void {
  b.at(at(5)).emit("fault.injected", {
    fault: "pause-worker",
    worker: "w2",
    detail: `pause w2 for ${1000 * HOUR} ms`,
    probe: 1,
    durationMs: 1000 * HOUR,
  });
  b.emit("worker.paused", { worker: "w2", durationMs: 1000 * HOUR });
}

/** A task of s1 on w2 hangs at :05 for 1000 h, by a `hang` fault. */
function hung(b: TraceBuilder): void {
  b.at(at(5)).emit("fault.injected", {
    fault: "hang",
    worker: "w2",
    detail: `task s1@${at(5)} hangs for ${1000 * HOUR} ms`,
    probe: 1,
    schedule: "s1",
    task: `s1@${at(5)}`,
    durationMs: 1000 * HOUR,
  });
}

/** The two liveness verdicts: s1's :20 due is never delivered, its :05 one late, the others on time. */
function verdicts(b: TraceBuilder): { quiet: Verdict; missed: Verdict } {
  b.at(at(6, 5)).ack("s1", "a", at(5));
  for (const m of [10, 15, 25]) b.at(at(m, 5)).ack("s1", "a", at(m));
  const report = computeReport(b.events);
  const find = (p: string) => report.verdicts.find((v) => v.property === p)!;
  return { quiet: find("deliveries-on-time-after-quiet"), missed: find("no-missed-delivery") };
}

/** Both verdicts fail on the :20 due, the quiet one judging from `quietPoint`; returns the quiet one. */
function expectJudged(b: TraceBuilder, quietPoint: string): Verdict {
  const { quiet, missed } = verdicts(b);
  expect(quiet).toMatchObject({ ok: false, exercised: true });
  expect(quiet.detail).toContain(`(quiet point: ${quietPoint}, + the quiet bound 5m)`);
  expect(missed).toMatchObject({ ok: false, exercised: true });
  expect(missed.detail).toContain("first s1 (account a) due 09:20:00");
  return quiet;
}

describe("disturbances cut short", () => {
  it("ends a clock skew when a later skew of 0 sets the clock right", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    skew(b, "w1", -180_000, 25 * 60_000);
    b.at(at(6));
    const reset = skew(b, "w1", 0);
    const quiet = expectJudged(b, "the last fault.injected at 09:06:00");
    expect(quiet.events[0]).toBe(reset);
  });

  it("ends a clock skew when a later skew replaces it, from which the new one lasts", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    skew(b, "w1", -180_000, 25 * 60_000);
    b.at(at(6));
    b.emit("fault.injected", {
      fault: "clock-skew",
      worker: "w1",
      detail: clockSkewDetail("w1", 60_000, " for 120000 ms"),
      probe: 1,
      durationMs: 120_000,
    });
    expectJudged(b, "the end at 09:08:00 of the clock-skew fault at 09:06:00 (2m)");
  });

  it("ends a clock skew when its worker leaves the fleet", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    skew(b, "w2", -180_000, 25 * 60_000);
    b.at(at(6)).emit("operator.action", { action: "scale", detail: "scale to 1 worker" });
    b.emit("fleet.scaled", { from: 2, to: 1 });
    b.emit("worker.stopped", { worker: "w2", incarnation: 1, why: "scale-down" });
    b.emit("worker.removed", { worker: "w2" });
    // The scale-down, at the same time, is the later event of the two that end then.
    expectJudged(b, "the last operator.action at 09:06:00");
  });

  it("ends a pause when its frozen worker is killed", () => {
    const b = everyFiveMinutes();
    frozen(b);
    b.at(at(6)).killed("w2");
    expectJudged(b, "the last worker.crashed at 09:06:00");
  });

  it("ends a pause when its frozen worker is stopped by a restart, and says so", () => {
    const b = everyFiveMinutes();
    frozen(b);
    b.at(at(6)).emit("worker.stopped", { worker: "w2", incarnation: 1, why: "restart", graceful: false });
    expectJudged(
      b,
      "the end at 09:06:00 of the worker.paused at 09:05:00 (1000h, cut short when w2 stopped (restart))",
    );
  });

  it("ends a hang given a duration when its worker is killed: the hung task goes with the process", () => {
    const b = everyFiveMinutes();
    hung(b);
    b.at(at(6)).killed("w2");
    expectJudged(b, "the last worker.crashed at 09:06:00");
  });

  it("ends a hang given a duration when a graceful stop gives up waiting for it, and says so", () => {
    const b = everyFiveMinutes();
    hung(b);
    b.at(at(5, 30)).emit("worker.stopping", { worker: "w2", incarnation: 1, why: "restart", inFlight: 1 });
    b.at(at(6)).emit("worker.stopped", { worker: "w2", incarnation: 1, why: "restart", abandoned: 1 });
    expectJudged(
      b,
      "the end at 09:06:00 of the hang fault at 09:05:00 (1000h, cut short when w2 stopped (restart))",
    );
  });

  it("keeps a skew of another worker, and a pause that nothing cut short, to their ends", () => {
    const skewed = everyFiveMinutes();
    skewed.at(at(5));
    skew(skewed, "w1", -180_000, 25 * 60_000);
    skewed.at(at(6));
    skew(skewed, "w2", 0);
    expect(verdicts(skewed).quiet).toMatchObject({ ok: true, exercised: false });
    const paused = everyFiveMinutes();
    frozen(paused);
    paused.at(at(6)).killed("w1");
    expect(verdicts(paused).quiet).toMatchObject({ ok: true, exercised: false });
    expect(verdicts(everyFiveMinutes().call(frozen)).missed).toMatchObject({ exercised: false });
  });
});

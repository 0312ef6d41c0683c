// Shows the liveness verdict: after the quiet point plus a bound, every counted due must be on time.
import { describe, expect, it } from "vitest";
import { computeReport, type Verdict } from "../../src/checks/index.js";
import { at, everyFiveMinutes, type TraceBuilder } from "./trace-builder.js";

/** Dues :05 to :25 count (see `everyFiveMinutes`). */
const world = everyFiveMinutes;

function quietVerdict(b: TraceBuilder, quietBoundMs?: number): Verdict {
  const report = computeReport(b.events, quietBoundMs === undefined ? {} : { quietBoundMs });
  return report.verdicts.find((v) => v.property === "deliveries-on-time-after-quiet")!;
}

/** A `delivery.failed` of s1's `due` at t, its retry set `retryAt` (by default QStash's back-off after it). */
function failed(b: TraceBuilder, due: number, t: number, attempt = 0, retryAt = t + 12_182): number {
  return b.at(t).emit("delivery.failed", {
    worker: "w1",
    schedule: "s1",
    account: "a",
    partition: 0,
    due,
    task: `s1@${due}`,
    message: `m-s1-${due}`,
    attempt,
    status: 500,
    retryAt,
  });
}

describe("quiet checker", () => {
  it("holds when every due from quiet point + 5 min is on time, whatever happened before", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    const crash = b.at(at(10)).killed("w1"); // q = :10, q + B = :15
    b.at(at(13)).ack("s1", "a", at(10)); // late, but before q + B
    b.at(at(15, 5)).ack("s1", "a", at(15));
    b.at(at(20, 5)).ack("s1", "a", at(20));
    b.at(at(25, 5)).ack("s1", "a", at(25));
    const v = quietVerdict(b);
    expect(v).toMatchObject({ ok: true, exercised: true, events: [crash] });
    expect(v.detail).toBe(
      "all 3 dues from 09:15:00 (quiet point: the last worker.crashed at 09:10:00, + the quiet bound 5m) were delivered within the SLO of 1m",
    );
  });

  it("fails when a due after the quiet window is late or missed, and names it", () => {
    const b = world();
    b.at(at(10)).killed("w1");
    b.at(at(15, 5)).ack("s1", "a", at(15));
    b.at(at(22)).fired("s1", "a", at(20));
    b.at(at(25, 5)).ack("s1", "a", at(25));
    const v = quietVerdict(b);
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toContain("1 of 3 dues from 09:15:00");
    expect(v.detail).toContain("s1 due 09:20:00");
  });

  it("is not exercised when no due falls after the quiet point plus the bound", () => {
    const b = world();
    b.at(at(22)).emit("operator.action", { action: "kill", detail: "w1" }); // q + B = :27
    const v = quietVerdict(b);
    expect(v).toMatchObject({ ok: true, exercised: false });
    expect(v.detail).toMatch(/^not exercised: no due after the quiet point/);
  });

  it("takes no quiet point from a panic armed (arm-panic, arm-hang), only from when it strikes, nor from a refused action", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    b.at(at(10, 5)).ack("s1", "a", at(10));
    b.at(at(12)).emit("operator.action", {
      action: "arm-panic",
      detail: "panic at before-delivery for 1 task(s)",
    });
    b.at(at(13)).emit("operator.action", { action: "arm-hang", detail: "next task of s9 hangs" });
    b.at(at(15, 5)).ack("s1", "a", at(15));
    b.at(at(20, 5)).ack("s1", "a", at(20));
    b.at(at(25, 5)).ack("s1", "a", at(25));
    const v = quietVerdict(b);
    expect(v).toMatchObject({ ok: true, exercised: true });
    // Every due from the start + 5 min is judged: the armed faults never struck.
    expect(v.detail).toBe(
      "all 5 dues from 09:05:00 (quiet point: the start at 09:00:00, + the quiet bound 5m) were delivered within the SLO of 1m",
    );
    // Nor does an operator action the control plane refused: it changed nothing.
    const refused = world();
    refused.at(at(5, 5)).ack("s1", "a", at(5));
    refused.at(at(10, 5)).ack("s1", "a", at(10));
    refused.at(at(12)).emit("operator.action", {
      action: "kill-worker",
      detail: "kill-worker w9",
      applied: false,
      reason: "no worker w9 in the fleet",
    });
    refused.at(at(15, 5)).ack("s1", "a", at(15));
    refused.at(at(20, 5)).ack("s1", "a", at(20));
    refused.at(at(25, 5)).ack("s1", "a", at(25));
    expect(quietVerdict(refused).detail).toContain("quiet point: the start at 09:00:00");
    const struck = world();
    struck
      .at(at(12))
      .emit("fault.injected", { fault: "inject-panic", worker: "w1", detail: "panic", probe: 1 });
    expect(quietVerdict(struck).detail).toContain("quiet point: the last fault.injected at 09:12:00");
  });

  it("takes the bound from the constructor when given", () => {
    const b = world();
    b.at(at(22)).emit("fault.injected", { fault: "kill", worker: "w1", detail: "kill w1", probe: 1 });
    // q + B = :23 with a 1-minute bound: :25 is judged, and it was never delivered.
    expect(quietVerdict(b, 60_000)).toMatchObject({ ok: false, exercised: true });
  });

  it("takes the end of a fault with a duration as the quiet point, not its start", () => {
    const b = world();
    const outage = b.at(at(5)).outage(12 * 60_000); // the store is down until :17: q + B = :22
    b.at(at(10)).killed("w2"); // ends inside the outage: the quiet point stays at its end
    b.at(at(17, 30)).ack("s1", "a", at(10));
    b.at(at(17, 31)).ack("s1", "a", at(15));
    b.at(at(21)).ack("s1", "a", at(20)); // late, but before q + B
    b.at(at(25, 5)).ack("s1", "a", at(25));
    const v = quietVerdict(b);
    expect(v).toMatchObject({ ok: true, exercised: true, events: [outage] });
    expect(v.detail).toBe(
      "all 1 due from 09:22:00 (quiet point: the end at 09:17:00 of the store-outage fault at 09:05:00 (12m), + the quiet bound 5m) were delivered within the SLO of 1m",
    );
  });

  it("honours the duration of a worker pause, even one that outlasts the run", () => {
    const b = world();
    b.at(at(10)).emit("worker.paused", { worker: "w1", durationMs: 30 * 60_000 }); // ends at :40
    const v = quietVerdict(b);
    expect(v).toMatchObject({ ok: true, exercised: false });
    expect(v.detail).toContain("quiet point: the end at 09:40:00 of the worker.paused at 09:10:00 (30m)");
  });

  it("is not exercised, not failed, when no worker is up after the quiet point (a fleet scaled to 0)", () => {
    const b = world();
    b.at(at(5, 1)).ack("s1", "a", at(5));
    const scale = b.at(at(7)).emit("operator.action", { action: "scale", detail: "scale to 0 workers" });
    b.emit("fleet.scaled", { from: 2, to: 0 });
    b.emit("worker.stopped", { worker: "w2", incarnation: 1, why: "scale-down" });
    b.emit("worker.removed", { worker: "w2" });
    b.emit("worker.stopped", { worker: "w1", incarnation: 1, why: "scale-down" });
    b.emit("worker.removed", { worker: "w1" });
    const report = computeReport(b.events, {});
    const v = report.verdicts.find((x) => x.property === "deliveries-on-time-after-quiet")!;
    expect(v).toMatchObject({ ok: true, exercised: false, events: [scale] });
    expect(v.detail).toBe(
      "not exercised: no worker was up after the quiet point (the last operator.action at 09:07:00), so there was no quiet period in which to deliver",
    );
    // The deliveries metrics still count what was missed.
    expect(report.metrics.deliveries).toMatchObject({ due: 5, onTime: 1, missed: 4 });
  });

  it("is judged once a worker is up again after the last disturbance, even one that came up later", () => {
    const b = world();
    b.at(at(7)).killed("w1");
    b.at(at(7)).killed("w2"); // q = :07, no worker up
    b.at(at(8)).ready("w1", 2); // no disturbance: the supervisor's restart
    b.at(at(15, 1)).ack("s1", "a", at(15));
    b.at(at(20, 1)).ack("s1", "a", at(20));
    expect(quietVerdict(b)).toMatchObject({ ok: false, exercised: true }); // :25 was missed
  });

  it("uses the start as the quiet point of a run without disturbances", () => {
    const b = world();
    for (const m of [5, 10, 15, 20, 25]) b.at(at(m, 1)).ack("s1", "a", at(m));
    const v = quietVerdict(b);
    expect(v.ok).toBe(true);
    expect(v.detail).toContain("all 5 dues from 09:05:00 (quiet point: the start");
  });

  it("excuses a due whose destination failed inside its SLO window, and says so; the deliveries metric still counts it", () => {
    const b = world();
    b.at(at(10)).killed("w1"); // q + B = :15
    b.at(at(15, 5)).ack("s1", "a", at(15));
    failed(b, at(20), at(20, 1)); // and its retry again at :20:13; its next at :22:40 is past the SLO
    b.at(at(20, 13)).sent("s1", "a", at(20));
    failed(b, at(20), at(20, 13), 1, at(22, 40));
    b.at(at(22, 40)).ack("s1", "a", at(20));
    b.at(at(25, 5)).ack("s1", "a", at(25));
    const report = computeReport(b.events, {});
    const v = report.verdicts.find((x) => x.property === "deliveries-on-time-after-quiet")!;
    expect(v).toMatchObject({ ok: true, exercised: true });
    expect(v.detail).toBe(
      "2 of 3 dues from 09:15:00 (quiet point: the last worker.crashed at 09:10:00, + the quiet bound 5m) were delivered within the SLO of 1m; 1 more was late or missed after its destination failed (retried with QStash's back-off, or dead-lettered, and not counted against the scheduler)",
    );
    expect(report.metrics.deliveries.late).toBe(1);
    // The same lateness with no destination failure is the scheduler's: it fails.
    const plain = world();
    plain.at(at(10)).killed("w1");
    plain.at(at(15, 5)).ack("s1", "a", at(15));
    plain.at(at(22, 40)).ack("s1", "a", at(20));
    plain.at(at(25, 5)).ack("s1", "a", at(25));
    expect(quietVerdict(plain)).toMatchObject({ ok: false, exercised: true });
  });

  it("does not excuse a destination failure whose retry came later than QStash's back-off and the SLO after it", () => {
    for (const [retryAt, ackAt] of [
      [at(20, 1) + 86_400_000, null], // parked a day away: never sent in the run
      [at(23), at(23)], // sent at :23, where retry 1 was owed by :20:13 and the SLO ran out at :21:13
    ]) {
      const b = world();
      b.at(at(10)).killed("w1"); // q + B = :15
      b.at(at(15, 5)).ack("s1", "a", at(15));
      const failure = failed(b, at(20), at(20, 1), 0, retryAt as number);
      if (ackAt !== null) b.at(ackAt).ack("s1", "a", at(20));
      b.at(at(25, 5)).ack("s1", "a", at(25));
      const v = quietVerdict(b);
      expect(v.ok, v.detail).toBe(false);
      expect(v.detail).toContain(
        "1 of 3 dues from 09:15:00 (quiet point: the last worker.crashed at 09:10:00, + the quiet bound 5m) were late or missed (SLO 1m)",
      );
      expect(v.detail).toContain(
        `1 of them counts against the scheduler although its destination failed, as its retry was not sent within the SLO of when it was owed (QStash's back-off after the failure, with any clock-skew allowance, or the scheduler's time if sooner): s1 due 09:20:00 (retry 1 owed at 09:20:13.182, so due by 09:21:13.182; ${ackAt === null ? "not sent by the end" : "sent at 09:23:00"})`,
      );
      expect(v.events).toContain(failure);
    }
  });

  it("numbers a retry by the sends that failed: four retries asked for one failed send are retry 1", () => {
    const b = world();
    b.at(at(10)).killed("w1"); // q + B = :15
    b.at(at(15, 5)).ack("s1", "a", at(15));
    // One send, four failures traced for it in one commit, the last asking for retry 4 (QStash's
    // e^10 s, 6 h away): not QStash's wait for a fourth retry, the send failed once.
    for (let i = 0; i < 4; i++) failed(b, at(20), at(20, 1), 3, at(20, 1) + 22_026_466);
    b.at(at(25, 5)).ack("s1", "a", at(25));
    const v = quietVerdict(b);
    expect(v.ok, v.detail).toBe(false);
    expect(v.detail).toContain(
      "1 of them counts against the scheduler although its destination failed, as its retry was not sent within the SLO of when it was owed (QStash's back-off after the failure, with any clock-skew allowance, or the scheduler's time if sooner): s1 due 09:20:00 (retry 1 owed at 09:20:13.182, so due by 09:21:13.182; not sent by the end)",
    );
  });
  it("excuses a due whose fire failed at the destination before its due time (a clock ahead), unless its retry came late", () => {
    // A worker whose clock runs ahead fires the :20 due at :19:50; the send fails and QStash's
    // retry 1 is owed by :20:02.182, so due by :21:02.182 with the SLO.
    for (const [ackAt, ok] of [
      [at(21, 2), true],
      [at(24), false],
    ] as const) {
      const b = world();
      b.at(at(10)).killed("w1"); // q + B = :15
      b.at(at(15, 5)).ack("s1", "a", at(15));
      failed(b, at(20), at(19, 50), 0, at(21, 2));
      b.at(ackAt).ack("s1", "a", at(20));
      b.at(at(25, 5)).ack("s1", "a", at(25));
      const v = quietVerdict(b);
      expect(v, v.detail).toMatchObject({ ok, exercised: true });
      if (ok) expect(v.detail).toContain("1 more was late or missed after its destination failed");
      else
        expect(v.detail).toContain(
          "s1 due 09:20:00 (retry 1 owed at 09:20:02.182, so due by 09:21:02.182; sent at 09:24:00)",
        );
    }
  });
});

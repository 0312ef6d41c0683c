// Shows no-missed-delivery on hand-written traces: which fires it judges, the ones it exempts, and the first missed fire it names.
import { describe, expect, it } from "vitest";
import { computeReport, type Verdict } from "../../src/checks/index.js";
import { clockSkewDetail } from "../../src/world/events.js";
import { at, everyFiveMinutes, type TraceBuilder, task } from "./trace-builder.js";

/**
 * Quiet bound 5 min: with no disturbance the calm stretch [:00, :30] judges dues by :24 (see
 * `everyFiveMinutes`). w1 holds partition 0's lease from the start, as a world's worker does: a
 * removal is judged against whether the schedule's partition was served.
 */
function world(): TraceBuilder {
  const b = everyFiveMinutes();
  b.lease("w1");
  return b;
}

/** A rolling deploy's step at now: w1 hands partition 0's lease back and stops, its new process starting. */
function deployStep(b: TraceBuilder): void {
  b.emit("lease.released", { worker: "w1", partition: 0, token: 1 });
  b.emit("worker.stopped", { worker: "w1", incarnation: 1, why: "deploy" });
  b.emit("worker.started", { worker: "w1", incarnation: 2, scheduler: "v2", fixes: [] });
}

const REMOVALS = [
  (b: TraceBuilder) => b.emit("schedule.deleted", { schedule: "s1", account: "a", by: "operator" }),
  (b: TraceBuilder) => b.emit("account.deleted", { account: "a", schedules: 1 }),
] as const;

/** Acks every due of s1 from :05 to :25 but the ones listed, 5 s after each. */
function ackAllBut(b: TraceBuilder, skipped: readonly number[], from = 5): void {
  for (let m = from; m <= 25; m += 5) if (!skipped.includes(m)) b.at(at(m, 5)).ack("s1", "a", at(m));
}

/** A `delivery.failed` of s1's `due` now, its retry set for `retryAt` (null: dead-lettered). */
function failed(b: TraceBuilder, due: number, retryAt: number | null, attempt = 0): number {
  return b.emit("delivery.failed", {
    ...task("w1", "s1", "a", due),
    message: `m-s1-${due}`,
    attempt,
    status: 500,
    retryAt,
  });
}

function missedVerdict(b: TraceBuilder): Verdict {
  return computeReport(b.events).verdicts.find((v) => v.property === "no-missed-delivery")!;
}

/** The verdict, checked to hold (or fail) and to say `text`. */
function expectMissed(b: TraceBuilder, ok: boolean, text: string): Verdict {
  const v = missedVerdict(b);
  expect(v.ok, v.detail).toBe(ok);
  expect(v.detail).toContain(text);
  return v;
}

const RULE =
  "a fire is judged when 6m of calm (no disturbance and a worker up: the quiet bound 5m + the SLO 1m) follows it before the end";

describe("no-missed-delivery", () => {
  it("holds when every judged fire is delivered, and counts those due in chaos", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    b.at(at(9)).killed("w2"); // unsettled [:09, :14): the :10 due is in it
    b.at(at(12)).ack("s1", "a", at(10)); // late, but delivered
    ackAllBut(b, [], 15);
    const v = missedVerdict(b);
    // Calm after the kill: [:09, :30], so dues by :24 are judged: :05, :10, :15, :20.
    expect(v).toEqual({
      property: "no-missed-delivery",
      ok: true,
      exercised: true,
      detail: `all 4 fires due by 09:24:00 were delivered by the horizon (1 due during a disturbance or within 5m after one; ${RULE})`,
      events: [],
    });
  });

  it("fails on a fire lost in chaos, naming it, its events and the disturbance it fell due in", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    const kill = b.at(at(9)).killed("w2");
    const fired = b.at(at(10, 1)).fired("s1", "a", at(10), "w1");
    b.emit("task.committed", { ...task("w1", "s1", "a", at(10)), next: at(15) });
    ackAllBut(b, [], 15);
    const report = computeReport(b.events);
    expect(report.metrics.deliveries.missed).toBe(1);
    const v = report.verdicts.find((x) => x.property === "no-missed-delivery")!;
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toBe(
      `1 of 4 fires due by 09:24:00 was never delivered by the horizon, first s1 (account a) due 09:10:00, fired but never delivered (1 due during a disturbance or within 5m after one; ${RULE})`,
    );
    // Its firing, the kill it fell due after, the last event naming the schedule (the :25 ack).
    expect(v.events).toEqual([fired, kill, b.events.length - 1]);
  });

  it("does not excuse the scheduler's deletion of a live account's schedule: the fires it drops are missed, and named with it", () => {
    // A module that treats every schedule as one-shot: delivers :05, then its cleanup deletes s1,
    // whose account was never deleted. An operator's deletion at the same time excuses the rest.
    const wiped = (by: string) => {
      const b = world();
      b.at(at(5, 5)).ack("s1", "a", at(5));
      const deleted = b
        .at(at(7))
        .emit("schedule.deleted", { schedule: "s1", account: "a", by, worker: "w1" });
      return { report: computeReport(b.events), deleted };
    };
    const { report, deleted } = wiped("cleanup");
    // Its fires are counted as a live schedule's: :05 to :25, :10 to :25 never delivered.
    expect(report.metrics.deliveries).toMatchObject({ due: 5, onTime: 1, missed: 4 });
    const v = report.verdicts.find((x) => x.property === "no-missed-delivery")!;
    expect(v.ok, v.detail).toBe(false);
    expect(v.detail).toBe(
      `3 of 4 fires due by 09:24:00 were never delivered by the horizon, first s1 (account a) due 09:10:00, its schedule deleted by w1's cleanup at 09:07:00 though its account was not deleted (0 due during a disturbance or within 5m after one; ${RULE}; exempt, whenever due: 1 still pending at the end (no calm stretch after it)); the scheduler deleted 1 schedule of accounts not deleted (a cleanup takes a deleted account's schedules alone), its fires owed all the same`,
    );
    expect(v.events).toContain(deleted);
    const operator = wiped("operator").report;
    expect(operator.metrics.deliveries).toMatchObject({ due: 1, missed: 0 });
    expect(operator.verdicts.find((x) => x.property === "no-missed-delivery")).toMatchObject({ ok: true });
  });

  it("owes a live account's schedule the scheduler deleted until the account's deletion, which would have cleaned it up", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    b.at(at(7)).emit("schedule.deleted", { schedule: "s1", account: "a", by: "cleanup", worker: "w1" });
    // :10 was overdue at :11, before the account's deletion: missed; :15 and later are owed to nobody.
    b.at(at(12, 30)).emit("account.deleted", { account: "a", schedules: 0 });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deliveries).toMatchObject({ due: 2, missed: 1 });
    expect(metrics.deletedSchedulesLeft).toBe(0);
    expect(verdicts.find((x) => x.property === "no-missed-delivery")!.detail).toMatch(
      /^1 of 2 fires due by 09:24:00 was never delivered by the horizon, first s1 \(account a\) due 09:10:00, its schedule deleted by w1's cleanup at 09:07:00 though its account was not deleted, already overdue at 09:11:00 when its account was deleted at 09:12:30 /,
    );
  });

  it("names the earliest of several missed fires, even one never fired", () => {
    const b = world();
    ackAllBut(b, [10, 15]);
    const v = missedVerdict(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(
      /^2 of 4 fires due by 09:24:00 were never delivered by the horizon, first s1 \(account a\) due 09:10:00 \(0 due/,
    );
  });

  it("does not judge a fire that no calm stretch followed: it is pending, not lost", () => {
    const b = world();
    ackAllBut(b, [20]);
    // Dues by :24 are judged; :20 was acked by nobody, so it fails...
    expect(missedVerdict(b).ok).toBe(false);
    const stormy = world();
    for (const m of [5, 10, 15]) stormy.at(at(m, 5)).ack("s1", "a", at(m));
    // ...unless a disturbance from :19 lasts until :26: calm [:00, :19) judges by :13, and [:26, :30] is too short.
    stormy.at(at(19)).outage(7 * 60_000);
    stormy.at(at(25, 5)).ack("s1", "a", at(25));
    const v = missedVerdict(stormy);
    expect(v.ok).toBe(true);
    expect(v.detail).toBe(
      `all 2 fires due by 09:13:00 were delivered by the horizon (0 due during a disturbance or within 5m after one; ${RULE}; exempt, whenever due: 1 still pending at the end (no calm stretch after it))`,
    );
  });

  it("does not count a time with no worker up as calm", () => {
    const b = world();
    b.at(at(2)).killed("w1");
    b.at(at(3)).killed("w2");
    b.at(at(26)).ready("w1", 2); // no worker up [:03, :26): calm [:26, :30] is too short
    const v = missedVerdict(b);
    expect(v).toMatchObject({ ok: true, exercised: false });
    expect(v.detail).toBe(
      "not exercised: no fire was followed by 6m of calm (no disturbance and a worker up: the quiet bound 5m + the SLO 1m) before the end; exempt, whenever due: 5 still pending at the end (no calm stretch after them)",
    );
  });

  it("exempts a fire undelivered when its schedule was paused, deleted or quarantined, or its account deleted", () => {
    for (const remove of [
      (b: TraceBuilder) => b.emit("schedule.paused", { schedule: "s1", account: "a", paused: true }),
      (b: TraceBuilder) => b.emit("schedule.deleted", { schedule: "s1", account: "a", by: "operator" }),
      (b: TraceBuilder) => b.emit("task.quarantined", { ...task("w1", "s1", "a", at(10)), attempts: 3 }),
      (b: TraceBuilder) => b.emit("account.deleted", { account: "a", schedules: 1 }),
    ]) {
      const b = world();
      b.at(at(5, 5)).ack("s1", "a", at(5));
      // Removed at :10:30, after its :10 due and before it was overdue at :11 (the SLO): nobody
      // owed it then. The dues after the removal are not counted at all.
      b.at(at(10, 30)).call(remove);
      const v = missedVerdict(b);
      expect(v.ok, v.detail).toBe(true);
      expect(v.detail).toMatch(/^all 1 fire due by 09:24:00 were delivered/);
      expect(v.detail).toContain(
        "exempt, whenever due: 1 undelivered when its schedule was paused, deleted or quarantined, or the account deleted",
      );
    }
  });

  it("names the fire a removal excused, and the removal that came first", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    // The account's deletion at :10:30, then its cleanup's deletion of the schedule at :10:40:
    // both before the :10 due was overdue at :11, and the deletion came first.
    b.at(at(10, 30)).emit("account.deleted", { account: "a", schedules: 1 });
    b.at(at(10, 40)).emit("schedule.deleted", { schedule: "s1", account: "a", by: "cleanup", worker: "w1" });
    expectMissed(
      b,
      true,
      "exempt, whenever due: 1 undelivered when its schedule was paused, deleted or quarantined, or the account deleted, before it was overdue (s1 (account a) due 09:10:00: its account was deleted at 09:10:30, overdue only at 09:11:00)",
    );
  });

  it("does not excuse a fire already overdue when its schedule or account was removed, however soon after", () => {
    for (const [remove, what] of [
      [
        (b: TraceBuilder) => b.emit("schedule.paused", { schedule: "s1", account: "a", paused: true }),
        "its schedule was paused",
      ],
      [
        (b: TraceBuilder) => b.emit("schedule.deleted", { schedule: "s1", account: "a", by: "operator" }),
        "its schedule was deleted",
      ],
      [(b: TraceBuilder) => b.quarantined("s1", "a"), "its schedule was quarantined"],
      [
        (b: TraceBuilder) => b.emit("task.quarantined", { ...task("w1", "s1", "a", at(15)), attempts: 3 }),
        "its schedule was quarantined",
      ],
      [
        (b: TraceBuilder) => b.emit("account.deleted", { account: "a", schedules: 1 }),
        "its account was deleted",
      ],
    ] as const) {
      const b = world();
      b.at(at(5, 5)).ack("s1", "a", at(5));
      b.at(at(15, 5)).ack("s1", "a", at(15));
      // The :10 due was overdue at :11, six minutes before the removal: it was owed, and dropped.
      const removal = b.at(at(17)).call(remove).events.length - 1;
      const v = missedVerdict(b);
      expect(v.ok, v.detail).toBe(false);
      expect(v.detail).toMatch(
        new RegExp(
          `^1 of 3 fires due by 09:24:00 was never delivered by the horizon, first s1 \\(account a\\) due 09:10:00, already overdue at 09:11:00 when ${what} at 09:17:00 \\(0 due`,
        ),
      );
      expect(v.events).toContain(removal);
    }
  });

  it("counts a removal during a disturbance the fire fell due in as before it was overdue", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    b.at(at(9)).outage(3 * 60_000); // unsettled [:09, :17): the :10 and :15 dues are owed by :18
    b.at(at(17, 30)).quarantined("s1", "a");
    expectMissed(
      b,
      true,
      "exempt, whenever due: 2 undelivered when their schedules were paused, deleted or quarantined, or the account deleted, before they were overdue (first s1 (account a) due 09:10:00: its schedule was quarantined at 09:17:30, overdue only at 09:18:00)",
    );
  });

  it("judges a failed fire from QStash's back-off when the scheduler set its retry later", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    // Its retry set a day away, where QStash's retry 1 waits 12.182 s.
    b.at(at(10, 5)).call(() => failed(b, at(10), at(10, 5) + 86_400_000));
    for (const m of [15, 20]) b.at(at(m, 5)).ack("s1", "a", at(m));
    expectMissed(
      b,
      false,
      "1 of 4 fires due by 09:24:00 was never delivered by the horizon, first s1 (account a) due 09:10:00, its delivery failed at the destination and retry 1, owed by 09:10:17.182 (QStash's back-off of 12.182 s after the failure; the scheduler set it 24h after), never arrived",
    );
  });

  it("allows a failed fire's retry only the clock skews in effect between the failure and its owed time", () => {
    /** w2's clock 10 min behind at t for 5 s (a worker that may claim the retry). */
    const skewed = (b: TraceBuilder, t: number) =>
      b.at(t).emit("fault.injected", {
        fault: "clock-skew",
        worker: "w2",
        detail: clockSkewDetail("w2", -600_000, " for 5000 ms"),
        probe: 1,
        durationMs: 5_000,
      });
    /** The :10 due fails at :10:05, its retry set a day away (QStash's retry 1 waits 12.182 s); w2's clock skewed at `skewAt`. */
    const failedAround = (skewAt: number) => {
      const b = world();
      if (skewAt < at(10, 5)) skewed(b, skewAt);
      b.at(at(5, 5)).ack("s1", "a", at(5));
      b.at(at(10, 5)).call(() => failed(b, at(10), at(10, 5) + 86_400_000));
      if (skewAt >= at(10, 5)) skewed(b, skewAt);
      for (const m of [15, 20]) b.at(at(m, 5)).ack("s1", "a", at(m));
      return b;
    };
    // A skew over ten minutes before the failure moved no clock the retry went by: owed by :10:17.
    const before = failedAround(at(0, 30));
    expectMissed(
      before,
      false,
      "first s1 (account a) due 09:10:00, its delivery failed at the destination and retry 1, owed by 09:10:17.182 (QStash's back-off of 12.182 s after the failure; the scheduler set it 24h after), never arrived",
    );
    // One set during the wait, after the failure, may have held the retry back 10 min.
    const during = failedAround(at(10, 10));
    expect(missedVerdict(during).detail).toContain(
      "retry 1, owed by 09:20:17.182 (QStash's back-off of 12.182 s after the failure, plus 600.000 s for clock skew;",
    );
  });

  it("counts a dead-lettered fire as delivered, and judges a failed one from its retry", () => {
    const b = world();
    const fail = (due: number, retryAt: number | null, attempt = 0) => failed(b, due, retryAt, attempt);
    b.at(at(10, 5)).call(() => fail(at(10), null));
    b.emit("delivery.dead-lettered", {
      ...task("w1", "s1", "a", at(10)),
      message: `m-s1-${at(10)}`,
      attempts: 1,
    });
    // Three sends failed: retry 3 waits QStash's 30m8s, due after :24: still pending.
    b.at(at(15, 5)).call(() => fail(at(15), at(15, 17)));
    b.at(at(15, 17)).sent("s1", "a", at(15));
    b.call(() => fail(at(15), at(17, 45), 1));
    b.at(at(17, 45)).sent("s1", "a", at(15));
    b.call(() => fail(at(15), at(47, 53), 2));
    b.at(at(20, 5)).call(() => fail(at(20), at(20, 17))); // retry due :20:17, never arrived: missed
    const v = missedVerdict(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toContain(
      "2 of 2 fires due by 09:24:00 were never delivered by the horizon, first s1 (account a) due 09:05:00 (0 due",
    );
    // :10 dead-lettered, :15 retried after :24, :25 due after :24: exempt; :05 and :20 missed.
    expect(v.detail).toContain(
      "exempt, whenever due: 1 dead-lettered after every attempt failed at the destination (each sent, and answered with an error or not in time; reported in the dead-letter queue); 2 still pending at the end (no calm stretch after them)",
    );
    const retried = world();
    for (const m of [5, 10, 15]) retried.at(at(m, 5)).ack("s1", "a", at(m));
    retried.at(at(20, 5)).call(() => failed(retried, at(20), at(20, 17))); // within QStash's 12.182 s back-off
    const v2 = missedVerdict(retried);
    expect(v2.detail).toContain(
      "1 of 4 fires due by 09:24:00 was never delivered by the horizon, first s1 (account a) due 09:20:00, its delivery failed at the destination and the retry due 09:20:17 never arrived",
    );
  });

  it("does not count an exempt fire among those judged in a disturbance", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    b.at(at(9)).killed("w2"); // unsettled [:09, :14): the :10 due is in it
    b.at(at(11)).emit("schedule.deleted", { schedule: "s1", account: "a", by: "operator" }); // :10 never delivered
    const v = missedVerdict(b);
    expect(v.ok).toBe(true);
    expect(v.detail).toMatch(
      /^all 1 fire due by 09:24:00 were delivered by the horizon \(0 due during a disturbance/,
    );
  });

  it("excuses a fire whose partition nobody served when it was removed, after a graceful stop's hand-off", () => {
    for (const remove of REMOVALS) {
      const b = world();
      b.at(at(2)).emit("operator.action", { action: "deploy", detail: "deploy v2" }); // unsettled [:02, :07)
      b.at(at(5, 5)).ack("s1", "a", at(5));
      // w1 stops at :10 for the deploy, its lease released: nobody serves partition 0 until :13,
      // so at the removal at :12 the :10 due, an SLO old, was owed by nobody yet.
      b.at(at(10)).call(deployStep);
      b.at(at(12)).call(remove);
      b.at(at(13)).ready("w1", 2);
      b.lease("w1", 0, 2);
      b.at(at(14)).emit("deploy.finished", { scheduler: "v2", fixes: [] }); // unsettled [:14, :19)
      const v = missedVerdict(b);
      expect(v.ok, v.detail).toBe(true);
      expect(v.detail).toContain(
        "exempt, whenever due: 1 undelivered when its schedule was paused, deleted or quarantined, or the account deleted",
      );
      expect(v.detail).toMatch(
        /due 09:10:00: its (schedule|account) was deleted at 09:12:00, its partition not served then\)/,
      );
    }
  });

  it("counts a fire overdue an SLO after its partition was served again, plus the owner's clock behind", () => {
    for (const [remove, what] of [
      [REMOVALS[0], "its schedule was deleted"],
      [REMOVALS[1], "its account was deleted"],
    ] as const) {
      for (const [removedAt, ok, skewMs] of [
        [at(11, 4), true, 0],
        [at(12), false, 0],
        [at(12), true, -120_000],
      ] as const) {
        const b = world();
        // Set before w2 owns anything; its unsettled stretch is over by :06.
        if (skewMs !== 0)
          b.at(at(0, 30)).emit("fault.injected", {
            fault: "clock-skew",
            detail: `w2 clock ${skewMs} ms`,
            probe: 1,
            worker: "w2",
          });
        b.at(at(5, 5)).ack("s1", "a", at(5));
        b.at(at(10)).call(deployStep);
        // w2 takes partition 0 over at :10:05: from then the :10 due is its to fire, owed by :11:05
        // (by :13:05 with its clock 2 min behind).
        b.at(at(10, 5)).lease("w2", 0, 2);
        b.at(removedAt).call(remove);
        b.at(at(12, 30)).ready("w1", 2);
        const v = missedVerdict(b);
        expect(v.ok, `${what} at ${removedAt}, skew ${skewMs}: ${v.detail}`).toBe(ok);
        if (!ok)
          expect(v.detail).toContain(
            `first s1 (account a) due 09:10:00, already overdue at 09:11:05 when ${what} at 09:12:00`,
          );
      }
    }
  });

  it("numbers a retry by the sends that failed, not by the failures traced for one send", () => {
    const b = world();
    b.at(at(5, 5)).ack("s1", "a", at(5));
    // One send of the :10 due failed, and four retries were asked for it in one commit, the last
    // numbered 4 and set QStash's e^10 s (6 h) away: it is retry 1, owed 12.182 s after.
    b.at(at(10, 5)).call(() => {
      for (let i = 0; i < 4; i++) failed(b, at(10), at(10, 5) + 22_026_466, 3);
    });
    for (const m of [15, 20]) b.at(at(m, 5)).ack("s1", "a", at(m));
    expectMissed(
      b,
      false,
      "first s1 (account a) due 09:10:00, its delivery failed at the destination and retry 1, owed by 09:10:17.182",
    );
  });
  describe("a fire a clock ahead ran before its due time", () => {
    /**
     * Account a deleted at :14 and created again at `createdAt`; the :15 due fired at :14:53 (a
     * worker's clock 7 s ahead) and committed undelivered; `again`: fired once more at :15:10,
     * after the account came back, and dropped again.
     */
    function earlyFire(createdAt: number, again = false): TraceBuilder {
      const b = world();
      ackAllBut(b, [15, 20, 25]);
      b.at(at(14)).emit("account.deleted", { account: "a", schedules: 1 });
      if (createdAt < at(14, 53)) b.at(createdAt).emit("account.created", { account: "a" });
      const fire = b.at(at(14, 53)).fired("s1", "a", at(15));
      b.emit("task.committed", { ...task("w1", "s1", "a", at(15)), next: at(20) }, { cause: fire });
      if (createdAt >= at(14, 53)) b.at(createdAt).emit("account.created", { account: "a" });
      if (again) {
        const refire = b.at(at(15, 10)).fired("s1", "a", at(15));
        b.emit("task.committed", { ...task("w1", "s1", "a", at(15)), next: at(20) }, { cause: refire });
      }
      ackAllBut(b, [5, 10, 15], 20);
      return b;
    }

    it("exempts it when the account was deleted at the fire, though created again by the due time", () => {
      expectMissed(
        earlyFire(at(15)),
        true,
        "exempt, whenever due: 1 undelivered when its schedule was paused, deleted or quarantined, or the account deleted, before it was overdue (s1 (account a) due 09:15:00: fired early, by a clock ahead, while its account was deleted)",
      );
    });

    it("still fails it when the account was there at the fire, or a fire of it after the account came back dropped it", () => {
      expectMissed(earlyFire(at(14, 50)), false, "first s1 (account a) due 09:15:00");
      expectMissed(earlyFire(at(15), true), false, "first s1 (account a) due 09:15:00");
    });
  });
});

// Shows how dues are counted from cron fire times and classified on time, late, missed, duplicate.
import { describe, expect, it } from "vitest";
import { computeReport, DeliveryChecker, MetricsCollector, RunInfo } from "../../src/checks/index.js";
import { at, everyFiveMinutes, TraceBuilder, task } from "./trace-builder.js";

const EVERY_5 = "*/5 * * * *";

function deliveries(b: TraceBuilder) {
  return computeReport(b.events).metrics.deliveries;
}

describe("delivery checker", () => {
  it("keeps a schedule's dues inside their SLO window as numbers: due, first ack (NaN: none), flags", () => {
    const b = everyFiveMinutes();
    const run = new RunInfo();
    const checker = new DeliveryChecker(run);
    const feedLast = () => {
      const e = b.events[b.events.length - 1];
      run.observe(e);
      checker.onEvent(e);
    };
    b.events.forEach((e) => {
      run.observe(e);
      checker.onEvent(e);
    });
    // Generated when its ack comes (counted, not failed at the destination), acked then.
    b.at(at(5, 30)).ack("s1", "a", at(5));
    feedLast();
    expect(checker.book.get("s1")?.open).toEqual([at(5), at(5, 30), 1]);
    expect(checker.stateSize().openDues).toBe(1);
    // A failure at the destination flags it; once its window has passed, it settles and goes.
    b.at(at(5, 40)).emit("delivery.failed", {
      ...task("w1", "s1", "a", at(5)),
      message: "m",
      attempt: 1,
      status: 500,
      retryAt: at(6),
    });
    feedLast();
    expect(checker.book.get("s1")?.open).toEqual([at(5), at(5, 30), 3]);
    b.at(at(10, 30)).ack("s1", "a", at(10));
    feedLast();
    expect(checker.book.get("s1")?.open).toEqual([at(10), at(10, 30), 1]);
    expect(checker.ledger.counts).toMatchObject({ due: 1, onTime: 1 });
  });

  it("classifies on-time, late and missed dues and names the affected accounts", () => {
    // Horizon 12 min, SLO 1 min: dues at :05 and :10 count (10 + 1 ≤ 12), 2 per schedule.
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.schedule("s2", "b", { cron: EVERY_5 });
    b.schedule("s3", "c", { cron: EVERY_5 });
    b.at(at(5, 30)).ack("s1", "a", at(5)); // on time
    b.at(at(7)).ack("s2", "b", at(5)); // late
    b.at(at(10, 20)).ack("s1", "a", at(10)); // on time
    b.at(at(11)).ack("s2", "b", at(10)); // on time: exactly due + SLO
    b.at(at(11, 30)).ack("s3", "c", at(10)); // late; s3's :05 is never delivered: missed
    const { metrics } = computeReport(b.events);
    expect(metrics.deliveries).toEqual({
      due: 6,
      onTime: 3,
      late: 2,
      missed: 1,
      duplicate: 0,
      early: 0,
      deadLettered: 0,
      unowed: 0,
      afterDeletion: 0,
    });
    expect(metrics.affectedAccounts).toBe(2);
  });

  it("counts every ack beyond the first for one (schedule, due) as a duplicate", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(5, 30)).ack("s1", "a", at(5));
    b.at(at(6, 30)).ack("s1", "a", at(5)); // after the watermark passed :05
    b.at(at(10, 10)).ack("s1", "a", at(10));
    b.at(at(10, 40)).ack("s1", "a", at(10)); // inside the SLO window
    b.at(at(11, 50)).ack("s1", "a", at(10)); // after it
    expect(deliveries(b)).toMatchObject({ due: 2, onTime: 2, duplicate: 3 });
  });

  it("counts a late due acked twice once late and once duplicate", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(8)).ack("s1", "a", at(5));
    b.at(at(8, 1)).ack("s1", "a", at(5));
    expect(deliveries(b)).toMatchObject({ due: 2, onTime: 0, late: 1, missed: 1, duplicate: 1 });
  });

  it("does not count a due whose SLO window runs past the horizon", () => {
    // Horizon 10 min: :05 counts, :10 does not (10 + 1 > 10), delivered or not.
    const b = new TraceBuilder();
    b.start({ horizonMin: 10 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(5, 10)).ack("s1", "a", at(5));
    b.at(at(10)).ack("s1", "a", at(10));
    expect(deliveries(b)).toMatchObject({ due: 1, onTime: 1, late: 0, missed: 0 });
  });

  it("does not count dues of an account deleted at or before them, and counts sends after deletion", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.schedule("s2", "kept", { cron: EVERY_5 });
    b.schedule("s3", "gone-at-due", { cron: EVERY_5 });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    b.sent("s1", "gone", at(4)); // at the same instant: not after the deletion
    b.at(at(5)).emit("account.deleted", { account: "gone-at-due", schedules: 1 });
    b.at(at(5, 10)).sent("s1", "gone", at(5));
    b.ack("s1", "gone", at(5));
    b.ack("s2", "kept", at(5));
    b.at(at(10, 10)).ack("s2", "kept", at(10));
    const { metrics } = computeReport(b.events);
    expect(metrics.deliveries).toEqual({
      due: 2,
      onTime: 2,
      late: 0,
      missed: 0,
      duplicate: 0,
      early: 0,
      deadLettered: 0,
      // s1's :05, owed to nobody: delivered all the same, its send after the deletion too.
      unowed: 1,
      afterDeletion: 1,
    });
    expect(metrics.affectedAccounts).toBe(0);
    expect(metrics.deletionAt).toBe("2026-05-08T09:04:00.000Z");
  });

  it("never counts a due at the instant a schedule is created: its first fire is strictly after", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 17 });
    b.at(at(5)).schedule("s1", "a", { cron: EVERY_5 }); // the world's next: :10
    b.at(at(5)).schedule("s2", "a", { cron: EVERY_5, next: at(5) }); // a trace claiming :05
    b.at(at(10, 5)).ack("s1", "a", at(10));
    b.ack("s2", "a", at(10));
    b.at(at(15, 5)).ack("s1", "a", at(15));
    b.ack("s2", "a", at(15));
    expect(deliveries(b)).toMatchObject({ due: 4, onTime: 4, missed: 0 });
  });

  it("does not count dues while a schedule is paused (a pause at d covers d)", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 17 });
    b.schedule("s1", "a", { cron: EVERY_5 }); // dues :05 :10 :15 count
    b.at(at(5)).emit("schedule.paused", { schedule: "s1", account: "a", paused: true });
    b.at(at(12)).emit("schedule.paused", { schedule: "s1", account: "a", paused: false });
    b.at(at(15, 5)).ack("s1", "a", at(15));
    expect(deliveries(b)).toMatchObject({ due: 1, onTime: 1, missed: 0 });
  });

  it("does not count dues of a quarantined schedule from the quarantine on", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 17 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.schedule("s2", "b", { cron: EVERY_5 });
    b.at(at(7)).emit("schedule.quarantined", { schedule: "s1", account: "a", by: "operator" });
    b.emit("task.quarantined", {
      worker: "w1",
      schedule: "s2",
      account: "b",
      partition: 0,
      due: at(5),
      task: `s2@${at(5)}`,
      attempts: 3,
    });
    // :05 of both counts and was never delivered (the quarantined task itself was missed).
    expect(deliveries(b)).toMatchObject({ due: 2, missed: 2 });
  });

  it("stops counting at a schedule's deletion, its due at that very instant included", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 17 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(5, 1)).ack("s1", "a", at(5));
    b.at(at(10)).emit("schedule.deleted", { schedule: "s1", account: "a", by: "operator" });
    expect(deliveries(b)).toMatchObject({ due: 1, onTime: 1, missed: 0 });
  });

  it("treats a deletion at a due's time as a pause, a quarantine or an account deletion then: not due", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 10 });
    for (const s of ["sp", "sq", "sd", "sa"]) b.schedule(s, s === "sa" ? "gone" : "a", { cron: EVERY_5 });
    b.at(at(5)).emit("schedule.paused", { schedule: "sp", account: "a", paused: true });
    b.emit("schedule.quarantined", { schedule: "sq", account: "a", by: "operator" });
    b.emit("schedule.deleted", { schedule: "sd", account: "a", by: "operator" });
    b.emit("account.deleted", { account: "gone", schedules: 1 });
    expect(deliveries(b)).toMatchObject({ due: 0, missed: 0 });
    // One fired first in the instant and delivered: its ack is no duplicate, nor unexpected.
    const fired = new TraceBuilder();
    fired.start({ horizonMin: 10 });
    fired.schedule("sd", "a", { cron: EVERY_5 });
    fired.at(at(5)).ack("sd", "a", at(5));
    fired.emit("schedule.deleted", { schedule: "sd", account: "a", by: "operator" });
    const { metrics } = computeReport(fired.events);
    expect(metrics.deliveries).toMatchObject({ due: 0, onTime: 0, duplicate: 0, unowed: 1 });
    expect(metrics.unexpectedDues).toBe(0);
  });

  it("counts a fire due while its account was deleted, delivered after the account came back, as unowed", () => {
    // Every minute, SLO 1 min, horizon 12: "a" deleted at :03 and created again at :06, its
    // schedule left in place (no cleanup ran). Nothing fired meanwhile (a backlog): :03 to :05
    // were owed to nobody, and a scheduler that drains them once the account is back delivers
    // them for an account that exists again, so no send is after its deletion.
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a");
    b.at(at(1, 5)).ack("s1", "a", at(1));
    b.at(at(2, 5)).ack("s1", "a", at(2));
    b.at(at(3)).emit("account.deleted", { account: "a", schedules: 1 });
    b.at(at(6)).emit("account.created", { account: "a" });
    b.at(at(6, 30)).sent("s1", "a", at(3));
    b.ack("s1", "a", at(3)); // its window long over: settled, undelivered, before the ack
    b.sent("s1", "a", at(5));
    b.ack("s1", "a", at(5)); // inside its window still: open when acked
    b.ack("s1", "a", at(5)); // again: a duplicate, as of any fire
    // Due again from the account's creation on, :06 included (11 + 1 ≤ 12: :11 is judged too).
    for (let minute = 6; minute <= 11; minute++) b.at(at(minute, 40)).ack("s1", "a", at(minute));
    const { metrics } = computeReport(b.events);
    // :04 was never delivered, and owed to nobody: in no count. The rest, every ack once.
    const none = { late: 0, missed: 0, early: 0, deadLettered: 0, afterDeletion: 0 };
    expect(metrics.deliveries).toEqual({ ...none, due: 8, onTime: 8, duplicate: 1, unowed: 2 });
    expect(metrics.unexpectedDues).toBe(0);
    const acks = b.events.filter((e) => e.type === "delivery.acked").length;
    expect(metrics.deliveries.onTime + metrics.deliveries.duplicate + (metrics.deliveries.unowed ?? 0)).toBe(
      acks,
    );
  });

  it("counts an early ack of a fire its schedule never reached, deleted first, as unowed", () => {
    // A worker whose clock runs ahead delivers :10 at :09:40; the schedule is deleted at :09:50.
    const b = new TraceBuilder();
    b.start({ horizonMin: 17 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(5, 10)).ack("s1", "a", at(5));
    b.at(at(9, 40)).ack("s1", "a", at(10));
    b.at(at(9, 45)).ack("s1", "a", at(9, 30)); // not a fire time: unexpected
    b.at(at(9, 50)).emit("schedule.deleted", { schedule: "s1", account: "a", by: "operator" });
    const { metrics } = computeReport(b.events);
    expect(metrics.deliveries).toMatchObject({ due: 1, onTime: 1, duplicate: 0, unowed: 1 });
    expect(metrics.unexpectedDues).toBe(1);
  });

  it("counts an ack that comes before its due (clock skew) as on time", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(4, 59)).ack("s1", "a", at(5));
    b.at(at(9, 58)).ack("s1", "a", at(10));
    b.at(at(9, 59)).ack("s1", "a", at(10));
    expect(deliveries(b)).toMatchObject({ due: 2, onTime: 2, duplicate: 1 });
  });

  it("handles late acks out of order inside a range of undelivered dues", () => {
    // Every minute, horizon 10: dues :01..:09 count. Nothing until :08, then :05, :03, :04, :09.
    const b = new TraceBuilder();
    b.start({ horizonMin: 10 });
    b.schedule("s1", "a");
    b.at(at(8)).ack("s1", "a", at(5));
    b.ack("s1", "a", at(3));
    b.ack("s1", "a", at(4));
    b.ack("s1", "a", at(4));
    b.at(at(9, 30)).ack("s1", "a", at(9));
    expect(deliveries(b)).toEqual({
      due: 9,
      onTime: 1,
      late: 3,
      missed: 5,
      duplicate: 1,
      early: 0,
      deadLettered: 0,
      unowed: 0,
      afterDeletion: 0,
    });
  });

  it("sets aside acks for times that are not fire times of the schedule", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(5, 40)).ack("s1", "a", at(5, 30));
    b.ack("s-unknown", "a", at(5));
    const { metrics } = computeReport(b.events);
    expect(metrics.unexpectedDues).toBe(2);
    expect(metrics.deliveries).toMatchObject({ due: 2, missed: 2, duplicate: 0 });
  });

  it("measures a trace cut short up to the horizon, and is the same streamed or at once", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    b.at(at(5, 10)).ack("s1", "a", at(5));
    const collector = new MetricsCollector();
    for (const e of b.events) collector.onEvent(e);
    const streamed = collector.finish();
    expect(streamed.metrics.deliveries).toMatchObject({ due: 2, onTime: 1, missed: 1 });
    expect(collector.finish()).toBe(streamed);
    expect(computeReport(b.events)).toEqual(streamed);
  });

  it("counts an ack to the schedule it names, whatever fire its cause points at", () => {
    // The checker finds a record by the fire an event follows from: a hint it checks by id.
    const b = everyFiveMinutes();
    b.schedule("s2", "b", { cron: EVERY_5 });
    const fireS1 = b.at(at(5, 1)).fired("s1", "a", at(5));
    const fireS2 = b.at(at(5, 2)).fired("s2", "b", at(5));
    b.at(at(5, 10)).ack("s2", "b", at(5), "w1", { cause: fireS1 });
    b.at(at(5, 20)).ack("s1", "a", at(5), "w1", { cause: fireS2 });
    b.at(at(7)).ack("s1", "a", at(5), "w1", { cause: fireS1 });
    b.at(at(10, 10)).ack("s2", "b", at(10), "w1", { cause: 10_000 + fireS1 });
    const { metrics } = computeReport(b.events);
    expect(metrics.deliveries).toMatchObject({ onTime: 3, duplicate: 1 });
  });
});

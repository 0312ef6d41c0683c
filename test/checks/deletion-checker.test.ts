// Shows the deletion checks: sends after a deletion, schedules left, and lazy-cleanup judging.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { at, MIN, SEC, TraceBuilder, task } from "./trace-builder.js";

const EVERY_5 = "*/5 * * * *";

/** One schedule every 5 min of the account "gone", deleted at minute `deletedMin`. */
function goneAt(deletedMin: number, horizonMin: number): TraceBuilder {
  const b = new TraceBuilder();
  b.start({ horizonMin });
  b.schedule("s1", "gone", { cron: EVERY_5 });
  b.at(at(deletedMin)).emit("account.deleted", { account: "gone", schedules: 1 });
  return b;
}

/**
 * `goneAt` with the worker w1 serving from the start and holding the lease of s1's partition: a
 * due could be fired at any time.
 */
function servedGoneAt(deletedMin: number, horizonMin: number): TraceBuilder {
  const b = new TraceBuilder();
  b.start({ horizonMin });
  b.lease("w1");
  b.ready("w1");
  b.schedule("s1", "gone", { cron: EVERY_5 });
  b.at(at(deletedMin)).emit("account.deleted", { account: "gone", schedules: 1 });
  return b;
}

const STOPPED_UNFIRED = "1 schedule of accounts whose dues since the deletion were stopped";

function verdict(b: TraceBuilder, property: string) {
  return computeReport(b.events).verdicts.find((v) => v.property === property)!;
}

describe("deletion checker", () => {
  it("is not exercised when no account is deleted", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "a", { cron: EVERY_5 });
    expect(verdict(b, "no-delivery-after-deletion")).toMatchObject({ ok: true, exercised: false });
    expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
    expect(computeReport(b.events).metrics.deletedSchedulesLeft).toBe(0);
  });

  it("names the first message sent after a deletion committed", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: EVERY_5 });
    const deletion = b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    const sent = b.at(at(5, 1)).sent("s1", "gone", at(5));
    b.at(at(5, 2)).sent("s1", "gone", at(5));
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deliveries.afterDeletion).toBe(2);
    const v = verdicts.find((x) => x.property === "no-delivery-after-deletion")!;
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toBe(
      "2 messages were sent for deleted accounts after their deletion committed: s1 at 09:05:01 (gone deleted at 09:04:00), s1 at 09:05:02 (gone deleted at 09:04:00)",
    );
    expect(v.events.slice(0, 2)).toEqual([deletion, sent]);
  });

  it("says a message fired before the deletion and sent after it counts, an assumption of the property", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.schedule("s2", "gone", { cron: EVERY_5 });
    // s1's task fires at 09:00 and hangs across the deletion; its send, and a retry of the same
    // message after a failure (whose cause is the failure, after the deletion), come after it.
    const fired = b.at(at(0, 1)).fired("s1", "gone", at(0));
    const deletion = b.at(at(0, 10)).emit("account.deleted", { account: "gone", schedules: 2 });
    const sent = b.at(at(0, 20)).sent("s1", "gone", at(0), "w1", { cause: fired });
    const failed = b.at(at(0, 21)).emit("delivery.failed", {
      ...task("w1", "s1", "gone", at(0)),
      message: `m-s1-${at(0)}`,
      attempt: 0,
      status: 503,
      retryAt: at(0, 33),
    });
    b.at(at(0, 33)).emit(
      "delivery.sent",
      {
        ...task("w1", "s1", "gone", at(0)),
        message: `m-s1-${at(0)}`,
        attempt: 1,
        destination: "https://example.com/s1",
      },
      { cause: failed },
    );
    // s2 fires after the deletion: a new message, which the note does not count.
    const firedAfter = b.at(at(5, 1)).fired("s2", "gone", at(5));
    b.at(at(5, 2)).sent("s2", "gone", at(5), "w1", { cause: firedAfter });
    const v = verdict(b, "no-delivery-after-deletion");
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toBe(
      "3 messages were sent for deleted accounts after their deletion committed: " +
        "s1 at 09:00:20 (gone deleted at 09:00:10, fired before that), " +
        "s1 at 09:00:33 (gone deleted at 09:00:10, fired before that), " +
        "s2 at 09:05:02 (gone deleted at 09:00:10); " +
        "a message fired before its account's deletion and sent after it counts too (2 of the 3 here): " +
        "this property holds a scheduler to sending nothing for an account once its deletion committed, " +
        "an assumption of ours (a schedule's deletion stops new messages, not those already created)",
    );
    expect(v.events.slice(0, 3)).toEqual([deletion, fired, sent]);
  });

  it("counts every send after a deletion in its `and N more`, not only the few it keeps", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    for (let i = 1; i <= 9; i++) b.at(at(5, i)).sent("s1", "gone", at(5));
    const v = verdict(b, "no-delivery-after-deletion");
    expect(v.detail).toBe(
      "9 messages were sent for deleted accounts after their deletion committed: s1 at 09:05:01 (gone deleted at 09:04:00), s1 at 09:05:02 (gone deleted at 09:04:00), s1 at 09:05:03 (gone deleted at 09:04:00) and 6 more",
    );
  });

  it("takes an account created again after its deletion as there again: only sends in between count", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "back", { cron: EVERY_5 });
    const deletion = b.at(at(4)).emit("account.deleted", { account: "back", schedules: 1 });
    const between = b.at(at(4, 30)).sent("s1", "back", at(0));
    b.at(at(4, 40)).emit("account.created", { account: "back" });
    b.at(at(5, 1)).sent("s1", "back", at(5));
    b.at(at(10, 1)).sent("s1", "back", at(10));
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deliveries.afterDeletion).toBe(1);
    const v = verdicts.find((x) => x.property === "no-delivery-after-deletion")!;
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toBe(
      "1 message was sent for deleted accounts after their deletion committed: s1 at 09:04:30 (back deleted at 09:04:00)",
    );
    expect(v.events.slice(0, 2)).toEqual([deletion, between]);
    // Its schedule is its own again: nothing is left to clean up, and its dues count again.
    expect(metrics.deletedSchedulesLeft).toBe(0);
    expect(verdicts.find((x) => x.property === "deleted-schedules-cleaned")).toMatchObject({
      ok: true,
      exercised: false,
    });
    expect(metrics.deliveries.due).toBe(2); // :05 and :10, after it came back
  });

  it("judges a deletion that the account's creation again undid, up to that creation", () => {
    // Every 5 min, SLO 1 min: deleted at :04, due at :05, cleaned at :05:01, back at :07.
    const cleaned = new TraceBuilder();
    cleaned.start({ horizonMin: 20 });
    cleaned.schedule("s1", "back", { cron: EVERY_5 });
    cleaned.at(at(4)).emit("account.deleted", { account: "back", schedules: 1 });
    cleaned.at(at(5, 1)).emit("schedule.deleted", { schedule: "s1", account: "back", by: "cleanup" });
    cleaned.at(at(7)).emit("account.created", { account: "back" });
    expect(verdict(cleaned, "deleted-schedules-cleaned")).toEqual({
      property: "deleted-schedules-cleaned",
      ok: true,
      exercised: true,
      detail:
        "every schedule of the 1 deleted account judged was deleted (cleanup is lazy: only accounts whose schedules came due are judged)",
      events: [],
    });
    // The same schedule still there when the account came back was never cleaned up.
    const kept = new TraceBuilder();
    kept.start({ horizonMin: 20 });
    kept.schedule("s1", "back", { cron: EVERY_5 });
    const deletion = kept.at(at(4)).emit("account.deleted", { account: "back", schedules: 1 });
    const fired = kept.at(at(5, 1)).fired("s1", "back", at(5));
    kept.at(at(7)).emit("account.created", { account: "back" });
    const v = verdict(kept, "deleted-schedules-cleaned");
    expect(v).toMatchObject({ ok: false, exercised: true, events: [deletion, fired] });
    expect(v.detail).toBe(
      "1 schedule of deleted accounts never cleaned up: s1 (back deleted at 09:04:00 and created again at 09:07:00; cleanup is lazy: only accounts whose schedules came due are judged)",
    );
    expect(computeReport(kept.events).metrics.deletedSchedulesLeft).toBe(0);
    // Back within an SLO of the due, cleanup had no fair chance: not judged, as at the end of a run.
    const soon = new TraceBuilder();
    soon.start({ horizonMin: 20 });
    soon.schedule("s1", "back", { cron: EVERY_5 });
    soon.at(at(4)).emit("account.deleted", { account: "back", schedules: 1 });
    soon.at(at(5, 30)).emit("account.created", { account: "back" });
    expect(verdict(soon, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
  });

  it("fails when a deleted account's schedule came due and was never cleaned up", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.lease("w1");
    b.ready("w1");
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.schedule("s2", "gone", { cron: "0 * * * *" }); // never due in the run, still judged with s1
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 2 });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deletedSchedulesLeft).toBe(2);
    const v = verdicts.find((x) => x.property === "deleted-schedules-cleaned")!;
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toContain("2 schedules of deleted accounts never cleaned up: s1, s2");
    expect(v.detail).toContain("cleanup is lazy: only accounts whose schedules came due are judged");
  });

  it("holds when the cleanup deleted every schedule of the account", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.schedule("s2", "gone", { cron: "0 * * * *" });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 2 });
    b.at(at(5, 1)).emit("schedule.deleted", { schedule: "s1", account: "gone", by: "cleanup", worker: "w1" });
    b.emit("schedule.deleted", { schedule: "s2", account: "gone", by: "cleanup", worker: "w1" });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deletedSchedulesLeft).toBe(0);
    expect(verdicts.find((x) => x.property === "deleted-schedules-cleaned")).toMatchObject({
      ok: true,
      exercised: true,
    });
  });

  it("fails when the scheduler deletes a schedule whose account was not deleted, naming it, and never for an operator's deletion", () => {
    // A cleanup takes a deleted account's schedules alone: "live" is never deleted, "gone" is,
    // and the operator may delete any schedule.
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "live", { cron: EVERY_5 });
    b.schedule("s2", "live", { cron: EVERY_5 });
    b.schedule("s3", "gone", { cron: EVERY_5 });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    b.at(at(5, 1)).emit("schedule.deleted", { schedule: "s3", account: "gone", by: "cleanup", worker: "w1" });
    b.emit("schedule.deleted", { schedule: "s2", account: "live", by: "operator" });
    const wiped = b.emit("schedule.deleted", {
      schedule: "s1",
      account: "live",
      by: "cleanup",
      worker: "w2",
    });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deletedSchedulesLeft).toBe(0);
    expect(verdicts.find((x) => x.property === "deleted-schedules-cleaned")).toEqual({
      property: "deleted-schedules-cleaned",
      ok: false,
      exercised: true,
      detail:
        "the scheduler deleted 1 schedule of accounts not deleted: s1 (account live) at 09:05:01 by w2 (a cleanup takes a deleted account's schedules alone)",
      events: [wiped],
    });
  });

  it("holds a cleanup whose task began while its account was deleted, the account created again before its commit", () => {
    // The task fires s1 while "back" is deleted and reads it deleted; the user creates the account
    // again before the cleanup commits. A cleanup whose fire comes after the re-creation is wrong.
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "back", { cron: EVERY_5 });
    b.schedule("s2", "back", { cron: EVERY_5 });
    b.at(at(4)).emit("account.deleted", { account: "back", schedules: 2 });
    const fire = b.at(at(5)).fired("s1", "back", at(5), "w1");
    b.at(at(5, 2)).emit("account.created", { account: "back" });
    b.at(at(5, 4)).emit(
      "schedule.deleted",
      { schedule: "s1", account: "back", by: "cleanup", worker: "w1" },
      { cause: fire },
    );
    expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: true });
    const late = b.at(at(10)).fired("s2", "back", at(10), "w2");
    const wiped = b
      .at(at(10, 1))
      .emit(
        "schedule.deleted",
        { schedule: "s2", account: "back", by: "cleanup", worker: "w2" },
        { cause: late },
      );
    const v = verdict(b, "deleted-schedules-cleaned");
    expect(v).toMatchObject({ ok: false, exercised: true, events: [wiped] });
    expect(v.detail).toContain("the scheduler deleted 1 schedule of accounts not deleted: s2 (account back)");
  });

  it("names the live accounts' schedules the scheduler deleted beside the deleted accounts' it left", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.lease("w1");
    b.ready("w1");
    b.schedule("s1", "live", { cron: EVERY_5 });
    b.schedule("s3", "gone", { cron: EVERY_5 });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    // The task of the deleted account's due wipes the wrong account's schedule.
    b.at(at(5, 1)).emit("schedule.deleted", { schedule: "s1", account: "live", by: "cleanup" });
    const v = verdict(b, "deleted-schedules-cleaned");
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toBe(
      "the scheduler deleted 1 schedule of accounts not deleted: s1 (account live) at 09:05:01 (a cleanup takes a deleted account's schedules alone); and 1 schedule of deleted accounts never cleaned up: s3 (gone deleted at 09:04:00; cleanup is lazy: only accounts whose schedules came due are judged)",
    );
  });

  it("counts a fire after the deletion of a due before it (a backlog drained late) as a chance to clean up", () => {
    // The hourly schedule has no due after the deletion in the run; its due at 09:00, backlogged,
    // fires at 09:04:12, after the deletion at 09:04: the task reads the deleted account then.
    const backlog = (cleaned: boolean) => {
      const b = new TraceBuilder();
      b.start({ horizonMin: 12 });
      b.schedule("s1", "gone", { cron: "0 * * * *" });
      b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
      const fired = b.at(at(4, 12)).fired("s1", "gone", at(0));
      if (cleaned)
        b.emit(
          "schedule.deleted",
          { schedule: "s1", account: "gone", by: "cleanup", worker: "w1" },
          { cause: fired },
        );
      b.emit("task.committed", { ...task("w1", "s1", "gone", at(0)), next: null }, { cause: fired });
      return verdict(b, "deleted-schedules-cleaned");
    };
    expect(backlog(true)).toMatchObject({ ok: true, exercised: true });
    const kept = backlog(false);
    expect(kept).toMatchObject({ ok: false, exercised: true });
    expect(kept.detail).toContain("1 schedule of deleted accounts never cleaned up: s1");
  });

  it("does not judge an account whose schedules had no due after the deletion in time", () => {
    // Horizon 12, SLO 1: the last judged due is :11; the hourly schedule never comes due.
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: "0 * * * *" });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.deletedSchedulesLeft).toBe(1);
    const v = verdicts.find((x) => x.property === "deleted-schedules-cleaned")!;
    expect(v).toMatchObject({ ok: true, exercised: false });
    expect(v.detail).toContain("1 schedule of accounts with no due since the deletion remain");
  });

  it("judges an account whose first due after the deletion is exactly an SLO before the end", () => {
    // Horizon 11, SLO 1: the due at :10 is the last one judged, and it is the first after the deletion.
    const v = verdict(servedGoneAt(6, 11), "deleted-schedules-cleaned");
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toContain("1 schedule of deleted accounts never cleaned up: s1");
  });

  describe("a due left unfired while nothing could fire it", () => {
    const UNSERVED =
      "1 schedule of accounts whose dues since the deletion came while no worker served their partition";

    it("does not judge a due whose partition's owner died before firing it, its lease not taken over by the end", () => {
      // w1 killed at :04:30; horizon :10, the :05 due never fired (a lease TTL outlasts the run).
      const b = servedGoneAt(4, 10);
      b.at(at(4, 30)).killed("w1");
      const v = verdict(b, "deleted-schedules-cleaned");
      expect(v).toMatchObject({ ok: true, exercised: false });
      expect(v.detail).toContain(UNSERVED);
    });

    it("counts the SLO from when a serving worker took the partition over, to the end", () => {
      const handedOff = (horizonMin: number, takenAt: number) => {
        const b = servedGoneAt(4, horizonMin);
        b.at(at(4, 30)).killed("w1");
        b.at(takenAt).emit("lease.expired", { worker: "w1", partition: 0, token: 1, expiredAt: takenAt });
        b.ready("w2");
        b.lease("w2", 0, 2, "w1");
        return verdict(b, "deleted-schedules-cleaned");
      };
      // Taken at :08, horizon :09: a whole SLO of serving, the :05 (and :05 only) due unfired.
      expect(handedOff(9, at(8))).toMatchObject({ ok: false, exercised: true });
      // Taken at :08:30, horizon :09: half an SLO.
      expect(handedOff(9, at(8, 30))).toMatchObject({ ok: true, exercised: false });
    });

    it("does not judge a due that came while the only worker was paused, when the account came back", () => {
      const b = servedGoneAt(4, 20);
      b.at(at(4, 30)).emit("worker.paused", { worker: "w1", durationMs: 3 * MIN });
      b.at(at(7, 30)).emit("worker.resumed", { worker: "w1" });
      b.at(at(8)).emit("account.created", { account: "gone" });
      expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
      // Back a whole SLO after the worker resumed: its unfired due was a chance.
      const later = servedGoneAt(4, 20);
      later.at(at(4, 30)).emit("worker.paused", { worker: "w1", durationMs: 3 * MIN });
      later.at(at(7, 30)).emit("worker.resumed", { worker: "w1" });
      later.at(at(8, 40)).emit("account.created", { account: "gone" });
      expect(verdict(later, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
    });
  });

  it("does not count a paused schedule's due as a cleanup opportunity", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 });
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.at(at(1)).emit("schedule.paused", { schedule: "s1", account: "gone", paused: true });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
    expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
  });

  it("does not judge a due the operator paused or quarantined before it fired", () => {
    // Deleted at :04, due at :05 while the store is out, quarantined at :07 before any worker
    // fired it: no task of the account ever ran, so the scheduler had no chance to clean up.
    for (const stop of ["schedule.quarantined", "schedule.paused"] as const) {
      const b = goneAt(4, 12);
      const fields = stop === "schedule.paused" ? { paused: true } : { by: "operator" };
      b.at(at(7)).emit(stop, { schedule: "s1", account: "gone", ...fields });
      const v = verdict(b, "deleted-schedules-cleaned");
      expect(v).toMatchObject({ ok: true, exercised: false });
      expect(v.detail).toContain(
        "1 schedule of accounts whose dues since the deletion were stopped (paused, quarantined or deleted) before one fired remains",
      );
      expect(computeReport(b.events).metrics.deletedSchedulesLeft).toBe(1);
    }
  });

  it("judges a due that fired before the operator quarantined its schedule", () => {
    const b = goneAt(4, 12);
    b.at(at(6)).fired("s1", "gone", at(5));
    b.at(at(7)).emit("schedule.quarantined", { schedule: "s1", account: "gone", by: "operator" });
    const v = verdict(b, "deleted-schedules-cleaned");
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toContain("1 schedule of deleted accounts never cleaned up: s1");
  });

  it("does not judge a due the operator quarantined within the SLO of it, the store up and a worker serving", () => {
    // Due at :05, quarantined at :06 (SLO 1 min): a healthy scheduler may not have fired it yet.
    const b = servedGoneAt(4, 40);
    b.at(at(6)).quarantined("s1", "gone");
    const v = verdict(b, "deleted-schedules-cleaned");
    expect(v).toMatchObject({ ok: true, exercised: false });
    expect(v.detail).toContain(STOPPED_UNFIRED);
  });

  it("judges a due left unfired for 30 minutes, the store up and a worker serving, before the operator stopped it", () => {
    // A stuck scheduler that never fires a deleted account's schedules never cleans them up: an
    // operator's quarantine, pause or deletion of one half an hour later does not excuse it. The
    // account's s2 (due once a year) is left all the same.
    for (const stop of ["schedule.quarantined", "schedule.paused", "schedule.deleted"] as const) {
      const b = new TraceBuilder();
      b.start({ horizonMin: 40 });
      b.lease("w1");
      b.ready("w1");
      b.schedule("s1", "gone", { cron: EVERY_5 });
      b.schedule("s2", "gone", { cron: "0 0 1 1 *" });
      b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 2 });
      b.at(at(35));
      if (stop === "schedule.quarantined") b.quarantined("s1", "gone");
      else if (stop === "schedule.paused") b.emit(stop, { schedule: "s1", account: "gone", paused: true });
      else b.emit(stop, { schedule: "s1", account: "gone", by: "operator" });
      const v = verdict(b, "deleted-schedules-cleaned");
      expect(v, stop).toMatchObject({ ok: false, exercised: true });
      expect(v.detail).toContain("s2");
      expect(v.detail).not.toContain(STOPPED_UNFIRED);
    }
  });

  it("does not judge a due the operator quarantined while the store was down", () => {
    // Due at :05 during an outage from :04:30 to :44:30, quarantined at :35 (a runbook step).
    const during = servedGoneAt(4, 50);
    during.at(at(4, 30)).outage(40 * MIN);
    during.at(at(35)).quarantined("s1", "gone");
    expect(verdict(during, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
    // The outage over at :34:30, quarantined half a minute later: no SLO of store time since.
    const after = servedGoneAt(4, 50);
    after.at(at(4, 30)).outage(30 * MIN);
    after.at(at(35)).quarantined("s1", "gone");
    expect(verdict(after, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
    // An outage over before the due excuses nothing.
    const before = servedGoneAt(4, 50);
    before.at(at(4, 30)).outage(SEC);
    before.at(at(35)).quarantined("s1", "gone");
    expect(verdict(before, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
  });

  it("does not judge a due the operator quarantined while no worker was serving", () => {
    const b = servedGoneAt(4, 40);
    b.at(at(4, 30)).killed("w1");
    b.at(at(35)).quarantined("s1", "gone");
    expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
    // Paused (SIGSTOP) is not serving either; back for less than an SLO before the stop.
    const paused = servedGoneAt(4, 40);
    paused.at(at(4, 30)).emit("worker.paused", { worker: "w1", durationMs: 30 * MIN });
    paused.at(at(34, 30)).emit("worker.resumed", { worker: "w1" });
    paused.at(at(35)).quarantined("s1", "gone");
    expect(verdict(paused, "deleted-schedules-cleaned")).toMatchObject({ ok: true, exercised: false });
  });

  it("judges a schedule paused before its due fired, then resumed and due again", () => {
    // Paused at :05:30 with its :05 due unfired: no chance then; resumed at :08, due at :10 and
    // live to the end (horizon :20): that due was the scheduler's chance.
    const resumed = servedGoneAt(4, 20);
    resumed.at(at(5, 30)).emit("schedule.paused", { schedule: "s1", account: "gone", paused: true });
    resumed.at(at(8)).emit("schedule.paused", { schedule: "s1", account: "gone", paused: false });
    expect(verdict(resumed, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
  });

  /**
   * w1 and w2 serving from :00, `owner` holding s1's partition 0 and the other partition 1; the
   * account "gone" (s1 every 5 min, s2 yearly on partition 1) deleted at :04, w2 killed at :04:50,
   * s1 quarantined by the operator at :07 with its :05 due unfired.
   */
  function killedW2QuarantinedAt7(owner: "w1" | "w2") {
    const b = new TraceBuilder();
    b.start({ horizonMin: 40, workers: 2 });
    b.lease(owner === "w1" ? "w2" : "w1", 1, 1);
    b.lease(owner, 0, 2);
    b.ready("w1");
    b.ready("w2");
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.schedule("s2", "gone", { cron: "0 0 1 1 *", partition: 1 });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 2 });
    b.at(at(4, 50)).killed("w2");
    b.at(at(7)).quarantined("s1", "gone");
    return verdict(b, "deleted-schedules-cleaned");
  }

  it("does not judge a due the operator quarantined while its partition's owner was dead, other workers serving", () => {
    // A due fires only once its partition's owner serves or another worker takes the lease (after
    // the lease TTL): w1 serving all along could not have fired the :05 due of w2's partition.
    const v = killedW2QuarantinedAt7("w2");
    expect(v).toMatchObject({ ok: true, exercised: false });
    expect(v.detail).toContain("2 schedules of accounts whose dues since the deletion were stopped");
  });

  it("judges a due its partition's owner, serving, left unfired longer than the SLO before the operator stopped it", () => {
    // w1 owns s1's partition and serves from :00; the killed w2 held another partition.
    const v = killedW2QuarantinedAt7("w1");
    expect(v).toMatchObject({ ok: false, exercised: true });
    expect(v.detail).toContain("s2");
  });

  it("judges a due left unfired by an owner whose scheduler returned from main: it held the lease and fired nothing", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 40, workers: 1 });
    b.lease("w1", 0, 1);
    b.ready("w1");
    b.schedule("s1", "gone", { cron: EVERY_5 });
    b.schedule("s2", "gone", { cron: "0 0 1 1 *" });
    b.at(at(1)).emit("scheduler.returned", { worker: "w1", incarnation: 1 });
    b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 2 });
    b.at(at(35)).quarantined("s1", "gone");
    expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
  });

  it("counts the SLO from when a new owner took the partition's lease, and judges once it served longer", () => {
    // w2, the owner, killed at :04:30; its lease expires and w1 takes it at :09:40. The :05 due
    // was unfired until then; stopped 20 s after the handoff: exempt; 80 s after: judged.
    const handedOff = (stopAt: number) => {
      const b = new TraceBuilder();
      b.start({ horizonMin: 40, workers: 2 });
      b.lease("w2", 0, 1);
      b.ready("w1");
      b.ready("w2");
      b.schedule("s1", "gone", { cron: EVERY_5 });
      b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
      b.at(at(4, 30)).killed("w2");
      b.at(at(9, 40)).emit("lease.expired", { worker: "w2", partition: 0, token: 1, expiredAt: at(9, 30) });
      b.lease("w1", 0, 2, "w2");
      b.at(stopAt).quarantined("s1", "gone");
      return verdict(b, "deleted-schedules-cleaned");
    };
    expect(handedOff(at(10))).toMatchObject({ ok: true, exercised: false });
    expect(handedOff(at(11))).toMatchObject({ ok: false, exercised: true });
  });

  it("does not judge a due whose partition had no owner, or an owner that lost or released its lease", () => {
    for (const end of ["lease.lost", "lease.released", "none"] as const) {
      const b = new TraceBuilder();
      b.start({ horizonMin: 40 });
      if (end !== "none") b.lease("w1", 0, 1);
      b.ready("w1");
      b.schedule("s1", "gone", { cron: EVERY_5 });
      b.at(at(4)).emit("account.deleted", { account: "gone", schedules: 1 });
      if (end !== "none") b.at(at(4, 30)).emit(end, { worker: "w1", partition: 0, token: 1 });
      b.at(at(35)).quarantined("s1", "gone");
      expect(verdict(b, "deleted-schedules-cleaned"), end).toMatchObject({ ok: true, exercised: false });
    }
  });

  it("allows the owner's largest behind clock skew on top of the SLO", () => {
    // w1's clock 3 min behind: its :05 due fires by its clock at :08 at the earliest.
    const skewed = (stopAt: number) => {
      const b = servedGoneAt(4, 40);
      b.at(at(4, 30)).emit("fault.injected", {
        fault: "clock-skew",
        worker: "w1",
        detail: `w1 clock -${3 * MIN} ms for ${MIN} ms`,
        probe: 1,
        durationMs: MIN,
      });
      b.at(stopAt).quarantined("s1", "gone");
      return verdict(b, "deleted-schedules-cleaned");
    };
    expect(skewed(at(8, 30))).toMatchObject({ ok: true, exercised: false });
    expect(skewed(at(9, 30))).toMatchObject({ ok: false, exercised: true });
  });
  describe("a fire whose cleanup the store refused", () => {
    /**
     * s1 of "gone" (deleted at :04) fires its due at `dueMin` on w1; `refusal` says what the store
     * refused in that task, then the task commits (a commit refused ends it instead).
     */
    function fireAndCommit(
      b: TraceBuilder,
      dueMin: number,
      refusal: "none" | "listSchedules" | "getAccount" | "other-account" | "commit",
    ): void {
      const fields = task("w1", "s1", "gone", at(dueMin));
      const fire = b.at(at(dueMin, 0.3)).emit("schedule.fired", { ...fields, attempt: 1 });
      const cause = { cause: fire };
      b.at(at(dueMin, 0.31));
      if (refusal === "listSchedules" || refusal === "getAccount")
        b.emit("store.refused", { worker: "w1", call: refusal, account: "gone" }, cause);
      if (refusal === "other-account")
        b.emit("store.refused", { worker: "w1", call: "getAccount", account: "other" }, { cause: 0 });
      b.at(at(dueMin, 0.32));
      if (refusal === "commit") b.emit("store.refused", { ...fields, call: "commit" }, cause);
      else b.emit("task.committed", { ...fields, next: at(dueMin + 5) }, cause);
    }

    it("does not take it for a chance to clean up: the next due is", () => {
      for (const refusal of ["listSchedules", "getAccount", "commit"] as const) {
        const b = servedGoneAt(4, 10);
        fireAndCommit(b, 5, refusal);
        expect(verdict(b, "deleted-schedules-cleaned"), refusal).toMatchObject({
          ok: true,
          exercised: false,
        });
      }
    });

    it("still fails a fire that nothing refused, or whose refusal was of another task or account", () => {
      for (const refusal of ["none", "other-account"] as const) {
        const b = servedGoneAt(4, 10);
        fireAndCommit(b, 5, refusal);
        const v = verdict(b, "deleted-schedules-cleaned");
        expect(v, refusal).toMatchObject({ ok: false, exercised: true });
        expect(v.detail).toContain("1 schedule of deleted accounts never cleaned up: s1");
      }
    });

    it("judges the next due, fired and committed without a refusal or left unfired to the end", () => {
      const fired = servedGoneAt(4, 16);
      fireAndCommit(fired, 5, "listSchedules");
      fireAndCommit(fired, 10, "none");
      expect(verdict(fired, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
      const unfired = servedGoneAt(4, 16);
      fireAndCommit(unfired, 5, "listSchedules");
      expect(verdict(unfired, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
    });

    it("judges the same due fired again after a refused read, when nothing refused the second fire", () => {
      const b = servedGoneAt(4, 10);
      fireAndCommit(b, 5, "getAccount");
      const fields = task("w1", "s1", "gone", at(5));
      const again = b.at(at(5, 2)).emit("schedule.fired", { ...fields, attempt: 2 });
      b.at(at(5, 3)).emit("task.committed", { ...fields, next: at(10) }, { cause: again });
      expect(verdict(b, "deleted-schedules-cleaned")).toMatchObject({ ok: false, exercised: true });
    });

    /**
     * s1's :05 due fires on w1 and a recovered panic interrupts its task (no commit, no refusal);
     * the task fires again, and `then` says how that attempt ends.
     */
    function panicThenFireAgain(then: "commit-refused" | "committed" | "panic-forever"): TraceBuilder {
      const b = servedGoneAt(4, 10);
      const fields = task("w1", "s1", "gone", at(5));
      const first = b.at(at(5, 0.3)).emit("schedule.fired", { ...fields, attempt: 1 });
      b.emit(
        "panic.recovered",
        { ...fields, error: "Error: injected", attempt: 1, retryInMs: SEC },
        { cause: first },
      );
      const again = b.at(at(5, 1.3)).emit("schedule.fired", { ...fields, attempt: 2 });
      b.at(at(5, 1.4));
      if (then === "commit-refused") b.emit("store.refused", { ...fields, call: "commit" }, { cause: again });
      else if (then === "committed") b.emit("task.committed", { ...fields, next: at(10) }, { cause: again });
      else
        b.emit(
          "panic.recovered",
          { ...fields, error: "Error: injected", attempt: 2, retryInMs: null },
          { cause: again },
        );
      return b;
    }

    it("judges a due whose task a recovered panic interrupted on the attempt that finishes", () => {
      // The panicked attempt ended without a commit: not itself a chance; the store refused the next.
      expect(verdict(panicThenFireAgain("commit-refused"), "deleted-schedules-cleaned")).toMatchObject({
        ok: true,
        exercised: false,
      });
      expect(verdict(panicThenFireAgain("committed"), "deleted-schedules-cleaned")).toMatchObject({
        ok: false,
        exercised: true,
      });
      // Fired again and again, never finishing, nothing refused: judged at the end all the same.
      expect(verdict(panicThenFireAgain("panic-forever"), "deleted-schedules-cleaned")).toMatchObject({
        ok: false,
        exercised: true,
      });
    });
  });
});

// Shows that a delivery is retried as often as the scenario's `retries` says, and that its last failed attempt is traced before the dead letter, and that a retry whose account was deleted meanwhile commits without sending.
import { describe, expect, it } from "vitest";
import type { WorldConfig } from "../../src/world/config.js";
import { eventsOf, FIXED, MIN, reportOf, runWorld, smallWorldConfig } from "./helpers.js";

/** One schedule due once (09:31 on May 8), every delivery answered 500, `retries` retries. */
function alwaysFailing(retries: number): WorldConfig {
  const base = smallWorldConfig({
    workers: 2,
    accounts: 0,
    fixes: FIXED,
    deleteAtMs: null,
    // The retries wait 12 s, 2m28s, 30m8s, 6h7m and 24h: the last one falls inside 31 h.
    durationMs: 31 * 60 * MIN,
    destination: { failureRate: 1 },
  });
  return {
    ...base,
    workload: {
      ...base.workload,
      retries,
      named: [{ id: "acct-r", schedules: [{ id: "sr", cron: "31 9 8 5 *" }] }],
    },
  };
}

describe("delivery retries", () => {
  const { events } = runWorld(alwaysFailing(5));

  it("sends the first attempt and then every retry the scenario asks for, above QStash's default 3", () => {
    expect(eventsOf(events, "delivery.sent").map((e) => e.attempt)).toEqual([0, 1, 2, 3, 4, 5]);
    const dead = eventsOf(events, "delivery.dead-lettered");
    expect(dead.map((e) => e.attempts)).toEqual([6]);
  });

  it("traces the last failed attempt, with its status and no retry, just before the dead letter", () => {
    const failed = eventsOf(events, "delivery.failed");
    expect(failed.map((e) => e.attempt)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(failed.map((e) => e.status)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(failed.slice(0, 5).every((e) => typeof e.retryAt === "number")).toBe(true);
    const last = failed[5];
    expect(last.retryAt).toBeNull();
    const dead = eventsOf(events, "delivery.dead-lettered")[0];
    expect(dead.message).toBe(last.message);
    expect(dead.seq).toBe(last.seq + 1);
  });

  it("counts the dead-lettered fire once, as missed", () => {
    const { deliveries } = reportOf(events).metrics;
    expect(deliveries).toMatchObject({ due: 1, onTime: 0, late: 0, missed: 1, duplicate: 0 });
  });

  it("goes straight from the first failure to the dead letter with no retries", () => {
    const none = runWorld({ ...alwaysFailing(0), durationMs: 10 * MIN }).events;
    expect(eventsOf(none, "delivery.sent").map((e) => e.attempt)).toEqual([0]);
    expect(eventsOf(none, "delivery.failed").map((e) => [e.attempt, e.status, e.retryAt])).toEqual([
      [0, 500, null],
    ]);
    expect(eventsOf(none, "delivery.dead-lettered").map((e) => e.attempts)).toEqual([1]);
  });
});

describe("a retry that falls due after its account was deleted", () => {
  // The first attempt fails at 09:31, its retry is due 12 s later; the account goes at 09:31:05.
  const base = alwaysFailing(3);
  const deleteAt = Date.UTC(2026, 4, 8, 9, 31, 5);
  const { events } = runWorld({
    ...base,
    durationMs: 10 * MIN,
    timeline: [{ action: "delete-account", account: "acct-r", atMs: deleteAt }],
  });

  it("is committed without sending: no delivery for the account after its deletion", () => {
    const deleted = eventsOf(events, "account.deleted").filter((e) => e.account === "acct-r");
    expect(deleted.map((e) => e.t)).toEqual([deleteAt]);
    expect(eventsOf(events, "delivery.sent").map((e) => [e.attempt, e.t < deleteAt])).toEqual([[0, true]]);
    const retry = eventsOf(events, "delivery.failed")[0];
    expect(retry.retryAt).toBeGreaterThan(deleteAt);
    const commits = eventsOf(events, "task.committed").filter((e) => e.t >= retry.retryAt!);
    expect(commits.map((e) => e.schedule)).toEqual(["sr"]);
    expect(eventsOf(events, "delivery.dead-lettered")).toEqual([]);
    expect(reportOf(events).metrics.deliveries.afterDeletion).toBe(0);
  });
});

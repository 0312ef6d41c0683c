// Shows the May 8 mechanics on a small world: the buggy v2 cascades through lease handoff, one worker crash-loops instead, and each fix (and v1) stops what the write-up says it stops.
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { fireTimesBetween, parseCron } from "../../src/world/cron.js";
import {
  eventsOf,
  expectExclusiveOwnership,
  FIXED,
  leaseGrants,
  panicDeaths,
  reportOf,
  runWorld,
  type SmallWorldOptions,
  START,
  smallWorldConfig,
} from "../world/helpers.js";

const DELETED = "acct-deleted";
const POISON = ["sched-poison-1", "sched-poison-2"];

function run(o: SmallWorldOptions) {
  const config = smallWorldConfig(o);
  const result = runWorld(config);
  return { ...result, config, report: reportOf(result.events) };
}

/** Distinct workers whose processes a schedule's panics killed, by schedule. */
function victimsBySchedule(events: readonly TraceEvent[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of panicDeaths(events)) {
    const set = out.get(d.schedule!) ?? new Set<string>();
    set.add(d.worker);
    out.set(d.schedule!, set);
  }
  return out;
}

/** Every due of every schedule not of the deleted account, up to `untilMs`, from the cron itself. */
function expectedDues(events: readonly TraceEvent[], untilMs: number): string[] {
  const out: string[] = [];
  for (const s of eventsOf(events, "schedule.created")) {
    if (s.account === DELETED || s.next === null) continue;
    for (const t of [s.next, ...fireTimesBetween(parseCron(s.cron), s.next, untilMs)]) {
      if (t <= untilMs) out.push(`${s.schedule}@${t}`);
    }
  }
  return out;
}

describe("May 8 on a small world (4 workers, 50 accounts, one deleted)", () => {
  it("v2 without fixes: a cascade through lease handoff", () => {
    const { events, report } = run({});
    const victims = victimsBySchedule(events);
    const worst = Math.max(...[...victims.values()].map((v) => v.size));
    expect(worst).toBeGreaterThanOrEqual(2);
    expect([...victims.keys()].every((s) => POISON.includes(s))).toBe(true);
    expect(report.metrics.cascade).toBe(true);
    expect(report.metrics.cascadeDepth).toBe(worst);
    // At least one death on a worker that had taken the poison's partition from a dead owner.
    const grants = leaseGrants(events);
    const crashes = eventsOf(events, "worker.crashed");
    const deathsAfterHandoff = panicDeaths(events).filter((d) => {
      const g = grants.find(
        (x) => x.partition === d.partition && x.worker === d.worker && x.from <= d.t && d.t <= x.liveUntil,
      );
      if (!g || g.previous === null || g.previous === d.worker) return false;
      // The previous owner's process had died (crashed) before the lease passed on.
      return crashes.some((c) => c.worker === g.previous && c.t <= g.from);
    });
    expect(deathsAfterHandoff.length).toBeGreaterThanOrEqual(1);
    expect(report.metrics.deletedSchedulesLeft).toBe(2);
    expect(report.metrics.deliveries.late + report.metrics.deliveries.missed).toBeGreaterThan(0);
    expectExclusiveOwnership(events);
  });

  it("v2 without fixes on one worker: a crash loop, depth 1, no cascade", () => {
    const { events, report } = run({ workers: 1 });
    const deaths = panicDeaths(events);
    expect(deaths.length).toBeGreaterThanOrEqual(3);
    expect(new Set(deaths.map((d) => d.worker))).toEqual(new Set(["w1"]));
    expect(new Set(deaths.map((d) => d.incarnation)).size).toBe(deaths.length);
    expect(report.metrics.cascadeDepth).toBe(1);
    expect(report.metrics.cascade).toBe(false);
  });

  it("v2 with both fixes: nobody dies, the account is cleaned up, everyone else is on time", () => {
    const { events, report, config } = run({ fixes: FIXED });
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    expect(report.metrics.panicDeaths).toBe(0);
    // All of the deleted account's schedules removed, by a task's cleanup.
    const deleted = eventsOf(events, "schedule.deleted");
    expect(deleted.map((e) => e.schedule).sort()).toEqual(POISON);
    expect(deleted.every((e) => e.by === "cleanup" && e.account === DELETED)).toBe(true);
    expect(report.metrics.deletedSchedulesLeft).toBe(0);
    // No delivery for it after its deletion.
    const deletedAt = eventsOf(events, "account.deleted")[0].t;
    const after = eventsOf(events, "delivery.sent").filter((e) => e.account === DELETED && e.t >= deletedAt);
    expect(after).toEqual([]);
    expect(report.metrics.deliveries.afterDeletion).toBe(0);
    // Every other due acked within the SLO, computed here from the cron and the acks alone.
    const horizon = config.startMs + config.durationMs;
    const dues = expectedDues(events, horizon - config.sloMs);
    expect(dues.length).toBeGreaterThan(1000);
    const firstAck = new Map<string, number>();
    for (const a of eventsOf(events, "delivery.acked")) {
      const key = `${a.schedule}@${a.due}`;
      if (!firstAck.has(key)) firstAck.set(key, a.t);
    }
    const late = dues.filter((key) => {
      const due = Number(key.slice(key.indexOf("@") + 1));
      const acked = firstAck.get(key);
      return acked === undefined || acked - due > config.sloMs;
    });
    expect(late).toEqual([]);
    expect(report.metrics.deliveries).toMatchObject({ late: 0, missed: 0, duplicate: 0 });
  });

  it("early-return only: the deletion path never panics", () => {
    const { events, report } = run({ fixes: ["early-return"] });
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    expect(eventsOf(events, "panic.recovered")).toEqual([]);
    expect(
      eventsOf(events, "schedule.deleted")
        .map((e) => e.schedule)
        .sort(),
    ).toEqual(POISON);
    expect(report.metrics.deletedSchedulesLeft).toBe(0);
  });

  it("panic-recovery only: panics recovered, the poison quarantined after its attempts, nobody dies", () => {
    const { events, report } = run({ fixes: ["panic-recovery"] });
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    const recovered = eventsOf(events, "panic.recovered");
    expect(recovered.length).toBeGreaterThan(0);
    expect(recovered.every((e) => e.account === DELETED)).toBe(true);
    const quarantined = eventsOf(events, "task.quarantined");
    expect(quarantined.map((e) => e.schedule).sort()).toEqual(POISON);
    for (const q of quarantined) {
      expect(q.attempts).toBe(3);
      // Attempts 1 and 2 retried with back-off, attempt 3 given up on, then quarantined.
      const own = recovered.filter((e) => e.task === q.task);
      expect(own.map((e) => [e.attempt, e.retryInMs])).toEqual([
        [1, 1000],
        [2, 2000],
        [3, null],
      ]);
      expect(own[2].t).toBeLessThanOrEqual(q.t);
      // One fire per attempt, none for the quarantine; each attempt's events follow from its fire.
      const fires = eventsOf(events, "schedule.fired").filter((e) => e.task === q.task);
      expect(fires.map((e) => e.attempt)).toEqual([1, 2, 3]);
      expect(own.map((e) => e.cause)).toEqual(fires.map((e) => e.seq));
      expect(q.cause).toBe(fires[2].seq);
    }
    expect(eventsOf(events, "schedule.quarantined").map((e) => e.by)).toEqual(["scheduler", "scheduler"]);
    // Bug 1 is still there: the cleanup is rolled back with each panic.
    expect(report.metrics.deletedSchedulesLeft).toBe(2);
    expect(report.metrics).toMatchObject({ panicDeaths: 0, cascade: false, tasksQuarantined: 2 });
  });

  it("v1: no panic, no cascade, the account is cleaned up", () => {
    const { events, report } = run({ scheduler: "v1" });
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    expect(eventsOf(events, "panic.recovered")).toEqual([]);
    expect(report.metrics).toMatchObject({ cascade: false, cascadeDepth: 0, deletedSchedulesLeft: 0 });
    expect(report.metrics.deliveries).toMatchObject({ late: 0, missed: 0 });
  });

  it("fires the poison only after the deletion, at the poison schedules' due times", () => {
    const { events } = run({});
    const deletedAt = eventsOf(events, "account.deleted")[0].t;
    const firstDeath = panicDeaths(events)[0];
    expect(firstDeath.t).toBeGreaterThan(deletedAt);
    expect(firstDeath.t - START).toBeLessThan(7 * 60_000);
  });
});

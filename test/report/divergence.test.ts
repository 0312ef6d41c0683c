// Shows what a divergence says differs between the two events where runs part, and which runs part where.
import { describe, expect, it } from "vitest";
import { BEHAVIOUR_IGNORED } from "../../src/explore/compare.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import {
  differencesOf,
  differencesText,
  differingFields,
  NOT_BEHAVIOUR,
  TIME_FIELDS,
} from "../../src/report/divergence.js";
import { EVENT_FIELD_KINDS } from "../../src/world/events.js";

const fired = (fields: Record<string, unknown> = {}): TraceEvent =>
  ({
    t: 1_778_233_260_011,
    seq: 163,
    type: "schedule.fired",
    cause: 147,
    worker: "w1",
    schedule: "sched-000005",
    attempt: 1,
    ...fields,
  }) as TraceEvent;

describe("differencesOf", () => {
  it("names only the time when only the time differs", () => {
    const d = differencesOf(fired(), fired({ t: 1_778_233_260_955 }));
    expect(d.map((x) => x.field)).toEqual(["t"]);
    expect(differencesText(d)).toBe("t");
  });

  it("leaves out what numbers the trace or names the scheduler, as the behaviour print does", () => {
    expect([...NOT_BEHAVIOUR]).toEqual([...BEHAVIOUR_IGNORED]);
    const d = differencesOf(fired(), fired({ seq: 170, cause: 150, scheduler: "v1", worker: "w2" }));
    expect(d.map((x) => x.field)).toEqual(["worker"]);
    expect(differencesText(d)).toBe("worker (w1 vs w2)");
    expect(differencesText(d, ["worker"])).toBe("worker");
  });

  it("puts the kind first when the events are of different kinds, then every field that differs, one only one has too", () => {
    const crashed = fired({
      type: "worker.crashed",
      t: 1_778_233_260_009,
      reason: "panic",
      attempt: undefined,
    });
    const d = differencesOf(crashed, fired({ due: 1_778_233_260_000 }));
    // The first event's fields in its order, then those only the other has.
    expect(d.map((x) => x.field)).toEqual(["type", "t", "attempt", "reason", "due"]);
    expect(differingFields(crashed, fired({ due: 1_778_233_260_000 }))).toEqual(d.map((x) => x.field));
    expect(differencesText(d)).toBe(
      "type, t, attempt (– vs 1), reason (panic vs –), due (– vs 2026-05-08T09:41:00Z)",
    );
  });

  it("lists at most eight differing fields, and counts the rest", () => {
    const extra = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]));
    const d = differencesOf(fired({ type: "worker.crashed" }), fired(extra));
    expect(d).toHaveLength(11);
    expect(differencesText(d)).toBe(
      "type, f0 (– vs 0), f1 (– vs 1), f2 (– vs 2), f3 (– vs 3), f4 (– vs 4), f5 (– vs 5), f6 (– vs 6) and 3 more",
    );
  });

  it("shows a field one event lacks, and cuts a long value", () => {
    const long = "x".repeat(200);
    const d = differencesOf(fired(), fired({ previous: "w3", error: long }));
    expect(d.map((x) => x.field)).toEqual(["previous", "error"]);
    const text = differencesText(d);
    expect(text).toContain("previous (– vs w3)");
    expect(text.length).toBeLessThan(120);
  });

  it("writes task, message and goroutine values with their due times as ISO times", () => {
    const due = Date.UTC(2026, 4, 8, 9, 45);
    const ids = (schedule: string) => ({
      task: `${schedule}@${due}`,
      message: `${schedule}@${due}/m1`,
      goroutine: `deliver ${schedule}@${due}`,
    });
    const d = differencesOf(fired(ids("sched-a")), fired(ids("sched-b")));
    expect(differencesText(d)).toBe(
      "task (sched-a@2026-05-08T09:45:00Z vs sched-b@2026-05-08T09:45:00Z), " +
        "message (sched-a@2026-05-08T09:45:00Z/m1 vs sched-b@2026-05-08T09:45:00Z/m1), " +
        "goroutine (deliver sched-a@2026-05-08T09:45:00Z vs deliver sched-b@2026-05-08T09:45:00Z)",
    );
  });

  it("writes every time a trace event holds as an ISO time: a lease's expiry, a run's horizon", () => {
    const expired = (expiredAt: number) =>
      fired({ type: "lease.expired", partition: 1, token: 4, expiredAt, attempt: undefined });
    const d = differencesOf(expired(1_778_233_529_000), expired(1_778_233_528_000));
    expect(differencesText(d)).toBe("expiredAt (2026-05-08T09:45:29Z vs 2026-05-08T09:45:28Z)");
    const started = (horizon: number) => fired({ type: "run.started", horizon, attempt: undefined });
    expect(differencesText(differencesOf(started(1_778_234_400_000), started(1_778_236_200_000)))).toBe(
      "horizon (2026-05-08T10:00:00Z vs 2026-05-08T10:30:00Z)",
    );
  });

  it("classes every number field of the event catalogue as a time or not", () => {
    // Counts, durations, ids and sequence numbers: shown as numbers. A new number field must be
    // put here or in TIME_FIELDS.
    const notTimes = new Set([
      ...["abandoned", "armed", "attempt", "attempts", "crashesLastMinute", "delayMs", "dueBacklog"],
      ...["durationMs", "events", "fault", "forMs", "from", "inFlight", "incarnation", "index"],
      ...["lagP50Ms", "lagP99Ms", "partition", "partitions", "probe", "restarts", "retries"],
      ...["retryInMs", "schedules", "sloMs", "status", "stepDelayMs", "supersededBy", "threshold"],
      ...["to", "token", "unreleased", "value", "workers", "workersCrashLooping", "workersUp"],
    ]);
    const numbers = new Set<string>();
    for (const fields of Object.values(EVENT_FIELD_KINDS))
      for (const [field, kind] of Object.entries(fields)) {
        const k = typeof kind === "object" && !Array.isArray(kind) ? kind.optional : kind;
        if (typeof k === "string" && k.startsWith("number")) numbers.add(field);
      }
    const unclassed = [...numbers].filter((f) => !TIME_FIELDS.includes(f) && !notTimes.has(f));
    expect(unclassed).toEqual([]);
    expect(TIME_FIELDS.filter((f) => !numbers.has(f))).toEqual([]);
    expect(TIME_FIELDS.filter((f) => notTimes.has(f))).toEqual([]);
  });

  it("says nothing differs where a run's trace had ended", () => {
    expect(differencesOf(fired(), null)).toEqual([]);
    expect(differencesOf(null, fired())).toEqual([]);
  });
});

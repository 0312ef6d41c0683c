// Shows that an operator action on a schedule no longer in the store (cleaned up after its account's deletion) is traced as not applied, with the reason, while one on a schedule still there applies.
import { describe, expect, it } from "vitest";
import type { TimedAction } from "../../src/world/config.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

/** The account `acct-deleted` goes at :05:30; at :08 an operator pauses, resumes and quarantines its schedule. */
const LATE_ACTIONS: TimedAction[] = [
  { atMs: START + 8 * MIN, action: "pause-schedule", schedule: "sched-poison-1", paused: true },
  { atMs: START + 8 * MIN, action: "pause-schedule", schedule: "sched-poison-1", paused: false },
  { atMs: START + 8 * MIN, action: "quarantine-schedule", schedule: "sched-poison-2" },
];

function run(fixes: readonly string[]) {
  const config = smallWorldConfig({
    accounts: 4,
    durationMs: 10 * MIN,
    workers: 2,
    fixes: [...fixes],
    timeline: LATE_ACTIONS,
  });
  return runWorld(config).events;
}

describe("an operator action on a schedule", () => {
  it("is traced as not applied, with the reason, once the cleanup of its deleted account removed it", () => {
    const events = run(FIXED);
    // The fixed scheduler cleans the account's schedules up at their first fire after :05:30.
    const cleaned = eventsOf(events, "schedule.deleted").filter((e) => e.account === "acct-deleted");
    expect(cleaned.map((e) => e.schedule).sort()).toEqual(["sched-poison-1", "sched-poison-2"]);
    expect(cleaned.every((e) => e.t < START + 8 * MIN)).toBe(true);
    const actions = eventsOf(events, "operator.action").filter((e) => e.t === START + 8 * MIN);
    expect(actions.map((e) => [e.detail, e.applied, e.reason])).toEqual([
      [
        "pause schedule sched-poison-1",
        false,
        "schedule sched-poison-1 not found (404): deleted, or cleaned up after its account was deleted",
      ],
      [
        "resume schedule sched-poison-1",
        false,
        "schedule sched-poison-1 not found (404): deleted, or cleaned up after its account was deleted",
      ],
      [
        "quarantine-schedule sched-poison-2",
        false,
        "schedule sched-poison-2 not found (404): deleted, or cleaned up after its account was deleted",
      ],
    ]);
    expect(eventsOf(events, "schedule.paused")).toEqual([]);
    expect(eventsOf(events, "schedule.quarantined")).toEqual([]);
  });

  it("applies, with no applied or reason field, while the schedule is still in the store", () => {
    // Without the early-return fix the cleanup throws and rolls back: the schedules stay.
    const events = run([]);
    const actions = eventsOf(events, "operator.action").filter((e) => e.t === START + 8 * MIN);
    expect(actions).toHaveLength(3);
    for (const a of actions) {
      expect(a).not.toHaveProperty("applied");
      expect(a).not.toHaveProperty("reason");
    }
    expect(eventsOf(events, "schedule.paused").map((e) => e.paused)).toEqual([true, false]);
    expect(eventsOf(events, "schedule.quarantined").map((e) => e.schedule)).toEqual(["sched-poison-2"]);
  });
});

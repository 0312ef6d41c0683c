// Shows the rule for a change at the very time of a fire: a pause, resume or deletion applies to that fire, a creation does not (its first fire is strictly after), and the dues agree.
import { describe, expect, it } from "vitest";
import { eventsOf, MIN, reportOf, runWorld, START, smallWorldConfig } from "./helpers.js";

describe("a change at the very time of a fire", () => {
  it("applies to it when it pauses, resumes or deletes, and not when it creates the schedule", () => {
    const config = smallWorldConfig({ accounts: 0, deleteAtMs: null, durationMs: 10 * MIN, workers: 2 });
    const { events } = runWorld({
      ...config,
      workload: {
        ...config.workload,
        named: [
          {
            id: "acct-a",
            schedules: [
              { id: "s-pause", cron: "* * * * *" },
              { id: "s-del", cron: "* * * * *" },
            ],
          },
        ],
      },
      timeline: [
        { atMs: START + 2 * MIN, action: "pause-schedule", schedule: "s-pause", paused: true },
        { atMs: START + 4 * MIN, action: "pause-schedule", schedule: "s-pause", paused: false },
        { atMs: START + 3 * MIN, action: "delete-schedule", schedule: "s-del" },
        {
          atMs: START + 5 * MIN,
          action: "create-schedule",
          schedule: "s-new",
          account: "acct-a",
          cron: "* * * * *",
        },
      ],
    });
    const firesOf = (id: string) =>
      eventsOf(events, "schedule.fired")
        .filter((e) => e.schedule === id)
        .map((e) => (e.due - START) / MIN);
    // Paused at :02 (that fire skipped), resumed at :04 (that fire runs); run start is :00.
    expect(firesOf("s-pause")).toEqual([1, 4, 5, 6, 7, 8, 9]);
    // Deleted at :03: that fire does not run.
    expect(firesOf("s-del")).toEqual([1, 2]);
    // Created at :05: its first fire is :06, strictly after its creation, as the workload's
    // schedules, created at the start, first fire at :01.
    const created = eventsOf(events, "schedule.created").find((e) => e.schedule === "s-new");
    expect(created?.next).toBe(START + 6 * MIN);
    expect(firesOf("s-new")).toEqual([6, 7, 8, 9]);
    // The dues count exactly the fires above (the SLO of 1 min leaves out :10): no :05 for s-new.
    const { metrics } = reportOf(events);
    expect(metrics.deliveries).toMatchObject({ due: 7 + 2 + 4, onTime: 13, missed: 0 });
  });
});

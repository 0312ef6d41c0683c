// Shows that a message retry's task.committed gives its schedule's next due time as it stands (a retry does not move it), and null only once the schedule was deleted.
import { describe, expect, it } from "vitest";
import { FIXED, MIN, runWorld, smallWorldConfig } from "./helpers.js";

describe("task.committed of a message retry", () => {
  it("carries the schedule's next due time, null only after the schedule was deleted", () => {
    // Every delivery fails, and acct-deleted goes at 5m30s: its schedules are cleaned up while
    // retries of their messages are still queued (the second retry waits about 2.5 minutes).
    const { events } = runWorld(
      smallWorldConfig({
        fixes: FIXED,
        accounts: 10,
        durationMs: 10 * MIN,
        destination: { failureRate: 1 },
      }),
    );
    const nextDue = new Map<string, number | null>();
    const seen = { due: 0, deleted: 0 };
    for (const e of events) {
      if (e.type === "schedule.created") nextDue.set(String(e.schedule), e.next as number | null);
      if (e.type === "schedule.deleted") nextDue.set(String(e.schedule), null);
      if (e.type !== "task.committed") continue;
      const schedule = String(e.schedule);
      if (!String(e.task).includes("#")) {
        // A fire's commit moves the schedule on.
        nextDue.set(schedule, e.next as number | null);
        continue;
      }
      expect(nextDue.has(schedule), schedule).toBe(true);
      expect(e.next, `${e.task} at ${e.t}`).toBe(nextDue.get(schedule));
      if (e.next === null) seen.deleted++;
      else seen.due++;
    }
    expect(seen.due).toBeGreaterThan(20);
    expect(seen.deleted).toBeGreaterThan(0);
  });
});

// Shows the gaps explore found in the fixed scheduler and the world, each on a small world: the generators' stated constraints keep them out of the fixed properties; when one of these tests fails, the gap is closed and its constraint can go.
import { describe, expect, it } from "vitest";
import { eventsOf, runDocument, smallDocument } from "./helpers.js";

function verdict(run: ReturnType<typeof runDocument>, property: string) {
  return run.report.verdicts.find((v) => v.property === property)!;
}

describe("gaps explore finds (fixed scheduler, both fixes)", () => {
  it("closed: a retry of a message created before its account's deletion is dropped, not sent after it", () => {
    const run = runDocument(
      smallDocument({
        timeline: [{ at: "+3m5s", action: "delete-account", account: "acct-b" }],
        faults: [{ at: "+2m50s", fault: "http-errors", duration: "20s", rate: 1 }],
      }),
      "fixed",
    );
    // The due of 09:33 failed and its retry came due 12 s later, after acct-b's deletion at
    // 09:33:05: the retry reads the account again and drops the message.
    expect(verdict(run, "no-delivery-after-deletion").ok).toBe(true);
    expect(verdict(run, "no-delivery-after-deletion").exercised).not.toBe(false);
    expect(run.report.metrics.deliveries.afterDeletion).toBe(0);
    expect(eventsOf(run, "delivery.failed").length).toBeGreaterThan(0);
  });

  it("a task that read the account, then hung across the deletion, sends after it", () => {
    const run = runDocument(
      smallDocument({
        timeline: [{ at: "+3m10s", action: "delete-account", account: "acct-b" }],
        faults: [{ at: "+2m30s", fault: "hang", schedule: "sched-b1", duration: "30s" }],
      }),
      "fixed",
    );
    expect(verdict(run, "no-delivery-after-deletion").ok).toBe(false);
  });

  it("a task that never returns holds its schedule for good while its worker keeps the lease", () => {
    const run = runDocument(
      smallDocument({ faults: [{ at: "+2m", fault: "hang", schedule: "sched-a1" }] }),
      "fixed",
    );
    expect(verdict(run, "deliveries-on-time-after-quiet").ok).toBe(false);
    expect(run.report.metrics.deliveries.missed).toBeGreaterThan(10);
  });

  it("a quarantined cleanup task leaves the deleted account's only schedule in place", () => {
    const run = runDocument(
      smallDocument({
        timeline: [{ at: "+2m30s", action: "delete-account", account: "acct-b" }],
        faults: [
          { at: "+2m30s", fault: "inject-panic", point: "after-account-read", account: "acct-b", count: 3 },
        ],
      }),
      "fixed",
    );
    expect(eventsOf(run, "task.quarantined", (e) => e.schedule === "sched-b1")).toHaveLength(1);
    expect(verdict(run, "deleted-schedules-cleaned").ok).toBe(false);
  });

  it("closed: a schedule for a deleted account is refused, so the account's cleanup stands", () => {
    const run = runDocument(
      smallDocument({
        timeline: [
          { at: "+1m30s", action: "delete-account", account: "acct-b" },
          { at: "+3m", action: "create-schedule", schedule: "late", account: "acct-b", cron: "0 * * * *" },
        ],
      }),
      "fixed",
    );
    // The operator's create-schedule for the deleted acct-b is refused, as the API would.
    expect(eventsOf(run, "schedule.created", (e) => e.schedule === "late")).toHaveLength(0);
    expect(verdict(run, "deleted-schedules-cleaned").ok).toBe(true);
  });
});

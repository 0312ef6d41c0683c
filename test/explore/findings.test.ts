// Shows the gaps explore found in the fixed scheduler and the world, each on a small world: the generators' stated constraints keep them out of the fixed properties; when one of these tests fails, the gap is closed and its constraint can go.
import { describe, expect, it } from "vitest";
import { compileDocument } from "../../src/explore/generate/document.js";
import { runWorld } from "../../src/explore/run.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import { applyVariant } from "../../src/scenario/compile.js";
import { at, eventsOf, runDocument, smallDocument } from "./helpers.js";

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
    const deletion = { at: "+1m30s", action: "delete-account" as const, account: "acct-b" };
    const late = {
      at: "+3m",
      action: "create-schedule" as const,
      schedule: "late",
      account: "acct-b",
      cron: "0 * * * *",
    };
    // A scenario file cannot say it: the create-schedule would act on nothing, and is refused.
    const refused = compileDocument(smallDocument({ timeline: [deletion, late] }));
    expect(refused.ok ? [] : refused.problems).toEqual([
      expect.stringContaining('timeline[1].account: the account "acct-b" is already deleted at +3m'),
    ]);
    // An operator action that gets past the file (the API, a training what-if) is refused by the world, as the API would.
    const compiled = compileDocument(smallDocument({ timeline: [deletion] }));
    if (!compiled.ok) throw new Error(compiled.problems.join("; "));
    const base = applyVariant(compiled.compiled, "fixed")!;
    const action = {
      atMs: at(3),
      action: "create-schedule",
      schedule: "late",
      account: "acct-b",
      cron: "0 * * * *",
    } as const;
    const input = { ...base, config: { ...base.config, timeline: [...base.config.timeline, action] } };
    const sink = new CollectSink();
    const { report } = runWorld(input, { sinks: [sink] });
    const run = { report, events: sink.events as TraceEvent[] };
    expect(eventsOf(run, "schedule.created", (e) => e.schedule === "late")).toHaveLength(0);
    expect(verdict(run, "deleted-schedules-cleaned").ok).toBe(true);
  });
});

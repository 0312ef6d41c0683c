// Shows the human timeline: deaths with their cause, hand-offs of a poison schedule, and the cap.
import { describe, expect, it } from "vitest";
import { computeReport, TIMELINE_ENTRIES_MAX } from "../../src/checks/index.js";
import { readableDetail } from "../../src/checks/timeline.js";
import { stepPaceText } from "../../src/kernel/time.js";
import { at, TraceBuilder } from "./trace-builder.js";

function acquire(b: TraceBuilder, worker: string, partition: number, previous: string | null): number {
  return b.emit("lease.acquired", { worker, partition, token: b.events.length, previous });
}

describe("timeline", () => {
  it("tells the cascade: deletion, first panic, deaths, hand-offs and quarantine", () => {
    const b = new TraceBuilder();
    b.start({ workers: 3, horizonMin: 30 });
    b.ready("w1");
    b.ready("w2");
    b.ready("w3");
    b.schedule("s-poison", "acct-gone", { partition: 2 });
    acquire(b, "w1", 2, null);
    b.at(at(1)).emit("account.deleted", { account: "acct-gone", schedules: 1 });
    b.at(at(2)).panic("w1", "s-poison", "acct-gone", at(2), { partition: 2 });
    b.at(at(2, 30));
    const handOff = acquire(b, "w2", 2, "w1");
    b.at(at(3)).panic("w2", "s-poison", "acct-gone", at(2), { partition: 2 });
    b.at(at(3, 15)).ready("w1", 2);
    acquire(b, "w1", 2, "w2"); // w1 was not the latest victim: a hand-off back to it
    acquire(b, "w1", 2, "w1"); // the same worker again: not a new hand-off
    b.at(at(4)).emit("task.quarantined", {
      worker: "w1",
      schedule: "s-poison",
      account: "acct-gone",
      partition: 2,
      due: at(2),
      task: `s-poison@${at(2)}`,
      attempts: 3,
    });
    b.at(at(5));
    acquire(b, "w3", 2, "w1"); // quarantined: no longer poison
    const { timeline } = computeReport(b.events);
    expect(timeline.map((e) => e.text)).toEqual([
      "account acct-gone deleted (1 schedule left for lazy cleanup)",
      "first panic: w1 died: panic in task s-poison@2026-05-08T09:02:00Z (TypeError: Cannot read properties of undefined (reading 'plan'))",
      "w2 took over partition 2 from w1, and with it poison schedule s-poison (it killed w1 at 09:02:00)",
      "w2 died: panic in task s-poison@2026-05-08T09:02:00Z (TypeError: Cannot read properties of undefined (reading 'plan'))",
      "w1 took over partition 2 from w2, and with it poison schedule s-poison (it killed w2 at 09:03:00)",
      "w1 quarantined poison task s-poison@2026-05-08T09:02:00Z after 3 panics",
    ]);
    expect(timeline[2]).toMatchObject({
      seq: handOff,
      type: "lease.acquired",
      worker: "w2",
      t: "2026-05-08T09:02:30.000Z",
    });
  });

  it("tells a quarantine with no panic of its task as such, not as a poison task's", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1, horizonMin: 30 });
    b.ready("w1");
    b.at(at(2)).emit("task.quarantined", {
      worker: "w1",
      schedule: "s1",
      account: "acct-1",
      partition: 0,
      due: at(2),
      task: `s1@${at(2)}`,
      attempts: 1,
    });
    expect(computeReport(b.events).timeline.map((e) => e.text)).toContain(
      "w1 quarantined task s1@2026-05-08T09:02:00Z after 1 attempt, with no panic",
    );
  });

  it("says a poison schedule came with a free lease, and that an armed panic or hang is a fault", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 30 });
    b.ready("w1");
    b.ready("w2");
    b.schedule("s-poison", "acct-gone", { partition: 2 });
    acquire(b, "w1", 2, null);
    b.at(at(1)).emit("operator.action", {
      action: "arm-panic",
      detail: "panic at before-delivery for 1 task(s)",
    });
    b.emit("operator.action", { action: "arm-hang", detail: "next task of s-poison hangs" });
    b.at(at(2)).panic("w1", "s-poison", "acct-gone", at(2), { partition: 2 });
    b.at(at(2, 30));
    acquire(b, "w2", 2, null);
    const texts = computeReport(b.events).timeline.map((e) => e.text);
    expect(texts).toContain("fault: panic at before-delivery for 1 task(s)");
    expect(texts).toContain("fault: next task of s-poison hangs");
    expect(texts).toContain(
      "w2 took the free lease of partition 2, and with it poison schedule s-poison (it killed w1 at 09:02:00)",
    );
    expect(texts.join("\n")).not.toContain("operator: arm-");
  });

  it("keeps at most the cap, then says how many more", () => {
    const b = new TraceBuilder();
    b.start();
    for (let i = 0; i < TIMELINE_ENTRIES_MAX + 50; i++) {
      b.emit("fault.injected", { fault: "store-latency", detail: `spike ${i}`, probe: i });
    }
    const { timeline } = computeReport(b.events);
    expect(timeline).toHaveLength(TIMELINE_ENTRIES_MAX + 1);
    expect(timeline[TIMELINE_ENTRIES_MAX].text).toBe(
      "... 50 more from here not listed (deploys and alerts still are; of deletions, faults and operator actions, 50 are not either)",
    );
  });

  it("keeps the fix deploy and the alerts past a cap full of deletions, under a cap of their own", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 60 });
    // 150 accounts deleted, each an operator action and a deletion: 300 landmarks, past their cap.
    for (let i = 0; i < 150; i++) {
      const action = b.emit("operator.action", { action: "delete-account", detail: `acct-${i}` });
      b.emit("account.deleted", { account: `acct-${i}`, schedules: 0 }, { cause: action });
    }
    b.at(at(30)).emit("deploy.started", {
      scheduler: "v2",
      fixes: ["early-return"],
      workers: 2,
      stepDelayMs: 0,
    });
    b.at(at(31)).emit("deploy.finished", { scheduler: "v2", fixes: ["early-return"] });
    b.emit("alert.resolved", { rule: "worker-crash-rate", metric: "crashesLastMinute", value: 0 });
    const { timeline } = computeReport(b.events);
    const types = timeline.map((e) => e.type);
    expect(types.slice(-3)).toEqual(["deploy.started", "deploy.finished", "alert.resolved"]);
    expect(timeline.find((e) => e.type === "more")?.text).toBe(
      "... 100 more from here not listed (deploys and alerts still are; of deletions, faults and operator actions, 100 are not either)",
    );
  });

  it("keeps the story's turns past the cap: a long cascade's crashes do not push out the fix deploy", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 30 });
    const crashes = TIMELINE_ENTRIES_MAX + 40;
    for (let i = 0; i < crashes; i++)
      b.emit("worker.crashed", { worker: "w1", incarnation: i + 1, reason: "killed" });
    const firstLeftOut = b.events.filter((e) => e.type === "worker.crashed")[TIMELINE_ENTRIES_MAX];
    b.at(at(20)).emit("operator.action", { action: "deploy", detail: "v2 with both fixes" });
    b.emit("alert.resolved", { rule: "worker-crash-rate", metric: "crashesLastMinute", value: 0 });
    const { timeline } = computeReport(b.events);
    const note = timeline.findIndex((e) => e.type === "more");
    expect(note).toBe(TIMELINE_ENTRIES_MAX);
    // Where the first crash left out would have been, with its time and seq, before the deploy.
    expect(timeline[note]).toMatchObject({
      seq: firstLeftOut.seq,
      text: "... 40 more from here not listed (deletions, deploys, faults, alerts and operator actions still are)",
    });
    expect(timeline.slice(note + 1).map((e) => e.type)).toEqual(["operator.action", "alert.resolved"]);
    expect(timeline.filter((e) => e.type === "worker.crashed")).toHaveLength(TIMELINE_ENTRIES_MAX);
  });

  /** The task fields of schedule s1's fire due at minute 3, on w1. */
  const S1_TASK = {
    worker: "w1",
    schedule: "s1",
    account: "a1",
    partition: 0,
    due: at(3),
    task: `s1@${at(3)}`,
  };

  it("tells deploys, alerts, operator actions and the first recovered panic", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 30 });
    b.at(at(1)).emit("operator.action", { action: "deploy", detail: "v2 with both fixes" });
    b.emit("deploy.started", {
      scheduler: "v2",
      fixes: ["early-return", "panic-recovery"],
      workers: 3,
      stepDelayMs: 30_000,
    });
    b.at(at(2)).emit("deploy.finished", { scheduler: "v2", fixes: ["early-return", "panic-recovery"] });
    for (let i = 0; i < 2; i++) {
      b.at(at(3 + i)).emit("panic.recovered", {
        ...S1_TASK,
        error: "TypeError: boom",
        attempt: i + 1,
        retryInMs: 1000,
      });
    }
    b.at(at(6)).emit("alert.resolved", { rule: "crash-rate", metric: "crashesLastMinute", value: 0 });
    const timeline = computeReport(b.events).timeline;
    // An alert's entry names its rule, so that a summary can count one rule's flaps.
    expect(timeline.filter((e) => e.rule !== undefined).map((e) => [e.type, e.rule])).toEqual([
      ["alert.resolved", "crash-rate"],
    ]);
    const texts = timeline.map((e) => e.text);
    expect(texts).toEqual([
      "operator: deploy (v2 with both fixes)",
      "deploy of v2 + early-return, panic-recovery started: 3 workers, one at a time, each 30s after the one before serves again",
      "deploy of v2 + early-return, panic-recovery finished",
      "first panic: w1 recovered a panic in task s1@2026-05-08T09:03:00Z (TypeError: boom) and kept running",
      "alert crash-rate resolved: crashesLastMinute = 0",
    ]);
  });

  it("says where in a scheduler module a panic came from, recovered or not", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 30 });
    const task = S1_TASK;
    const location = "./mods/mine.mjs:80:20";
    b.at(at(3)).emit("panic.recovered", {
      ...task,
      error: "TypeError: boom",
      location,
      attempt: 1,
      retryInMs: 1000,
    });
    b.at(at(4)).emit("worker.crashed", {
      ...task,
      incarnation: 1,
      reason: "panic",
      error: "TypeError: boom",
      location,
    });
    expect(computeReport(b.events).timeline.map((e) => e.text)).toEqual([
      "first panic: w1 recovered a panic in task s1@2026-05-08T09:03:00Z at ./mods/mine.mjs:80:20 (TypeError: boom) and kept running",
      "w1 died: panic in task s1@2026-05-08T09:03:00Z at ./mods/mine.mjs:80:20 (TypeError: boom)",
    ]);
  });

  it("reads a traced detail's milliseconds and a deploy's step as a person would", () => {
    expect(readableDetail("pause w3 for 180000 ms")).toBe("pause w3 for 3m");
    expect(readableDetail("store calls +200 ms for 60000 ms")).toBe("store calls +200ms for 1m");
    expect(readableDetail("deploy v1 (no fixes), 10000 ms between workers")).toBe(
      "deploy v1 (no fixes), one worker at a time, each 10s after the one before serves again",
    );
    expect(readableDetail("delete-account acct-1")).toBe("delete-account acct-1");
    // A hang with no duration is traced as one of 2^53 − 1 ms: it never ends.
    expect(readableDetail(`task s1 hangs for ${Number.MAX_SAFE_INTEGER} ms`)).toBe(
      "task s1 hangs for good (the fault has no duration)",
    );
    expect(readableDetail("task s1 hangs for 5000 ms")).toBe("task s1 hangs for 5s");
  });

  it("writes the task of an injected panic with its due time, as the other key events write tasks", () => {
    const task = `sched-p@${at(8)}`;
    expect(readableDetail(`panic injected at after-account-read in task ${task}`, task)).toBe(
      "panic injected at after-account-read in task sched-p@2026-05-08T09:08:00Z",
    );
  });
});

describe("a deploy's pace", () => {
  it("reads as each as soon as the one before serves again for no delay, in every rendering", () => {
    expect(readableDetail("deploy v2 with early-return, 0 ms between workers")).toBe(
      "deploy v2 with early-return, one worker at a time, each as soon as the one before serves again",
    );
    expect(readableDetail("deploy v1 (no fixes), 10000 ms between workers")).toBe(
      "deploy v1 (no fixes), one worker at a time, each 10s after the one before serves again",
    );
    expect(stepPaceText(0)).not.toContain("0ms");
  });
});

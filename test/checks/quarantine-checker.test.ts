// Shows quarantine-after-retries on hand-written traces: a quarantine after panics on a first attempt and a retry holds, one after a single panic or none fails and names it, panic deaths count, a panic reported twice counts once (unless its task is a message retry, whose run again the world does not trace), and a commit ends a task's count.
import { describe, expect, it } from "vitest";
import { computeReport, type Verdict } from "../../src/checks/index.js";
import { at, everyFiveMinutes, type TraceBuilder, task } from "./trace-builder.js";

function recovered(
  b: TraceBuilder,
  due: number,
  attempt: number,
  cause: number | null = null,
  retryInMs: number | null = 1000,
): number {
  return b.emit(
    "panic.recovered",
    { ...task("w1", "s1", "a", due), error: "Error: injected panic at before-delivery", attempt, retryInMs },
    { cause },
  );
}

function quarantined(b: TraceBuilder, due: number, attempts: number): number {
  return b.emit("task.quarantined", { ...task("w1", "s1", "a", due), attempts });
}

function verdictOf(b: TraceBuilder): Verdict {
  return computeReport(b.events).verdicts.find((v) => v.property === "quarantine-after-retries")!;
}

describe("quarantine-after-retries", () => {
  it("is not exercised when nothing was quarantined", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    recovered(b, at(5), 1);
    expect(verdictOf(b)).toEqual({
      property: "quarantine-after-retries",
      ok: true,
      exercised: false,
      detail: "not exercised: the scheduler quarantined no schedule",
      events: [],
    });
  });

  it("holds for a quarantine after panics on the first attempt and on retries", () => {
    const b = everyFiveMinutes();
    for (let attempt = 1; attempt <= 3; attempt++) {
      b.at(at(5, attempt));
      recovered(b, at(5), attempt);
    }
    quarantined(b, at(5), 3);
    expect(verdictOf(b)).toEqual({
      property: "quarantine-after-retries",
      ok: true,
      exercised: true,
      detail:
        "1 schedule was quarantined, after its task panicked on its first attempt and on a retry (3 panics)",
      events: [],
    });
  });

  it("fails on a quarantine after one panic, whatever the scheduler says it counted, and names its events", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    const panic = recovered(b, at(5), 1);
    // The scheduler's own count is not believed: only the trace's panics are.
    const quarantine = quarantined(b, at(5), 3);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toBe(
      "1 schedule was quarantined before a retry could deliver: s1 at 09:05:01 after its task s1@2026-05-08T09:05:00Z panicked only once, with no retry; a schedule quarantined stops firing for good",
    );
    expect(v.events).toEqual([panic, quarantine]);
  });

  it("fails on a quarantine without any panic", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    quarantined(b, at(5), 1);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toContain("s1 at 09:05:01 without a panic;");
  });

  it("counts a panic that killed a worker, on any worker, as one of the task's panics", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1)).panic("w2", "s1", "a", at(5));
    b.at(at(5, 40));
    recovered(b, at(5), 1);
    quarantined(b, at(5), 1);
    expect(verdictOf(b).ok).toBe(true);
  });

  it("forgets a task's panics once it commits: a later quarantine of the same task starts from none", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    recovered(b, at(5), 1);
    b.emit("task.committed", { ...task("w1", "s1", "a", at(5)), next: at(10) });
    b.at(at(5, 3));
    recovered(b, at(5), 1);
    quarantined(b, at(5), 2);
    expect(verdictOf(b).ok).toBe(false);
  });

  it("names the first three hasty quarantines and counts the rest", () => {
    const b = everyFiveMinutes();
    for (let m = 5; m <= 25; m += 5) {
      b.at(at(m, 1));
      quarantined(b, at(m), 1);
    }
    const v = verdictOf(b);
    expect(v.detail).toMatch(
      /^5 schedules were quarantined before a retry could deliver: s1 at 09:05:01 .*; s1 at 09:15:01 without a panic \(and 2 more\);/,
    );
    expect(v.events).toHaveLength(3);
  });

  it("counts a panic reported twice once, with or without a wait between the reports", () => {
    for (const waitS of [1, 0]) {
      const b = everyFiveMinutes();
      b.at(at(5));
      const fired = b.fired("s1", "a", at(5));
      b.at(at(5, 1));
      const first = recovered(b, at(5), 1, fired);
      b.at(at(5, 1 + waitS));
      const second = recovered(b, at(5), 1, fired, null);
      const quarantine = quarantined(b, at(5), 2);
      const v = verdictOf(b);
      expect(v.ok).toBe(false);
      expect(v.detail).toContain(
        `s1 at 09:05:0${1 + waitS} after its task s1@2026-05-08T09:05:00Z panicked only once (reported 2 times), with no retry`,
      );
      expect(v.events).toEqual([first, second, quarantine]);
    }
  });

  it("counts an injected panic reported twice once, even in a message retry", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    const retryTask = { ...task("w1", "s1", "a", at(5)), task: "m-s1#1" };
    const injected = b.emit("fault.injected", {
      fault: "inject-panic",
      worker: "w1",
      detail: "panic injected at before-delivery in task m-s1#1",
      probe: 1,
      schedule: "s1",
      task: "m-s1#1",
    });
    for (let n = 0; n < 2; n++)
      b.emit(
        "panic.recovered",
        { ...retryTask, error: "Error: injected panic", attempt: 1, retryInMs: 1000 },
        { cause: injected },
      );
    b.emit("task.quarantined", { ...retryTask, attempts: 2 });
    expect(verdictOf(b).ok).toBe(false);
  });

  it("holds for panics on a fire and on its restart, each its own world-traced start", () => {
    // v2's retry of a panicked task: tx.restart() traces a new schedule.fired, which its panic follows.
    const b = everyFiveMinutes();
    b.at(at(5));
    let fired = b.fired("s1", "a", at(5));
    for (let attempt = 1; attempt <= 3; attempt++) {
      b.at(at(5, attempt));
      recovered(b, at(5), attempt, fired, attempt < 3 ? 1000 : null);
      if (attempt < 3) fired = b.fired("s1", "a", at(5));
    }
    quarantined(b, at(5), 3);
    expect(verdictOf(b)).toMatchObject({ ok: true, detail: expect.stringContaining("(3 panics)") });
  });

  it("counts every panic of a message retry run again, as the world traces no start for it", () => {
    // A retry's restart follows from the failure that asked for it, as its first run did: its
    // panics share that cause, and two of them may be two runs. Not judged as one report.
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    const retryTask = { ...task("w1", "s1", "a", at(5)), task: "m-s1#1" };
    const failed = b.emit("delivery.failed", {
      ...retryTask,
      message: "m-s1",
      attempt: 0,
      status: 500,
      retryAt: at(5, 13),
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      b.at(at(5, 13 + attempt));
      b.emit(
        "panic.recovered",
        { ...retryTask, error: "TypeError: x", attempt, retryInMs: 1000 },
        { cause: failed },
      );
    }
    b.emit("task.quarantined", { ...retryTask, attempts: 2 });
    expect(verdictOf(b).ok).toBe(true);
  });
});

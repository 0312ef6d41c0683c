// Shows retry-after-backoff on hand-written traces: a retry sent after QStash's back-off holds, one sent sooner fails and is named (followed by the failure that asked for it when its message id changed), a clock skew allows the wait to be short by the spread of the skews in effect on the workers that sent the attempt and the retry during the wait (not a skew over before it, nor another worker's), an attempt sent again after a crash or an injected panic is not a retry while one sent again with nothing between (or behind a panic its scheduler only reported, or a restart of its task) is a retry sent at once, a send after a failure its worker traced is a retry whatever its number, and a trace whose skew has no size is not judged.
import { describe, expect, it } from "vitest";
import { computeReport, qstashBackoffMs, type Verdict } from "../../src/checks/index.js";
import { clockSkewDetail } from "../../src/world/events.js";
import { at, everyFiveMinutes, SEC, type TraceBuilder, task } from "./trace-builder.js";

const MESSAGE = `m-s1-${at(5)}`;

/** A send of attempt `attempt` of s1's 09:05 message. */
function sent(b: TraceBuilder, attempt: number, worker = "w1"): number {
  return b.emit("delivery.sent", {
    ...task(worker, "s1", "a", at(5)),
    message: MESSAGE,
    attempt,
    destination: "https://example.com/s1",
  });
}

function skewed(b: TraceBuilder, skewMs: number | undefined, worker = "w2"): void {
  b.emit("fault.injected", {
    fault: "clock-skew",
    worker,
    detail: skewMs === undefined ? `${worker} clock ? ms` : clockSkewDetail(worker, skewMs, " for 60000 ms"),
    probe: 1,
    durationMs: 60 * SEC,
  });
}

function verdictOf(b: TraceBuilder): Verdict {
  return computeReport(b.events).verdicts.find((v) => v.property === "retry-after-backoff")!;
}

describe("retry-after-backoff", () => {
  it("waits QStash's back-off: 12.182 s, 2m28s, 30m8s, at most a day", () => {
    expect([1, 2, 3, 5, 9].map(qstashBackoffMs)).toEqual([
      12_182, 148_413, 1_808_042, 86_400_000, 86_400_000,
    ]);
  });

  it("is not exercised when no message was retried", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    expect(verdictOf(b)).toMatchObject({
      ok: true,
      exercised: false,
      detail: "not exercised: no message was retried",
    });
  });

  it("holds for retries sent after their back-off, on any worker", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.at(at(5) + 12_182);
    sent(b, 1, "w2");
    b.at(at(5) + 12_182 + 150_000);
    sent(b, 2, "w3");
    expect(verdictOf(b)).toEqual({
      property: "retry-after-backoff",
      ok: true,
      exercised: true,
      detail: "2 retries were sent, each after its back-off (0.000 s beyond it at the least)",
      events: [],
    });
  });

  it("fails on a retry sent at once, and names it", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.at(at(5, 1));
    const hasty = sent(b, 1);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toBe(
      `1 retry was sent before its back-off: ${MESSAGE} (schedule s1) retry 1 sent at 09:05:01, 1.000 s after attempt 0 was first sent, where QStash's back-off waits 12.182 s; a destination that failed is retried while it may still be down`,
    );
    expect(v.events).toEqual([hasty]);
  });

  it("allows a wait short by the spread of the clock skews set, and no more", () => {
    const early = (skews: number[]) => {
      const b = everyFiveMinutes();
      b.at(at(4));
      // The first on w1, which sent attempt 0, the next on w2, which sends the retry.
      skews.forEach((s, i) => {
        skewed(b, s, `w${i + 1}`);
      });
      b.at(at(5));
      sent(b, 0);
      b.at(at(5) + 12_182 - 3_000);
      sent(b, 1, "w2");
      return verdictOf(b);
    };
    // One clock 2 s ahead, another 1 s behind: a retry may be claimed 3 s early.
    const allowed = early([2_000, -1_000]);
    expect(allowed.ok).toBe(true);
    // Held by the allowance alone: the verdict says so, not that it waited its back-off.
    expect(allowed.detail).toBe(
      "1 retry was sent, after its back-off less the clock-skew allowance (the closest 3.000 s short of its back-off, within the 3.000 s the clock skews set allow)",
    );
    const v = early([2_000]);
    expect(v.ok).toBe(false);
    expect(v.detail).toContain("waits 12.182 s, less 2.000 s for clock skew");
  });

  it("does not take an attempt sent again (after a crash) for a retry, nor its repeat after an acknowledgement", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.at(at(5) + 13 * SEC);
    sent(b, 1);
    // w1 died before committing: w2 sends retry 1 again at once, then it is acknowledged.
    b.at(at(5) + 14 * SEC);
    sent(b, 1, "w2");
    b.emit("delivery.acked", { ...task("w2", "s1", "a", at(5)), message: MESSAGE, attempt: 1, status: 200 });
    // A worker that lost its lease sends retry 1 and then 2 after the acknowledgement.
    b.at(at(5) + 15 * SEC);
    sent(b, 1, "w3");
    sent(b, 2, "w3");
    expect(verdictOf(b)).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^1 retry was sent, after its back-off/),
    });
  });

  it("is not judged after a clock skew whose size the trace does not say", () => {
    const b = everyFiveMinutes();
    b.at(at(4));
    skewed(b, undefined);
    b.at(at(5));
    sent(b, 0);
    b.at(at(5, 1));
    sent(b, 1);
    expect(verdictOf(b)).toMatchObject({
      ok: true,
      exercised: false,
      detail: "not exercised: 1 retry not judged, after a clock skew whose size the trace does not say",
    });
  });

  it("follows a retry whose message id changed by the failure that asked for it", () => {
    // A scheduler that gives each retry a new message id, due a second after the failure.
    const b = everyFiveMinutes();
    b.at(at(5));
    const fired = b.fired("s1", "a", at(5));
    b.emit(
      "delivery.sent",
      { ...task("w1", "s1", "a", at(5)), message: "m0", attempt: 0, destination: "https://example.com/s1" },
      { cause: fired },
    );
    b.at(at(5) + 100);
    const failed = b.emit(
      "delivery.failed",
      { ...task("w1", "s1", "a", at(5)), message: "m0.r1", attempt: 0, status: 500, retryAt: at(5) + 1_100 },
      { cause: fired },
    );
    b.at(at(5) + 2_000);
    const retry = b.emit(
      "delivery.sent",
      {
        ...task("w1", "s1", "a", at(5)),
        message: "m0.r1",
        attempt: 1,
        destination: "https://example.com/s1",
      },
      { cause: failed },
    );
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toContain(
      "m0.r1 (schedule s1) retry 1 sent at 09:05:02, 2.000 s after attempt 0 was first sent",
    );
    expect(v.events).toEqual([retry]);
  });

  it("takes an attempt sent again by its worker with nothing between for a retry sent at once", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.at(at(5) + 75);
    const again = sent(b, 0);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toBe(
      `1 retry was sent before its back-off: ${MESSAGE} (schedule s1) attempt 0 sent again at 09:05:00.075, 0.075 s after it was last sent, with nothing between that could make a worker send it again (no retry asked for it after a failed send, no other worker sending it, no refused or fenced commit of its task, and on its worker no crash, lease change or injected panic), where even QStash's first back-off waits 12.182 s; a destination that failed is retried while it may still be down`,
    );
    expect(v.events).toEqual([again]);
  });

  it("takes a send numbered older than the attempt last sent, by its worker with nothing between, for a retry sent at once", () => {
    // A module that posts each message twice in one task, as attempt 1 and then 0: the first send
    // is not followed from attempt 0, and the second is no later attempt, yet both are delivered.
    for (const first of [1, 3]) {
      const b = everyFiveMinutes();
      b.at(at(5));
      sent(b, first);
      b.at(at(5) + 42);
      const again = sent(b, 0);
      const v = verdictOf(b);
      expect(v.ok, v.detail).toBe(false);
      expect(v.detail).toContain(
        `${MESSAGE} (schedule s1) attempt 0 sent at 09:05:00.042, 0.042 s after attempt ${first} was sent, with nothing between that could make a worker send it again`,
      );
      expect(v.events).toEqual([again]);
    }
  });

  it("allows an attempt sent again by its worker after a crash, a lost lease, a refused commit or a panic", () => {
    const between: Array<(b: TraceBuilder) => void> = [
      (b) => b.killed("w1"),
      (b) => b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 }),
      (b) => b.emit("lease.expired", { worker: "w1", partition: 0, token: 1, expiredAt: b.now }),
      (b) => b.emit("store.refused", { ...task("w1", "s1", "a", at(5)), call: "commit" }),
      (b) => b.emit("task.fenced", { ...task("w1", "s1", "a", at(5)), token: 1 }),
      (b) => reportedPanic(b, injectedPanic(b)),
      // v2 after an injected panic: recovered, then the task restarted (its fire run again).
      (b) => {
        reportedPanic(b, injectedPanic(b));
        b.emit("schedule.fired", { ...task("w1", "s1", "a", at(5)), attempt: 2 });
      },
    ];
    for (const step of between)
      expect(sentAgainAfter(step).verdict).toMatchObject({ ok: true, exercised: false });
  });

  /** s1's message sent by w1 at 09:05, `step` at 09:05:01, sent again at 09:05:02: the verdict and that send. */
  function sentAgainAfter(step: (b: TraceBuilder) => void): { verdict: Verdict; again: number } {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.at(at(5, 1));
    step(b);
    b.at(at(5, 2));
    const again = sent(b, 0);
    return { verdict: verdictOf(b), again };
  }

  it("takes an attempt sent again after a refused read, a refused claim or another task's refused commit for a retry sent at once", () => {
    // Only a refused commit of the task that sent it gives that task's work back: a read or claim
    // refused, or another task's commit, is something a scheduler may provoke at will (a read
    // asked for in a loop until one is refused) and re-runs nothing of this task.
    const between: Array<(b: TraceBuilder) => void> = [
      (b) => b.emit("store.refused", { worker: "w1", call: "getAccount", account: "a" }),
      (b) => b.emit("store.refused", { worker: "w1", call: "listSchedules", account: "a" }),
      (b) => b.emit("store.refused", { worker: "w1", call: "claimDue" }),
      (b) => b.emit("store.refused", { ...task("w1", "s2", "a", at(5)), call: "commit" }),
      (b) => b.emit("task.fenced", { ...task("w1", "s2", "a", at(5)), token: 1 }),
    ];
    for (const step of between) {
      const { verdict, again } = sentAgainAfter(step);
      expect(verdict.ok).toBe(false);
      expect(verdict.events).toEqual([again]);
    }
  });

  it("takes a same-numbered send after a failure and a refused commit of its task for a repeat, not after another task's", () => {
    // v2: the retry's commit (which holds its next retry) refused, the retry run again at once.
    const run = (refused: string) => {
      const b = everyFiveMinutes();
      b.at(at(5));
      sent(b, 0);
      failed(b, 0, at(5) + 13 * SEC);
      b.emit("store.refused", { ...task("w1", refused, "a", at(5)), call: "commit" });
      b.at(at(5, 1));
      return verdictOf(b.call((x) => sent(x, 0)));
    };
    expect(run("s1")).toMatchObject({ ok: true, exercised: false });
    expect(run("s2").ok).toBe(false);
  });

  it("allows only the skews in effect on the workers that sent the attempt and the retry, during the wait", () => {
    const early = (worker: string, from: number, durationMs: number) => {
      const b = everyFiveMinutes();
      b.at(from);
      b.emit("fault.injected", {
        fault: "clock-skew",
        worker,
        detail: clockSkewDetail(worker, -120_000, ` for ${durationMs} ms`),
        probe: 1,
        durationMs,
      });
      b.at(Math.max(b.now, at(5)));
      sent(b, 0);
      failed(b, 0, at(5) + 9_182);
      b.at(at(5) + 12_182 - 3_000);
      sent(b, 1, "w2");
      return verdictOf(b);
    };
    // In effect on the retrying worker during the wait: allowed.
    expect(early("w2", at(4), 5 * 60 * SEC).ok).toBe(true);
    expect(early("w1", at(5) + SEC, 5 * SEC).ok).toBe(true);
    // Over before the wait began, or on a worker that sent neither: not allowed.
    expect(early("w2", at(4), 5 * SEC).ok).toBe(false);
    expect(early("w3", at(4), 5 * 60 * SEC).ok).toBe(false);
    // Replaced by a later skew of the same clock before the wait: only the later one counts.
    const b = everyFiveMinutes();
    b.at(at(4));
    for (const skewMs of [-120_000, 1_000])
      b.emit("fault.injected", {
        fault: "clock-skew",
        worker: "w2",
        detail: clockSkewDetail("w2", skewMs, " to the end of the run"),
        probe: 1,
        durationMs: 3_600_000,
      });
    b.at(at(5));
    sent(b, 0);
    failed(b, 0, at(5) + 9_182);
    b.at(at(5) + 12_182 - 3_000);
    sent(b, 1, "w2");
    expect(verdictOf(b).detail).toContain("less 1.000 s for clock skew");
  });

  /** A panic the world injected in w1's task for s1's 09:05 message: its seq. */
  function injectedPanic(b: TraceBuilder): number {
    return b.emit("fault.injected", {
      fault: "inject-panic",
      worker: "w1",
      detail: "panic injected at after-delivery",
      probe: 1,
      schedule: "s1",
      task: task("w1", "s1", "a", at(5)).task,
      armed: 0,
    });
  }

  /** The scheduler's report of a recovered panic in w1's task for s1's 09:05 message. */
  function reportedPanic(b: TraceBuilder, cause: number | null = null): number {
    return b.emit(
      "panic.recovered",
      { ...task("w1", "s1", "a", at(5)), error: "Error: transient", attempt: 1, retryInMs: 1000 },
      { cause },
    );
  }

  it("takes an attempt sent again behind a panic report with nothing thrown or injected for a retry sent at once", () => {
    // The report is the scheduler's word: nothing the world traced may have run the task again.
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    reportedPanic(b);
    b.at(at(5) + 1100);
    const again = sent(b, 0);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.events).toEqual([again]);
  });

  it("takes an attempt sent again behind a restart of its task, with nothing thrown or injected, for a retry sent at once", () => {
    // `tx.restart()` is the scheduler's own call, as free as a panic report: a fire run again on
    // its own says nothing the world did (a fire claimed again comes with a crash, a lease change
    // or a refused commit, traced on their own).
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.at(at(5) + 1100);
    b.emit("schedule.fired", { ...task("w1", "s1", "a", at(5)), attempt: 2 });
    const again = sent(b, 0);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.events).toEqual([again]);
  });

  it("does not take a fire of the task's first run for a run again", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    b.emit("schedule.fired", { ...task("w1", "s1", "a", at(5)), attempt: 1 });
    b.at(at(5) + 75);
    sent(b, 0);
    expect(verdictOf(b).ok).toBe(false);
  });

  /** A failure of `attempt` of s1's 09:05 message, traced by `worker`, its retry due at `retryAt`. */
  function failed(b: TraceBuilder, attempt: number, retryAt: number, worker = "w1"): number {
    return b.emit("delivery.failed", {
      ...task(worker, "s1", "a", at(5)),
      message: MESSAGE,
      attempt,
      status: 500,
      retryAt,
    });
  }

  it("takes a send after a failure for a retry whatever its number, and judges its wait from the attempt that failed", () => {
    // A scheduler that never numbers its retries: every send says attempt 0.
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, 0);
    failed(b, 0, at(5) + 13 * SEC);
    b.at(at(5) + 13 * SEC);
    sent(b, 0);
    failed(b, 0, at(5) + 20 * SEC);
    b.at(at(5) + 20 * SEC);
    const hasty = sent(b, 0);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toBe(
      `1 retry was sent before its back-off: ${MESSAGE} (schedule s1) retry 2 sent at 09:05:20, 7.000 s after attempt 1 was first sent, where QStash's back-off waits 148.413 s; a destination that failed is retried while it may still be down`,
    );
    expect(v.events).toEqual([hasty]);
  });

  it("takes a same-numbered send after a failure, on another worker or after its worker crashed, for a repeat", () => {
    // A worker that lost its lease sending what it claimed before, or a task run again after a
    // crash: the failure is not what it answers.
    for (const [worker, between] of [
      ["w2", () => {}],
      ["w1", (b: TraceBuilder) => b.killed("w1")],
    ] as const) {
      const b = everyFiveMinutes();
      b.at(at(5));
      sent(b, 0);
      failed(b, 0, at(5) + 13 * SEC);
      b.at(at(5, 1));
      between(b);
      sent(b, 0, worker);
      expect(verdictOf(b)).toMatchObject({ ok: true, exercised: false });
    }
  });
});

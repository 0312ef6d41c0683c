// Shows poison-task-isolated on hand-written traces: v2's back-off and quarantine hold, a panic sooner than a second after a recovered one fails and is named whatever the scheduler says it waited, an eleventh panic in a row fails, and what ends a streak (a panic death, a kill, an unseen abandon, a call the store refused, a commit, the worker taking the partition again) or widens its wait (a clock skew of its worker), each worker's streak its own.
import { describe, expect, it } from "vitest";
import { computeReport, type Verdict } from "../../src/checks/index.js";
import { PoisonChecker } from "../../src/checks/poison-checker.js";
import type { TraceEvent } from "../../src/kernel/trace.js";
import { clockSkewDetail } from "../../src/world/events.js";
import { at, everyFiveMinutes, SEC, type TraceBuilder, task } from "./trace-builder.js";

const DUE = at(5);

/**
 * A recovered panic of s1's task due at 09:05 on `worker`, `ms` after 09:05:00, following from
 * `cause`, naming the lease `token` its goroutine claimed the task under if given.
 */
function recovered(
  b: TraceBuilder,
  ms: number,
  worker = "w1",
  cause: number | null = null,
  token?: number,
): number {
  b.at(DUE + ms);
  // The scheduler's word (attempt 1, a retry in 1 s) is never taken: only the times are.
  return b.emit(
    "panic.recovered",
    {
      ...task(worker, "s1", "a", DUE),
      error: "Error: injected panic at before-account-read",
      attempt: 1,
      retryInMs: 1000,
      ...(token === undefined ? {} : { token }),
    },
    { cause },
  );
}

function fired(b: TraceBuilder, ms: number, worker = "w1"): number {
  b.at(DUE + ms);
  return b.fired("s1", "a", DUE, worker);
}

/** `worker`'s lease of partition 0 (`token`), seen expired now, having run out `expiredMs` after 09:05. */
function expired(b: TraceBuilder, worker: string, token: number, expiredMs: number): number {
  return b.emit("lease.expired", { worker, partition: 0, token, expiredAt: DUE + expiredMs });
}

function verdictOf(b: TraceBuilder): Verdict {
  return computeReport(b.events).verdicts.find((v) => v.property === "poison-task-isolated")!;
}

/** A verdict that held, with no events named. */
function held(exercised: boolean, detail: string): Verdict {
  return { property: "poison-task-isolated", ok: true, exercised, detail, events: [] };
}

describe("poison-task-isolated", () => {
  it("is not exercised when no task panicked again in the process that recovered it", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    expect(verdictOf(b)).toEqual(
      held(false, "not exercised: no task panicked again in a process that had recovered its panic"),
    );
  });

  it("holds for v2's back-off of 1 s doubling and its quarantine at the third panic", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    fired(b, 1010);
    recovered(b, 1010); // 1.000 s after the first: exactly the least wait
    fired(b, 3010);
    recovered(b, 3010); // 2.000 s after the second
    b.emit("task.quarantined", { ...task("w1", "s1", "a", DUE), attempts: 3 });
    expect(verdictOf(b)).toEqual(
      held(
        true,
        "2 panics came after a recovered panic of the same task in the same process, each at least 1.000 s after it (the shortest wait 1.000 s), and no task panicked more than 10 times in a row (3 at the most)",
      ),
    );
  });

  it("fails on a retry sooner than a second after a recovered panic, and names both panics", () => {
    const b = everyFiveMinutes();
    const first = recovered(b, 10);
    const again = recovered(b, 1009); // 0.999 s later
    expect(verdictOf(b)).toEqual({
      property: "poison-task-isolated",
      ok: false,
      exercised: true,
      detail:
        "1 retry of a panicking task came without back-off: s1@2026-05-08T09:05:00Z panicked again on w1 at 09:05:01.009, 0.999 s after its recovered panic, where a retry waits at least 1.000 s; a poison task retried at once or for ever holds its worker instead of being set aside",
      events: [first, again],
    });
  });

  it("judges a panic death that follows a recovered panic at once, and nothing after the death", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    b.at(DUE + 10).panic("w1", "s1", "a", DUE);
    // The next owner's panic 1 ms later is a new process's first, not a retry.
    recovered(b, 11, "w2");
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(
      /^1 retry of a panicking task came without back-off: s1@2026-05-08T09:05:00Z panicked again on w1 at 09:05:00\.010, 0\.000 s after/,
    );
  });

  it("does not count a panic death as a retry: the buggy scheduler's crash loop is not exercised here", () => {
    const b = everyFiveMinutes();
    for (let i = 0; i < 12; i++) b.at(DUE + i * 100).panic(i % 2 === 0 ? "w1" : "w2", "s1", "a", DUE);
    expect(verdictOf(b).exercised).toBe(false);
  });

  it("ends a streak when its worker is killed, and keeps each worker's streak its own", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    b.killed("w1");
    recovered(b, 20); // w1's next process
    fired(b, 30, "w2"); // w2 took the task over (w1 paused, say)
    recovered(b, 30, "w2"); // not a retry of w1's
    expect(verdictOf(b).exercised).toBe(false);
    recovered(b, 1020); // w1's goroutine, 1 s after its own panic: judged, and in time
    recovered(b, 1031, "w2"); // w2's, 1.001 s after its own
    expect(verdictOf(b)).toMatchObject({ ok: true, exercised: true });
    expect(verdictOf(b).detail).toMatch(/^2 panics came .* \(the shortest wait 1\.000 s\)/);
  });

  it("ends a streak when the worker starts the task twice without a panic between (an abandon the trace does not show)", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    fired(b, 1010); // a retry that was abandoned (the store failed its read)
    fired(b, 1500); // claimed again
    recovered(b, 1500);
    expect(verdictOf(b).exercised).toBe(false);
  });

  it("ends a streak when the store refused its task's commit (a quarantine rolled back, say)", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    b.at(DUE + 20).emit("store.refused", { ...task("w1", "s1", "a", DUE), call: "commit" });
    recovered(b, 90); // claimed again at once after the refusal: a new streak
    expect(verdictOf(b).exercised).toBe(false);
    // Another worker's refusal, or an outage with no refusal of this worker, ends nothing.
    b.at(DUE + 100).emit("store.refused", { worker: "w2", call: "getAccount", account: "a" });
    b.outage(100);
    recovered(b, 300);
    expect(verdictOf(b).ok).toBe(false);
  });

  it("does not end a streak for a refused read or claim: a task let go is fired again, and that ends it", () => {
    // A refused read names no task: it may be a healthy sibling's, so it ends nothing by itself.
    const b = everyFiveMinutes();
    recovered(b, 10);
    b.at(DUE + 20).emit("store.refused", { worker: "w1", call: "claimDue" });
    b.at(DUE + 30).emit("store.refused", { ...task("w1", "s2", "a", DUE), call: "commit" });
    b.at(DUE + 40).emit("store.refused", { worker: "w1", call: "getAccount", account: "a" });
    recovered(b, 100);
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true });
    // The scheduler let the task go when its read was refused: it is fired again twice (its
    // retry, then the claim after the abandon) with no panic between, which ends the streak.
    const b2 = everyFiveMinutes();
    recovered(b2, 10);
    fired(b2, 1010);
    b2.at(DUE + 1020).emit("store.refused", { worker: "w1", call: "getAccount", account: "a" });
    fired(b2, 1500);
    recovered(b2, 1510);
    expect(verdictOf(b2).exercised).toBe(false);
  });

  it("does not judge a task its worker had under way when it took the partition again, streak or none", () => {
    // A worker paused past its lease loses the partition with a task in flight, takes it back,
    // and claims the task again beside the goroutine still running it: two goroutines, one task.
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    const before = fired(b, 10);
    b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: "w1" });
    // The task claimed again under the new lease: its second start (the world counts them).
    const after = b.at(DUE + 500).emit("schedule.fired", { ...task("w1", "s1", "a", DUE), attempt: 2 });
    recovered(b, 600, "w1", after); // the second goroutine's panic
    // The first's, 0.1 s later, not a retry of the second: as the world traces it, it follows
    // from the injected fault that threw it, after the new tenure, not from its first fire.
    const fault = b.at(DUE + 700).emit(
      "fault.injected",
      {
        fault: "inject-panic",
        worker: "w1",
        detail: "panic at before-delivery",
        probe: 1,
        task: `s1@${DUE}`,
      },
      { cause: before },
    );
    recovered(b, 700, "w1", fault);
    recovered(b, 800, "w1", after); // the second's retry, 0.2 s after its panic: not judged either
    expect(verdictOf(b).exercised).toBe(false);
  });

  it("leaves unjudged a task due before its worker's earlier tenure of the partition ended, and judges one due after", () => {
    // w1 fires s1's task due at 09:05, loses the partition at 09:05:00.020 and takes it back; the
    // task claimed again there (its second start) runs beside the first goroutine.
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    const before = fired(b, 10);
    b.at(DUE + 20).emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 3, previous: "w1" });
    const after = b.at(DUE + 500).emit("schedule.fired", { ...task("w1", "s1", "a", DUE), attempt: 2 });
    recovered(b, 600, "w1", after);
    recovered(b, 700, "w1", before);
    expect(verdictOf(b)).toMatchObject({ ok: true, exercised: false });
    expect(verdictOf(b).detail).toContain(
      "; 1 panic on partitions their worker took back not judged (the task may have run in two goroutines there)",
    );
    // The task ends; the next due, after the earlier tenure, is judged.
    b.emit("task.committed", { ...task("w1", "s1", "a", DUE), next: at(10) });
    b.at(at(10));
    const next = b.emit("schedule.fired", { ...task("w1", "s1", "a", at(10)), attempt: 2 });
    b.emit(
      "panic.recovered",
      { ...task("w1", "s1", "a", at(10)), error: "Error: boom", attempt: 1, retryInMs: 1000 },
      { cause: next },
    );
    b.at(at(10) + 100).emit(
      "panic.recovered",
      { ...task("w1", "s1", "a", at(10)), error: "Error: boom", attempt: 2, retryInMs: 1000 },
      { cause: next },
    );
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true });
  });

  it("takes a worker's tenure as ended when it was paused, not when its lease went, and a release as an end", () => {
    // w1 paused before the 09:05 due could not have fired it: the task it runs after taking the
    // partition back, handed over by w2 (its eighth start), is its only goroutine there.
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    b.at(DUE - 10 * SEC).emit("worker.paused", { worker: "w1", durationMs: 60 * SEC });
    b.at(DUE + 20 * SEC).emit("lease.expired", {
      worker: "w1",
      partition: 0,
      token: 1,
      expiredAt: DUE + 15 * SEC,
    });
    b.at(DUE + 50 * SEC).emit("worker.resumed", { worker: "w1" });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 4, previous: "w2" });
    const start = b.at(DUE + 60 * SEC).emit("schedule.fired", { ...task("w1", "s1", "a", DUE), attempt: 8 });
    recovered(b, 60 * SEC + 100, "w1", start);
    recovered(b, 60 * SEC + 200, "w1", start);
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true });
    // A partition released and taken back: its tenure ended at the release.
    const r = everyFiveMinutes();
    r.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    r.at(DUE - 30 * SEC).emit("lease.released", { worker: "w1", partition: 0, token: 1 });
    r.at(DUE + 60 * SEC).emit("lease.acquired", { worker: "w1", partition: 0, token: 5, previous: "w2" });
    const s2 = r.emit("schedule.fired", { ...task("w1", "s1", "a", DUE), attempt: 3 });
    recovered(r, 60 * SEC + 100, "w1", s2);
    recovered(r, 60 * SEC + 200, "w1", s2);
    expect(verdictOf(r)).toMatchObject({ ok: false, exercised: true });
  });

  it("judges the goroutine of a worker's current tenure on a partition it took back, though the task fell due in its earlier tenure", () => {
    // A store outage keeps w1 from claiming the 09:05 due, and a pause from then on costs it the
    // lease; w2 fires the task and is killed; w1 takes the partition back and is the only one
    // running the task: its panics name the new lease's token, and no other goroutine's do.
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    b.at(DUE - 10 * SEC).outage(25 * SEC);
    b.at(DUE + 10 * SEC).emit("worker.paused", { worker: "w1", durationMs: 90 * SEC });
    expired(b.at(DUE + 23 * SEC), "w1", 1, 15 * SEC);
    b.emit("lease.acquired", { worker: "w2", partition: 0, token: 2, previous: "w1" });
    fired(b, 23 * SEC, "w2");
    recovered(b, 23 * SEC + 5, "w2");
    b.at(DUE + 100 * SEC).emit("worker.resumed", { worker: "w1" });
    b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.at(DUE + 120 * SEC).killed("w2");
    expired(b.at(DUE + 149 * SEC), "w2", 2, 145 * SEC);
    const retake = b.emit("lease.acquired", { worker: "w1", partition: 0, token: 3, previous: "w2" });
    const seqs: number[] = [];
    for (let i = 0; i < 11; i++) {
      b.at(DUE + 150 * SEC + i * 2 * SEC).emit(
        "schedule.fired",
        { ...task("w1", "s1", "a", DUE), attempt: 2 + i },
        { cause: retake },
      );
      seqs.push(recovered(b, 150 * SEC + i * 2 * SEC + 2, "w1", null, 3));
    }
    const v = verdictOf(b);
    expect(v).toMatchObject({ ok: false, exercised: true, events: [seqs[10]] });
    expect(v.detail).toMatch(
      /^1 run of more than 10 panics of one task in a row went on with the task never isolated: s1@\S+ panicked 11 times in a row on w1 /,
    );
  });

  it("leaves out the panics of a goroutine of the worker's earlier tenure, and judges the current tenure's on their own", () => {
    // w1 fires the task, loses the partition with it in flight, takes the partition back and
    // claims the task again: two goroutines, told apart by the lease token each panic names.
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    fired(b, 10);
    b.at(DUE + 20).emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: "w1" });
    b.at(DUE + 50).emit("schedule.fired", { ...task("w1", "s1", "a", DUE), attempt: 2 });
    const panic = (ms: number, token: number) =>
      b.at(DUE + ms).emit("panic.recovered", {
        ...task("w1", "s1", "a", DUE),
        error: "Error: boom",
        attempt: 1,
        retryInMs: 1000,
        token,
      });
    panic(100, 1); // the earlier tenure's goroutine
    panic(150, 2);
    panic(200, 1); // 0.1 s after its own goroutine's last: left out, not a retry of the other's
    const waited = panic(1150, 2); // 1 s after its own goroutine's last
    expect(verdictOf(b)).toMatchObject({ ok: true, exercised: true });
    expect(verdictOf(b).detail).toContain(
      "; 2 panics on partitions their worker took back not judged (the task may have run in two goroutines there)",
    );
    const hasty = panic(1250, 2); // 0.1 s after: the current goroutine's retry without back-off
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true, events: [waited, hasty] });
  });

  it("ends a message retry's streak when the store refused a read of its account (a retry has no start to show it was let go)", () => {
    const b = everyFiveMinutes();
    const retry = { ...task("w1", "s1", "a", DUE), task: `s1@${DUE}/m1#1` };
    const panic = (ms: number) =>
      b.at(DUE + ms).emit("panic.recovered", { ...retry, error: "Error: boom", attempt: 1, retryInMs: 1000 });
    panic(10);
    b.at(DUE + 1010).emit("store.refused", { worker: "w1", call: "getAccount", account: "a" });
    panic(1500); // claimed again after the scheduler let it go: a new streak
    expect(verdictOf(b).exercised).toBe(false);
    panic(1600); // 0.1 s after: judged
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true });
  });

  it("leaves unjudged a message retry's panics on a partition its worker took back (a retry has no start)", () => {
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    b.at(DUE + 20).emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: "w1" });
    const retry = { ...task("w1", "s1", "a", DUE), task: `s1@${DUE}/m1#1` };
    for (const ms of [40 * SEC, 40 * SEC + 400]) {
      b.at(DUE + ms).emit("panic.recovered", { ...retry, error: "Error: boom", attempt: 1, retryInMs: 1000 });
    }
    expect(verdictOf(b)).toMatchObject({ ok: true, exercised: false });
  });

  it("judges a task due before the partition was lost but first started after it was taken again", () => {
    // A store outage: the worker loses the partition at 09:05:30 with nothing under way; the due
    // of 09:05 waited, and its first start (attempt 1) after the retake is its only goroutine.
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    b.at(DUE + 30 * SEC).emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: "w1" });
    const start = fired(b, 31 * SEC);
    recovered(b, 31 * SEC + 100, "w1", start);
    recovered(b, 31 * SEC + 200, "w1", start); // 0.1 s after: a retry without back-off
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true });
  });

  it("judges a task started after the partition was taken again as any other", () => {
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: "w1" });
    const start = fired(b, 500);
    recovered(b, 600, "w1", start);
    recovered(b, 700, "w1", start); // 0.1 s after: a retry without back-off
    expect(verdictOf(b)).toMatchObject({ ok: false, exercised: true });
  });

  it("keeps no state for tasks that ended, however many took a partition again", () => {
    const c = new PoisonChecker();
    let seq = 0;
    const feed = (t: number, type: string, fields: Record<string, unknown>) =>
      c.onEvent({ t, seq: seq++, type, cause: null, ...fields } as TraceEvent);
    for (let i = 0; i < 5000; i++) {
      const t = DUE + i * SEC;
      const fields = { ...task("w1", `s${i}`, "a", DUE), partition: i % 64 };
      feed(t, "lease.acquired", { worker: "w1", partition: i % 64, token: i, previous: null });
      feed(t, "schedule.fired", { ...fields, attempt: 1 });
      feed(t + 1, "panic.recovered", { ...fields, error: "Error: boom", attempt: 1, retryInMs: 1000 });
      feed(t + 2, "task.committed", { ...fields, next: null });
    }
    expect(c.stateSize()).toEqual({ poisonStreaks: 0, partitionsFollowed: 128 });
  });

  it("keeps no state for a task run twice once it ends, wherever it ends", () => {
    // The worker takes the partition back with the task under way, its first goroutine panics and
    // is fenced, and another worker commits the task: nothing of it is left on either.
    const c = new PoisonChecker();
    let seq = 0;
    const feed = (t: number, type: string, fields: Record<string, unknown>) =>
      c.onEvent({ t, seq: seq++, type, cause: null, ...fields } as TraceEvent);
    feed(DUE, "lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    for (let i = 0; i < 5000; i++) {
      const t = DUE + i * SEC;
      const mine = task("w1", `s${i}`, "a", DUE);
      feed(t, "schedule.fired", { ...mine, attempt: 1 });
      feed(t, "lease.lost", { worker: "w1", partition: 0, token: 1 });
      feed(t, "lease.acquired", { worker: "w1", partition: 0, token: 1, previous: "w1" });
      feed(t + 1, "panic.recovered", { ...mine, error: "Error: boom", attempt: 1, retryInMs: 1000 });
      feed(t + 2, "task.fenced", { ...mine, token: 1 });
      feed(t + 3, "task.committed", { ...task("w2", `s${i}`, "a", DUE), next: null });
    }
    expect(c.stateSize()).toEqual({ poisonStreaks: 0, partitionsFollowed: 2 });
  });

  it("judges a task no more on a worker that took its partition again during the streak (it may run the task twice)", () => {
    const b = everyFiveMinutes();
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    recovered(b, 10);
    b.emit("lease.released", { worker: "w1", partition: 0, token: 1 });
    b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: null });
    fired(b, 500); // the in-flight task claimed again under the new lease: a second goroutine
    recovered(b, 500);
    recovered(b, 1010); // the first goroutine's retry, 0.510 s after the second's panic
    b.emit("task.fenced", { ...task("w1", "s1", "a", DUE), token: 1 });
    recovered(b, 1020); // the second goroutine's retry after the fence ended the first
    expect(verdictOf(b).exercised).toBe(false);
    // A new process of the worker is judged again.
    b.killed("w1");
    recovered(b, 5000);
    recovered(b, 5001);
    expect(verdictOf(b).ok).toBe(false);
  });

  it("ends a streak with a commit", () => {
    const b = everyFiveMinutes();
    recovered(b, 10);
    b.emit("task.committed", { ...task("w1", "s1", "a", DUE), next: at(10) });
    recovered(b, 20);
    expect(verdictOf(b).exercised).toBe(false);
  });

  it("allows a wait short by the spread of its own worker's clock skews in effect during it, and no other worker's", () => {
    const skew = (worker: string, ms: number, durationMs = 10 * 60 * SEC) =>
      b.emit("fault.injected", {
        fault: "clock-skew",
        worker,
        detail: clockSkewDetail(worker, ms, ` for ${durationMs} ms`),
        probe: 1,
        durationMs,
      });
    const b = everyFiveMinutes();
    skew("w2", 5000);
    skew("w1", 300);
    recovered(b, 10);
    b.at(DUE + 200);
    skew("w1", -200); // the clock stepped back 0.5 s during the wait
    recovered(b, 510); // 0.5 s: within 1 s less 0.3 + 0.2 s
    expect(verdictOf(b).ok).toBe(true);
    // The verdict says the allowance it used, not "at least 1.000 s" alone.
    expect(verdictOf(b).detail).toContain("at least 1.000 s after it, less up to 0.500 s for clock skew");
    recovered(b, 1009); // 0.499 s, with only the -0.2 s skew in effect since the panic before
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toContain(
      "0.499 s after its recovered panic, where a retry waits at least 1.000 s, less 0.200 s for clock skew",
    );
  });

  it("allows no wait short by a skew of its worker over before the wait, or replaced before it", () => {
    for (const skews of [
      [[-5000, 100]],
      [
        [-5000, 60 * SEC],
        [0, 0],
      ],
    ]) {
      const b = everyFiveMinutes();
      for (const [ms, durationMs] of skews)
        b.emit("fault.injected", {
          fault: "clock-skew",
          worker: "w1",
          detail: clockSkewDetail("w1", ms, durationMs === 0 ? "" : ` for ${durationMs} ms`),
          probe: 1,
          ...(durationMs === 0 ? {} : { durationMs }),
        });
      recovered(b, 10);
      recovered(b, 510);
      expect(verdictOf(b).ok).toBe(false);
    }
  });

  it("fails at the eleventh panic in a row in one process, even with back-off, and names it once", () => {
    const b = everyFiveMinutes();
    const seqs: number[] = [];
    for (let i = 0; i < 12; i++) {
      if (i > 0) fired(b, i * 2 * SEC);
      seqs.push(recovered(b, i * 2 * SEC));
      if (i === 9) expect(verdictOf(b).ok).toBe(true);
    }
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.detail).toBe(
      "1 run of more than 10 panics of one task in a row went on with the task never isolated: s1@2026-05-08T09:05:00Z panicked 11 times in a row on w1 by 09:05:20 and was still not quarantined; a poison task retried at once or for ever holds its worker instead of being set aside",
    );
    expect(v.events).toEqual([seqs[10]]);
  });

  it("is not failed by a task still in its back-off at the end of the run", () => {
    const b = everyFiveMinutes();
    for (let i = 0; i < 10; i++) recovered(b, i * 2 * SEC);
    b.at(at(30)).emit("run.finished", { reason: "horizon" } as never);
    expect(verdictOf(b).ok).toBe(true);
  });
});

// Shows that a task that ends with a failed send it asked neither a retry nor a dead letter for is traced as `delivery.failure-dropped` (let go or committed), that `retry-after-backoff` fails on it with a retry storm named (a fire sent again each tick under new message ids, which passed every property before), and that a failure answered, or followed by a 2xx to the same message in the task, traces none.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import type { GoroutineBody } from "../../src/kernel/index.js";
import type { TraceEvent } from "../../src/kernel/trace.js";
import type { Message, Runtime, SchedulerFactory, TaskTx } from "../../src/world/runtime.js";
import { eventsOf, FIXED, MIN, reportOf, runWorld, smallWorldConfig } from "./helpers.js";

function* commitUnsent(tx: TaskTx): GoroutineBody {
  yield* tx.commit();
}

/** A scheduler that claims due work every second and runs `task` on each claimed fire. */
function taskScheduler(
  name: string,
  task: (rt: Runtime, tx: TaskTx, message: Message) => GoroutineBody,
): SchedulerFactory {
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null)
        for (const tx of claim.tasks) {
          // A retry is committed unsent: these tests are about the fire's own send.
          if (tx.work.kind !== "fire") {
            rt.go(`${name} ${tx.task}`, commitUnsent(tx), tx);
            continue;
          }
          const schedule = tx.work.schedule;
          // A new id for each start of the task: the storm's sends are not one message's attempts.
          const message: Message = {
            id: `${tx.task}/s${rt.now()}`,
            schedule: schedule.id,
            account: tx.account,
            destination: schedule.destination,
            body: "{}",
            retries: schedule.retries,
          };
          rt.go(`${name} ${tx.task}`, task(rt, tx, message), tx);
        }
      yield rt.sleep(1000);
    }
  }
  return { name, description: name, fixes: [], create: () => ({ name, fixes: [], main }) };
}

/** Sends once; on a failure lets the task go (`abandon`) or commits it (`commit`) with nothing asked. */
function dropping(how: "abandon" | "commit"): SchedulerFactory {
  return taskScheduler(`drop-${how}`, function* (rt, tx, message) {
    const answer = yield* rt.http.post(tx, message, 0);
    if (!answer.ok && how === "abandon") {
      yield* tx.abandon();
      return;
    }
    yield* tx.commit();
  });
}

/**
 * Sends; on a failure restarts the task (`restart`: a new attempt, under a new message id) or rolls
 * it back (`rollback`) and commits what follows, with no panic anywhere; with `report`, reports a
 * recovered panic first, as a scheduler recovering one does.
 */
function rerunning(how: "restart" | "rollback", report = false): SchedulerFactory {
  return taskScheduler(`${how}${report ? "-after-panic" : ""}`, function* (rt, first, message) {
    let tx = first;
    for (let i = 0; i < 20; i++) {
      // A new id for each attempt of the task.
      if ((yield* rt.http.post(tx, { ...message, id: `${message.id}/m${tx.attempt}` }, 0)).ok) break;
      if (report) rt.errors.recoveredPanic(new Error("recovered"), tx, i + 1, 0);
      if (how === "rollback") {
        tx = tx.rollback();
        break;
      }
      tx = tx.restart();
    }
    yield* tx.commit();
  });
}

/** Sends, and on a failure sends the same message again at once; commits once it is delivered. */
const resending = taskScheduler("resend", function* (rt, tx, message) {
  let answer = yield* rt.http.post(tx, message, 0);
  for (let i = 0; i < 20 && !answer.ok; i++) answer = yield* rt.http.post(tx, message, 0);
  if (answer.ok) yield* tx.commit();
  else yield* tx.abandon();
});

/** Sends, and on a failure asks a retry under a new message id (as a scheduler may number them), then commits. */
const renaming = taskScheduler("rename", function* (rt, tx, message) {
  const answer = yield* rt.http.post(tx, message, 0);
  if (!answer.ok) tx.retryLater({ ...message, id: `${message.id}.r1` }, 1, rt.now() + 12_182);
  yield* tx.commit();
});

/**
 * Sends two messages in each fire; retries each that failed after QStash's back-off, the first's
 * under a new id when `rename`; each retry is sent in turn, and dead-lettered once its retries run
 * out.
 */
function twoSends(name: string, rename: boolean): SchedulerFactory {
  const backoff = (n: number) => Math.round(Math.min(86_400, Math.exp(2.5 * n)) * 1000) + 1000;
  function* retry(rt: Runtime, tx: TaskTx): GoroutineBody {
    if (tx.work.kind !== "retry") return;
    const m = tx.work.message;
    const answer = yield* rt.http.post(tx, m, tx.work.attempt);
    if (!answer.ok) {
      const next = tx.work.attempt + 1;
      if (next <= m.retries) tx.retryLater(m, next, rt.now() + backoff(next));
      else tx.deadLetter(m, next);
    }
    yield* tx.commit();
  }
  function* fire(rt: Runtime, tx: TaskTx): GoroutineBody {
    if (tx.work.kind !== "fire") return;
    const schedule = tx.work.schedule;
    const failed: Message[] = [];
    for (const part of ["a", "b"]) {
      const m: Message = {
        id: `${tx.task}/${part}`,
        schedule: schedule.id,
        account: tx.account,
        destination: schedule.destination,
        body: "{}",
        retries: schedule.retries,
      };
      if (!(yield* rt.http.post(tx, m, 0)).ok) failed.push(m);
    }
    for (const m of failed)
      tx.retryLater(rename && m.id.endsWith("/a") ? { ...m, id: `${m.id}.r1` } : m, 1, rt.now() + backoff(1));
    yield* tx.commit();
  }
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null)
        for (const tx of claim.tasks)
          rt.go(`${name} ${tx.task}`, tx.work.kind === "fire" ? fire(rt, tx) : retry(rt, tx), tx);
      yield rt.sleep(1000);
    }
  }
  return { name, description: name, fixes: [], create: () => ({ name, fixes: [], main }) };
}

/** One account's schedules (and two named ones) due every minute or so, their destination failing half the sends. */
function config(scheduler: string, fixes: string[] = []) {
  return smallWorldConfig({
    workers: 1,
    accounts: 1,
    scheduler,
    fixes,
    deleteAtMs: null,
    durationMs: 6 * MIN,
    destination: { failureRate: 0.5 },
  });
}

describe("a failed send its task neither retried nor dead-lettered", () => {
  it("is traced as the task is let go, and fails retry-after-backoff, naming the storm", () => {
    const { events } = runWorld(config("drop-abandon"), undefined, [dropping("abandon")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((e) => e.ended === "abandoned" && e.status === 500 && e.attempt === 0)).toBe(true);
    // Each names a send that failed, in its task, before it.
    const sent = eventsOf(events, "delivery.sent");
    for (const d of dropped)
      expect(sent.some((s) => s.message === d.message && s.task === d.task && s.seq < d.seq)).toBe(true);
    // Let go, the fire is sent again a tick later under another id: the storm.
    const fires = new Map<string, number>();
    for (const s of sent) fires.set(`${s.schedule}@${s.due}`, (fires.get(`${s.schedule}@${s.due}`) ?? 0) + 1);
    expect(Math.max(...fires.values())).toBeGreaterThan(1);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toMatch(
      new RegExp(
        `^${dropped.length === 1 ? "1 failed send was" : `${dropped.length} failed sends were`} neither retried after (its|their) back-off nor dead-lettered: \\S+ \\(schedule \\S+\\) attempt 0 failed \\(HTTP 500\\), and at \\S+ its task was let go, so its fire was due again at once: a retry with no back-off`,
      ),
    );
    expect(verdict?.detail).toMatch(/; a destination that failed is retried while it may still be down$/);
    expect(verdict?.events).toContain(dropped[0].seq);
  });

  it("is traced as the task commits without it, and fails retry-after-backoff, the message lost", () => {
    const { events } = runWorld(config("drop-commit"), undefined, [dropping("commit")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((e) => e.ended === "committed")).toBe(true);
    // Traced before the commit it rides on.
    const committed = eventsOf(events, "task.committed");
    for (const d of dropped)
      expect(committed.some((c) => c.task === d.task && c.seq === d.seq + 1)).toBe(true);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toContain("its task committed without it: the message is lost");
    expect(verdict?.detail).toMatch(
      /; QStash retries a failed send after its back-off, then dead-letters it$/,
    );
  });

  it("is not traced when a later send of the same message in the task was delivered", () => {
    const { events } = runWorld(config("resend"), undefined, [resending]);
    const failed = eventsOf(events, "delivery.sent").length - eventsOf(events, "delivery.acked").length;
    // The path was taken: sends that failed before one of the same message was delivered.
    expect(failed).toBeGreaterThan(0);
    expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
  });

  it("keeps its status in the retry asked for it when a later send of the same message was delivered", () => {
    // Sends; on a failure asks a retry, then sends the message once more before committing.
    const retryThenResend = taskScheduler("retry-resend", function* (rt, tx, message) {
      const answer = yield* rt.http.post(tx, message, 0);
      if (!answer.ok) {
        tx.retryLater(message, 1, rt.now() + 12_182);
        yield* rt.http.post(tx, message, 0);
      }
      yield* tx.commit();
    });
    const { events } = runWorld(config("retry-resend"), undefined, [retryThenResend]);
    const failed = eventsOf(events, "delivery.failed");
    const acked = new Set(eventsOf(events, "delivery.acked").map((e) => `${e.task} ${e.message}`));
    // The path was taken: a retry asked for a message that a later send in its task delivered.
    const answeredSince = failed.filter((e) => acked.has(`${e.task} ${e.message}`));
    expect(answeredSince.length).toBeGreaterThan(0);
    // Each says the destination's answer to the send it retries, not 0 (no answer in time).
    expect(failed.every((e) => e.status === 500)).toBe(true);
  });

  it("is not traced when the retry asked for it names a new message id, whose failure keeps its status", () => {
    const { events } = runWorld(config("rename"), undefined, [renaming]);
    const failed = eventsOf(events, "delivery.failed");
    // The path was taken: retries asked under new ids.
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => e.message.endsWith(".r1") && e.status === 500)).toBe(true);
    expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
  });

  it("is followed by the checks under the new id, whichever of a task's sends it answers", () => {
    const judged = (rename: boolean) => {
      const name = rename ? "two-rename" : "two-same";
      // An hour: the retries after the first back-offs (12 s, 2m28s, 30m8s) come within it.
      const { events } = runWorld({ ...config(name), durationMs: 60 * MIN }, undefined, [
        twoSends(name, rename),
      ]);
      return { events, verdicts: reportOf(events).verdicts };
    };
    const renamed = judged(true);
    // The path was taken: tasks whose first send's retry has a new id, beside a second send.
    const answering = eventsOf(renamed.events, "delivery.failed").filter((e) => e.answers !== undefined);
    expect(answering.length).toBeGreaterThan(10);
    expect(answering.every((e) => e.message === `${e.answers}.r1` && e.answers?.endsWith("/a"))).toBe(true);
    // Judged as the same module that keeps its ids is.
    const same = judged(false);
    for (const property of ["retry-after-backoff", "dead-letter-after-retries"] as const) {
      const of = (r: typeof same) => r.verdicts.find((v) => v.property === property);
      expect(of(same)?.ok, of(same)?.detail).toBe(true);
      expect(of(renamed)?.ok, of(renamed)?.detail).toBe(true);
      expect(of(renamed)?.exercised).toBe(true);
    }
    expect(eventsOf(renamed.events, "delivery.failure-dropped")).toEqual([]);
  });

  it("is traced as the task is restarted with no panic, and fails retry-after-backoff, naming the storm", () => {
    const { events } = runWorld(config("restart"), undefined, [rerunning("restart")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    // Every failed send: the module asks for nothing, ever (the destination fails half of them).
    const sent = eventsOf(events, "delivery.sent").length;
    const acked = eventsOf(events, "delivery.acked").length;
    expect(dropped.length).toBeGreaterThan(10);
    expect(dropped.length).toBe(sent - acked);
    expect(dropped.every((e) => e.ended === "restarted" && e.status === 500)).toBe(true);
    // Each before the fire of the attempt its restart began.
    const fired = eventsOf(events, "schedule.fired");
    for (const d of dropped)
      expect(fired.some((f) => f.task === d.task && f.attempt > 1 && f.seq === d.seq + 1)).toBe(true);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toContain(
      "its task was restarted with no panic since, so its fire ran again at once: a retry with no back-off",
    );
    expect(verdict?.detail).toMatch(/; a destination that failed is retried while it may still be down$/);
  });

  it("is traced as the task is rolled back with no panic, and fails retry-after-backoff, the retry gone", () => {
    const { events } = runWorld(config("rollback"), undefined, [rerunning("rollback")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((e) => e.ended === "rolled back")).toBe(true);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toContain("its task was rolled back with no panic since");
    expect(verdict?.detail).toMatch(
      /; QStash retries a failed send after its back-off, then dead-letters it$/,
    );
  });

  it("is not traced when a panic came between the failure and the restart or rollback", () => {
    for (const how of ["restart", "rollback"] as const) {
      const { events } = runWorld(config(`${how}-after-panic`), undefined, [rerunning(how, true)]);
      // The path was taken: failed sends, each followed by a recovered panic and a rerun.
      expect(eventsOf(events, "panic.recovered").length).toBeGreaterThan(0);
      expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
    }
  });

  it("is never traced by the fixed v2, whose every failure asks for a retry or a dead letter", () => {
    const { events } = runWorld(config("v2", FIXED));
    expect(eventsOf(events, "delivery.failed").length).toBeGreaterThan(0);
    expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
    expect(reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff")?.ok).toBe(true);
  });
});

describe("a failure whose worker dies or stops before the task ends", () => {
  // Sends take seconds: a kill, an operator's restart and a rollback to v1 (a stop whose 2 s
  // grace runs out) each end a process with sends under way, retries among them.
  const STOPS = `
name: stops-mid-retry
description: workers killed, restarted and rolled back to v1 while a destination fails
seed: 5
start: 2026-05-08T09:30:00Z
duration: 30m
fleet: { workers: 2, partitions: 4, shutdownGrace: 2s }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 6
  cron: [{ expr: "* * * * *" }]
  destination: { latency: 8s, jitter: 0.9 }
faults:
  - { at: "09:35:00", fault: http-errors, duration: 4m, rate: 1 }
  - { at: "09:35:05", fault: kill-worker, worker: w1 }
timeline:
  - { at: "09:36:20", action: restart-worker, worker: w2 }
  - { at: "09:37:30", action: deploy, scheduler: v1, stepDelay: 5s }
slo: 1m
`;

  it("is not traced, the task run again by the partition's next owner, and every retry asked for is sent", () => {
    const events: TraceEvent[] = [];
    const { report } = runScenario(STOPS, { sinks: [{ onEvent: (e) => events.push(e) }] });
    const stopped = eventsOf(events, "worker.stopped").filter((e) => (e.abandoned ?? 0) > 0);
    expect(stopped.map((e) => e.why)).toEqual(["restart", "deploy"]);
    expect(eventsOf(events, "worker.crashed").map((e) => e.reason)).toEqual(["killed"]);
    // Sends with no answer traced before their task's next send: the process ended under them.
    const sends = eventsOf(events, "delivery.sent");
    const cut: (typeof sends)[number][] = [];
    const lastSend = new Map<string, (typeof sends)[number] | null>();
    for (const e of events) {
      if (e.type !== "delivery.sent" && e.type !== "delivery.acked" && e.type !== "delivery.failed") continue;
      const task = (e as unknown as { task: string }).task;
      const before = lastSend.get(task);
      if (e.type === "delivery.sent" && before) cut.push(before);
      lastSend.set(task, e.type === "delivery.sent" ? (e as unknown as (typeof sends)[number]) : null);
    }
    // The path was taken, for first sends and retries alike: each sent again, none answered first.
    expect(cut.some((s) => s.attempt === 0)).toBe(true);
    expect(cut.some((s) => s.attempt > 0)).toBe(true);
    // Every retry a committed failure asked for by the end was sent: none dropped by a death or stop.
    const end = Date.parse(report.run.end);
    for (const f of eventsOf(events, "delivery.failed"))
      if (f.retryAt !== null && f.retryAt < end - MIN)
        expect(
          sends.some((s) => s.message === f.message && s.seq > f.seq),
          f.message,
        ).toBe(true);
    expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
    for (const property of ["retry-after-backoff", "no-missed-delivery"] as const)
      expect(report.verdicts.find((v) => v.property === property)).toMatchObject({
        ok: true,
        exercised: true,
      });
  });
});

// Shows that a task that ends with a failed send it asked neither a retry nor a dead letter for is traced as `delivery.failure-dropped` (let go or committed), that `retry-after-backoff` fails on it with a retry storm named (a fire sent again each tick under new message ids, which passed every property before), and that a failure answered, or followed by a 2xx to the same message in the task, traces none.
import { describe, expect, it } from "vitest";
import { injectPanic } from "../../src/faults/index.js";
import type { GoroutineBody } from "../../src/kernel/index.js";
import { eventText } from "../../src/report/event-words.js";
import { PerfettoTraceBuilder } from "../../src/report/perfetto.js";
import type { Message, Runtime, SchedulerFactory, TaskTx } from "../../src/world/runtime.js";
import { eventsOf, FIXED, MIN, reportOf, runWorld, smallWorldConfig } from "./helpers.js";

function* commitUnsent(_rt: Runtime, tx: TaskTx): GoroutineBody {
  yield* tx.commit();
}

/** QStash's back-off before retry `n`, and a second more. */
const backoff = (n: number) => Math.round(Math.min(86_400, Math.exp(2.5 * n)) * 1000) + 1000;

/** A retry task: sends its message, and on a failure asks the next retry after its back-off, or dead-letters it. */
function* sendRetry(rt: Runtime, tx: TaskTx): GoroutineBody {
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

/**
 * A scheduler that claims due work every second and runs `task` on each claimed fire, and `retry`
 * on each retry (by default committed unsent: most of these tests are about the fire's own send).
 */
function taskScheduler(
  name: string,
  task: (rt: Runtime, tx: TaskTx, message: Message) => GoroutineBody,
  retry: (rt: Runtime, tx: TaskTx) => GoroutineBody = commitUnsent,
): SchedulerFactory {
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null)
        for (const tx of claim.tasks) {
          if (tx.work.kind !== "fire") {
            rt.go(`${name} ${tx.task}`, retry(rt, tx), tx);
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
 * Sends two messages in each fire, the second after QStash's first back-off when the first failed
 * (at once, it would be the fire sent again under a new id before its back-off); retries each that
 * failed after QStash's back-off, the first's under a new id when `rename`; each retry is sent in
 * turn, and dead-lettered once its retries run out.
 */
function twoSends(name: string, rename: boolean): SchedulerFactory {
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
      if (part === "a" && failed.length > 0) yield rt.sleep(backoff(1));
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
          rt.go(`${name} ${tx.task}`, tx.work.kind === "fire" ? fire(rt, tx) : sendRetry(rt, tx), tx);
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

  it("is never traced by the fixed v2, whose every failure asks for a retry or a dead letter", () => {
    const { events } = runWorld(config("v2", FIXED));
    expect(eventsOf(events, "delivery.failed").length).toBeGreaterThan(0);
    expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
    expect(reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff")?.ok).toBe(true);
  });
});

/**
 * Sends; on a failure goes on in a new transaction with no panic reported: `rollback` rolls the
 * task back and commits, `restart` restarts it (its fire run again, under a new message id) until
 * a send is delivered, then commits; `rollback-abandon` rolls back and lets the task go;
 * `retry-after-rollback` rolls back and asks the retry there, after its back-off, as a correct
 * module may. Retries are sent and retried in turn.
 */
function rerunning(
  how: "rollback" | "restart" | "rollback-abandon" | "retry-after-rollback",
): SchedulerFactory {
  return taskScheduler(
    how,
    function* (rt, first, message) {
      let tx = first;
      for (let i = 0; i < 20; i++) {
        const sent = { ...message, id: `${message.id}/m${tx.attempt}` };
        if ((yield* rt.http.post(tx, sent, 0)).ok) break;
        if (how === "restart") {
          tx = tx.restart();
          continue;
        }
        tx = tx.rollback();
        if (how === "retry-after-rollback") tx.retryLater(sent, 1, rt.now() + backoff(1));
        if (how === "rollback-abandon") {
          yield* tx.abandon();
          return;
        }
        break;
      }
      yield* tx.commit();
    },
    sendRetry,
  );
}

/** Its world, the destination failing every send when `failing`, for an hour when `long`. */
function rerunConfig(name: string, o: { failing?: boolean; long?: boolean } = {}) {
  return {
    ...config(name),
    ...(o.long ? { durationMs: 60 * MIN } : {}),
    workload: {
      ...config(name).workload,
      destination: { ...config(name).workload.destination, failureRate: o.failing ? 1 : 0.5 },
    },
  };
}

describe("a failed send its task restarted or rolled back with no panic since", () => {
  it("is carried on and answered when the new transaction asks its retry: every property holds", () => {
    const { events } = runWorld(rerunConfig("retry-after-rollback", { long: true }), undefined, [
      rerunning("retry-after-rollback"),
    ]);
    expect(eventsOf(events, "delivery.failure-dropped")).toEqual([]);
    // The path was taken: failures whose retry was asked in the transaction a rollback made.
    const failed = eventsOf(events, "delivery.failed").filter((e) => e.attempt === 0);
    expect(failed.length).toBeGreaterThan(10);
    // Each says the destination's answer to the send it retries (carried over), not 0 (none matched).
    expect(failed.every((e) => e.status === 500 && e.answers === undefined)).toBe(true);
    const { verdicts } = reportOf(events);
    for (const v of verdicts) expect(v.ok, `${v.property}: ${v.detail}`).toBe(true);
    expect(verdicts.find((v) => v.property === "retry-after-backoff")?.exercised).toBe(true);
  });

  it("is traced as the rolled-back task commits without it, and fails retry-after-backoff, the message lost", () => {
    // The store refuses some commits: a refused one is run again by the world, and traces none.
    const rolling = { ...rerunConfig("rollback"), store: { latencyMs: 2, failureRate: 0.2 } };
    const { events } = runWorld(rolling, undefined, [rerunning("rollback")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    expect(dropped.length).toBeGreaterThan(5);
    expect(
      dropped.every((e) => e.ended === "committed" && e.rerun === "rolled back" && e.status === 500),
    ).toBe(true);
    // Each rides on its task's commit, and names a send of that task that failed before it.
    const committed = eventsOf(events, "task.committed");
    const sent = eventsOf(events, "delivery.sent");
    for (const d of dropped) {
      expect(committed.some((c) => c.task === d.task && c.seq === d.seq + 1)).toBe(true);
      expect(sent.some((s) => s.message === d.message && s.task === d.task && s.seq < d.seq)).toBe(true);
    }
    // The path of a refused commit was taken too: a rolled-back task whose commit the store refused.
    const refused = eventsOf(events, "store.refused").filter((e) => e.call === "commit");
    expect(refused.length).toBeGreaterThan(0);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toMatch(
      /attempt 0 failed \(HTTP 500\), and at \S+ its task, rolled back with no panic reported since, committed without it: the message is lost/,
    );
    expect(verdict?.detail).toMatch(
      /; QStash retries a failed send after its back-off, then dead-letters it$/,
    );
    expect(verdict?.events).toContain(dropped[0].seq);
    // Worded so in the causal chain too.
    expect(eventText(events.find((e) => e.seq === dropped[0].seq)!)).toMatch(
      /^w1 committed its task \(rolled back with no panic reported since\) with neither a retry nor a dead letter for \S+, which failed \(HTTP 500, attempt 0\)$/,
    );
    // And in the Perfetto export: each such task's slice says its failed delivery was rolled back.
    const slices: { cat?: string; ph?: string; args?: Record<string, unknown> }[] = [];
    const perfetto = new PerfettoTraceBuilder((json) => slices.push(JSON.parse(json)));
    for (const e of events) perfetto.onEvent(e);
    perfetto.close(events[events.length - 1].t);
    const said = slices.filter(
      (e) => e.cat === "task" && String(e.args?.delivery).includes("neither retried"),
    );
    expect(said.length).toBeGreaterThan(0);
    for (const slice of said)
      expect(slice.args?.delivery).toBe(
        "delivery failed: HTTP 500, neither retried nor dead-lettered (rolled back with no panic reported since)",
      );
  });

  it("is traced as the rolled-back task is let go, its fire due again at once", () => {
    const { events } = runWorld(rerunConfig("rollback-abandon"), undefined, [rerunning("rollback-abandon")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    expect(dropped.length).toBeGreaterThan(5);
    expect(dropped.every((e) => e.ended === "abandoned" && e.rerun === "rolled back")).toBe(true);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toContain(
      "its task, rolled back with no panic reported since, was let go, so its fire was due again at once: a retry with no back-off",
    );
    expect(verdict?.detail).toMatch(/; a destination that failed is retried while it may still be down$/);
  });

  it("is traced as the restarted task ends, each failure of the storm named", () => {
    const { events } = runWorld(rerunConfig("restart"), undefined, [rerunning("restart")]);
    const dropped = eventsOf(events, "delivery.failure-dropped");
    // Every failed send: the module asks for nothing, ever.
    const sends = eventsOf(events, "delivery.sent").length;
    expect(dropped.length).toBeGreaterThan(5);
    expect(dropped.length).toBe(sends - eventsOf(events, "delivery.acked").length);
    expect(dropped.every((e) => e.ended === "committed" && e.rerun === "restarted")).toBe(true);
    // Its fire run again at once after each: a new attempt of the same task.
    const fired = eventsOf(events, "schedule.fired");
    expect(fired.some((f) => f.attempt > 1)).toBe(true);
    const verdict = reportOf(events).verdicts.find((v) => v.property === "retry-after-backoff");
    expect(verdict).toMatchObject({ ok: false, exercised: true });
    expect(verdict?.detail).toContain(
      "its task, restarted with no panic reported since (its fire run again: sent anew, not retried after its back-off), committed without it",
    );
    expect(verdict?.detail).toMatch(/; a destination that failed is retried while it may still be down$/);
  });

  it("is not traced when a panic came after it, but one that failed after the panic is", () => {
    // Sends a, reports a recovered panic, sends b, rolls back and commits; or, with `restart`,
    // restarts after the panic (v2's rule) and commits the new transaction with nothing sent.
    const panicking = (how: "rollback" | "restart") =>
      taskScheduler(`panic-${how}`, function* (rt, first, message) {
        let tx = first;
        yield* rt.http.post(tx, { ...message, id: `${message.id}/a` }, 0);
        rt.errors.recoveredPanic(new Error("recovered"), tx, 1, 0);
        if (how === "restart") tx = tx.restart();
        else {
          yield* rt.http.post(tx, { ...message, id: `${message.id}/b` }, 0);
          tx = tx.rollback();
        }
        yield* tx.commit();
      });
    const rolled = runWorld(rerunConfig("panic-rollback", { failing: true }), undefined, [
      panicking("rollback"),
    ]).events;
    const fires = eventsOf(rolled, "task.committed").length;
    expect(fires).toBeGreaterThan(5);
    const dropped = eventsOf(rolled, "delivery.failure-dropped");
    // One for each task: b's, which failed after the panic; a's the panic covers.
    expect(dropped.map((e) => e.message.slice(-2))).toEqual(Array(fires).fill("/b"));
    expect(dropped.every((e) => e.rerun === "rolled back")).toBe(true);
    const restarted = runWorld(rerunConfig("panic-restart", { failing: true }), undefined, [
      panicking("restart"),
    ]).events;
    expect(eventsOf(restarted, "panic.recovered").length).toBeGreaterThan(5);
    expect(eventsOf(restarted, "delivery.failure-dropped")).toEqual([]);
  });

  it("is not traced when a panic the world injected came after it and the module recovered it", () => {
    // Recovers a panic at after-delivery without reporting it, and restarts the task.
    const recovering = taskScheduler("recover-injected", function* (rt, first, message) {
      let tx = first;
      yield* rt.http.post(tx, message, 0);
      try {
        yield* rt.faultPoint("after-delivery", tx);
      } catch {
        tx = tx.restart();
      }
      yield* tx.commit();
    });
    const { events } = runWorld(
      rerunConfig("recover-injected", { failing: true }),
      (world) => injectPanic(world, { point: "after-delivery", count: 3 }),
      [recovering],
    );
    const injected = eventsOf(events, "fault.injected").filter((e) => e.fault === "inject-panic");
    expect(injected).toHaveLength(3);
    // The rest, never restarted, commit without the retry: traced as they always were.
    const dropped = eventsOf(events, "delivery.failure-dropped");
    expect(dropped.length).toBeGreaterThan(3);
    expect(dropped.every((e) => e.rerun === undefined)).toBe(true);
    for (const i of injected) expect(dropped.some((d) => d.task === i.task)).toBe(false);
  });
});

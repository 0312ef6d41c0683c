// Shows dead-letter-after-retries on hand-written traces: a dead letter after every attempt the schedule's budget allows holds, one after fewer attempts fails and names it whatever the scheduler says it counted, sends on any worker count, a retry under a new message id counts on its message's sends, an attempt sent again with nothing between is not another attempt, a message acknowledged is not dead-lettered (its sends count on past the acknowledgement, and a dead letter of it fails) unless its worker crashed, lost its lease or had a panic injected, the task that delivered it had its commit refused or fenced (never a refused read or claim, nor another task's commit), or another worker sent it between (however many times, but never behind a panic its scheduler only reported or a restart of its task, and never for a dead letter with no send since), a retry given the id of a delivered message hides that delivery only while it is in flight, the scheduler's attempt numbers are never taken, and a trace without the budget is not judged.
import { describe, expect, it } from "vitest";
import {
  computeReport,
  MessageLedger,
  RECENTLY_DELIVERED_MAX,
  type Verdict,
} from "../../src/checks/index.js";
import { runClock } from "../../src/kernel/time.js";
import { at, everyFiveMinutes, T0, type TraceBuilder, task } from "./trace-builder.js";

const MESSAGE = `m-s1-${at(5)}`;

/** One failed attempt at s1's 09:05 message: its send, then the failure a retry records. */
function failedAttempt(b: TraceBuilder, attempt: number, worker = "w1"): void {
  b.sent("s1", "a", at(5), worker);
  b.emit("delivery.failed", {
    ...task(worker, "s1", "a", at(5)),
    message: MESSAGE,
    attempt,
    status: 500,
    retryAt: b.now + 60_000,
  });
}

function deadLettered(b: TraceBuilder, attempts: number, retries: number | undefined): number {
  return b.emit("delivery.dead-lettered", {
    ...task("w1", "s1", "a", at(5)),
    message: MESSAGE,
    attempts,
    ...(retries === undefined ? {} : { retries }),
  });
}

function verdictOf(b: TraceBuilder): Verdict {
  return computeReport(b.events).verdicts.find((v) => v.property === "dead-letter-after-retries")!;
}

/** The verdict fails, saying `text`. */
function expectFails(b: TraceBuilder, text: string): Verdict {
  const v = verdictOf(b);
  expect(v.ok).toBe(false);
  expect(v.detail).toContain(text);
  return v;
}

describe("dead-letter-after-retries", () => {
  it("is not exercised when nothing was dead-lettered", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    failedAttempt(b, 0);
    expect(verdictOf(b)).toEqual({
      property: "dead-letter-after-retries",
      ok: true,
      exercised: false,
      detail: "not exercised: no message was dead-lettered",
      events: [],
    });
  });

  it("holds for a dead letter after the first attempt and every retry the budget allows", () => {
    const b = everyFiveMinutes();
    for (let attempt = 0; attempt < 4; attempt++) {
      b.at(at(5 + attempt, 1));
      failedAttempt(b, attempt);
    }
    deadLettered(b, 4, 3);
    expect(verdictOf(b)).toEqual({
      property: "dead-letter-after-retries",
      ok: true,
      exercised: true,
      detail:
        "1 message was dead-lettered, after every attempt its schedule's retry budget allows (4 attempts sent)",
      events: [],
    });
  });

  it("fails on a dead letter after one attempt, whatever the scheduler says it counted, and names it", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    failedAttempt(b, 0);
    // The scheduler claims four attempts: only the trace's sends are believed.
    const dead = deadLettered(b, 4, 3);
    const v = verdictOf(b);
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toBe(
      `1 message was dead-lettered before its retries ran out: ${MESSAGE} (schedule s1) at 09:05:01 after 1 attempt sent of the 4 its retry budget allows; a retry might have delivered it`,
    );
    expect(v.events).toEqual([dead]);
  });

  it("owes one attempt only when the schedule has no retries", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    failedAttempt(b, 0);
    deadLettered(b, 1, 0);
    expect(verdictOf(b).ok).toBe(true);
  });

  it("counts attempts sent from any worker", () => {
    const b = everyFiveMinutes();
    for (let attempt = 0; attempt < 4; attempt++) {
      b.at(at(5 + attempt, 1));
      failedAttempt(b, attempt, attempt % 2 === 0 ? "w1" : "w2");
    }
    deadLettered(b, 4, 3);
    expect(verdictOf(b).ok).toBe(true);
  });

  it("counts a message sent once and acknowledged anew if it is sent again (a new fire's message)", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    b.sent("s1", "a", at(5));
    b.ack("s1", "a", at(5));
    b.at(at(9, 1));
    failedAttempt(b, 0);
    deadLettered(b, 4, 3);
    expect(verdictOf(b).ok).toBe(false);
  });

  it("does not judge a retried message delivered before it was sent again: a delivering retry run again after its worker died", () => {
    // v1 on a generated world: retry 1 is acknowledged, its worker dies of a panic before the
    // commit, and the retry runs again, fails and is dead-lettered, one send after the ack.
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    failedAttempt(b, 0);
    const retry1 = { ...task("w1", "s1", "a", at(5)), message: MESSAGE, attempt: 1 };
    b.at(at(6, 1));
    b.emit("delivery.sent", { ...retry1, destination: "https://example.com/s1" });
    b.emit("delivery.acked", { ...retry1, status: 200 });
    b.at(at(7, 1));
    b.emit("delivery.sent", { ...retry1, worker: "w2", destination: "https://example.com/s1" });
    b.emit("delivery.failed", { ...retry1, worker: "w2", status: 500, retryAt: null });
    deadLettered(b, 2, 1);
    expect(verdictOf(b)).toEqual({
      property: "dead-letter-after-retries",
      ok: true,
      exercised: false,
      detail:
        "not exercised: 1 dead letter not judged (1 message delivered by a retry and then sent again after something that may have undone the delivery (a crash, lease change or injected panic on the worker that delivered it, a refused or fenced commit of the task that delivered it, or a send by another worker): a retry that delivered, run again before it was committed)",
      events: [],
    });
  });

  it("lets go of every message at its acknowledgement, so a scheduler numbering from 1 is judged however long the run", () => {
    // The acknowledgement is the trace's, not the scheduler's number: a module that numbers its
    // first attempt 1 has each message leave the messages in flight at its acknowledgement (the
    // latest acknowledged stay remembered, within their own bound), and its early dead letters
    // are still judged after thousands of deliveries (and nothing was forgotten).
    const b = everyFiveMinutes();
    const ledger = new MessageLedger(100);
    const sendAndAck = (message: string) => {
      const fields = { ...task("w1", "s1", "a", at(5)), message, attempt: 1 };
      ledger.onEvent({ t: b.now, seq: 0, type: "delivery.sent", cause: null, ...fields, destination: "x" });
      ledger.onEvent({ t: b.now, seq: 0, type: "delivery.acked", cause: null, ...fields, status: 200 });
    };
    for (let n = 0; n < 5_000; n++) sendAndAck(`m-${n}`);
    expect(ledger.stateSize()).toEqual({ followedMessages: 0, acknowledgedMessages: 5_000 });
    expect(ledger.forgotten).toBe(0);
    b.at(at(5, 1));
    for (let attempt = 1; attempt <= 3; attempt++) b.sent("s1", "a", at(5));
    deadLettered(b, 4, 3);
    for (const e of b.events.slice(-4)) ledger.onEvent(e);
    expect(ledger.deadLetter.verdict(runClock(T0, at(30))).ok).toBe(false);
  });

  it("counts sends, not the scheduler's attempt numbers: one that numbers its first attempt 1 and gives up a send early fails", () => {
    const b = everyFiveMinutes();
    const numbered = (attempt: number) => ({ ...task("w1", "s1", "a", at(5)), message: MESSAGE, attempt });
    for (let attempt = 1; attempt <= 3; attempt++) {
      b.at(at(4 + attempt, 1));
      b.emit("delivery.sent", { ...numbered(attempt), destination: "https://example.com/s1" });
      b.emit("delivery.failed", {
        ...numbered(attempt),
        status: 500,
        retryAt: attempt < 3 ? b.now + 60_000 : null,
      });
    }
    deadLettered(b, 4, 3);
    expectFails(b, "after 3 attempts sent of the 4 its retry budget allows");
  });

  it("does not judge a dead letter from a trace that does not carry the budget", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    failedAttempt(b, 0);
    deadLettered(b, 1, undefined);
    const v = verdictOf(b);
    expect(v.ok).toBe(true);
    expect(v.exercised).toBe(false);
    expect(v.detail).toBe(
      "not exercised: 1 dead letter not judged (the trace does not carry the schedule's retry budget: written by an older aftershock)",
    );
  });

  it("names the first three early dead letters and counts the rest", () => {
    const b = everyFiveMinutes();
    for (let n = 0; n < 5; n++) {
      b.at(at(5 + n, 1));
      failedAttempt(b, 0);
      deadLettered(b, 1, 3);
    }
    const v = verdictOf(b);
    expect(v.detail).toMatch(
      /^5 messages were dead-lettered before their retries ran out: .* at 09:05:01 .*; .* at 09:07:01 after 1 attempt sent of the 4 its retry budget allows \(and 2 more\); a retry might have delivered them$/,
    );
    expect(v.events).toHaveLength(3);
  });

  it("keeps its count of messages within bounds, and judges no dead letter on a count it forgot", () => {
    // Five messages fail on their first attempt and are given up without a dead letter (their
    // account deleted during their retries, say): with room for three, the oldest are forgotten.
    const b = everyFiveMinutes();
    const checker = new MessageLedger(3);
    const messages = [5, 10, 15, 20, 25].map((m) => `m-s1-${at(m)}`);
    b.at(at(25, 1));
    for (const [i, m] of [5, 10, 15, 20, 25].entries()) {
      b.sent("s1", "a", at(m));
      expect(checker.stateSize().followedMessages).toBe(Math.min(i, 3));
      checker.onEvent(b.events[b.events.length - 1]);
    }
    expect(checker.stateSize()).toEqual({ followedMessages: 3, acknowledgedMessages: 0 });
    // The first message comes back and is dead-lettered after four sends: its first is forgotten,
    // so it is not judged, rather than judged short of one.
    for (let attempt = 1; attempt < 4; attempt++) b.sent("s1", "a", at(5));
    b.emit("delivery.dead-lettered", {
      ...task("w1", "s1", "a", at(5)),
      message: messages[0],
      attempts: 4,
      retries: 3,
    });
    for (const e of b.events.slice(-4)) checker.onEvent(e);
    const v = checker.deadLetter.verdict(runClock(T0, at(30)));
    expect(v.ok).toBe(true);
    expect(v.detail).toBe(
      "not exercised: 1 dead letter not judged (1 message whose sends may have been forgotten, to keep the count of messages followed within 3)",
    );
    // A message never forgotten is judged all the same, however many others were.
    const fresh = `m-s1-${at(30)}`;
    b.emit("delivery.sent", {
      ...task("w1", "s1", "a", at(30)),
      message: fresh,
      attempt: 0,
      destination: "x",
    });
    b.emit("delivery.dead-lettered", {
      ...task("w1", "s1", "a", at(30)),
      message: fresh,
      attempts: 4,
      retries: 3,
    });
    for (const e of b.events.slice(-2)) checker.onEvent(e);
    const judged = checker.deadLetter.verdict(runClock(T0, at(30)));
    expect(judged.ok).toBe(false);
    expect(judged.detail).toContain(`${fresh} (schedule s1)`);
  });

  it("counts a retry sent under a new message id with the sends of the message it retries", () => {
    // Each retry gets a new id (m0, m0.r1, m0.r2, m0.r3): the failure naming the new id follows
    // from the task whose send it answers, and the retry's send from that failure.
    const b = everyFiveMinutes();
    b.at(at(5));
    let cause = b.fired("s1", "a", at(5));
    const ids = ["m0", "m0.r1", "m0.r2", "m0.r3"];
    for (let attempt = 0; attempt < 4; attempt++) {
      b.at(at(5 + attempt, 1));
      const fields = { ...task("w1", "s1", "a", at(5)), attempt };
      b.emit(
        "delivery.sent",
        { ...fields, message: ids[attempt], destination: "https://example.com/s1" },
        { cause },
      );
      const last = attempt === 3;
      cause = b.emit(
        "delivery.failed",
        {
          ...fields,
          message: ids[last ? attempt : attempt + 1],
          status: 500,
          retryAt: last ? null : b.now + 60_000,
        },
        { cause },
      );
    }
    b.emit("delivery.dead-lettered", {
      ...task("w1", "s1", "a", at(5)),
      message: "m0.r3",
      attempts: 4,
      retries: 3,
    });
    expect(verdictOf(b)).toMatchObject({
      ok: true,
      exercised: true,
      detail:
        "1 message was dead-lettered, after every attempt its schedule's retry budget allows (4 attempts sent)",
    });
  });

  it("keeps an acknowledgement a retry given its id hides, and judges a dead letter of it once the retry left", () => {
    // m-ack is delivered; then a failure of another message gives its retry the id m-ack (its
    // scheduler reuses ids). That retry is dead-lettered after the one attempt its budget allows;
    // a second dead letter of m-ack is of the delivered message again, nothing between undoing it.
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    const first = b.fired("s1", "a", at(5));
    const fields = { ...task("w1", "s1", "a", at(5)), attempt: 0 };
    b.emit("delivery.sent", { ...fields, message: "m-ack", destination: "x" }, { cause: first });
    b.emit("delivery.acked", { ...fields, message: "m-ack", status: 200 });
    b.at(at(6, 1));
    const other = b.fired("s1", "a", at(6));
    const retried = { ...task("w1", "s1", "a", at(6)), attempt: 0 };
    b.emit("delivery.sent", { ...retried, message: "m-other", destination: "x" }, { cause: other });
    b.emit("delivery.failed", { ...retried, message: "m-ack", status: 500, retryAt: null }, { cause: other });
    b.at(at(6, 2));
    b.emit("delivery.dead-lettered", { ...retried, message: "m-ack", attempts: 1, retries: 0 });
    b.at(at(6, 3));
    b.emit("delivery.dead-lettered", {
      ...task("w1", "s1", "a", at(5)),
      message: "m-ack",
      attempts: 1,
      retries: 0,
    });
    expectFails(
      b,
      "m-ack (schedule s1) acknowledged at 09:05:01 after 1 attempt sent, dead-lettered at 09:06:03",
    );
  });

  it("does not count an attempt sent again by its worker with nothing between as another attempt", () => {
    // Each attempt sent twice at once, then given up after two attempts of the four owed.
    const b = everyFiveMinutes();
    for (let attempt = 0; attempt < 2; attempt++) {
      b.at(at(5 + attempt, 1));
      const fields = { ...task("w1", "s1", "a", at(5)), message: MESSAGE, attempt };
      b.emit("delivery.sent", { ...fields, destination: "https://example.com/s1" });
      b.at(at(5 + attempt, 1) + 75);
      b.emit("delivery.sent", { ...fields, destination: "https://example.com/s1" });
      b.emit("delivery.failed", { ...fields, status: 500, retryAt: attempt === 1 ? null : b.now + 60_000 });
    }
    const dead = deadLettered(b, 2, 3);
    const v = expectFails(b, "after 2 attempts sent of the 4 its retry budget allows");
    expect(v.events).toEqual([dead]);
  });

  /** The attempts before `delivering` fail, a minute apart; it is sent and acknowledged by `worker`. */
  function deliveredByRetry(b: TraceBuilder, delivering = 1, worker = "w1"): void {
    for (let attempt = 0; attempt < delivering; attempt++) {
      b.at(at(5 + attempt, 1));
      failedAttempt(b, attempt, worker);
    }
    const fields = { ...task(worker, "s1", "a", at(5)), message: MESSAGE, attempt: delivering };
    b.at(at(5 + delivering, 1));
    b.emit("delivery.sent", { ...fields, destination: "https://example.com/s1" });
    b.emit("delivery.acked", { ...fields, status: 200 });
  }

  /** Retry `attempt` sent again by `worker` and refused, the last one dead-lettered (`retries` 3). */
  function failsOn(b: TraceBuilder, worker: string, attempts: number[]): number {
    for (const attempt of attempts) {
      b.at(b.now + 150_000);
      const fields = { ...task(worker, "s1", "a", at(5)), message: MESSAGE, attempt };
      b.emit("delivery.sent", { ...fields, destination: "https://example.com/s1" });
      b.emit("delivery.failed", { ...fields, status: 500, retryAt: attempt === 3 ? null : b.now + 60_000 });
    }
    return b.emit("delivery.dead-lettered", {
      ...task(worker, "s1", "a", at(5)),
      message: MESSAGE,
      attempts: 4,
      retries: 3,
    });
  }

  it("fails a dead letter of a message whose retry was acknowledged with nothing between, and says it was delivered", () => {
    // A scheduler that dead-letters the message its retry 1 delivered: no crash, no lease change.
    const b = everyFiveMinutes();
    deliveredByRetry(b);
    b.emit("delivery.failed", {
      ...task("w1", "s1", "a", at(5)),
      message: MESSAGE,
      attempt: 3,
      status: 0,
      retryAt: null,
    });
    const dead = deadLettered(b, 4, 3);
    expect(verdictOf(b)).toEqual({
      property: "dead-letter-after-retries",
      ok: false,
      exercised: true,
      detail: `1 message was dead-lettered after the destination acknowledged it: ${MESSAGE} (schedule s1) acknowledged at 09:06:01 after 2 attempts sent, dead-lettered at 09:06:01, with nothing between that may have undone the delivery (no crash, lease change or injected panic on the worker that delivered it, no refused or fenced commit of the task that delivered it, no other worker sending it); an acknowledged message must not go to the dead-letter queue, which reports it to its owner as undelivered`,
      events: [dead],
    });
  });

  it("fails a dead letter of a message its last retry delivered, though every attempt was sent", () => {
    const b = everyFiveMinutes();
    deliveredByRetry(b, 3);
    deadLettered(b, 4, 3);
    expectFails(b, "acknowledged at 09:08:01 after 4 attempts sent");
  });

  it("counts the acknowledged send of a message sent once: a dead letter after it says one attempt was sent", () => {
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    b.sent("s1", "a", at(5));
    b.ack("s1", "a", at(5));
    deadLettered(b, 4, 3);
    const v = expectFails(
      b,
      `${MESSAGE} (schedule s1) acknowledged at 09:05:01 after 1 attempt sent, dead-lettered at 09:05:01`,
    );
    expect(v.detail).not.toContain("0 attempts");
  });

  it("counts on past an acknowledgement its worker sends again with nothing between, and fails the dead letter as delivered", () => {
    const b = everyFiveMinutes();
    deliveredByRetry(b);
    failsOn(b, "w1", [2, 3]);
    expectFails(b, "acknowledged at 09:06:01 after 4 attempts sent");
  });

  /** Retry 1 delivered by w1, then `between`, then w1 sends `attempts` again and dead-letters the message. */
  function sentAgainAfter(between: (b: TraceBuilder) => void, attempts: number[]): Verdict {
    const b = everyFiveMinutes();
    deliveredByRetry(b);
    b.at(at(6, 2));
    between(b);
    failsOn(b, "w1", attempts);
    return verdictOf(b);
  }

  it("does not judge a delivered message sent again after the worker that delivered it crashed or lost its lease (at-least-once)", () => {
    const crashed = sentAgainAfter((b) => b.killed("w1"), [1, 2, 3]);
    expect(crashed).toMatchObject({ ok: true, exercised: false });
    const leaseLost = sentAgainAfter(
      (b) => b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 }),
      [1, 2, 3],
    );
    expect(leaseLost).toMatchObject({ ok: true, exercised: false });
  });

  it("does not let a refused read, claim or another task's refused commit excuse the worker that delivered the message", () => {
    // A scheduler may ask for reads in a loop until one is refused: that gives nothing back.
    for (const between of [
      (b: TraceBuilder) => b.emit("store.refused", { worker: "w1", call: "getAccount", account: "a" }),
      (b: TraceBuilder) => b.emit("store.refused", { worker: "w1", call: "claimDue" }),
      (b: TraceBuilder) => b.emit("store.refused", { ...task("w1", "s2", "a", at(5)), call: "commit" }),
      (b: TraceBuilder) => b.emit("task.fenced", { ...task("w1", "s2", "a", at(5)), token: 1 }),
    ])
      expect(sentAgainAfter(between, [2, 3]).ok).toBe(false);
  });

  it("does not judge a delivered message sent again after a refused or fenced commit of the task that delivered it", () => {
    for (const between of [
      (b: TraceBuilder) => b.emit("store.refused", { ...task("w1", "s1", "a", at(5)), call: "commit" }),
      (b: TraceBuilder) => b.emit("task.fenced", { ...task("w1", "s1", "a", at(5)), token: 1 }),
    ])
      expect(sentAgainAfter(between, [1, 2, 3])).toMatchObject({ ok: true, exercised: false });
  });

  it("fails a message acknowledged at its first send and re-sent behind refused reads until its budget is spent", () => {
    // A message sent once and acknowledged, then sent again four times, each behind a read the
    // store refused, and dead-lettered: no send was a run again of its task.
    const b = everyFiveMinutes();
    b.at(at(5, 1));
    b.sent("s1", "a", at(5));
    b.ack("s1", "a", at(5));
    for (let n = 0; n < 4; n++) {
      b.at(b.now + 100);
      b.emit("store.refused", { worker: "w1", call: "getAccount", account: "a" });
      failedAttempt(b, 0);
    }
    deadLettered(b, 4, 3);
    expectFails(b, "dead-lettered after the destination acknowledged it");
  });

  it("does not let a crash of another worker excuse the worker that delivered the message", () => {
    expect(sentAgainAfter((b) => b.killed("w2"), [2, 3]).ok).toBe(false);
  });

  /** A panic injected in w1's task for s1's 09:05 message (traced by the world), recovered by its scheduler. */
  function injectedPanic(b: TraceBuilder): void {
    const fields = task("w1", "s1", "a", at(5));
    const injected = b.emit("fault.injected", {
      fault: "inject-panic",
      worker: "w1",
      detail: "panic injected at after-delivery",
      probe: 1,
      schedule: "s1",
      task: fields.task,
      armed: 0,
    });
    reportedPanic(b, { cause: injected });
  }

  /** A `panic.recovered` of w1's task for s1's 09:05 message: the scheduler's own report. */
  function reportedPanic(b: TraceBuilder, options: { cause?: number } = {}): void {
    b.emit(
      "panic.recovered",
      {
        ...task("w1", "s1", "a", at(5)),
        error: "Error: injected panic at after-delivery",
        attempt: 1,
        retryInMs: 1000,
      },
      options,
    );
  }

  /** Retry 1 sent again by w1 and acknowledged. */
  function deliveredAgain(b: TraceBuilder): void {
    const fields = { ...task("w1", "s1", "a", at(5)), message: MESSAGE, attempt: 1 };
    b.at(b.now + 1000);
    b.emit("delivery.sent", { ...fields, destination: "https://example.com/s1" });
    b.emit("delivery.acked", { ...fields, status: 200 });
  }

  it("does not judge a delivering retry undone however many times: each run after an injected panic counted anew", () => {
    // v2 with a panic injected after delivery: retry 1 delivered, the panic recovered, the retry
    // run again and delivered, the panic again, then the last run fails and is dead-lettered.
    for (const undo of [
      injectedPanic,
      (b: TraceBuilder) => b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 }),
    ]) {
      const b = everyFiveMinutes();
      deliveredByRetry(b);
      undo(b);
      deliveredAgain(b);
      undo(b);
      failsOn(b, "w1", [3]);
      expect(verdictOf(b)).toMatchObject({ ok: true, exercised: false });
    }
  });

  it("fails a dead letter after a delivering retry undone, delivered again and sent again with nothing between", () => {
    const b = everyFiveMinutes();
    deliveredByRetry(b);
    injectedPanic(b);
    deliveredAgain(b);
    failsOn(b, "w1", [3]);
    expectFails(b, "dead-lettered after the destination acknowledged it");
  });

  it("does not take a panic its scheduler reported, with nothing thrown or injected, for what may have undone a delivery", () => {
    const b = everyFiveMinutes();
    deliveredByRetry(b);
    b.at(at(6, 2));
    reportedPanic(b);
    failsOn(b, "w1", [2, 3]);
    expectFails(b, "acknowledged at 09:06:01 after 4 attempts sent");
  });

  it("does not take a restart of the task that delivered it, with no panic injected, for what may have undone a delivery", () => {
    // `tx.restart()` is the scheduler's own call: its fire run again alone is nothing the world did.
    const b = everyFiveMinutes();
    deliveredByRetry(b);
    b.at(at(6, 2));
    b.emit("schedule.fired", { ...task("w1", "s1", "a", at(5)), attempt: 2 });
    failsOn(b, "w1", [2, 3]);
    expectFails(b, "acknowledged at 09:06:01 after 4 attempts sent");
  });

  it("fails a dead letter of a delivered message with no send since its acknowledgement, whatever came between", () => {
    // A run again after a crash sends before it may give up: a dead letter with no send since the
    // acknowledgement answers no failure.
    for (const between of [(b: TraceBuilder) => b.killed("w1"), injectedPanic]) {
      const b = everyFiveMinutes();
      deliveredByRetry(b);
      b.at(at(6, 2));
      between(b);
      deadLettered(b, 4, 3);
      expectFails(b, "acknowledged at 09:06:01 after 2 attempts sent");
    }
  });

  it("lets off a retry that delivered long ago, once its acknowledgement left the ones remembered exactly", () => {
    // Delivered by retry 1, then 10,000 other messages acknowledged: the ledger no longer knows
    // who delivered it or when, only (in its filter) that it may have been delivered.
    const b = everyFiveMinutes();
    const ledger = new MessageLedger();
    deliveredByRetry(b);
    for (const e of b.events) ledger.onEvent(e);
    for (let n = 0; n < RECENTLY_DELIVERED_MAX; n++) {
      const fields = { ...task("w1", "s1", "a", at(6)), message: `m-${n}`, attempt: 0 };
      ledger.onEvent({ t: b.now, seq: 0, type: "delivery.sent", cause: null, ...fields, destination: "x" });
      ledger.onEvent({ t: b.now, seq: 0, type: "delivery.acked", cause: null, ...fields, status: 200 });
    }
    expect(ledger.stateSize()).toEqual({ followedMessages: 0, acknowledgedMessages: RECENTLY_DELIVERED_MAX });
    const from = b.events.length;
    failsOn(b, "w1", [2, 3]);
    for (const e of b.events.slice(from)) ledger.onEvent(e);
    expect(ledger.deadLetter.verdict(runClock(T0, at(30)))).toMatchObject({ ok: true, exercised: false });
  });
});

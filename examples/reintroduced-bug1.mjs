// A user scheduler for `aftershock gate --scheduler examples/reintroduced-bug1.mjs`.
//
// It is written against the same Runtime port as the bundled schedulers (its types ship with the
// package: import("aftershock"); the whole port is listed in docs/ci.md)
// and lists the same two fixes as v2, so the gate runs it as every v2 variant. Its panic
// recovery is right, but a refactor lost the early return of the deleted-account path: the
// `early-return` fix is accepted and does nothing. That is bug 1 of May 8 coming back.
//
// What the gate says about it (see docs/ci.md):
// - [early-return] no-panic-death fails, and the cascade is named: without panic recovery the
//   deleted account's schedule kills one worker after another, as on May 8.
// - [fixed] deleted-schedules-cleaned fails: recovery keeps the workers alive, but every
//   attempt panics before its cleanup commits, so the deleted account's schedules stay.
//
// A scheduler module exports a SchedulerFactory as `scheduler` (or default):
//   { name, description, fixes, create(fixes) -> { name, fixes, main(rt) -> generator } }
// Blocking calls are generators (`yield* rt.store.getAccount(id)`), sleeping is
// `yield rt.sleep(ms)`, and an exception escaping a goroutine kills the worker process, as an
// unrecovered panic does in Go. Read time only from `rt.now()` (the wall clock, for due times)
// and `rt.monotonicMs()` (for intervals: clock skew does not move it), and never `Math.random`:
// the gate runs everything twice and fails a run that differs (exit 3).

const TICK_MS = 1000;
const PANIC_ATTEMPTS_MAX = 3;
const PANIC_RETRY_BASE_MS = 1000;

/** @type {import("aftershock").SchedulerFactory} */
export const scheduler = {
  name: "reintroduced-bug1",
  description: "a rewrite of v2 whose deleted-account path lost its early return",
  fixes: ["early-return", "panic-recovery"],
  create(fixes) {
    const panicRecovery = fixes.includes("panic-recovery");
    return { name: "reintroduced-bug1", fixes: [...fixes], main: (rt) => dispatcher(rt, panicRecovery) };
  },
};

function* dispatcher(rt, panicRecovery) {
  const state = { running: 0 };
  for (;;) {
    const owned = rt.ownedPartitions();
    const free = rt.concurrency - state.running;
    if (owned.length > 0 && free > 0) {
      const [claim, err] = yield* rt.store.claimDue(owned, free);
      if (err !== null) rt.log.warn(`claim failed: ${err.message}`);
      else {
        for (const tx of claim.tasks) {
          state.running++;
          rt.go(`deliver ${tx.task}`, runTask(rt, tx, state, panicRecovery), tx);
        }
      }
    }
    yield rt.sleep(TICK_MS);
  }
}

function* runTask(rt, first, state, panicRecovery) {
  let tx = first;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        yield* handle(rt, tx);
        return;
      } catch (error) {
        // Without panic recovery the exception escapes the goroutine: the process dies.
        if (!panicRecovery) throw error;
        if (attempt >= PANIC_ATTEMPTS_MAX) {
          rt.errors.recoveredPanic(error, tx, attempt, null);
          const quarantine = tx.rollback();
          quarantine.quarantine(attempt);
          yield* quarantine.commit();
          return;
        }
        const retryInMs = PANIC_RETRY_BASE_MS * 2 ** (attempt - 1);
        rt.errors.recoveredPanic(error, tx, attempt, retryInMs);
        yield rt.sleep(retryInMs);
        tx = tx.restart();
      }
    }
  } finally {
    state.running--;
  }
}

function* handle(rt, tx) {
  const work = tx.work;
  if (work.kind === "retry") {
    // A deleted account's pending messages go with it: read the account again before a retry.
    const [owner, err] = yield* rt.store.getAccount(work.message.account);
    if (err !== null) {
      yield* tx.abandon();
      return;
    }
    if (owner !== undefined) yield* deliver(rt, tx, work.message, work.attempt);
    yield* commit(rt, tx);
    return;
  }
  yield* rt.faultPoint("before-account-read", tx);
  const [account, err] = yield* rt.store.getAccount(tx.account);
  if (err !== null) {
    yield* tx.abandon();
    return;
  }
  yield* rt.faultPoint("after-account-read", tx);
  if (account === undefined) {
    const [schedules, listErr] = yield* rt.store.listSchedules(tx.account);
    if (listErr === null) for (const s of schedules) tx.deleteSchedule(s.id);
    // BUG: the early return went missing here; execution carries on with a missing account.
  }
  const message = {
    id: `${tx.task}/m${tx.attempt}`,
    schedule: work.schedule.id,
    account: account.id, // the nil dereference: `account` is undefined for a deleted account
    destination: work.schedule.destination,
    body: `{"schedule":"${work.schedule.id}","due":${tx.due},"plan":"${account.plan.name}"}`,
    retries: work.schedule.retries,
  };
  yield* deliver(rt, tx, message, 0);
  yield* commit(rt, tx);
}

function* deliver(rt, tx, message, attempt) {
  yield* rt.faultPoint("before-delivery", tx);
  const response = yield* rt.http.post(tx, message, attempt);
  yield* rt.faultPoint("after-delivery", tx);
  if (response.ok) return;
  const retry = attempt + 1;
  if (retry <= message.retries) {
    const backoffMs = Math.round(Math.min(86_400, Math.exp(2.5 * retry)) * 1000);
    tx.retryLater(message, retry, rt.now() + backoffMs);
  } else {
    tx.deadLetter(message, attempt + 1);
  }
}

function* commit(rt, tx) {
  yield* rt.faultPoint("before-commit", tx);
  const err = yield* tx.commit();
  if (err !== null) rt.log.warn(`commit of ${tx.task} failed: ${err.message}`, tx.schedule);
}

import type { Call, Message, Runtime, TaskTx } from "../world/runtime.js";
import { retryBackoffMs } from "./message.js";

/**
 * Sends a message and buffers what follows from the answer: nothing on success, a retry with
 * QStash's back-off on failure, the dead-letter queue once retries are exhausted. Shared by
 * both schedulers (the delivery path was not part of the Apr 24 change).
 */
export function* deliver(rt: Runtime, tx: TaskTx, message: Message, attempt: number): Call<void> {
  yield* rt.faultPoint("before-delivery", tx);
  const response = yield* rt.http.post(tx, message, attempt);
  yield* rt.faultPoint("after-delivery", tx);
  if (response.ok) return;
  const retry = attempt + 1;
  if (retry <= message.retries) {
    tx.retryLater(message, retry, rt.now() + retryBackoffMs(retry));
  } else {
    tx.deadLetter(message, attempt + 1);
  }
}

/** Commits a task, logging a refused commit (a fenced worker must not pretend it succeeded). */
export function* commit(rt: Runtime, tx: TaskTx): Call<void> {
  yield* rt.faultPoint("before-commit", tx);
  const err = yield* tx.commit();
  if (err !== null) rt.log.warn(`commit of ${tx.task} failed: ${err.message}`, tx.schedule);
}

/** A message retry: its account is read again, and a deleted account's message is dropped. */
export function* runRetry(rt: Runtime, tx: TaskTx): Call<void> {
  const work = tx.work;
  if (work.kind !== "retry") return;
  // A deleted account's pending messages go with it: check before sending again (the first
  // attempt was checked when the schedule fired, but the account may have gone since).
  const [account, err] = yield* rt.store.getAccount(work.message.account);
  if (err !== null) {
    yield* tx.abandon();
    return;
  }
  if (account === undefined) {
    yield* commit(rt, tx);
    return;
  }
  yield* deliver(rt, tx, work.message, work.attempt);
  yield* commit(rt, tx);
}

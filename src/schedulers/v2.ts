/**
 * `v2`: the optimised scheduler deployed on 2026-04-24, as ordinary code against the Runtime
 * port. It carries the two bugs of the May 8 write-up, each switched off by a fix:
 *
 * - Bug 1, fixed by `early-return`: the deleted-account path cleans up and then carries on,
 *   building the message from the account it just found missing: a nil dereference.
 * - Bug 2, fixed by `panic-recovery`: recovery wraps the dispatcher loop, but every task runs
 *   in its own goroutine (`go deliver(task)`), so a task's panic escapes and kills the process.
 *   The fix recovers inside the task goroutine, reports, retries with back-off and quarantines
 *   the task after a bounded number of attempts.
 */
import type { GoroutineBody } from "../kernel/index.js";
import {
  type Call,
  FIXES,
  type Runtime,
  type Scheduler,
  type SchedulerFactory,
  type TaskTx,
} from "../world/runtime.js";
import { commit, deliver, runRetry } from "./deliver.js";
import { buildMessage, numberOption } from "./message.js";

/** The fixes v2 takes: the world's `FIXES`, every one of which v2 reads. */
export const V2_FIXES = FIXES;

interface DispatchState {
  running: number;
  /** The partitions of the last claim, as a key: a change means new work may be waiting. */
  ownedKey: string;
  /** The list `ownedKey` was made from (the runtime hands out the same list while it holds). */
  ownedList: readonly number[] | null;
  /** When the store said more work falls due in those partitions, or a commit since did. */
  nextDueAt: number;
  /** The earliest next due committed by a task while the current claim was under way. */
  committedDueAt: number;
  /** When the last claim was made, on the monotonic clock (an interval, safe from clock skew). */
  claimedAtMonotonicMs: number;
  /** The last claim filled every free slot: more may be waiting. */
  saturated: boolean;
}

export const v2: SchedulerFactory = {
  name: "v2",
  description: "optimised scheduler of 2026-04-24 (fixes: early-return, panic-recovery)",
  fixes: V2_FIXES,
  bundled: true,
  create(fixes: readonly string[]): Scheduler {
    const earlyReturn = fixes.includes("early-return");
    const panicRecovery = fixes.includes("panic-recovery");
    return {
      name: "v2",
      fixes: [...fixes],
      main: (rt) => dispatcher(rt, earlyReturn, panicRecovery),
    };
  },
};

function* dispatcher(rt: Runtime, earlyReturn: boolean, panicRecovery: boolean): GoroutineBody {
  const tickMs = numberOption(rt.options, "tickMs", 1000);
  const refreshMs = numberOption(rt.options, "refreshMs", 10_000);
  const state: DispatchState = {
    running: 0,
    ownedKey: "",
    ownedList: null,
    nextDueAt: Number.NEGATIVE_INFINITY,
    committedDueAt: Number.POSITIVE_INFINITY,
    claimedAtMonotonicMs: Number.NEGATIVE_INFINITY,
    saturated: false,
  };
  for (;;) {
    // The recovery of the Apr 24 code: it guards the dispatch loop only. A panic inside a
    // task's goroutine never passes through here (Go's recover works per goroutine).
    try {
      const owned = claimWanted(rt, state, refreshMs);
      if (owned !== null) yield* dispatchOnce(rt, state, owned, earlyReturn, panicRecovery);
    } catch (error) {
      rt.log.error(`dispatcher recovered from panic: ${String(error)}`);
    }
    yield rt.sleep(tickMs);
  }
}

/**
 * The optimisation of Apr 24: one claim across all owned partitions per round trip, and no
 * claim at all until the store's next due time passes, the partitions change, or the last
 * claim was full (with a periodic refresh for retries and new schedules). Returns the owned
 * partitions when a claim is wanted, else null.
 */
function claimWanted(rt: Runtime, state: DispatchState, refreshMs: number): readonly number[] | null {
  const owned = rt.ownedPartitions();
  const now = rt.now();
  const free = rt.concurrency - state.running;
  if (free <= 0 || owned.length === 0) return null;
  const key = keyOf(state, owned);
  // Due times are wall-clock times (a skewed clock misjudges them, as it would in production);
  // the refresh is an interval, measured on the monotonic clock as Go's time.Since does.
  const due =
    now >= state.nextDueAt ||
    key !== state.ownedKey ||
    state.saturated ||
    rt.monotonicMs() - state.claimedAtMonotonicMs >= refreshMs;
  return due ? owned : null;
}

/** The key of the owned partitions: the last one while the runtime hands out the same list. */
function keyOf(state: DispatchState, owned: readonly number[]): string {
  return owned === state.ownedList ? state.ownedKey : owned.join(",");
}

/** One claim and a goroutine for each task it brings. */
function* dispatchOnce(
  rt: Runtime,
  state: DispatchState,
  owned: readonly number[],
  earlyReturn: boolean,
  panicRecovery: boolean,
): Call<void> {
  const claimedAtMonotonicMs = rt.monotonicMs();
  const free = rt.concurrency - state.running;
  state.committedDueAt = Number.POSITIVE_INFINITY;
  const [claim, err] = yield* rt.store.claimDue(owned, free);
  if (err !== null) {
    rt.log.warn(`claim failed: ${err.message}`);
    return;
  }
  state.ownedKey = keyOf(state, owned);
  state.ownedList = owned;
  state.claimedAtMonotonicMs = claimedAtMonotonicMs;
  // A commit seen while the claim was under way may be missing from the store's answer.
  state.nextDueAt = Math.min(claim.nextDueAt ?? Number.POSITIVE_INFINITY, state.committedDueAt);
  state.saturated = claim.tasks.length >= free;
  for (const tx of claim.tasks) {
    state.running++;
    const body = panicRecovery
      ? recoveringTask(rt, tx, state, earlyReturn)
      : task(rt, tx, state, earlyReturn);
    rt.go(`deliver ${tx.task}`, body, tx);
  }
}

/** The task goroutine as deployed on Apr 24: nothing recovers a panic here. */
function* task(rt: Runtime, tx: TaskTx, state: DispatchState, earlyReturn: boolean): GoroutineBody {
  try {
    yield* handle(rt, tx, earlyReturn);
    noteCommitted(state, tx);
  } finally {
    state.running--;
  }
}

/**
 * A committed task moved its schedule to its next due time, which the last claim's `nextDueAt`
 * could not know (the schedule was in flight). After a stall that time has often passed already
 * (the backlog): the dispatcher must claim again at its next tick, not at the next refresh.
 */
function noteCommitted(state: DispatchState, tx: TaskTx): void {
  const next = tx.nextDueAt;
  if (next === null) return;
  state.nextDueAt = Math.min(state.nextDueAt, next);
  state.committedDueAt = Math.min(state.committedDueAt, next);
}

/**
 * With `panic-recovery`: recover in the task's own goroutine, report and log each panic, retry,
 * quarantine after `panicAttemptsMax` attempts.
 */
function* recoveringTask(
  rt: Runtime,
  first: TaskTx,
  state: DispatchState,
  earlyReturn: boolean,
): GoroutineBody {
  const attemptsMax = numberOption(rt.options, "panicAttemptsMax", 3);
  const retryBaseMs = numberOption(rt.options, "panicRetryBaseMs", 1000);
  let tx = first;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        yield* handle(rt, tx, earlyReturn);
        noteCommitted(state, tx);
        return;
      } catch (error) {
        if (attempt >= attemptsMax) {
          rt.errors.recoveredPanic(error, tx, attempt, null);
          rt.log.error(`task ${tx.task} panicked ${attempt} times; quarantining its schedule`, tx.schedule);
          const quarantine = tx.rollback();
          quarantine.quarantine(attempt);
          yield* quarantine.commit();
          return;
        }
        const retryInMs = retryBaseMs * 2 ** (attempt - 1);
        rt.errors.recoveredPanic(error, tx, attempt, retryInMs);
        rt.log.warn(
          `task ${tx.task} panicked (attempt ${attempt} of ${attemptsMax}): ${panicText(error)}; retrying in ${retryInMs} ms`,
          tx.schedule,
        );
        yield rt.sleep(retryInMs);
        // Roll back whatever the failed attempt buffered and try again.
        tx = tx.restart();
      }
    }
  } finally {
    state.running--;
  }
}

/** What a recovered panic says, as Go's `fmt.Sprint(r)` of a recovered value would. */
function panicText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One task: a schedule's firing or a message retry. */
function* handle(rt: Runtime, tx: TaskTx, earlyReturn: boolean): Call<void> {
  const work = tx.work;
  if (work.kind === "retry") {
    yield* runRetry(rt, tx);
    return;
  }
  yield* rt.faultPoint("before-account-read", tx);
  const [account, err] = yield* rt.store.getAccount(tx.account);
  if (err !== null) {
    rt.log.warn(`account read failed for ${tx.task}: ${err.message}`, tx.schedule);
    yield* tx.abandon();
    return;
  }
  yield* rt.faultPoint("after-account-read", tx);
  if (account === undefined) {
    // The account was deleted: remove all of its schedules.
    const [schedules, listErr] = yield* rt.store.listSchedules(tx.account);
    if (listErr === null) {
      for (const schedule of schedules) tx.deleteSchedule(schedule.id);
    }
    if (earlyReturn) {
      yield* commit(rt, tx);
      return;
    }
    // Bug 1: the optimised path has no return here and falls through to the delivery below.
  }
  // Go would compile `buildMessage(task, account)` with a nil account just as happily.
  const message = buildMessage(
    `${tx.task}/m${tx.attempt}`,
    work.schedule,
    tx,
    account as NonNullable<typeof account>,
  );
  yield* deliver(rt, tx, message, 0);
  yield* commit(rt, tx);
}

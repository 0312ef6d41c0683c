/**
 * `v1`: the legacy scheduler that ran before 2026-04-24. It walks its partitions one due
 * schedule at a time and has always returned early for deleted accounts (no bug 1). Its
 * panic recovery is modelled with the same dispatcher-level shape as v2 (how the legacy code
 * recovered is not public): only a panic from elsewhere, such as an injected one, can reach it.
 */
import type { GoroutineBody } from "../kernel/index.js";
import type { Call, Runtime, Scheduler, SchedulerFactory, TaskTx } from "../world/runtime.js";
import { commit, deliver, runRetry } from "./deliver.js";
import { buildMessage, numberOption } from "./message.js";

export const v1: SchedulerFactory = {
  name: "v1",
  description: "legacy scheduler before 2026-04-24 (returns early for deleted accounts)",
  fixes: [],
  bundled: true,
  create(fixes: readonly string[]): Scheduler {
    return { name: "v1", fixes: [...fixes], main: (rt) => loop(rt) };
  },
};

function* loop(rt: Runtime): GoroutineBody {
  const tickMs = numberOption(rt.options, "tickMs", 1000);
  const batch = numberOption(rt.options, "v1BatchMax", 16);
  const state = { running: 0 };
  for (;;) {
    try {
      for (const partition of rt.ownedPartitions()) {
        const free = Math.min(batch, rt.concurrency - state.running);
        if (free <= 0) break;
        const [claim, err] = yield* rt.store.claimDue([partition], free);
        if (err !== null) continue;
        for (const tx of claim.tasks) {
          state.running++;
          rt.go(`fire ${tx.task}`, run(rt, tx, state), tx);
        }
      }
    } catch (error) {
      rt.log.error(`scheduler loop recovered from panic: ${String(error)}`);
    }
    yield rt.sleep(tickMs);
  }
}

function* run(rt: Runtime, tx: TaskTx, state: { running: number }): GoroutineBody {
  try {
    yield* fire(rt, tx);
  } finally {
    state.running--;
  }
}

function* fire(rt: Runtime, tx: TaskTx): Call<void> {
  const work = tx.work;
  if (work.kind === "retry") {
    yield* runRetry(rt, tx);
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
    // Deleted account: clean up its schedules and stop here.
    const [schedules, listErr] = yield* rt.store.listSchedules(tx.account);
    if (listErr === null) for (const schedule of schedules) tx.deleteSchedule(schedule.id);
    yield* commit(rt, tx);
    return;
  }
  const message = buildMessage(`${tx.task}/m${tx.attempt}`, work.schedule, tx, account);
  yield* deliver(rt, tx, message, 0);
  yield* commit(rt, tx);
}

import type { Account, Message, ScheduleInfo, TaskTx } from "../world/runtime.js";
import { usableOption } from "./options.js";

/**
 * Builds the message a firing delivers. It reads the account (its id and plan name go into the
 * message), so it must be given an account that exists: called with a deleted account (Go's
 * nil), the first field access throws, as Go's nil dereference panics. The retries are the
 * schedule's own: the scenario's `workload.retries` is what a delivery gets.
 */
export function buildMessage(id: string, schedule: ScheduleInfo, tx: TaskTx, account: Account): Message {
  return {
    id,
    schedule: schedule.id,
    account: account.id,
    destination: schedule.destination,
    body: `{"schedule":"${schedule.id}","due":${tx.due},"plan":"${account.plan.name}"}`,
    retries: schedule.retries,
  };
}

/** QStash's retry back-off: min(86400, e^(2.5 n)) seconds for retry n (12 s, 2m28s, 30m8s, ...). */
export function retryBackoffMs(retry: number): number {
  return Math.round(Math.min(86_400, Math.exp(2.5 * retry)) * 1000);
}

/**
 * A numeric scheduler option, or the default when the value given is none a bundled scheduler
 * can use (`usableOption`: not a number, below the option's least, or a count not whole or beyond
 * its most).
 */
export function numberOption(
  options: Readonly<Record<string, string | number | boolean>>,
  name: string,
  fallback: number,
): number {
  const value = options[name];
  return usableOption(name, value) ? value : fallback;
}

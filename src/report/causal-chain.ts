import { DAY_CLOCK, formatDuration, type RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { accountDeletedText, eventText, goroutineText, idText, operatorActionText } from "./event-words.js";
import type { Paint } from "./paint.js";

/**
 * A causal chain (root first, as `checks/causalChain` returns it) as lines a person reads, an
 * arrow before each link led to by the one before it:
 * `09:44:40.000   account acct-deleted deleted … → w3 fired … → w3 died: …`. Times are
 * written by the run's `clock` (dated in a run that spans more than one day).
 */
export function renderCausalChain(
  chain: readonly TraceEvent[],
  paint: Paint,
  title?: string,
  clock: RunClock = DAY_CLOCK,
): string {
  const last = chain[chain.length - 1];
  const heading =
    title ??
    (last?.type === "worker.crashed"
      ? `Why ${String(last.worker)} died at ${clock.clockMs(last.t)}`
      : "Causal chain");
  const lines = [paint.bold(heading)];
  const task = last?.task;
  chain.forEach((e, i) => {
    // A death from another task that handed this task's partition on (two poison tasks on one worker).
    const aside =
      e.type === "worker.crashed" && task !== undefined && e.task !== task
        ? paint.dim(
            e.task === undefined
              ? ` (not a task: the kill let partition ${String(last?.partition)} go)`
              : ` (another task; the death let partition ${String(last?.partition)} go)`,
          )
        : "";
    // A link earlier than the one before it was not led to by it: it starts a root of its own
    // (after an account deletion the chain puts first as its root).
    const root = i === 0 || e.t < chain[i - 1].t;
    lines.push(
      `  ${paint.dim(clock.clockMs(e.t))} ${root ? "  " : "→ "}${explainEvent(e, paint)}${aside} ${paint.dim(`#${e.seq}`)}`,
    );
  });
  return lines.join("\n");
}

/** One event of a causal chain, in words. */
export function explainEvent(e: TraceEvent, paint: Paint): string {
  const s = (k: string) => String(e[k]);
  switch (e.type) {
    case "account.deleted":
      return paint.magenta(accountDeletedText(e));
    case "operator.action":
      return operatorActionText(e);
    case "lease.acquired":
      return paint.blue(
        `${s("worker")} acquired partition ${s("partition")}${e.previous ? ` from ${s("previous")}` : ""}`,
      );
    case "lease.expired":
      return paint.yellow(`lease on partition ${s("partition")} held by ${s("worker")} expired`);
    case "schedule.fired":
      return `${s("worker")} fired ${s("schedule")} (task ${idText(e, "task")}, attempt ${s("attempt")})`;
    case "worker.crashed":
      return e.reason === "panic"
        ? paint.red(
            `${s("worker")} died: ${s("error")} escaped the recovery of goroutine "${goroutineText(e.goroutine)}"`,
          )
        : paint.red(`${s("worker")} was killed`);
    case "worker.backoff":
      return `supervisor: restart ${s("worker")} in ${formatDuration(Number(e.delayMs))}`;
    case "worker.restarted":
      return `supervisor restarted ${s("worker")}`;
    case "worker.started":
      return `${s("worker")} started (${s("scheduler")})`;
    default:
      return (
        eventText(e) ??
        [e.type, ...["worker", "schedule", "partition"].filter((k) => e[k] !== undefined).map(s)].join(" ")
      );
  }
}

import { DAY_CLOCK, type RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { describeEvent } from "./event-words.js";
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
      `  ${paint.dim(clock.clockMs(e.t))} ${root ? "  " : "→ "}${describeEvent(e, paint, "terminal")}${aside} ${paint.dim(`#${e.seq}`)}`,
    );
  });
  return lines.join("\n");
}

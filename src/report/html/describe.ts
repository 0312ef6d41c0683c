/** Trace events in words, for the causal chain and the divergence of a report (plain text). */
import type { TraceEvent } from "../../kernel/trace.js";
import { accountDeletedText, eventText, goroutineText, idText, operatorActionText } from "../event-words.js";

/** One event as a sentence a person reads: `w3 fired sched-a (task …, attempt 1)`. */
export function describeEvent(e: TraceEvent): string {
  const s = (k: string) => String(e[k]);
  switch (e.type) {
    case "account.deleted":
      return accountDeletedText(e);
    case "operator.action":
      return operatorActionText(e);
    case "lease.acquired":
      return `${s("worker")} acquired partition ${s("partition")}${typeof e.previous === "string" ? ` from ${s("previous")}` : ""}`;
    case "lease.expired":
      return `lease on partition ${s("partition")} held by ${s("worker")} expired`;
    case "schedule.fired":
      return `${s("worker")} fired ${s("schedule")} (task ${idText(e, "task")}, attempt ${s("attempt")})`;
    case "worker.crashed":
      return e.reason === "panic"
        ? `${s("worker")} died: ${s("error")}${e.goroutine !== undefined ? ` in goroutine "${goroutineText(e.goroutine)}"` : ""} escaped recovery`
        : `${s("worker")} was killed`;
    case "worker.backoff":
      return `supervisor: restart ${s("worker")} in ${Math.round(Number(e.delayMs) / 1000)} s`;
    case "worker.restarted":
      return `supervisor restarted ${s("worker")}`;
    case "worker.started":
      return `${s("worker")} started (${s("scheduler")})`;
    default: {
      const text = eventText(e);
      if (text !== null) return text;
      const ids = ["worker", "schedule", "account", "partition", "task", "reason"]
        .filter((k) => e[k] !== undefined)
        .map((k) => `${k}=${k === "task" ? idText(e, "task") : s(k)}`)
        .join(" ");
      return `${e.type}${ids ? ` ${ids}` : ""}`;
    }
  }
}

/**
 * Words for trace events that more than one renderer narrates (the terminal's causal chain and
 * the reports' `describeEvent`), so that they say them alike.
 */
import type { TraceEvent } from "../kernel/trace.js";

/** `account acct-1 deleted (1 schedule left to clean up)`. */
export function accountDeletedText(e: TraceEvent): string {
  const n = Number(e.schedules);
  return `account ${String(e.account)} deleted (${n} schedule${n === 1 ? "" : "s"} left to clean up)`;
}

/**
 * An `operator.action` in words. An armed fault (`inject-panic` and `hang` trace the actions
 * `arm-panic` and `arm-hang`) is chaos the scenario injected, not something an operator did.
 */
export function operatorActionText(e: TraceEvent): string {
  const action = String(e.action ?? "");
  const detail = String(e.detail ?? "") || action;
  return `${action.startsWith("arm-") ? "fault" : "operator"}: ${detail}`;
}

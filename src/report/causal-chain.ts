import { DAY_CLOCK, formatDuration, type RunClock } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { describeEvent } from "./event-words.js";
import { type Paint, plainPaint } from "./paint.js";

/**
 * How a chain element joins the one before it, as `checks/causalChain` marks it (`link`):
 * `cause` (a trace cause link), `root` (no cause) or `context` (not led to by the one before).
 * A chain without marks (built by hand) is read from its `cause` fields.
 */
export function chainLinkOf(chain: readonly TraceEvent[], i: number): "cause" | "root" | "context" {
  const e = chain[i];
  if (e.link === "cause" || e.link === "root" || e.link === "context") return e.link;
  if (e.cause === null) return "root";
  return i > 0 && e.cause === chain[i - 1].seq ? "cause" : "context";
}

/** Why a chain element that no step before it led to is there (`context`), if it says. */
export function chainContextOf(chain: readonly TraceEvent[], i: number): string | undefined {
  const context = chain[i].context;
  return typeof context === "string" && chainLinkOf(chain, i) !== "cause" ? context : undefined;
}

/** The mark before a chain element: an arrow for a cause link, a dot for context, none for a root. */
export const CHAIN_MARKS = { cause: "→", context: "·", root: " " } as const;

/**
 * A causal chain (context first, then root to target, as `checks/causalChain` returns it) as
 * lines a person reads, an arrow before each step the one before it caused, a dot before context
 * with why it is there: `09:44:40.000   operator: delete-account … → account acct-deleted deleted
 * … · w3 fired … (the chain follows the task from its first fire; …) → w3 died: …`. Times are
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
  chain.forEach((e, i) => {
    const context = chainContextOf(chain, i);
    const aside = context === undefined ? "" : paint.dim(` (${context})`);
    lines.push(
      `  ${paint.dim(clock.clockMs(e.t))} ${CHAIN_MARKS[chainLinkOf(chain, i)]} ${chainStepText(e, clock, paint, "terminal")}${aside} ${paint.dim(`#${e.seq}`)}`,
    );
  });
  return lines.join("\n");
}

/**
 * A chain element in words, as `describeEvent` gives it, with what a step's own time does not
 * say: a lease expiry is traced when it is noticed (an acquisition, a late renewal), which can be
 * a while after the lease ran out (`expiredAt`), so the chain gives both.
 */
export function chainStepText(
  e: TraceEvent,
  clock: RunClock = DAY_CLOCK,
  paint: Paint = plainPaint,
  voice: "terminal" | "report" = "report",
): string {
  const text = describeEvent(e, paint, voice);
  if (e.type !== "lease.expired" || typeof e.expiredAt !== "number") return text;
  const lateMs = e.t - e.expiredAt;
  const noticed = lateMs > 0 ? `, noticed ${formatDuration(lateMs)} later` : ", noticed then";
  return `${text}: it ran out at ${clock.clockMs(e.expiredAt)}${noticed}`;
}

/**
 * What the reports say under a chain: what its order is and what its marks mean. The HTML
 * report and the Markdown summary say it in the same words (`code` is the format's markup).
 */
export function chainOrderText(code: (word: string) => string): string {
  return `Context comes first (what the trace's ${code("cause")} links do not carry: the deploy that put the dead process's scheduler on its worker, an account's deletion, the fault behind a lease expiry or a failed delivery, the action that armed an injected fault), then the chain from its root to the event in time order. A step marked ${CHAIN_MARKS.cause} was caused by the step before it (the trace's ${code("cause")} links); one marked ${CHAIN_MARKS.context} was not, and says why it is there. ${code("aftershock why")} explains any event.`;
}

import type { TraceEvent } from "../kernel/trace.js";
import { textField } from "./event-view.js";

/**
 * The causal chain behind an event (what `aftershock why` prints): the `cause` links followed back
 * to a root (cause null), root first. When the event concerns an account whose deletion committed
 * earlier, that `account.deleted` is put first as the root context: a panic on a deleted account
 * is usually caused by the deletion, though no code path links them.
 * Returns [] when no event has that seq. Bounded by the number of events (a cycle cannot loop).
 */
export function causalChain(events: readonly TraceEvent[], seq: number): TraceEvent[] {
  const lookup = indexBySeq(events);
  const target = lookup(seq);
  if (target === undefined) return [];
  const chain: TraceEvent[] = [];
  const seen = new Set<number>();
  let current: TraceEvent | undefined = target;
  while (current !== undefined && !seen.has(current.seq) && chain.length <= events.length) {
    chain.push(current);
    seen.add(current.seq);
    current = current.cause === null ? undefined : lookup(current.cause);
  }
  chain.reverse();
  const account = accountOf(chain);
  if (account !== undefined) {
    const deletion = events.find(
      (e) => e.type === "account.deleted" && e.seq < target.seq && textField(e, "account") === account,
    );
    if (deletion !== undefined && !seen.has(deletion.seq)) chain.unshift(deletion);
  }
  return chain;
}

/**
 * Resolves what a user typed to name a crash: `w3` (the worker's first panic death, or its first
 * crash if it never panicked), `w3#2` (the second), or a seq number (the event with that seq,
 * whatever its type, so `why` can explain any event). Undefined when nothing matches.
 */
export function findCrash(events: readonly TraceEvent[], workerOrSeq: string): TraceEvent | undefined {
  const ref = workerOrSeq.trim();
  if (/^\d+$/.test(ref)) return indexBySeq(events)(Number(ref));
  const match = /^(.+?)(?:#(\d+))?$/.exec(ref);
  if (!match) return undefined;
  const worker = match[1];
  const nth = match[2] === undefined ? 1 : Number(match[2]);
  if (nth < 1) return undefined;
  const crashes = events.filter((e) => e.type === "worker.crashed" && textField(e, "worker") === worker);
  const panics = crashes.filter((e) => textField(e, "reason") === "panic");
  return (panics.length > 0 ? panics : crashes)[nth - 1];
}

function indexBySeq(events: readonly TraceEvent[]): (seq: number) => TraceEvent | undefined {
  // A full trace has events[i].seq === i; a filtered or partial one needs a map.
  const dense = events.every((e, i) => e.seq === i);
  if (dense) return (seq) => events[seq];
  const bySeq = new Map<number, TraceEvent>();
  for (const e of events) bySeq.set(e.seq, e);
  return (seq) => bySeq.get(seq);
}

/** The account the chain is about: the target's own, else the nearest cause naming one. */
function accountOf(chain: readonly TraceEvent[]): string | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const account = textField(chain[i], "account");
    if (account !== undefined) return account;
  }
  return undefined;
}

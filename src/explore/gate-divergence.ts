/**
 * Where two runs of the same inputs first differ. Both worlds advance in lockstep, a slice of
 * simulated time at a time, and their events are matched one by one as they are emitted: memory
 * stays bounded by how far one run gets ahead of the other within a slice, and the two events at
 * the divergence are the real ones of each run (no replay, which a nondeterministic run would
 * not reproduce).
 */
import type { Divergence } from "../checks/deterministic.js";
import type { TraceEvent, TraceSink } from "../kernel/index.js";
import { buildWorld, type RunInput, type RunOptions } from "./run.js";

/** Simulated time each world advances before the other catches up. */
export const DIVERGENCE_SLICE_MS = 60_000;

/** Events of one run not yet matched against the other's, oldest first. */
class PendingEvents implements TraceSink {
  private items: TraceEvent[] = [];
  private head = 0;

  constructor(private readonly onPush: () => void) {}

  onEvent(event: TraceEvent): void {
    this.items.push(event);
    this.onPush();
  }

  get size(): number {
    return this.items.length - this.head;
  }

  peek(): TraceEvent | undefined {
    return this.items[this.head];
  }

  shift(): void {
    this.head++;
    // Compact once the consumed prefix dominates, so memory follows the unmatched tail only.
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** Events equal in every field, in the order they were built (as the trace hash sees them). */
function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Runs the input twice in lockstep and returns the first position where the two traces
 * differ, or null if they are the same to the end (a nondeterminism that did not show again).
 */
export function findDivergence(
  input: RunInput,
  options: RunOptions = {},
  sliceMs = DIVERGENCE_SLICE_MS,
): Divergence | null {
  const state: { matched: number; found: Divergence | null } = { matched: 0, found: null };
  const match = () => {
    while (state.found === null && a.size > 0 && b.size > 0) {
      const ea = a.peek()!;
      const eb = b.peek()!;
      if (!sameEvent(ea, eb)) {
        state.found = { seq: state.matched, a: ea, b: eb };
        return;
      }
      a.shift();
      b.shift();
      state.matched++;
    }
  };
  const a = new PendingEvents(match);
  const b = new PendingEvents(match);
  const worldA = buildWorld(input, { ...options, sinks: [...(options.sinks ?? []), a] });
  const worldB = buildWorld(input, { ...options, sinks: [...(options.sinks ?? []), b] });
  const horizon = worldA.horizonMs;
  for (let t = input.config.startMs; state.found === null; ) {
    t = Math.min(t + sliceMs, horizon);
    const outcomeA = worldA.runUntil(t);
    const outcomeB = worldB.runUntil(t);
    const going = (reason: string) => reason === "paused" || reason === "idle";
    if (t >= horizon || !going(outcomeA.reason) || !going(outcomeB.reason)) {
      worldA.finish(outcomeA);
      worldB.finish(outcomeB);
      break;
    }
  }
  if (state.found !== null) return state.found;
  if (a.size === 0 && b.size === 0) return null;
  // One trace ended while the other went on.
  return { seq: state.matched, a: a.peek(), b: b.peek() };
}

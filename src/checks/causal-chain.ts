import type { TraceEvent } from "../kernel/trace.js";
import { textField } from "./event-view.js";
import { plural } from "./format.js";

type Lookup = (seq: number) => TraceEvent | undefined;

/**
 * The causal chain behind an event (what `aftershock why` prints), root first, in trace order
 * (time, then seq) after an account deletion put first (below).
 *
 * For an event of a task (a crash by a panic, a fire) the chain follows that task alone: its
 * fires, the faults injected into it, the deaths it caused, and each expiry and acquisition of the lease on its partition
 * that handed it to the next owner, with the death behind each expiry. Plain `cause` links
 * cannot do this on their own: a dead worker's leases all expire with its death as their cause,
 * so a walk of single links from a crash jumps to whichever poison task killed a previous holder
 * of some partition. When a hand-off of this task's partition was caused by a death from another
 * task (two poison tasks on one worker), that death is shown: it is what moved this task on.
 *
 * Any other event gets its `cause` links followed back to a root (cause null). When the chain is
 * about an account whose deletion committed earlier, that `account.deleted` is put first as the
 * root: a panic on a deleted account is caused by the deletion, though no code path links them.
 * It may be later than the links after it (a lease acquired before it): those start a root of
 * their own, which a renderer shows as such (no arrow from the deletion). Likewise the timeline
 * action that armed an injected fault in the chain (`fault.injected`'s `armed`) is put first.
 * Returns [] when no event has that seq. Bounded by the number of events (a cycle cannot loop).
 */
export function causalChain(events: readonly TraceEvent[], seq: number): TraceEvent[] {
  const lookup = indexBySeq(events);
  const target = lookup(seq);
  if (target === undefined) return [];
  const task = textField(target, "task");
  const chain =
    (task === undefined ? undefined : taskChain(events, lookup, target, task)) ??
    causeLinks(lookup, target, events.length);
  chain.sort((a, b) => a.t - b.t || a.seq - b.seq);
  // An injected fault in the chain was armed by a timeline action: a root, first as a deletion is.
  for (const fault of chain.filter((e) => e.type === "fault.injected" && typeof e.armed === "number")) {
    const armed = lookup(fault.armed as number);
    if (armed !== undefined && !chain.some((e) => e.seq === armed.seq)) chain.unshift(armed);
  }
  const account = accountOf(chain);
  if (account !== undefined) {
    const deletion = events.find(
      (e) => e.type === "account.deleted" && e.seq < target.seq && textField(e, "account") === account,
    );
    // First, not in time order: it is a root, and a link before it (the lease its schedule's
    // partition was acquired with) did not lead to it.
    if (deletion !== undefined && !chain.some((e) => e.seq === deletion.seq)) chain.unshift(deletion);
  }
  return chain;
}

/** The `cause` links from `target` back to a root, target first. */
function causeLinks(lookup: Lookup, target: TraceEvent, bound: number): TraceEvent[] {
  const chain: TraceEvent[] = [];
  const seen = new Set<number>();
  let current: TraceEvent | undefined = target;
  while (current !== undefined && !seen.has(current.seq) && chain.length <= bound) {
    chain.push(current);
    seen.add(current.seq);
    current = current.cause === null ? undefined : lookup(current.cause);
  }
  return chain;
}

/**
 * The history of `task` up to `target`, target first: every fire of the task, every death of a
 * worker running it, and from its first fire on, every lease expiry and acquisition of its
 * partition, with the death of the holder that let each lease expire. The first fire's own lease
 * grant is left out: it is how the partition was owned, not a hand-off of the task. Undefined
 * when the task never fired (a message redelivery, or a trace cut before its first fire).
 */
function taskChain(
  events: readonly TraceEvent[],
  lookup: Lookup,
  target: TraceEvent,
  task: string,
): TraceEvent[] | undefined {
  const first = events.find((e) => e.type === "schedule.fired" && textField(e, "task") === task);
  if (first === undefined || first.seq > target.seq) return undefined;
  const partition = first.partition;
  const chain: TraceEvent[] = [target];
  const seen = new Set<number>([target.seq]);
  const add = (e: TraceEvent | undefined) => {
    if (e === undefined || seen.has(e.seq)) return;
    seen.add(e.seq);
    chain.push(e);
  };
  const holder = new LeaseHolder();
  for (const e of events) {
    if (e.seq >= target.seq) break;
    holder.onEvent(e, partition);
    if (e.seq < first.seq) continue;
    const ofTask = textField(e, "task") === task;
    if ((e.type === "schedule.fired" || e.type === "worker.crashed" || e.type === "fault.injected") && ofTask)
      add(e);
    if (e.type === "lease.acquired" && e.partition === partition) add(e);
    if (e.type === "lease.expired" && e.partition === partition) {
      add(holder.deathBehind(e, lookup));
      add(e);
    }
  }
  return chain;
}

/**
 * Who holds one partition's lease as the trace goes by, and the crash that ended that holder.
 * A lease outlives its holder's death by up to a TTL, and a restarted worker can die again
 * before the old lease expires: the death that let the lease expire is the first one after its
 * grant, not the worker's latest. Traces written since the world links a `lease.expired` to
 * exactly that death (`cause`) agree with it; traces saved by earlier versions (for `report`)
 * linked the latest death, so the chain works it out from the trace rather than trust the link.
 */
class LeaseHolder {
  private token: unknown = null;
  private worker: unknown = null;
  private death: TraceEvent | undefined;

  onEvent(e: TraceEvent, partition: unknown): void {
    if (e.type === "lease.acquired" && e.partition === partition) {
      this.token = e.token;
      this.worker = e.worker;
      this.death = undefined;
    } else if (e.type === "worker.crashed" && e.worker === this.worker && this.death === undefined) {
      this.death = e;
    }
  }

  /** The death behind `expiry`: its holder's, else (the grant not in the trace) its cause if a crash. */
  deathBehind(expiry: TraceEvent, lookup: Lookup): TraceEvent | undefined {
    if (this.worker !== null && expiry.token === this.token) return this.death;
    const cause = expiry.cause === null ? undefined : lookup(expiry.cause);
    return cause?.type === "worker.crashed" ? cause : undefined;
  }
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
  return numberedCrashes(events, worker)[nth - 1];
}

/** A worker's crashes as `w3#n` numbers them: its panic deaths when it has some, else all its crashes. */
export function numberedCrashes(events: readonly TraceEvent[], worker: string): TraceEvent[] {
  const crashes = events.filter((e) => e.type === "worker.crashed" && textField(e, "worker") === worker);
  const panics = crashes.filter((e) => textField(e, "reason") === "panic");
  return panics.length > 0 ? panics : crashes;
}

/** Each worker that crashed, with its crashes and panic deaths, in order of its first crash. */
export function crashCounts(events: readonly TraceEvent[]): Map<string, { all: number; panics: number }> {
  const crashes = new Map<string, { all: number; panics: number }>();
  for (const e of events) {
    if (e.type !== "worker.crashed") continue;
    const worker = String(e.worker);
    const n = crashes.get(worker) ?? { all: 0, panics: 0 };
    n.all++;
    if (e.reason === "panic") n.panics++;
    crashes.set(worker, n);
  }
  return crashes;
}

/** `w3 (2 panic deaths)`: the crashes `w3#n` counts, as a phrase. */
export function crashCountText(n: { all: number; panics: number }): string {
  return n.panics > 0 ? plural(n.panics, "panic death") : plural(n.all, "crash", "crashes");
}

/** A fleet's worker ids in few words: `w1 to w8` when they run on from w1, else each one. */
export function fleetText(fleet: readonly string[]): string {
  const contiguous = fleet.every((w, i) => w === `w${i + 1}`);
  return contiguous && fleet.length > 1 ? `w1 to w${fleet.length}` : fleet.join(", ");
}

/**
 * For `w3#n` naming a worker that crashed but not that crash (`#0`, or beyond its last): which
 * numbers it has, e.g. `w3#9: w3 has 2 panic deaths, so #1 to #2 (workers that crashed: …)`.
 * Null for any other target. `aftershock why` and the training session's `why` both say this.
 */
export function crashRangeText(target: string, events: readonly TraceEvent[]): string | null {
  const match = /^(.+?)#(\d+)$/.exec(target.trim());
  if (match === null) return null;
  const crashes = crashCounts(events);
  const known = crashes.get(match[1]);
  if (known === undefined) return null;
  const n = known.panics > 0 ? known.panics : known.all;
  const nth = Number(match[2]);
  if (nth >= 1 && nth <= n) return null;
  const list = [...crashes].map(([w, c]) => `${w} (${crashCountText(c)})`).join(", ");
  const numbers = n === 1 ? "only #1" : `#1 to #${n}`;
  return `${target}: ${match[1]} has ${crashCountText(known)}, so ${numbers} (workers that crashed: ${list})`;
}

function indexBySeq(events: readonly TraceEvent[]): Lookup {
  // A full trace has events[i].seq === i; a filtered or partial one needs a map.
  const dense = events.every((e, i) => e.seq === i);
  if (dense) return (seq) => events[seq];
  const bySeq = new Map<number, TraceEvent>();
  for (const e of events) bySeq.set(e.seq, e);
  return (seq) => bySeq.get(seq);
}

/** The account the chain is about: the target's own (the first element), else a cause naming one. */
function accountOf(chain: readonly TraceEvent[]): string | undefined {
  for (const e of chain) {
    const account = textField(e, "account");
    if (account !== undefined) return account;
  }
  return undefined;
}

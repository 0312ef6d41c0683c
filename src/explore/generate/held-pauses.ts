import { BACKOFF_MAX_DEFAULT } from "../../scenario/defaults.js";
import { parseDuration } from "../../scenario/duration.js";
import type { FaultEntry } from "./fault-arbitrary.js";
import type { TimelineEntry } from "./timeline-arbitrary.js";
import { offsetSeconds } from "./world-context.js";

/**
 * The timeline and faults without the `pause-worker` entries (of either) that come while an earlier
 * pause of the same worker still holds, with nothing between that may end it: a paused worker is
 * not paused again, so the run skips such a pause and `validate` warns of it (`no-effect`). The
 * rule is `validate`'s (`checkDeadFaults`): a kill or restart of the worker (or of `random`), or any
 * `deploy`, ends a pause (one begun before it too: a rolling deploy reaches a worker a while
 * after it starts); and a pause up to `backoffMaxS` (the supervisor's `backoffMax`) after a
 * kill or restart of its worker may find it waiting in back-off and be skipped itself, so it is not
 * taken to hold. Kills and restarts at a pause's own time count as before it; pauses of `random`
 * are kept (no one knows which worker they take).
 */
export function withoutHeldPauses(
  timeline: readonly TimelineEntry[],
  faults: readonly FaultEntry[],
  backoffMaxS = Number.POSITIVE_INFINITY,
): { timeline: TimelineEntry[]; faults: FaultEntry[] } {
  interface Step {
    readonly s: number;
    /** 0: a kill, restart or deploy; 1: a fault's pause; 2: the timeline's pause. */
    readonly order: number;
    readonly index: number;
    /** The worker; "random" for a kill or restart of any, "" for a deploy (every worker). */
    readonly worker: string;
    readonly untilS: number;
  }
  const steps: Step[] = [];
  const workerOf = (e: object): string | undefined => {
    const w = (e as { readonly worker?: unknown }).worker;
    return typeof w === "string" ? w : undefined;
  };
  const durationS = (e: object): number => {
    const d = (e as { readonly duration?: unknown }).duration;
    if (typeof d !== "string") return Number.POSITIVE_INFINITY;
    const parsed = parseDuration(d);
    return parsed.ok ? parsed.ms / 1000 : Number.POSITIVE_INFINITY;
  };
  faults.forEach((f, index) => {
    const worker = workerOf(f);
    if (worker === undefined) return;
    const s = offsetSeconds(f.at);
    if (f.fault === "kill-worker") steps.push({ s, order: 0, index, worker, untilS: s });
    else if (f.fault === "pause-worker" && worker !== "random")
      steps.push({ s, order: 1, index, worker, untilS: s + durationS(f) });
  });
  timeline.forEach((a, index) => {
    if (typeof a.at !== "string") return;
    const s = offsetSeconds(a.at);
    if (a.action === "deploy") {
      steps.push({ s, order: 0, index, worker: "", untilS: s });
      return;
    }
    const worker = workerOf(a);
    if (worker === undefined) return;
    if (a.action === "kill-worker" || a.action === "restart-worker")
      steps.push({ s, order: 0, index, worker, untilS: s });
    else if (a.action === "pause-worker" && worker !== "random")
      steps.push({ s, order: 2, index, worker, untilS: s + durationS(a) });
  });
  steps.sort((a, b) => a.s - b.s || a.order - b.order || a.index - b.index);
  const pausedUntil = new Map<string, number>();
  /** When each worker was last killed or restarted ("random": any of them). */
  const stoppedAt = new Map<string, number>();
  /** Whether a deploy came: it may still be rolling when a later pause comes, and end it. */
  let deployed = false;
  const droppedFaults = new Set<number>();
  const droppedActions = new Set<number>();
  for (const step of steps) {
    if (step.order === 0) {
      if (step.worker === "") deployed = true;
      if (step.worker === "" || step.worker === "random") pausedUntil.clear();
      else pausedUntil.delete(step.worker);
      if (step.worker !== "") stoppedAt.set(step.worker, step.s);
      continue;
    }
    if ((pausedUntil.get(step.worker) ?? Number.NEGATIVE_INFINITY) > step.s) {
      (step.order === 1 ? droppedFaults : droppedActions).add(step.index);
      continue;
    }
    const stopped = Math.max(
      stoppedAt.get(step.worker) ?? Number.NEGATIVE_INFINITY,
      stoppedAt.get("random") ?? Number.NEGATIVE_INFINITY,
    );
    // Just after a kill the worker may wait in back-off: this pause may be skipped, so holds nothing.
    if (deployed || step.s - stopped <= backoffMaxS) pausedUntil.delete(step.worker);
    else pausedUntil.set(step.worker, step.untilS);
  }
  return {
    timeline: timeline.filter((_, i) => !droppedActions.has(i)),
    faults: faults.filter((_, i) => !droppedFaults.has(i)),
  };
}

/** A generated fleet's `supervisor.backoffMax` in seconds (the schema's default when it has none). */
export function backoffMaxS(fleet: { readonly supervisor?: { readonly backoffMax?: string } }): number {
  const parsed = parseDuration(fleet.supervisor?.backoffMax ?? BACKOFF_MAX_DEFAULT);
  return parsed.ok ? parsed.ms / 1000 : Number.POSITIVE_INFINITY;
}

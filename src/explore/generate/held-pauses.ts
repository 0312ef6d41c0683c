import { parseDuration } from "../../scenario/duration.js";
import type { FaultEntry } from "./fault-arbitrary.js";
import type { TimelineEntry } from "./timeline-arbitrary.js";
import { offsetSeconds } from "./world-context.js";

/**
 * The timeline and faults without the `pause-worker` entries (of either) that come while an earlier
 * pause of the same worker still holds, with no kill or restart of it between: a paused worker is not
 * paused again, so the run skips such a pause and `validate` warns of it (`no-effect`). Kills and
 * restarts at a pause's own time count as before it; pauses of `random` are kept (no one knows
 * which worker they take).
 */
export function withoutHeldPauses(
  timeline: readonly TimelineEntry[],
  faults: readonly FaultEntry[],
): { timeline: TimelineEntry[]; faults: FaultEntry[] } {
  interface Step {
    readonly s: number;
    /** 0: a kill or restart; 1: a fault's pause; 2: the timeline's pause. */
    readonly order: number;
    readonly index: number;
    readonly worker: string;
    readonly untilS: number;
  }
  const steps: Step[] = [];
  const workerOf = (e: object): string | undefined => {
    const w = (e as { readonly worker?: unknown }).worker;
    return typeof w === "string" && w !== "random" ? w : undefined;
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
    else if (f.fault === "pause-worker") steps.push({ s, order: 1, index, worker, untilS: s + durationS(f) });
  });
  timeline.forEach((a, index) => {
    const worker = workerOf(a);
    if (worker === undefined || typeof a.at !== "string") return;
    const s = offsetSeconds(a.at);
    if (a.action === "kill-worker" || a.action === "restart-worker")
      steps.push({ s, order: 0, index, worker, untilS: s });
    else if (a.action === "pause-worker")
      steps.push({ s, order: 2, index, worker, untilS: s + durationS(a) });
  });
  steps.sort((a, b) => a.s - b.s || a.order - b.order || a.index - b.index);
  const pausedUntil = new Map<string, number>();
  const droppedFaults = new Set<number>();
  const droppedActions = new Set<number>();
  for (const step of steps) {
    if (step.order === 0) {
      pausedUntil.delete(step.worker);
      continue;
    }
    if ((pausedUntil.get(step.worker) ?? Number.NEGATIVE_INFINITY) > step.s) {
      (step.order === 1 ? droppedFaults : droppedActions).add(step.index);
      continue;
    }
    pausedUntil.set(step.worker, step.untilS);
  }
  return {
    timeline: timeline.filter((_, i) => !droppedActions.has(i)),
    faults: faults.filter((_, i) => !droppedFaults.has(i)),
  };
}

import type { Paint } from "../report/paint.js";
import { wrap } from "./format.js";

/**
 * The words of the session's tables and dashboards that are the model's own or mean more than
 * they say: each is explained in one line under what shows it.
 */
export const TERMS = {
  cascade: "Cascade: depth n = the workers one task's panics killed in turn, each next owner firing it.",
  cascadeEnds: "Cascade ends: the last panic death of the run.",
  affectedAccounts: "Affected accounts: the accounts with at least one delivery late or missed.",
  fullOutage: "Full outage: all the time with no worker serving.",
  duplicates:
    "Duplicates: deliveries of a fire beyond its first. The model's count, not the incident's: it assumes a task commits only when its handler returns, so a worker that dies after sending leaves the fire due and the next owner sends it again.",
  crashLooping:
    "Crash-looping: workers in back-off or restarting after a crash, even a first (CrashLoopBackOff).",
} as const;

export type Term = keyof typeof TERMS;

/**
 * The terms as the on-call view says them, where `TERMS` would tell the cause (how one task hands
 * death from worker to worker) before `reveal` does.
 */
const ON_CALL_TERMS: Partial<Record<Term, string>> = {
  cascade: "Cascade: depth n = the longest chain of workers that died one after another of one cause.",
};

/** The width a note under a table wraps to, at most. */
const NOTE_WIDTH = 100;

/** A note under a table: indented, wrapped to `NOTE_WIDTH` (to `columns` when narrower). */
export function wrapNote(text: string, columns = NOTE_WIDTH): string {
  return wrap(text, Math.min(NOTE_WIDTH, columns), "  ");
}

/** The notes of `terms`, each wrapped as a note under a table; in the on-call view's words unless `revealed`. */
export function termNotes(
  terms: readonly Term[],
  paint: Paint,
  columns?: number,
  revealed = false,
): string[] {
  return terms.map((t) =>
    paint.dim(wrapNote((revealed ? undefined : ON_CALL_TERMS[t]) ?? TERMS[t], columns)),
  );
}

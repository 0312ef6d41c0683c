import { formatDuration, isoOf } from "../kernel/time.js";

/** ISO time without a zero millisecond part: `2026-05-08T09:46:00Z`. For sentences, not fields. */
export function shortIso(t: number): string {
  const iso = isoOf(t);
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** `sched-x@2026-05-08T09:46:00Z` from a task id `<schedule>@<due ms>`, or the id as it is. */
export function describeTask(task: string | undefined, schedule?: string): string {
  if (task === undefined) return schedule ?? "an unknown task";
  const at = task.lastIndexOf("@");
  const due = at >= 0 ? Number(task.slice(at + 1)) : Number.NaN;
  if (at < 0 || !Number.isSafeInteger(due)) return task;
  return `${task.slice(0, at)}@${shortIso(due)}`;
}

/** A list of at most `max` items, then "and N more". */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export { plural } from "../kernel/time.js";
export { formatDuration };

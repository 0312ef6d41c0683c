import type { TimelineEntry } from "../checks/types.js";

/** A line of a key-events excerpt: an entry, or how many were left out where it stands. */
export type ExcerptLine = { readonly entry: TimelineEntry } | { readonly more: number };

/**
 * The key events a terminal or Markdown summary shows of a long list: the first `max - tail`, the
 * last `tail`, and, from the middle, every fault that was not fired (`fault.skipped`), which the
 * faults row sends the reader to the key events for. Each run of entries left out is one
 * `{ more }` line where it stands. All of them when there are at most `max`.
 */
export function keyEventsExcerpt(
  entries: readonly TimelineEntry[],
  max: number,
  tail: number,
): ExcerptLine[] {
  if (entries.length <= max) return entries.map((entry) => ({ entry }));
  const head = max - tail;
  const out: ExcerptLine[] = [];
  let left = 0;
  entries.forEach((entry, i) => {
    if (i < head || i >= entries.length - tail || entry.type === "fault.skipped") {
      if (left > 0) out.push({ more: left });
      left = 0;
      out.push({ entry });
    } else left++;
  });
  if (left > 0) out.push({ more: left });
  return out;
}

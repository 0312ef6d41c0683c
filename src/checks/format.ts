import { formatDuration } from "../kernel/time.js";

/** A list of at most `max` items, then "and N more". */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export { describeTask, plural } from "../kernel/time.js";
export { formatDuration };

import { formatDuration } from "../kernel/time.js";

/** A list of at most `max` items, then "and N more". */
export function listSome(items: readonly string[], max = 5, total = items.length): string {
  const shown = items.slice(0, max);
  const rest = total - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}

export { describeTask, plural } from "../kernel/time.js";
export { formatDuration };

/** Milliseconds as seconds to the millisecond, as the back-off verdicts write waits: `12.182`. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * The first few of the things a verdict names (at most `max` kept, so the state stays bounded)
 * and how many there were in all: what a failing verdict lists, then says `(and N more)` of.
 */
export class FirstFew<T> {
  /** How many were added in all. */
  count = 0;
  readonly items: T[] = [];

  constructor(private readonly max = 3) {}

  add(item: T): void {
    this.count++;
    if (this.items.length < this.max) this.items.push(item);
  }

  /** ` (and N more)` for those not kept, or nothing. */
  more(): string {
    return this.count > this.items.length ? ` (and ${this.count - this.items.length} more)` : "";
  }
}

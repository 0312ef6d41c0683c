import type { TraceSink } from "../kernel/trace.js";
import type { EventType } from "../world/events.js";

/**
 * A check that reads only some event types and says which, so that `MetricsCollector` hands it
 * those alone: a region's run traces millions of fires, sends, acks and commits that most checks
 * only switch past.
 */
export interface SelectiveSink extends TraceSink {
  /** Every event type `onEvent` does anything with; absent: it reads every event. */
  readonly eventTypes?: readonly EventType[];
}

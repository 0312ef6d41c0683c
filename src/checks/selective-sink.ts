import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import type { EventType } from "../world/events.js";

/**
 * A check that reads only some event types and says which, so that `MetricsCollector` hands it
 * those alone: a region's run traces millions of fires, sends, acks and commits that most checks
 * only switch past.
 */
export interface SelectiveSink extends TraceSink {
  /** Every event type `onEvent` does anything with; absent: it reads every event. */
  readonly eventTypes?: readonly EventType[];
  /**
   * `type` is the event's own, given by a caller that has read it already (the collector reads
   * it once for all its checks); a sink reads it from the event when it is not given.
   */
  onEvent(event: TraceEvent, type?: string): void;
}

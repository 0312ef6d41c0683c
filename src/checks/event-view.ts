import type { TraceEvent } from "../kernel/trace.js";
import type { EventType, WorldEvent } from "../world/events.js";

/**
 * Reads a trace event as the catalogue type it claims to be. The trace is the contract
 * (`world/events.ts`); checks trust the `type` tag and read the documented fields.
 */
export function viewAs<K extends EventType>(event: TraceEvent, _type: K): WorldEvent<K> {
  return event as unknown as WorldEvent<K>;
}

/** A string field, or undefined if absent or of another kind. */
export function textField(event: TraceEvent, field: string): string | undefined {
  const value = event[field];
  return typeof value === "string" ? value : undefined;
}

/** A numeric field, or undefined if absent or of another kind. */
export function numberField(event: TraceEvent, field: string): number | undefined {
  const value = event[field];
  return typeof value === "number" ? value : undefined;
}

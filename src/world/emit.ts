import { PreparedEvent, type Simulation, type TraceFields } from "../kernel/index.js";
import type { EventFields, EventType } from "./events.js";

/** Emits a catalogued event, typed by its fields; the cause defaults to the causal context. */
export function emitEvent<K extends EventType>(
  sim: Simulation,
  type: K,
  fields: EventFields[K],
  cause: number | null = sim.cause,
): number {
  return sim.emit(type, fields as unknown as TraceFields, cause);
}

/**
 * A catalogued event prepared for `Trace.emitPrepared`, its fields in the order given (the order
 * the event has them, and its hash covers): for the events a run emits by the million.
 */
export function prepareEvent<K extends EventType>(
  type: K,
  keys: readonly (keyof EventFields[K] & string)[],
): PreparedEvent {
  return new PreparedEvent(type, keys);
}

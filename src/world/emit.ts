import type { Simulation, TraceFields } from "../kernel/index.js";
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

import { parseDuration } from "./duration.js";

/**
 * Reading a raw scenario document defensively: cross-field checks run even when the schema
 * found problems, so a field of the wrong type reads as absent (the schema reports it).
 */

/** `value[key]` when `value` is a mapping that has it, else undefined. */
export function field(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The items of a list, or none when `value` is not a list. */
export function items(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A duration as written, `fallbackMs` when absent, or null when it is not one (the schema's to say). */
export function durationOr(value: unknown, fallbackMs: number): number | null {
  if (value === undefined) return fallbackMs;
  if (typeof value !== "string") return null;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.ms : null;
}

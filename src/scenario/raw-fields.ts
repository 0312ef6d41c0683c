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

/**
 * Whether a parsed JSON value is shaped like a golden hash file (its variants an object of trace
 * hashes), malformed or not: what a command that reads other JSON files (scenarios, saved
 * reports) tells apart from its own. A comparison (`compare --json`) also has `variants`, but as
 * a list. Here, beside the scenario parser, so that the commands that only read scenarios (`list`,
 * `validate`) need not load the gate to say so.
 */
export function looksLikeGolden(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.variants)) return false;
  return Object.values(value.variants).some((v) => isRecord(v) && "traceHash" in v);
}

/** A JSON object: not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

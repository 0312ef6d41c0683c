import { type Document, isScalar, Scalar, visit } from "yaml";

export { MERGE_KEY_MESSAGE, MERGE_KEYS_UNREAD } from "./merge-key-words.js";

/**
 * YAML 1.1's merge keys (`<<: *anchor`), which a scenario file, read as YAML 1.2, does not have:
 * there `<<` is an ordinary key, so the mapping holds a key no schema knows and lacks the keys the
 * writer meant to merge in. Refused where written, before the schema would report the keys that
 * seem missing (`missing required key action` for an `action` the anchor holds).
 */

/**
 * The offset of every merge key in `doc`: a plain `<<` key of any mapping, block or flow, at any
 * depth, in document order. A quoted `"<<"` is a key like any other in YAML 1.1 too: the schema
 * reports it as unknown.
 */
export function mergeKeyOffsets(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key;
      if (isScalar(key) && key.type === Scalar.PLAIN && key.value === "<<") offsets.push(key.range?.[0] ?? 0);
    },
  });
  return offsets;
}

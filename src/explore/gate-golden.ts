/**
 * Golden trace hashes: the trace hash of each gated variant of a scenario at its own seed,
 * stored beside the scenario (`golden/<file>.json`) and written only by
 * `aftershock gate --update-golden`. A changed hash means the simulated behaviour changed: on
 * purpose (update and commit the file) or not (a regression the gate just caught).
 */

import { isRecord } from "../scenario/golden-shape.js";
import type { PathKey } from "../scenario/issue.js";
import { parseJson } from "../scenario/json-syntax.js";
import { loadDocument, textPosition } from "../scenario/source-map.js";
import { isVariantName, VARIANT_NAMES } from "../scenario/variants.js";
import { TRACE_FORMAT } from "../world/events.js";

export interface GoldenVariant {
  readonly traceHash: string;
  readonly events: number;
}

export interface GoldenFile {
  readonly scenario: string;
  readonly seed: number;
  /**
   * The trace format (`TRACE_FORMAT`) of the aftershock that pinned the hashes; 1 for files
   * written before it was recorded. Written as the current one: a file is always pinned whole.
   */
  readonly traceFormat?: number;
  /** By variant name. */
  readonly variants: Readonly<Record<string, GoldenVariant>>;
}

export type GoldenParse =
  | { readonly ok: true; readonly golden: GoldenFile }
  /** What is wrong, and where in the file (line and column from 1). */
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

const COMMENT =
  "Trace hashes pinned by `aftershock gate --update-golden`. A changed hash means the simulated behaviour changed; update on purpose only.";

/** The golden file's text: stable key order, variants in the order of VARIANT_NAMES. */
export function renderGolden(golden: GoldenFile): string {
  const variants: Record<string, GoldenVariant> = {};
  for (const name of sortVariants(Object.keys(golden.variants))) {
    const v = golden.variants[name];
    variants[name] = { traceHash: v.traceHash, events: v.events };
  }
  const doc = {
    comment: COMMENT,
    scenario: golden.scenario,
    seed: golden.seed,
    traceFormat: TRACE_FORMAT,
    variants,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Parses a golden file; a malformed one is bad input, said with its line and column (the caller
 * names the file): where the JSON breaks, or the value that is wrong.
 */
export function parseGolden(text: string): GoldenParse {
  const json = parseJson(text);
  if (!json.ok) {
    const { line, column, message } = json.error;
    return { ok: false, message: `not JSON (${message})`, line, column };
  }
  const refuse = (path: readonly PathKey[], message: string): GoldenParse => ({
    ok: false,
    message,
    ...goldenPosition(text, path),
  });
  const repeated = repeatedKey(text);
  if (repeated !== null) return { ok: false, ...repeated };
  const doc = json.value;
  if (!isRecord(doc)) return refuse([], "expected a JSON object");
  if (typeof doc.scenario !== "string") return refuse(["scenario"], "`scenario` must be a string");
  if (typeof doc.seed !== "number" || !Number.isSafeInteger(doc.seed) || doc.seed < 0)
    return refuse(["seed"], "`seed` must be a whole number, 0 or more (a scenario's seed)");
  const format = doc.traceFormat;
  if (format !== undefined && (typeof format !== "number" || !Number.isSafeInteger(format) || format < 1))
    return refuse(
      ["traceFormat"],
      `\`traceFormat\` must be a whole number, 1 or more (the trace format the hashes were pinned under; this aftershock writes ${TRACE_FORMAT})`,
    );
  if (!isRecord(doc.variants)) return refuse(["variants"], "`variants` must be an object");
  const variants: Record<string, GoldenVariant> = {};
  for (const [name, v] of Object.entries(doc.variants)) {
    if (!isVariantName(name))
      return refuse(
        ["variants", name],
        `variants.${name}: not a variant (expected ${VARIANT_NAMES.join(", ")})`,
      );
    if (!isRecord(v) || typeof v.traceHash !== "string" || !/^[0-9a-f]{16}$/.test(v.traceHash)) {
      return refuse(
        ["variants", name, "traceHash"],
        `variants.${name}.traceHash must be 16 lowercase hex digits, as the gate writes it`,
      );
    }
    if (typeof v.events !== "number" || !Number.isSafeInteger(v.events) || v.events < 0) {
      return refuse(["variants", name, "events"], `variants.${name}.events must be a whole number`);
    }
    variants[name] = { traceHash: v.traceHash, events: v.events };
  }
  const golden: GoldenFile = { scenario: doc.scenario, seed: doc.seed, variants };
  return { ok: true, golden: format === undefined ? golden : { ...golden, traceFormat: format } };
}

/**
 * A key given twice in one object, which JSON.parse takes silently, the later value winning: a
 * hand edit or a merge that kept both sides of a hash would be compared by whichever came last.
 * Said as a scenario file's repeated key is, where it is repeated.
 */
function repeatedKey(text: string): { message: string; line: number; column: number } | null {
  const loaded = loadDocument(text);
  if (loaded.ok) return null;
  for (const issue of loaded.issues) {
    const twice = /`[^`]*` is given twice \(first at line \d+, column \d+\)/.exec(issue.message);
    if (twice !== null) return { message: twice[0], line: issue.line, column: issue.column };
  }
  return null;
}

/**
 * Where the value at `path` of a golden file's JSON text is (its nearest part there, the key of
 * a missing one): as a scenario file's values are found, the text read as YAML, which JSON is.
 */
export function goldenPosition(text: string, path: readonly PathKey[]): { line: number; column: number } {
  return textPosition(text, path, true);
}

/** The variants a golden file holds hashes of that are not among `gated` (left from an older `expect` list). */
export function staleVariants(golden: GoldenFile, gated: readonly string[]): string[] {
  return sortVariants(Object.keys(golden.variants).filter((v) => !gated.includes(v)));
}

/** Variant names in the order of VARIANT_NAMES, unknown ones after, alphabetically. */
export function sortVariants(names: readonly string[]): string[] {
  const rank = (n: string) => {
    const i = (VARIANT_NAMES as readonly string[]).indexOf(n);
    return i < 0 ? VARIANT_NAMES.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

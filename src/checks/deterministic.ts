import type { TraceEvent } from "../kernel/trace.js";
import type { Verdict } from "./types.js";

/** Where two runs of the same scenario, seed and variant first differ. */
export interface Divergence {
  readonly seq: number;
  /** The event of the first run at that seq (absent if that run ended before it). */
  readonly a?: TraceEvent;
  /** The event of the second run at that seq. */
  readonly b?: TraceEvent;
}

/** The `deterministic` verdict: two runs of the same inputs must have the same trace hash. */
export function deterministicVerdict(hashA: string, hashB: string, firstDivergence?: Divergence): Verdict {
  if (hashA === hashB) {
    return {
      property: "deterministic",
      ok: true,
      detail: `two runs produced the same trace (hash ${hashA})`,
      events: [],
    };
  }
  const where =
    firstDivergence === undefined
      ? ""
      : `; first divergence at seq ${firstDivergence.seq}: ${describe(firstDivergence.a)} vs ${describe(firstDivergence.b)}${differs(firstDivergence)}`;
  return {
    property: "deterministic",
    ok: false,
    detail: `two runs of the same inputs produced different traces (hash ${hashA} vs ${hashB})${where}`,
    events: firstDivergence === undefined ? [] : [firstDivergence.seq],
  };
}

const DESCRIBE_CHARS_MAX = 200;

function describe(e: TraceEvent | undefined): string {
  if (e === undefined) return "(no event: the run had ended)";
  const text = JSON.stringify(e);
  return text.length > DESCRIBE_CHARS_MAX ? `${text.slice(0, DESCRIBE_CHARS_MAX)}...` : text;
}

/** Longest value `differs` shows of one field (an error message can be long). */
const VALUE_CHARS_MAX = 60;

/**
 * `; differs: retryAt (1795950643247 vs 1795950643250)`: the fields in which the two events
 * differ, with both values. Events are cut short above, alike when they part late in their
 * text (a retry time read from the real clock), so without this both may read the same.
 */
function differs({ a, b }: Divergence): string {
  if (a === undefined || b === undefined) return "";
  const value = (v: unknown) => {
    const text = v === undefined ? "–" : JSON.stringify(v);
    return text.length > VALUE_CHARS_MAX ? `${text.slice(0, VALUE_CHARS_MAX - 1)}…` : text;
  };
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]),
  );
  if (fields.length === 0) return "";
  return `; differs: ${fields.map((f) => `${f} (${value(a[f])} vs ${value(b[f])})`).join(", ")}`;
}

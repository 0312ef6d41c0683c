/** Where a JSON text is broken, as a person reads it: line, column and what is wrong. */
export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  /** V8's words without its position and without its quote of the input. */
  readonly message: string;
}

/** The text without a leading byte-order mark, which editors write and `JSON.parse` refuses. */
export function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, "");
}

/** `text` read as JSON (a byte-order mark allowed): its value, or where it is broken. */
export type ParsedJson =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: JsonSyntaxError };

/** The first syntax error of `text` (a byte-order mark allowed), or null when it is JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  const parsed = parseJson(text);
  return parsed.ok ? null : parsed.error;
}

/**
 * Parses `text` once, as JSON (a byte-order mark allowed). On a syntax error, V8 names the
 * offset (`… in JSON at position 14`) for most errors; the end of the text when the input ends
 * too soon; and otherwise quotes the text around the offending token, found from that quote (or,
 * in a text short enough to be quoted whole, searched for).
 */
export function parseJson(text: string): ParsedJson {
  const json = withoutBom(text);
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(raw);
    const token = /^Unexpected token '(.)'/.exec(raw);
    const offset =
      at !== null
        ? Number(at[1])
        : token !== null
          ? (quotedOffset(json, raw, token[1]) ?? outsideStrings(json, token[1]))
          : json.trimEnd().length;
    const message = raw
      .replace(/ in JSON at position \d+.*$/s, "")
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "");
    const before = json.slice(0, offset).split("\n");
    return {
      ok: false,
      error: { line: before.length, column: before[before.length - 1].length + 1, message },
    };
  }
}

/** How many characters V8 quotes on each side of an unexpected token in a long text. */
const V8_CONTEXT_CHARS = 10;

/**
 * The offset of the unexpected `char` from the text V8 quotes around it in a long input
 * (`Unexpected token ']', ..."5s" },\n  ],\n  "slo"... is not valid JSON`): up to ten characters
 * before it and after it, with `...` where the quote is cut. Null when there is no such quote
 * or it does not lead to `char` (a short text is quoted whole: its first such `char` is searched).
 */
function quotedOffset(json: string, raw: string, char: string): number | null {
  const quote = /, (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(raw);
  if (quote === null || (quote[1] === undefined && quote[3] === undefined)) return null;
  const context = quote[2];
  for (let from = json.indexOf(context); from >= 0; from = json.indexOf(context, from + 1)) {
    const offset =
      quote[1] !== undefined ? from + V8_CONTEXT_CHARS : from + context.length - V8_CONTEXT_CHARS;
    if (json[offset] === char) return offset;
  }
  return null;
}

/** The offset of the first `char` outside a JSON string (0 when there is none). */
function outsideStrings(json: string, char: string): number {
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === char) {
      return i;
    } else if (c === '"') {
      inString = true;
    }
  }
  return 0;
}

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
 * too soon; and otherwise the first character of the offending token, searched for.
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
      at !== null ? Number(at[1]) : token !== null ? outsideStrings(json, token[1]) : json.trimEnd().length;
    const message = raw
      .replace(/ in JSON at position \d+.*$/s, "")
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "");
    const before = json.slice(0, offset).split("\n");
    return {
      ok: false,
      error: { line: before.length, column: before[before.length - 1].length + 1, message },
    };
  }
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

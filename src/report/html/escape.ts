/**
 * Escaping for the HTML report. Every string that comes from a scenario file, a trace or a
 * report goes through one of these before it reaches the page: a scenario named
 * `<script>alert(1)</script>` renders as text.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for element content or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON to embed inside a `<script>` element: `<`, `>` and `&` become `\u003c` and friends so no
 * string can close the element or open a comment, and the JavaScript line separators U+2028 and
 * U+2029 are escaped too. The result is still valid JSON with the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * A trusted script (a bundled library) made safe to inline: any `</script` in it is broken up so
 * the HTML parser does not end the element early (inside JavaScript strings `<\/` means `</`).
 */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** A trusted stylesheet made safe to inline. */
export function inlineStyle(source: string): string {
  return source.replace(/<\/(style)/gi, "<\\/$1");
}

/**
 * Text written into Markdown, in its two forms: as text that renders as it is written, and as
 * inline code (a command to copy). Every Markdown renderer (the run and compare report, the gate's
 * summary) writes text with these two, so that no string from a scenario, a path or a trace turns
 * into markup, and no command loses a character on its way into a code span.
 */

/**
 * A zero-width space: put where a GFM renderer would start a link of its own, it breaks the link
 * and reads as nothing.
 */
const ZERO_WIDTH_SPACE = "\u200B";

/**
 * Characters a reader cannot see or that change how text around them shows: C0 and C1 controls
 * (a newline or a tab aside: a space), DEL, line and paragraph separators, and bidirectional marks and
 * overrides. Written as `\uXXXX`, as the terminal writes them, rather than raw in the file.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text made inert for Markdown: writes invisible characters as `\uXXXX`, backslash-escapes its
 * punctuation, entity-escapes HTML, and breaks what GFM links with no markup at all (its
 * autolinks) by a zero-width space: between a URL's scheme and its `://`, after `www` before its
 * dot, and after the `@` of an e-mail address.
 */
export function escapeMarkdown(text: string): string {
  return visibleText(text)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/:\/\//g, `${ZERO_WIDTH_SPACE}://`)
    .replace(/(?<![A-Za-z0-9])(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
    .replace(/@(?=[\w-]+\.\w)/g, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * Text on one line with nothing a reader cannot see: a newline or a tab as a space (or, with
 * `exact`, as `\u000a` and `\u0009`, for a name in which a space would read as another name),
 * and the `INVISIBLE` characters as `\uXXXX`. For text set as code that is not a command to copy
 * (a path and line a table cell names), as well as for `escapeMarkdown`.
 */
export function visibleText(text: string, exact = false): string {
  return (exact ? text : text.replace(/\r?\n|\t/g, " "))
    .replace(/[\t\n\r]/g, codeEscape)
    .replace(INVISIBLE, codeEscape);
}

/** A character as `\uXXXX`. */
function codeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * Text as Markdown inline code, exactly: fenced by one backtick more than its longest run of
 * them, and padded with a space where it starts or ends with one (CommonMark strips the pad).
 * A command keeps a backtick of a quoted path, so it still runs once copied.
 */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Text written into Markdown, in its two forms: as text that renders as it is written, and as
 * inline code (a command to copy). Every Markdown renderer (the run and compare report, the gate's
 * summary) writes text with these two, so that no string from a scenario, a path or a trace turns
 * into markup, and no command loses a character on its way into a code span.
 */
import { escapeControls } from "../kernel/time.js";

/**
 * A zero-width space: put where a GFM renderer would start a link of its own, it breaks the link
 * and reads as nothing.
 */
const ZERO_WIDTH_SPACE = "\u200B";

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
 * and the other characters a reader cannot see or that change how text around them shows (C0
 * and C1 controls, DEL, line and paragraph separators, bidirectional marks and overrides) as
 * `\uXXXX`, as the terminal writes them (`escapeControls`). For text set as code that is not a
 * command to copy (a path and line a table cell names), as well as for `escapeMarkdown`.
 */
export function visibleText(text: string, exact = false): string {
  return escapeControls(exact ? text : text.replace(/\r?\n|\t/g, " "));
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

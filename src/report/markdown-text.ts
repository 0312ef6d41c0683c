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
 * Text made inert for Markdown: backslash-escapes its punctuation, entity-escapes HTML, and breaks
 * what GFM links with no markup at all (its autolinks) by a zero-width space: between a URL's
 * scheme and its `://`, after `www` before its dot, and after the `@` of an e-mail address.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n/g, " ")
    .replace(/:\/\//g, `${ZERO_WIDTH_SPACE}://`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
    .replace(/@(?=[\w-]+\.\w)/g, `@${ZERO_WIDTH_SPACE}`);
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

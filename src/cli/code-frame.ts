/**
 * The source line an issue points at, with a caret under its column, as tsc and rustc show it:
 *
 *      8 | fleet: { workers: "x", partitions: 12 }
 *        |                   ^
 *
 * An issue's column counts UTF-16 code units, as JavaScript strings and most editors do (an emoji
 * is two): the caret goes under the character there, by the columns the text before it takes on a
 * terminal (a tab four, a CJK character or an emoji two, a control character as it is escaped).
 */
import stringWidth from "string-width";
import { escapeControls } from "../kernel/time.js";

/** How a tab is shown: a fixed width, so the caret lines up whatever the terminal's tab stops. */
const TAB = "    ";

/** The frame of `line` (1-based) and `column` (1-based) in `text`; null where there is no such line. */
export function codeFrame(text: string, line: number, column: number): string | null {
  const lines = text.split(/\r?\n/);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return null;
  const source = lines[line - 1];
  const at = Math.max(0, Math.min(source.length, column - 1));
  const shown = (s: string) => escapeControls(s.replace(/\t/g, TAB));
  const gutter = String(line);
  const blank = " ".repeat(gutter.length);
  return [
    ` ${gutter} | ${shown(source)}`.trimEnd(),
    ` ${blank} | ${" ".repeat(stringWidth(shown(source.slice(0, at))))}^`,
  ].join("\n");
}

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

/** What stands for the part of a long line left out, before or after the part shown. */
const CUT = "...";

/**
 * The frame of `line` (1-based) and `column` (1-based) in `text`; null where there is no such
 * line, or the document is empty (there is nothing to point at). A line wider than `width` (the
 * terminal's columns; undefined: any width) is shown around the column, as rustc does, with
 * `...` for what is left out on either side, so that the caret stays under its character on the
 * terminal rather than below a line the terminal wrapped. A byte order mark is not shown.
 */
export function codeFrame(text: string, line: number, column: number, width?: number): string | null {
  const lines = text.split(/\r?\n/);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return null;
  if (text.replace(/^\uFEFF/, "").trim() === "") return null;
  const bom = line === 1 && lines[0].startsWith("\uFEFF") ? 1 : 0;
  const source = lines[line - 1].slice(bom);
  const at = Math.max(0, Math.min(source.length, column - 1 - bom));
  const gutter = String(line);
  const blank = " ".repeat(gutter.length);
  // Each character as shown, and the terminal columns before it.
  const cells: { readonly shown: string; readonly from: number; readonly to: number }[] = [];
  let caret = 0;
  let col = 0;
  let unit = 0;
  for (const char of source) {
    // The character the column falls in (at its first unit, or inside a surrogate pair).
    if (unit <= at) caret = col;
    const shown = escapeControls(char === "\t" ? TAB : char);
    cells.push({ shown, from: col, to: col + stringWidth(shown) });
    col += stringWidth(shown);
    unit += char.length;
  }
  if (unit <= at) caret = col;
  const room = width === undefined ? Number.POSITIVE_INFINITY : width - ` ${gutter} | `.length - 1;
  let shown = cells.map((c) => c.shown).join("");
  if (col > room) {
    // A window of the line around the caret, `...` where it cuts the line.
    const span = Math.max(1, room - 2 * CUT.length);
    const lo = Math.max(0, Math.min(caret - Math.floor(span / 2), col - span));
    const kept = cells.filter((c) => c.from >= lo && c.to <= lo + span);
    const first = kept[0]?.from ?? caret;
    const head = first > 0 ? CUT : "";
    const tail = (kept.at(-1)?.to ?? first) < col ? CUT : "";
    shown = head + kept.map((c) => c.shown).join("") + tail;
    caret = head.length + caret - first;
  }
  return [` ${gutter} | ${shown}`.trimEnd(), ` ${blank} | ${" ".repeat(caret)}^`].join("\n");
}

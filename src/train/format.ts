import cliTruncate from "cli-truncate";
import stringWidth from "string-width";
import { clockOf, formatDuration, HOUR_MS, MINUTE_MS, plural, SECOND_MS } from "../kernel/index.js";

/** The kernel's words for durations and counts, as the session writes them. */
export { formatDuration, plural } from "../kernel/index.js";

/** The most of a typed word a hint repeats: a line pasted by mistake is not echoed whole. */
const ECHO_MAX = 40;

/** A typed word as a hint quotes it: cut after `ECHO_MAX` characters, alike in every hint. */
export function echoed(word: string): string {
  return word.length > ECHO_MAX ? `${word.slice(0, ECHO_MAX)}…` : word;
}

/** `09:46:00`: a simulated moment as the session shows it (UTC). */
export function clock(t: number): string {
  return clockOf(t);
}

/** `v2 (early-return, panic-recovery)`, or `v2` without fixes: a scheduler as the logs name it. */
export function schedulerText(name: string, fixes: readonly unknown[]): string {
  return fixes.length > 0 ? `${name} (${fixes.join(", ")})` : name;
}

/**
 * `v2 (2 fixes)`: a scheduler as the on-call view names it, its fixes counted rather than named,
 * for their names (`early-return`) tell the cause before `reveal` does; `v2` without fixes.
 */
export function fixesCounted(name: string, fixes: readonly unknown[]): string {
  return fixes.length > 0 ? `${name} (${plural(fixes.length, "fix", "fixes")})` : name;
}

/**
 * `ms` rounded as `formatDuration` writes it (to the millisecond, the tenth of a second, the second
 * or the minute), so that a difference of two durations is one of what the reader sees.
 */
export function asShown(ms: number): number {
  if (Math.round(ms) < SECOND_MS) return Math.round(ms);
  if (ms < MINUTE_MS && Math.round(ms / 100) < 600) return Math.round(ms / 100) * 100;
  if (ms < HOUR_MS - 500) return Math.round(ms / SECOND_MS) * SECOND_MS;
  return Math.round(ms / MINUTE_MS) * MINUTE_MS;
}

/** A duration for people, signed when asked: `-2m10s`, `+45s`, `0s`. */
export function signedDuration(ms: number): string {
  if (ms === 0) return "±0s";
  return `${ms < 0 ? "-" : "+"}${formatDuration(Math.abs(ms))}`;
}

/**
 * Greedy word wrap at `width` display columns (a CJK character or an emoji takes two, a colour
 * code none): the first line prefixed by `indent`, the others by `hang` (the same indent unless
 * given, e.g. to align under a list item's text). A word wider than a line is cut between its
 * characters, as the terminal would, but at the indent.
 */
export function wrap(text: string, width: number, indent = "", hang = indent): string {
  const lines: string[] = [];
  let line = "";
  const prefix = () => (lines.length === 0 ? indent : hang);
  const room = () => Math.max(1, width - visible(prefix()));
  // A word cut to fit must fit wherever its pieces land: on a later line too, under `hang`.
  const pieceRoom = Math.max(1, width - Math.max(visible(indent), visible(hang)));
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  for (const whole of words) {
    for (const word of pieces(whole, pieceRoom)) {
      if (line.length > 0 && visible(line) + 1 + visible(word) > room()) {
        lines.push(prefix() + line);
        line = word;
      } else line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  if (line.length > 0) lines.push(prefix() + line);
  return lines.join("\n");
}

// A named locale: grapheme breaks are not tailored by locale, and the machine's must not be read.
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** A word cut into pieces of at most `width` columns, between its characters (graphemes). */
function pieces(word: string, width: number): string[] {
  if (visible(word) <= width) return [word];
  const out: string[] = [];
  let piece = "";
  for (const { segment } of graphemes.segment(word)) {
    if (piece.length > 0 && visible(piece + segment) > width) {
      out.push(piece);
      piece = "";
    }
    piece += segment;
  }
  if (piece.length > 0) out.push(piece);
  return out;
}

/** `text` padded with `fill` to `width` display columns. */
export function padEndVisible(text: string, width: number, fill = " "): string {
  return text + fill.repeat(Math.max(0, width - visible(text)));
}

/**
 * A table of rows, each column padded to its widest cell (the last column is not padded). Given
 * the terminal's width (`columns`), a row wider than it takes several lines: its last cell goes
 * under it, deeper, when the other cells fit in their columns; else its cells follow one another,
 * broken between cells under a deeper indent (see `fitCells`). Rows that fit keep their columns.
 */
export function table(
  rows: readonly (readonly string[])[],
  indent = "  ",
  gap = "  ",
  columns?: number,
): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, visible(row[i]));
  }
  return rows
    .map((row) => {
      const line = (
        indent +
        row.map((cell, i) => (i === row.length - 1 ? cell : padEndVisible(cell, widths[i]))).join(gap)
      ).trimEnd();
      if (columns === undefined || visible(line) <= columns) return line;
      // Too wide: the last cell on lines of its own when the others still fit in their columns.
      const head = (
        indent +
        row
          .slice(0, -1)
          .map((cell, i) => padEndVisible(cell, widths[i]))
          .join(gap)
      ).trimEnd();
      const last = row[row.length - 1];
      if (row.length > 1 && visible(head) <= columns)
        return visible(last) === 0 ? head : `${head}\n${wrap(last, columns, indent + HANG)}`;
      return fitCells(row, columns, indent, gap);
    })
    .join("\n");
}

/** How much deeper than its first line a broken row or line goes on. */
export const HANG = "    ";

/**
 * `cells` on lines of at most `columns` display columns: as many cells a line as fit, `gap`
 * between them; the lines after the first indented by `indent` and `HANG`; a cell wider than a
 * line is wrapped on its own. Empty cells are left out.
 */
export function fitCells(cells: readonly string[], columns: number, indent = "  ", gap = "  "): string {
  const hang = indent + HANG;
  const lines: string[] = [];
  let line = "";
  for (const cell of cells.filter((c) => visible(c) > 0)) {
    const joined = line === "" ? (lines.length === 0 ? indent : hang) + cell : line + gap + cell;
    if (visible(joined) <= columns) {
      line = joined;
      continue;
    }
    if (line !== "") lines.push(line);
    const start = lines.length === 0 ? indent : hang;
    if (visible(start + cell) <= columns) line = start + cell;
    else {
      const wrapped = wrap(cell, columns, start, hang).split("\n");
      line = wrapped.pop() ?? "";
      lines.push(...wrapped);
    }
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}

/**
 * One line of text fitted to the terminal's width: unchanged when no width is known or when it
 * fits, wrapped otherwise (its own leading spaces kept as the indent, the lines after it under a
 * deeper one).
 */
export function fitLine(line: string, columns: number | undefined, hang?: string): string {
  if (columns === undefined || visible(line) <= columns) return line;
  // A painted line opens its colour before its indent (`paint.dim("  text")`): the indent is the
  // spaces after the colour codes, which go on with the text.
  const [, codes, indent] = LEADING.exec(line) ?? ["", "", ""];
  const text = codes + line.slice(codes.length + indent.length);
  return wrap(text, columns, indent, hang ?? indent + HANG);
}

/** A line's leading colour codes (SGR), then its leading spaces. */
const LEADING = new RegExp(`^((?:${String.fromCharCode(27)}\\[[\\d;]*m)*)( *)`);

/** Each line of `text` fitted to the terminal's width when known (see `fitLine`). */
export function fitLines(text: string, columns: number | undefined): string {
  if (columns === undefined) return text;
  return text
    .split("\n")
    .map((line) => fitLine(line, columns))
    .join("\n");
}

/**
 * `text` cut to at most `columns` display columns, with `…` where it was cut; unchanged when no
 * width is known or when it fits. Colour codes take no room, and a colour opened before the cut
 * is still closed after it (cli-truncate).
 */
export function truncate(text: string, columns: number | undefined): string {
  if (columns === undefined || visible(text) <= columns) return text;
  return cliTruncate(text, columns);
}

/**
 * The columns `text` takes on a terminal: colour codes take none, CJK characters and emoji two,
 * combining marks none (string-width's rules, the ones terminals follow).
 */
export function visible(text: string): number {
  return stringWidth(text);
}

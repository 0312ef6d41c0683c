import stringWidth from "string-width";
import { clockOf, isoOf, formatDuration as kernelDuration } from "../kernel/index.js";

/** `09:46:00`: a simulated moment as the session shows it (UTC). */
export function clock(t: number): string {
  return clockOf(t);
}

/**
 * `23:55:10.250`, or `23:55:10` on a whole second: a moment of the session (now, a chapter, a
 * what-if), where two moments in one second must not look the same.
 */
export function preciseClock(t: number): string {
  return t % 1000 === 0 ? clockOf(t) : clockMs(t);
}

/** `09:46:00.189`: a moment with milliseconds, for log lines and causal chains. */
export function clockMs(t: number): string {
  return isoOf(t).slice(11, 23);
}

/** `v2 (early-return, panic-recovery)`, or `v2` without fixes: a scheduler as the logs name it. */
export function schedulerText(name: string, fixes: readonly unknown[]): string {
  return fixes.length > 0 ? `${name} (${fixes.join(", ")})` : name;
}

/** A duration for people, signed when asked: `-2m10s`, `+45s`, `0s`. */
export function signedDuration(ms: number): string {
  if (ms === 0) return "±0s";
  return `${ms < 0 ? "-" : "+"}${formatDuration(Math.abs(ms))}`;
}

/**
 * A short human duration (`850ms`, `12s`, `2m28s`, `1h05m`). Rounds to the unit shown before
 * formatting: the kernel's formatter rounds after splitting, so 119.6 s would read `1m60s`.
 */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000) return kernelDuration(Math.round(ms / 60_000) * 60_000);
  if (ms >= 60_000) return kernelDuration(Math.round(ms / 1000) * 1000);
  return kernelDuration(ms);
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
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  for (const whole of words) {
    for (const word of pieces(whole, room())) {
      if (line.length > 0 && visible(line) + 1 + visible(word) > room()) {
        lines.push(prefix() + line);
        line = word;
      } else line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  if (line.length > 0) lines.push(prefix() + line);
  return lines.join("\n");
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

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

/** A table of rows, each column padded to its widest cell (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], indent = "  ", gap = "  "): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, visible(row[i]));
  }
  return rows
    .map((row) =>
      (
        indent +
        row.map((cell, i) => (i === row.length - 1 ? cell : padEndVisible(cell, widths[i]))).join(gap)
      ).trimEnd(),
    )
    .join("\n");
}

/**
 * The columns `text` takes on a terminal: colour codes take none, CJK characters and emoji two,
 * combining marks none (string-width's rules, the ones terminals follow).
 */
export function visible(text: string): number {
  return stringWidth(text);
}

/** `1 crash`, `3 crashes`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/**
 * A line on a terminal's stderr redrawn in place: a run's progress, the gate's count of runs.
 * Each draw goes back to the start of the line, clears it and writes the text cut to the
 * terminal's width. A line wider than the terminal wraps onto a second row, and the next
 * `\r` goes back to the start of that row only: every redraw would leave the one before it
 * behind, a trail of stale lines. The width is read at each draw, since a window can be resized
 * while the line is redrawn.
 */

import { truncate } from "../train/format.js";
import type { CliContext } from "./context.js";
import { errText } from "./glyphs.js";

/**
 * Where no line can be redrawn (stderr a file or a CI log), progress is a line of the log this
 * often at most: often enough that a CI system, which ends a job silent for ten minutes, sees it
 * alive; seldom enough not to fill the log.
 */
export const LOG_EVERY_MS = 30_000;

/** Back to the start of the line, and clear it. */
export const CLEAR_LINE = "\r\x1b[K";

/**
 * `text` cut to fit a line of a terminal `columns` wide, with `…` where it was cut; whole when
 * the width is unknown. One column is left free: on some terminals (the Windows console, xterm
 * with eager wrapping) text that reaches the last column moves the cursor to the next row.
 */
export function fitStatus(text: string, columns: number | undefined): string {
  return columns === undefined || columns < 2 ? text : truncate(text, columns - 1);
}

/**
 * Redraws the status line on `ctx`'s stderr with the first of `texts` (the full line, then
 * shorter ones) that fits the terminal's width now, else the last one cut to it.
 */
export function drawStatus(
  ctx: Pick<CliContext, "err" | "errColumns" | "asciiErr">,
  ...texts: readonly string[]
): void {
  // The glyphs as the terminal takes them before the fit; in ASCII, the `…` of a line cut to fit
  // is `...`, two columns wider: kept free for it.
  const columns = ctx.errColumns?.();
  const room = columns === undefined || ctx.asciiErr !== true ? columns : columns - 2;
  const fitted = firstFitting(
    texts.map((text) => errText(ctx, text)),
    room,
  );
  ctx.err(`${CLEAR_LINE}${errText(ctx, fitted)}`);
}

/**
 * The first of `texts` (the full line, then shorter ones) that fits a line of a terminal
 * `columns` wide, else the last one cut to it (`fitStatus`).
 */
export function firstFitting(texts: readonly string[], columns: number | undefined): string {
  const fits = texts.find((text) => fitStatus(text, columns) === text);
  return fits ?? fitStatus(texts[texts.length - 1], columns);
}

/**
 * A status line drawn over and over in place, then cleared once, so that what is written after
 * it starts on a clean line and no stale status is left behind.
 */
export class StatusLine {
  private shown = false;

  constructor(private readonly ctx: Pick<CliContext, "err" | "errColumns" | "asciiErr">) {}

  /** Redraws the line with the first of `texts` that fits (`drawStatus`). */
  draw(...texts: readonly string[]): void {
    drawStatus(this.ctx, ...texts);
    this.shown = true;
  }

  /** Clears the line, if one is shown. */
  clear(): void {
    if (!this.shown) return;
    this.ctx.err(CLEAR_LINE);
    this.shown = false;
  }
}

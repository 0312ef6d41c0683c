/**
 * The bar `explore` draws on a terminal: `exploring [████░░░░] 12/60 runs · 0 failing · 6s left`.
 * The counts are what a user watches for; the bar only says the same share again. So the line is
 * fitted to the terminal's width, read at each draw, by shrinking the bar first, then dropping
 * it, then the word `exploring`, and only then cutting the counts (cli-progress itself cuts the line at the terminal's
 * width, and with the default bar a 40-column terminal shows `exploring [████…` and nothing else).
 */
import cliProgress from "cli-progress";
import { visible } from "../../train/format.js";
import { firstFitting } from "../status-line.js";

/** The counts after the bar (cli-progress's placeholders). */
const COUNTS = "{value}/{total} runs · {failures} failing · {eta_formatted} left";
/** The bar's width where the terminal has room for it, as cli-progress draws it by default. */
export const BAR_WIDTH_MAX = 40;
/** A bar narrower than this says too little to be worth its room: the line goes without it. */
export const BAR_WIDTH_MIN = 8;

/**
 * The line for a bar `columns` wide (undefined: not known), from cli-progress's options, the
 * bar's state (`params`) and its payload (`failures`).
 */
export function exploreBarLine(
  options: cliProgress.Options,
  params: cliProgress.Params,
  payload: object,
  columns: number | undefined,
): string {
  // Placeholders filled as cli-progress fills them; no padding (`maxWidth` only aligns).
  const counts = cliProgress.Format.Formatter(
    { ...options, format: COUNTS },
    { ...params, maxWidth: 0 },
    payload,
  );
  // `exploring [` and `] `; one column is left free (see `fitStatus`).
  const room = columns === undefined ? BAR_WIDTH_MAX : columns - 1 - visible(counts) - "exploring [] ".length;
  const width = Math.min(BAR_WIDTH_MAX, room);
  const bar = cliProgress.Format.BarFormat(params.progress, { ...options, barsize: width });
  const lines = [`exploring ${counts}`, counts];
  return firstFitting(width < BAR_WIDTH_MIN ? lines : [`exploring [${bar}] ${counts}`, ...lines], columns);
}

/** The bar on `stream` (stderr), fitted to `columns()` at each draw. */
export function progressBar(
  stream: NodeJS.WritableStream,
  columns: () => number | undefined,
): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      stream,
      format: (options, params, payload) => exploreBarLine(options, params, payload, columns()),
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

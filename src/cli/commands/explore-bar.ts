/**
 * The bar `explore` draws on a terminal: `exploring [████░░░░] 12/60 runs · 0 failing · 6s left`
 * (`4s left (time budget)` when `--time-budget` ends the exploration before its runs would).
 * The counts are what a user watches for; the bar only says the same share again. So the line is
 * fitted to the terminal's width, read at each draw, by shrinking the bar first, then dropping
 * it, then the word `exploring`, and only then cutting the counts (cli-progress itself cuts the line at the terminal's
 * width, and with the default bar a 40-column terminal shows `exploring [████…` and nothing else).
 */
import cliProgress from "cli-progress";
import { visible } from "../../train/format.js";
import { asciiGlyphs } from "../glyphs.js";
import { firstFitting } from "../status-line.js";

/** The counts after the bar (cli-progress's placeholders). */
const COUNTS = "{value}/{total} runs · {failures} failing · {eta_formatted}";
/** The bar's width where the terminal has room for it, as cli-progress draws it by default. */
export const BAR_WIDTH_MAX = 40;
/** A bar narrower than this says too little to be worth its room: the line goes without it. */
export const BAR_WIDTH_MIN = 8;

/** The bar's cells, as cli-progress's `shades_classic` draws them. */
const BAR_FULL = "█";
const BAR_EMPTY = "░";

/**
 * The line for a bar `columns` wide (undefined: not known), from cli-progress's options, the
 * bar's state (`params`), its payload (`failures`) and the time budget's milliseconds left
 * (undefined: no `--time-budget`).
 */
export function exploreBarLine(
  options: cliProgress.Options,
  params: cliProgress.Params,
  payload: object,
  columns: number | undefined,
  budgetLeftMs?: number,
): string {
  // Placeholders filled as cli-progress fills them; no padding (`maxWidth` only aligns). The time
  // left is ours: none is known from the runs before one has ended; the exploration stops at the
  // end of its time budget, however many runs are left (cli-progress's estimate knows only runs).
  // cli-progress gives its estimate as the text "INF" or "NULL" when it has none worth a number.
  const formatTime = (seconds: number | string, _options: unknown, multiple?: number) => {
    const known = params.value > 0 && typeof seconds === "number" && Number.isFinite(seconds);
    const runsS = known ? (seconds as number) : Number.POSITIVE_INFINITY;
    const budgetS = budgetLeftMs === undefined ? Number.POSITIVE_INFINITY : Math.max(0, budgetLeftMs / 1000);
    if (budgetS < runsS) return `${timeLeftText(budgetS, multiple)} left (time budget)`;
    return `${known ? timeLeftText(runsS, multiple) : "?"} left`;
  };
  const counts = cliProgress.Format.Formatter(
    { ...options, format: COUNTS, formatTime },
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

/**
 * Seconds as the bar writes the time left: `7s`, `45s`, `2m05s`, `1h03m`, rounded to `multiple`
 * seconds (cli-progress asks for 5) before it is split into fields, so that no field reads 60
 * (cli-progress's own rounds the seconds of `2m59s` up to `2m60s`).
 */
export function timeLeftText(seconds: number, multiple = 1): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const pad = (n: number) => String(n).padStart(2, "0");
  if (seconds <= 10) return `${Math.round(seconds)}s`;
  const step = seconds > 3600 ? 60 * multiple : multiple;
  const t = Math.round(seconds / step) * step;
  if (t >= 3600) return `${Math.floor(t / 3600)}h${pad(Math.round((t % 3600) / 60))}m`;
  if (t >= 60) return `${Math.floor(t / 60)}m${pad(t % 60)}s`;
  return `${t}s`;
}

/**
 * The bar on `stream` (stderr), fitted to `columns()` at each draw; `budgetLeftMs()`: the time
 * budget's milliseconds left (undefined: no budget).
 */
export function progressBar(
  stream: NodeJS.WritableStream,
  columns: () => number | undefined,
  budgetLeftMs: () => number | undefined = () => undefined,
  /** ASCII stand-ins for the bar's cells and its line's glyphs (`unicodeWanted`). */
  ascii = false,
): cliProgress.SingleBar {
  const glyphs = ascii ? asciiGlyphs : (text: string) => text;
  // In ASCII, the `…` of a line cut to fit is `...`, two columns wider: kept free for it (as
  // `drawStatus` does).
  const room = () => {
    const width = columns();
    return ascii && width !== undefined ? width - 2 : width;
  };
  return new cliProgress.SingleBar(
    {
      stream,
      format: (options, params, payload) =>
        glyphs(exploreBarLine(options, params, payload, room(), budgetLeftMs())),
      barCompleteChar: glyphs(BAR_FULL),
      barIncompleteChar: glyphs(BAR_EMPTY),
      hideCursor: true,
      clearOnComplete: true,
      // The estimate from the last 100 updates rather than 10: runs end in bursts (a worker
      // thread's results come back together), and ten made it swing by half from draw to draw.
      etaBuffer: 100,
    },
    cliProgress.Presets.shades_classic,
  );
}

import type { Paint } from "../report/paint.js";

/** What a command may touch: its output streams, colour, the environment. Injected for tests. */
export interface CliContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /**
   * Calls `then` once everything written on `out` so far has been taken (true), or has not all
   * been because its reader went away or a write failed (false). Absent where `out` takes
   * everything at once (tests).
   */
  readonly outTaken?: (then: (whole: boolean) => void) => void;
  /** Paint for stdout (plain when piped or NO_COLOR). */
  readonly paint: Paint;
  /** Paint for stderr. */
  readonly paintErr: Paint;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Whether human text on stdout is written with ASCII stand-ins for its glyphs: stdout is a
   * terminal that does not show them (a locale that is not UTF-8, the Linux console:
   * `unicodeWanted`); absent: Unicode. Never when stdout is piped or a file, whose text is the
   * same wherever it is made; machine output never changes.
   */
  readonly ascii?: boolean;
  /** The same for human text on stderr (messages, progress lines): when stderr is such a terminal. */
  readonly asciiErr?: boolean;
  /**
   * Whether stderr is a terminal that can redraw a line (progress bars go there): not when it
   * is a file or a pipe, nor a dumb terminal (`redrawWanted`).
   */
  readonly errIsTty: boolean;
  /**
   * Whether an output file is being written through stderr (`--trace /dev/stderr`), where a
   * progress line would land in its middle; absent: none is.
   */
  readonly stderrTaken?: () => boolean;
  /**
   * The width of the terminal stderr is, in columns, asked at each redraw (a window can be
   * resized); undefined when it is not a terminal, or not known (tests).
   */
  readonly errColumns?: () => number | undefined;
  /**
   * The width of the terminal stdout is, in columns, asked when a command lays out its text;
   * undefined when stdout is piped or a file (the text keeps its own widths there, the same
   * wherever it is made), or not known (tests).
   */
  readonly outColumns?: () => number | undefined;
  /**
   * The command line as typed, after `aftershock` (set by `main`): an internal error is reported
   * with it. Absent where a test runs a command without `main`.
   */
  readonly argv?: readonly string[];
  /** The real clock, for wall-clock budgets and timings. */
  readonly now: () => number;
}

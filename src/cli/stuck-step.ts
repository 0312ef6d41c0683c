/**
 * Says on stderr, early, that a goroutine step has run a long time without yielding (a scheduler
 * module's `for (;;) {}`), while the run goes on to its wall-clock budget: the budget (10 minutes
 * unless the scenario says otherwise) stops such a step, and until then nothing else shows.
 *
 * The step holds this thread: no timer or handler of it runs until the step returns. So the
 * watching is done by a small thread of its own, which looks every half second at a board in
 * shared memory that the kernel keeps up to date (`StepWatch`: a counter and a flag per step, and
 * the goroutine's label and process name, copied once per goroutine rather than once per step),
 * and writes to stderr itself (a synchronous write to descriptor 2, which needs nothing of this
 * thread). A step seen under way and unchanged for `STUCK_SAY_AFTER_MS` is named, once.
 */
import { Worker } from "node:worker_threads";
import { STEP_BOARD, StepBoard, stepBoardBuffer } from "../explore/step-board.js";
import type { CliContext } from "./context.js";

/**
 * The command's output files while its run goes on: none; only ones written after it (an HTML
 * report, a Markdown summary); or one being written (a trace, a Perfetto file), whose temporary
 * file is on disk. With any, a signal's handler (which says what was not written, and removes a
 * temporary file) runs on this thread, and waits for a stuck step too.
 */
export type OutputsDuringRun = "none" | "awaited" | "open";

/** What the notice adds of signals, by the outputs. */
const SIGNALS_WAIT: Record<OutputsDuringRun, string> = {
  none: "",
  awaited:
    "; a signal (Ctrl-C, SIGTERM) waits for it too, as an output file is to be written: nothing is written then (kill -9 does not wait)",
  open: "; a signal (Ctrl-C, SIGTERM) waits for it too, as an output file is open: nothing is written then (kill -9 does not wait, and leaves a .NAME.tmp-PID file, which the next write removes)",
};

/** How long a step runs without yielding before it is said to be stuck. */
export const STUCK_SAY_AFTER_MS = 10_000;
/** How often the watching thread looks at the board. */
const LOOK_EVERY_MS = 500;
/**
 * The watching thread: plain CommonJS, evaluated (it needs no module of the project, so that it
 * starts in a few milliseconds and wherever the CLI runs from, bundled or not).
 */
const WATCHER = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const { buffer, slots, head, slotUnits, unitsMax, sayAfterMs, lookEveryMs, command, budgetMs, clear, signals } = workerData;
const board = new Int32Array(buffer, 0, head + slots);
const units = new Uint16Array(buffer, 4 * (head + slots));
const text = (at) => String.fromCharCode(...units.subarray(at + 1, at + 1 + units[at]));
let seen = -1;
let since = 0;
let said = -1;
setInterval(() => {
  const now = performance.now();
  const steps = board[0];
  if (board[1] === 0 || steps !== seen) {
    seen = board[1] === 0 ? -1 : steps;
    since = now;
    return;
  }
  if (said === steps || now - since < sayAfterMs) return;
  said = steps;
  const serial = board[2];
  const slot = serial & (slots - 1);
  const named = board[head + slot] === serial;
  const at = slot * slotUnits;
  const who = named ? "goroutine " + text(at) + " on " + text(at + 1 + unitsMax) : "a goroutine";
  const seconds = Math.round((now - since + lookEveryMs / 2) / 1000);
  try {
    writeSync(2, clear + "aftershock: " + command + ": " + who + " has run " + seconds + " s without yielding (a loop in the scheduler that never yields?); the run goes on until its wall-clock budget (" + budgetMs + " ms) stops it" + signals + "\\n");
  } catch {}
}, lookEveryMs);
`;

/**
 * A thread that watches a run's board (`StepBoard`) and says when a step runs long; the run on
 * this thread writes it through `board`, a run on another thread through its own `StepBoard` on
 * `buffer`. `stop` it when the run is over.
 */
export class StuckStepWatch {
  readonly board: StepBoard;

  private constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly thread: Worker,
  ) {
    this.board = new StepBoard(buffer);
  }

  /**
   * A watch for a run of `command` held to `budgetMs`, or null when there is nothing to say:
   * a budget that stops a step before it would be said to be stuck, or none.
   */
  static start(
    ctx: CliContext,
    command: string,
    budgetMs: number | undefined,
    outputs: OutputsDuringRun = "none",
  ): StuckStepWatch | null {
    if (budgetMs === undefined || budgetMs < STUCK_SAY_AFTER_MS) return null;
    // Nothing said in the middle of an output written through stderr (`--trace /dev/stderr`).
    if (ctx.stderrTaken?.() === true) return null;
    const buffer = stepBoardBuffer();
    const thread = new Worker(WATCHER, {
      eval: true,
      workerData: {
        buffer,
        ...STEP_BOARD,
        sayAfterMs: STUCK_SAY_AFTER_MS,
        lookEveryMs: LOOK_EVERY_MS,
        command,
        budgetMs,
        // A signal's handler (the outputs' cleanup) runs on this thread, held by the step too.
        signals: SIGNALS_WAIT[outputs],
        // On a terminal, the run's progress line is cleared first.
        clear: ctx.errIsTty ? "\r\x1b[K" : "",
      },
      stdout: false,
      stderr: false,
    });
    // It never keeps the process alive, and a failure of it is no failure of the run.
    thread.unref();
    thread.on("error", () => {});
    return new StuckStepWatch(buffer, thread);
  }

  /** Ends the watching thread. */
  stop(): void {
    void this.thread.terminate();
  }
}

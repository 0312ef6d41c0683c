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
import type { StepWatch } from "../kernel/index.js";
import type { CliContext } from "./context.js";

/** How long a step runs without yielding before it is said to be stuck. */
export const STUCK_SAY_AFTER_MS = 10_000;
/** How often the watching thread looks at the board. */
const LOOK_EVERY_MS = 500;
/** Goroutines whose label and process name the board holds at once (a power of two). */
const SLOTS = 256;
/** UTF-16 units kept of a label or a process name (a longer one is cut, with an ellipsis). */
const UNITS_MAX = 120;
/** Board layout: `[steps begun, 1 while one is under way, serial of the last one]`, then per slot its serial. */
const HEAD = 3;
/** Per slot: two strings, each its length then its units. */
const SLOT_UNITS = 2 * (1 + UNITS_MAX);

/**
 * The watching thread: plain CommonJS, evaluated (it needs no module of the project, so that it
 * starts in a few milliseconds and wherever the CLI runs from, bundled or not).
 */
const WATCHER = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const { buffer, slots, head, slotUnits, unitsMax, sayAfterMs, lookEveryMs, command, budgetMs, clear } = workerData;
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
    writeSync(2, clear + "aftershock: " + command + ": " + who + " has run " + seconds + " s without yielding (a loop in the scheduler that never yields?); the run goes on until its wall-clock budget (" + budgetMs + " ms) stops it\\n");
  } catch {}
}, lookEveryMs);
`;

/** A `StepWatch` whose board a thread of its own watches; `stop` it when the run is over. */
export class StuckStepWatch implements StepWatch {
  private readonly board: Int32Array;
  private readonly units: Uint16Array;
  private steps = 0;

  private constructor(
    buffer: SharedArrayBuffer,
    private readonly thread: Worker,
  ) {
    this.board = new Int32Array(buffer, 0, HEAD + SLOTS);
    this.units = new Uint16Array(buffer, 4 * (HEAD + SLOTS));
  }

  /**
   * A watch for a run of `command` held to `budgetMs`, or null when there is nothing to say:
   * a budget that stops a step before it would be said to be stuck, or none.
   */
  static start(ctx: CliContext, command: string, budgetMs: number | undefined): StuckStepWatch | null {
    if (budgetMs === undefined || budgetMs < STUCK_SAY_AFTER_MS) return null;
    const buffer = new SharedArrayBuffer(4 * (HEAD + SLOTS) + 2 * SLOTS * SLOT_UNITS);
    // The serials start at 0: a slot not yet written must not look like goroutine 0's.
    new Int32Array(buffer, 4 * HEAD, SLOTS).fill(-1);
    const thread = new Worker(WATCHER, {
      eval: true,
      workerData: {
        buffer,
        slots: SLOTS,
        head: HEAD,
        slotUnits: SLOT_UNITS,
        unitsMax: UNITS_MAX,
        sayAfterMs: STUCK_SAY_AFTER_MS,
        lookEveryMs: LOOK_EVERY_MS,
        command,
        budgetMs,
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

  began(serial: number, label: string, processName: string): void {
    const board = this.board;
    const slot = serial & (SLOTS - 1);
    if (board[HEAD + slot] !== serial) this.publish(slot, serial, label, processName);
    board[2] = serial;
    board[0] = ++this.steps | 0;
    board[1] = 1;
  }

  ended(): void {
    this.board[1] = 0;
  }

  /** Ends the watching thread. */
  stop(): void {
    void this.thread.terminate();
  }

  /** Copies a goroutine's label and process name to its slot (once per goroutine, not per step). */
  private publish(slot: number, serial: number, label: string, processName: string): void {
    const at = slot * SLOT_UNITS;
    this.copy(at, label);
    this.copy(at + 1 + UNITS_MAX, processName);
    this.board[HEAD + slot] = serial;
  }

  private copy(at: number, text: string): void {
    const cut = text.length > UNITS_MAX ? `${text.slice(0, UNITS_MAX - 1)}…` : text;
    const units = this.units;
    units[at] = cut.length;
    for (let i = 0; i < cut.length; i++) units[at + 1 + i] = cut.charCodeAt(i);
  }
}

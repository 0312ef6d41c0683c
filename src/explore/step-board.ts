/**
 * The board in shared memory on which a run tells the thread that watches it of each goroutine
 * step (`StepWatch`): a counter and a flag per step, and the goroutine's label and process name,
 * copied once per goroutine rather than once per step. A run on any thread writes its board so;
 * the CLI's watching thread (cli/stuck-step.ts) reads it and says when a step runs long.
 */

import type { StepWatch } from "../kernel/index.js";
import { thrownText } from "../kernel/thrown.js";

/** The board's layout, as the watching thread reads it too. */
export const STEP_BOARD = {
  /** Goroutines whose label and process name the board holds at once (a power of two). */
  slots: 256,
  /** UTF-16 units kept of a label or a process name (a longer one is cut, with an ellipsis). */
  unitsMax: 120,
  /** Board layout: `[steps begun, 1 while one is under way, serial of the last one]`, then per slot its serial. */
  head: 3,
  /** Per slot: two strings, each its length then its units. */
  slotUnits: 2 * (1 + 120),
} as const;

// The layout as plain constants, for the two calls made on every goroutine step.
const SLOTS = STEP_BOARD.slots;
const HEAD = STEP_BOARD.head;
const SLOT_UNITS = STEP_BOARD.slotUnits;
const UNITS_MAX = STEP_BOARD.unitsMax;

/** A fresh board: no step under way, no slot written. */
export function stepBoardBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(4 * (HEAD + SLOTS) + 2 * SLOTS * SLOT_UNITS);
  // The serials start at 0: a slot not yet written must not look like goroutine 0's.
  new Int32Array(buffer, 4 * HEAD, SLOTS).fill(-1);
  return buffer;
}

/** The writing end of a board, for a run on this thread. */
export class StepBoard implements StepWatch {
  private readonly board: Int32Array;
  private readonly units: Uint16Array;
  private steps = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.board = new Int32Array(buffer, 0, HEAD + SLOTS);
    this.units = new Uint16Array(buffer, 4 * (HEAD + SLOTS));
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

  /** Copies a goroutine's label and process name to its slot (once per goroutine, not per step). */
  private publish(slot: number, serial: number, label: string, processName: string): void {
    const at = slot * SLOT_UNITS;
    // A module's label (any value it gave) is shown on a terminal when its step runs long: as
    // text, its control characters written out.
    this.copy(at, thrownText(label));
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

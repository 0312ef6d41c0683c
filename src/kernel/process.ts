import type { TimeMs } from "./time.js";

/**
 * What a goroutine yields to the kernel to block: the kernel resumes it later with a value.
 * - `sleep`: resume after `ms` with undefined.
 * - `call`: after `ms`, run `complete` (in the kernel, at that moment) and resume with its result.
 * - `park`: hand a `wake` function to `register`; the goroutine resumes (at the time of the
 *   wake) with the value given to `wake`. Used for semaphores, channels and wait groups.
 */
export type Op =
  | { readonly kind: "sleep"; readonly ms: number }
  | { readonly kind: "call"; readonly ms: number; readonly complete: () => unknown }
  | { readonly kind: "park"; readonly register: (wake: (value?: unknown) => void) => void };

/** The body of a goroutine: a generator that yields Ops. `yield*` composes blocking calls. */
export type GoroutineBody = Generator<Op, void, unknown>;

/** Context attached to a goroutine and reported if it panics (which schedule, which account). */
export type GoroutineContext = { readonly [key: string]: string | number | undefined };

export type ProcessState = "running" | "paused" | "dead";

/** Why a process ended. `panic`: an exception escaped one of its goroutines. */
export interface ProcessExit {
  readonly reason: "panic" | "killed" | "stopped";
  readonly at: TimeMs;
  /** For a panic: the message of what was thrown. */
  readonly error?: string;
  /** For a panic: the label of the goroutine that threw. */
  readonly goroutine?: string;
  /** For a panic: the context of the goroutine that threw. */
  readonly context?: GoroutineContext;
  /**
   * For a panic: what was thrown, as it was (its stack says where: `world/panic-location.ts`);
   * given to the process's exit callback only, not kept with the dead process (`exit`).
   */
  readonly thrown?: unknown;
  /** The trace seq that caused the exit (the goroutine's cause, or the kill's). */
  readonly cause: number | null;
}

/** A simulated OS process: owns goroutines and timers, all dropped when it dies. */
export interface SimProcess {
  readonly index: number;
  readonly name: string;
  readonly state: ProcessState;
  readonly startedAt: TimeMs;
  /** Live goroutines (started, not finished). */
  readonly goroutines: number;
  readonly exit: ProcessExit | null;
}

/**
 * Every op the port makes is one class with the same four fields, so the kernel reads `kind` from
 * one object shape. As three object literals of different shapes, reading `kind` became a
 * megamorphic load once a process had run many worlds (explore's runs): about a quarter of an
 * exploration's CPU time went to that one line of `Simulation.block`.
 */
class KernelOp {
  constructor(
    readonly kind: "sleep" | "call" | "park",
    readonly ms: number,
    readonly complete: (() => unknown) | null,
    readonly register: ((wake: (value?: unknown) => void) => void) | null,
  ) {}
}

/** Makes a goroutine op: block for `ms`. */
export function sleep(ms: number): Op {
  return new KernelOp("sleep", ms, null, null) as Op;
}

/** Makes a goroutine op: after `ms`, complete with the value of `complete()`. */
export function call<T>(ms: number, complete: () => T): Op {
  return new KernelOp("call", ms, complete, null) as Op;
}

/** Makes a goroutine op: block until woken. */
export function park(register: (wake: (value?: unknown) => void) => void): Op {
  return new KernelOp("park", 0, null, register) as Op;
}

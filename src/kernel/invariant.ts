/**
 * A broken simulator invariant: the simulator itself is wrong, not the code under test.
 * It halts the run, and the run's report names the seed that reproduces it.
 */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
}

/** Asserts what must hold; a failure halts the run (never a simulated panic). */
export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantViolation(typeof message === "string" ? message : message());
}

/**
 * A run stopped from outside by the user (Ctrl-C), wherever it was: thrown by a `WallGuard` that
 * can be interrupted. The run is over and has no outcome (nothing of its world may run again);
 * whoever started it drops it, as the signal's own handler, if the process has one, is told too.
 */
export class RunInterrupted extends Error {
  override readonly name = "RunInterrupted";
}

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

/**
 * A broken simulator invariant: the simulator itself is wrong, not the code under test.
 * It halts the run, and the run's report names the seed that reproduces it.
 */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
}

/**
 * Whether `error` is an InvariantViolation. `instanceof` runs code of the value when it is a
 * Proxy (its `getPrototypeOf` trap), which the code under test may throw: a trap that throws
 * makes it the code under test's panic, never a broken simulator.
 */
export function isInvariantViolation(error: unknown): boolean {
  try {
    return error instanceof InvariantViolation;
  } catch {
    return false;
  }
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

/** `work()`, or `cut` when Ctrl-C cut its run short (`RunInterrupted`); other errors go on up. */
export function unlessInterrupted<T, C>(work: () => T, cut: C): T | C {
  try {
    return work();
  } catch (error) {
    if (error instanceof RunInterrupted) return cut;
    throw error;
  }
}

/** `unlessInterrupted` for work that waits. */
export async function unlessInterruptedAsync<T, C>(work: () => Promise<T>, cut: C): Promise<T | C> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunInterrupted) return cut;
    throw error;
  }
}

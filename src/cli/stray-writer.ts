/**
 * Where the `aftershock` binary says what a scheduler module did outside the simulation
 * (`stray-errors.ts`): its stderr, set by `runBinary`. Unset where the CLI runs in another
 * program's process (a test, a library user), which keeps Node's own handling of such errors.
 * Kept apart from `stray-errors.ts`, which the binary loads only with the first module, so that
 * commands that load none (`--help`, `list`) load nothing more.
 */
let writer: ((text: string) => void) | null = null;

/** Says stray errors of scheduler modules on `err` from the first module loaded on. */
export function sayStrayErrorsOn(err: (text: string) => void): void {
  writer = err;
}

/** The writer `sayStrayErrorsOn` set, or null. */
export function strayErrorWriter(): ((text: string) => void) | null {
  return writer;
}

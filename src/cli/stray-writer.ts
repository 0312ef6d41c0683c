/**
 * Where the `aftershock` binary says what a scheduler module did outside the simulation
 * (`stray-errors.ts`): its stderr, set by `runBinary`. Unset where the CLI runs in another
 * program's process (a test, a library user), which keeps Node's own handling of such errors.
 * Kept apart from `stray-errors.ts`, which the binary loads only with the first module, so that
 * commands that load none (`--help`, `list`) load nothing more.
 */
let writer: ((text: string) => void) | null = null;

/**
 * The process's own `process.exit`, taken before a scheduler module is loaded: aftershock ends
 * through it, while a module's `process.exit` is caught once modules are watched
 * (`stray-errors.ts`).
 */
const ownExit: (code: number) => never = process.exit.bind(process);

/** Ends the process with `code`, as aftershock itself, never taken for a module's `process.exit`. */
export function exitNow(code: number): never {
  return ownExit(code);
}

/** Says stray errors of scheduler modules on `err` from the first module loaded on. */
export function sayStrayErrorsOn(err: (text: string) => void): void {
  writer = err;
}

/** The writer `sayStrayErrorsOn` set, or null. */
export function strayErrorWriter(): ((text: string) => void) | null {
  return writer;
}

/**
 * Where the `aftershock` binary says what a scheduler module did outside the simulation
 * (`stray-errors.ts`): its stderr, set by `runBinary`. Unset where the CLI runs in another
 * program's process (a test, a library user), which keeps Node's own handling of such errors.
 * Kept apart from `stray-errors.ts`, which the binary loads only with the first module, so that
 * commands that load none (`--help`, `list`) load nothing more.
 */
import { EXIT, internalErrorText } from "./errors.js";

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

/**
 * Says stray errors of scheduler modules on `err` from the first module loaded on. Until then
 * (and in a run that loads none), an error thrown where nothing catches it (a timer, a promise
 * nothing awaits) can only be aftershock's own: it is said as an internal error, exit 4, rather
 * than as Node's stack trace and exit 1, which reads as a failed property. `stray-errors.ts`
 * takes over with the first module (`replaceOwnErrorGuard`), to tell a module's from ours.
 */
export function sayStrayErrorsOn(err: (text: string) => void, argv: readonly string[] = []): void {
  writer = err;
  if (guard !== null) return;
  guard = (value: unknown) => {
    const detail = value instanceof Error ? (value.stack ?? String(value)) : String(value);
    err(internalErrorText(argv, detail));
    exitNow(EXIT.internal);
  };
  process.on("uncaughtException", guard);
  process.on("unhandledRejection", guard);
}

/** The handler `sayStrayErrorsOn` set for errors nothing caught, until modules are watched. */
let guard: ((value: unknown) => void) | null = null;

/** Takes the guard of `sayStrayErrorsOn` away, for `stray-errors.ts`'s own handlers. */
export function replaceOwnErrorGuard(): void {
  if (guard === null) return;
  process.off("uncaughtException", guard);
  process.off("unhandledRejection", guard);
}

/** The writer `sayStrayErrorsOn` set, or null. */
export function strayErrorWriter(): ((text: string) => void) | null {
  return writer;
}

/**
 * What a scheduler module does outside the simulation, which the scheduler port does not allow:
 * a scheduler does its work through the runtime it is given (`yield rt.sleep(ms)`, `rt.go`,
 * `rt.store`), and the simulation runs it one step at a time. A promise it rejects that nothing
 * handles, or an exception thrown by a timer or a microtask it set up, happens where no
 * goroutine runs: no panic of the code under test, and Node's own answer is a stack trace and
 * exit 1, which reads as a failed property. The CLI instead says what the module did, naming
 * it, and ends as for any bad input (exit 2; the files it was writing are not put in place),
 * whether it happened on the main thread or on a worker thread (`explore/thread-strays.ts`).
 * An error that no module's code made is aftershock's own: an internal error (exit 4).
 *
 * A module that calls `process.exit` would end the process at once, with whatever code it gave
 * (0 reads as a gate passed): once modules are watched, that call says what happened and ends
 * with 2 instead; aftershock itself ends through `exitNow`, or by returning.
 */
import { BroadcastChannel, setEnvironmentData } from "node:worker_threads";
import { STRAY_CHANNEL, STRAYS_HEARD, type StrayError, strayError } from "../explore/thread-strays.js";
import { EXIT, internalErrorText } from "./errors.js";
import { placeInStackText } from "./module-load-error.js";
import { exitNow, replaceOwnErrorGuard, strayErrorWriter } from "./stray-writer.js";

/** The scheduler modules this process loaded (or began to load): absolute path, as the user named it. */
const loadedModules = new Map<string, string>();

/** Whether the process's handlers are in place (with the first module, in the binary only). */
let watching = false;

/** What a command has to add when a module ends the process (`sayOnStrayEnd`), or null. */
let endNote: (() => string | null) | null = null;

/**
 * Has `note` said (on a line of its own) when a module's stray error or `process.exit` ends the
 * process: what the command leaves as it was, such as a report file an earlier run wrote, which
 * is not this one's outcome. Null takes it off.
 */
export function sayOnStrayEnd(note: (() => string | null) | null): void {
  endNote = note;
}

/** `err`s the command's note for an end by a module, if it has one. */
function sayEndNote(err: (text: string) => void): void {
  const note = endNote?.() ?? null;
  if (note !== null) err(`aftershock: ${note}\n`);
}

/**
 * Notes a scheduler module as it begins to load, so that what it does outside a run is said of
 * it; with the first, the binary begins to watch for it (`sayStrayErrorsOn`).
 */
export function noteSchedulerModule(absolute: string, shown: string): void {
  if (!loadedModules.has(absolute)) loadedModules.set(absolute, shown);
  const err = strayErrorWriter();
  if (watching || err === null) return;
  watching = true;
  watchStrayErrors(err);
}

/**
 * On the main thread of the CLI: says every error thrown outside the simulation, here or on a
 * worker thread, and ends the process (exit 2, or 4 for aftershock's own); says an exit code a
 * module's `process.exit` gave, and ends with 2 instead. `err` writes to stderr.
 */
function watchStrayErrors(err: (text: string) => void): void {
  const end = (stray: StrayError) => {
    const { text, code } = strayReport(stray);
    err(text);
    sayEndNote(err);
    exitNow(code);
  };
  // Worker threads started from now on (a module is loaded before its runs' threads start) tell
  // this thread of theirs (`forwardStrayErrors`).
  setEnvironmentData(STRAYS_HEARD, true);
  replaceOwnErrorGuard();
  process.on("uncaughtException", (value) => end(strayError(value, "uncaughtException")));
  process.on("unhandledRejection", (value) => end(strayError(value, "unhandledRejection")));
  const channel = new BroadcastChannel(STRAY_CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    const stray = (event as { readonly data: StrayError }).data;
    channel.close();
    if (stray.origin !== "exit") end(stray);
    else {
      err(`aftershock: ${foreignExitText(Number(stray.text), "a worker thread")}\n`);
      sayEndNote(err);
      exitNow(EXIT.usage);
    }
  };
  // aftershock ends through `exitNow` or by returning: a call of `process.exit` from here on is a
  // module's, whatever its code (0 or 1 would read as a gate passed or a property failed).
  process.exit = ((code?: number | string | null) => {
    err(`aftershock: ${foreignExitText(Number(code ?? process.exitCode ?? 0), "the process")}\n`);
    sayEndNote(err);
    return exitNow(EXIT.usage);
  }) as typeof process.exit;
}

/** What to say of `stray`, and the exit code to end with. */
export function strayReport(stray: StrayError): { readonly text: string; readonly code: number } {
  const shown = strayModule(stray);
  if (shown === null) {
    return {
      text: internalErrorText(process.argv.slice(2), stray.stack ?? stray.text),
      code: EXIT.internal,
    };
  }
  const how =
    stray.origin === "unhandledRejection"
      ? "rejected a promise that nothing handled"
      : "threw from a callback (a timer, a microtask or an event)";
  return {
    text: `aftershock: ${shown}: the scheduler module ${how}, outside the simulation: ${stray.text}. The scheduler port does not allow it: a scheduler does its work through the runtime it is given (yield rt.sleep(ms), rt.go, yield* rt.store...), not with promises, timers or microtasks, which the simulation neither runs nor orders; nothing was judged\n`,
    code: EXIT.usage,
  };
}

/**
 * The module `stray` came from, as the user named it: the one its stack passes through; else,
 * for a value that is not an Error (aftershock throws nothing else), the modules loaded; else
 * null (aftershock's own).
 */
function strayModule(stray: StrayError): string | null {
  for (const [absolute, shown] of loadedModules) {
    if (stray.stack !== null && placeInStackText(stray.stack, absolute) !== null) return shown;
  }
  if (stray.isError || loadedModules.size === 0) return null;
  return [...loadedModules.values()].join(" or ");
}

/** What to say of `what` (the process, a worker thread) ended by `process.exit(code)` while modules are loaded. */
function foreignExitText(code: number, what: string): string {
  const modules = [...loadedModules.values()].join(", ");
  return `${what} was ended by process.exit(${code}), which something it ran called: a scheduler module (${modules}) must not end the process (a scheduler ends by returning from main(rt) or by throwing, a panic); nothing was judged; exit ${EXIT.usage}`;
}

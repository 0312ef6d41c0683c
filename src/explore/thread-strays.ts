/**
 * Errors thrown outside the simulation on a worker thread: an exception a timer or a microtask
 * of a scheduler module threw, a promise it rejected that nothing handles. Node would end the
 * thread (or, on the main thread, the process) with a stack trace; the thread instead tells the
 * main thread, which says what the module did and ends the command as bad input (exit 2; see
 * `cli/stray-errors.ts`). The channel reaches the main thread from any worker thread, whatever
 * the protocol of its pool (piscina's, the gate's, the parallel compare's).
 */
import { BroadcastChannel, getEnvironmentData } from "node:worker_threads";
import { thrownText } from "../kernel/thrown.js";
import { thrownObjectText } from "./thrown-object.js";

/** The name of the channel worker threads tell the main thread of stray errors on. */
export const STRAY_CHANNEL = "aftershock:stray-errors";

/**
 * The key of the environment data (`setEnvironmentData`) by which the main thread says it hears
 * the channel: the CLI binary does. Elsewhere (a test, a library user) nobody does, and a thread
 * leaves such errors to Node: the thread fails, and its pool says so.
 */
export const STRAYS_HEARD = "aftershock:strays-heard";

/** What a worker thread tells of an error thrown outside the simulation. */
export interface StrayError {
  /**
   * How Node met it: thrown from a callback, a rejected promise that nothing handled, or a call
   * of `process.exit` (`text` is then its exit code), which aftershock's threads never make.
   */
  readonly origin: "uncaughtException" | "unhandledRejection" | "exit";
  /**
   * The value as text (`Name: message`; an object that is no Error by what it holds, as
   * `thrownObjectText` says it), never throwing (see `thrownText`).
   */
  readonly text: string;
  /** Its stack when it is an Error with one: where it was made, to name the module it came from. */
  readonly stack: string | null;
  /** Whether the value is an Error (aftershock's own code throws nothing else). */
  readonly isError: boolean;
}

/** `value`, thrown from `origin`, as a `StrayError`. */
export function strayError(value: unknown, origin: StrayError["origin"]): StrayError {
  let stack: string | null = null;
  let isError = false;
  try {
    isError = value instanceof Error;
    if (isError && typeof (value as Error).stack === "string") stack = (value as Error).stack as string;
  } catch {
    // A Proxy whose traps throw: nothing more to say of it.
  }
  return { origin, text: thrownObjectText(value) ?? thrownText(value), stack, isError };
}

/** The channel to the main thread and whether it was used, once a thread forwards anything. */
let forwarding: { readonly tell: (stray: StrayError) => void } | null = null;
let forwardingErrors = false;

/**
 * The thread's way to tell the main thread of its first stray (later ones are not told), or null
 * where nobody hears it. The channel is closed once it is used: a thread still posting on it as
 * the main thread ends the process can leave that end waiting forever.
 */
function forwarder(): { readonly tell: (stray: StrayError) => void } | null {
  if (forwarding !== null || getEnvironmentData(STRAYS_HEARD) !== true) return forwarding;
  const channel = new BroadcastChannel(STRAY_CHANNEL);
  channel.unref();
  forwarding = {
    tell: (stray) => {
      if (told) return;
      told = true;
      channel.postMessage(stray);
      channel.close();
    },
  };
  return forwarding;
}

/** Whether this thread told the main thread of a stray. */
let told = false;

/**
 * On a worker thread, between a run of a scheduler module and its answer: lets what the run left
 * outside the simulation happen, and says whether the answer may go. A promise that nothing
 * handles is rejected as the turn ends, a microtask's throw within it, and a timer of 0 ms at the
 * next timers phase (timers of one delay fire in the order they were set). Once a stray was told
 * the answer is held back: the main thread ends the command when it hears, but the stray goes on
 * a channel of its own, and an answer sent first can reach it first and let the command end as if
 * nothing happened (a gate passed, exit 0). Where nobody hears (`STRAYS_HEARD`), Node ends the
 * thread, and the answer never goes either.
 */
export async function answerMayGo(): Promise<boolean> {
  await new Promise((done) => setTimeout(done, 0));
  await new Promise((done) => setImmediate(done));
  return !told;
}

/**
 * On a worker thread, before it imports the modules it runs: a call of `process.exit`, which ends
 * the thread alone, is told to the main thread, whatever the code (0 too: the thread's runs are
 * then never done), from the modules' top-level code on. A thread that ends as its pool ends it
 * does not call it.
 */
export function forwardStrayExits(): void {
  const to = forwarder();
  if (to === null || process.exit.name === "strayExit") return;
  const exit = process.exit.bind(process);
  process.exit = function strayExit(code?: number | string | null): never {
    to.tell({ origin: "exit", text: String(code ?? process.exitCode ?? 0), stack: null, isError: false });
    return exit(code ?? undefined);
  } as typeof process.exit;
}

/**
 * On a worker thread: tells the main thread of the first error thrown outside the simulation
 * rather than let it end the thread (the main thread ends the command), and of a `process.exit`
 * (`forwardStrayExits`). A thread calls it once the modules it runs are imported: an import that
 * throws is the thread's failure, which its pool deals with (the parallel compare runs here
 * instead).
 */
export function forwardStrayErrors(): void {
  forwardStrayExits();
  const to = forwarder();
  if (to === null || forwardingErrors) return;
  forwardingErrors = true;
  process.on("uncaughtException", (value) => to.tell(strayError(value, "uncaughtException")));
  process.on("unhandledRejection", (value) => to.tell(strayError(value, "unhandledRejection")));
}

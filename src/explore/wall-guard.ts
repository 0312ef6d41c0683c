/**
 * The `WallGuard` of runs held to their wall-clock budget on the real clock: Node's `vm` timeout,
 * which stops any synchronous JavaScript running on this thread once it fires, functions made
 * outside the context (the kernel, the world, a scheduler module) included. One call per stretch
 * of a run, not per event: each costs a fraction of a millisecond (a timer thread is armed).
 *
 * `interruptibleWallGuard` also stops the run at Ctrl-C (`breakOnSigint`), on the main thread:
 * a run is synchronous, so a SIGINT handler could otherwise only run once the run is over,
 * seconds or minutes later. The run then throws `RunInterrupted`, once the process's own SIGINT
 * handlers have been called (`vm` keeps the signal from them while the run goes on); a process
 * without one ends at once, as it would have without the guard. It is for long runs only: Node
 * loses a SIGINT that came just before such a call and was not yet handed to the handlers (the
 * event loop must turn twice for that), so short runs one after the other (an exploration) would
 * lose many a Ctrl-C, and a second or so is no wait. Worker threads get no signals: the main
 * thread's handler stops them.
 */
import { type Context, createContext, Script } from "node:vm";
import { isMainThread } from "node:worker_threads";
import { RunInterrupted, type WallGuard } from "../kernel/index.js";

/** What the script calls: the slice of the call under way (a context is made once per thread). */
const holder: { slice: () => void } = { slice: () => {} };
let guarded: { readonly context: Context; readonly script: Script } | null = null;

export const wallGuard: WallGuard = (slice, timeoutMs) => guard(slice, timeoutMs, false);

/** `wallGuard` that Ctrl-C stops too, on the main thread (see above). */
export const interruptibleWallGuard: WallGuard = (slice, timeoutMs) => guard(slice, timeoutMs, isMainThread);

function guard(slice: () => void, timeoutMs: number, breakOnSigint: boolean): boolean {
  guarded ??= { context: createContext({ holder }), script: new Script("holder.slice()") };
  const outer = holder.slice;
  holder.slice = slice;
  try {
    guarded.script.runInContext(guarded.context, {
      timeout: Math.max(1, Math.ceil(timeoutMs)),
      breakOnSigint,
    });
    return true;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return false;
    if (code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
      // `vm` kept the signal from the process's handlers: they get it now, before the run's
      // callers go on; with none, the signal's own action ends the process, as without `vm`.
      if (!process.emit("SIGINT", "SIGINT")) process.kill(process.pid, "SIGINT");
      throw new RunInterrupted("the run was interrupted (Ctrl-C)");
    }
    throw error;
  } finally {
    holder.slice = outer;
  }
}

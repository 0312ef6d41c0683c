/**
 * The `WallGuard` of runs held to their wall-clock budget on the real clock: Node's `vm` timeout,
 * which stops any synchronous JavaScript running on this thread once it fires, functions made
 * outside the context (the kernel, the world, a scheduler module) included. One call per stretch
 * of a run, not per event: each costs a fraction of a millisecond (a timer thread is armed).
 */
import { type Context, createContext, Script } from "node:vm";
import type { WallGuard } from "../kernel/index.js";

/** What the script calls: the slice of the call under way (a context is made once per thread). */
const holder: { slice: () => void } = { slice: () => {} };
let guarded: { readonly context: Context; readonly script: Script } | null = null;

export const wallGuard: WallGuard = (slice, timeoutMs) => {
  guarded ??= { context: createContext({ holder }), script: new Script("holder.slice()") };
  const outer = holder.slice;
  holder.slice = slice;
  try {
    guarded.script.runInContext(guarded.context, { timeout: Math.max(1, Math.ceil(timeoutMs)) });
    return true;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return false;
    throw error;
  } finally {
    holder.slice = outer;
  }
};

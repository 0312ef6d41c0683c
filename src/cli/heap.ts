/**
 * V8 tuning for aftershock's own processes. A long simulation keeps a steady live set (the
 * region's schedules, leases and queues) while it promotes short-lived task state to the old
 * generation quickly; V8's default then lets the old generation grow to about four times the
 * live set before a full collection. Capping the growth after each full collection keeps the
 * peak resident memory near the live state (a 100,000-schedule hour: from about 600 MB to under
 * 300 MB) at the price of more, cheap, mostly concurrent full collections.
 */
import v8 from "node:v8";

/** How much the old generation may grow past the live set after a full collection, in percent. */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Applies the tuning to this process (and the worker threads it starts), unless the user set
 * the same V8 flag themselves (on the command line or in `NODE_OPTIONS`).
 */
export function tuneHeap(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? "",
): boolean {
  const flag = "--heap-growing-percent";
  if (execArgv.some((a) => a.startsWith(flag)) || nodeOptions.includes(flag)) return false;
  v8.setFlagsFromString(`${flag}=${HEAP_GROWING_PERCENT}`);
  return true;
}

/**
 * V8 tuning for aftershock's own processes (and the worker threads they start: V8's flags are
 * the process's). Each setting is left alone when the user set the same flag themselves, on the
 * command line or in `NODE_OPTIONS`.
 *
 * - Memory. A long simulation keeps a steady live set (the region's schedules, leases and
 *   queues) while it promotes short-lived task state to the old generation quickly; V8's
 *   default then lets the old generation grow to about four times the live set before a full
 *   collection. Capping the growth after each full collection keeps the peak resident memory
 *   near the live state (a 100,000-schedule hour: from about 600 MB to under 300 MB) at the
 *   price of more, cheap, mostly concurrent full collections.
 * - Compilation. A command's runs are short and start cold, so TurboFan's compile time is a
 *   large share of their CPU: 1.8 to 2 s of background compilation for one 1-second run of
 *   May 8, on a core that the run's twin (compare) or another job (explore --jobs 2) wants. Half
 *   the default cumulative inlining budget cuts that by about a quarter; the two runs of the
 *   May 8 compare then take 1.78 s instead of 1.97 s and 4.06 s of CPU instead of 4.40 s
 *   (medians of 12 alternating runs, the flag set at run time as here). Explorations and the
 *   20,000-schedule region hour showed no change beyond the machine's noise.
 * - Pretenuring. V8 watches where objects are allocated, and once most of those made at one
 *   place outlive a scavenge it allocates that place's objects in the old generation directly.
 *   A simulation's task state lives a few virtual seconds, across a scavenge or two, then dies:
 *   whether V8 pretenures a place depends on when its scavenges fall, so the same run went two
 *   ways (the 20,000-schedule region hour: 93 or 192 MB promoted, 4 or 15 full collections), and
 *   pretenured, dead task state filled the old generation. Off, every run takes the cheaper way:
 *   that hour in 4.31-4.56 s instead of 4.81-4.96 s and 5.1-5.3 s of CPU instead of 6.0-6.1 s, the
 *   buggy one 1.70-1.77 s instead of 1.85-1.88 s, with the other two settings here, set at run
 *   time as here (three and two alternating runs); the 100,000-schedule hour peaked at 264-274 MB
 *   instead of 273-284 MB (three each, alternating). Generated explore runs: no change.
 * - The young generation is left as V8 sizes it. V8 sizes it when the isolate is made, so
 *   `--max-semi-space-size` set here, at run time, changes nothing (the new space stays at
 *   32 MB; the region hour ran 227 scavenges with it, 233 without). Given on the command line,
 *   32 MB halved the scavenges (117) but each took about twice as long: about 8% less time
 *   scavenging in one run, within that run's noise.
 */
import v8 from "node:v8";

/** How much the old generation may grow past the live set after a full collection, in percent. */
export const HEAP_GROWING_PERCENT = 20;

/** TurboFan's budget of bytecode inlined into one function, in bytes (V8's default: 920). */
export const INLINING_BUDGET = 460;

/** The flags aftershock sets, with their values (`false`: a switch turned off, `--no-…`). */
export const V8_TUNING: readonly { readonly flag: string; readonly value: number | false }[] = [
  { flag: "--heap-growing-percent", value: HEAP_GROWING_PERCENT },
  { flag: "--max-inlined-bytecode-size-cumulative", value: INLINING_BUDGET },
  { flag: "--allocation-site-pretenuring", value: false },
];

/** How a setting is written for V8: `--flag=value`, or `--no-flag` for a switch turned off. */
export function v8Setting(flag: string, value: number | false): string {
  return value === false ? `--no-${flag.slice(2)}` : `${flag}=${value}`;
}

/**
 * Applies the tuning to this process, except for flags the user set. Returns the flags applied,
 * as V8 reads them (`--flag=value`, `--no-flag`).
 */
export function tuneV8(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? "",
): string[] {
  const applied: string[] = [];
  for (const { flag, value } of V8_TUNING) {
    if (userSets(flag, execArgv, nodeOptions)) continue;
    const setting = v8Setting(flag, value);
    v8.setFlagsFromString(setting);
    applied.push(setting);
  }
  return applied;
}

/**
 * Whether the user set `flag`, either way for a switch (V8 also reads a name with underscores,
 * `--heap_growing_percent`, and a switch turned off as `--no-name` or `--noname`).
 */
function userSets(flag: string, execArgv: readonly string[], nodeOptions: string): boolean {
  const name = flag.slice(2);
  const names = [name, `no-${name}`, `no${name}`];
  const spellings = names.flatMap((n) => [`--${n}`, `--${n.replaceAll("-", "_")}`]);
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  return given.some((arg) => spellings.some((s) => arg === s || arg.startsWith(`${s}=`)));
}

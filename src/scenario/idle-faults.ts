import { parseDuration } from "./duration.js";
import type { UnplacedIssue } from "./issue.js";
import { where } from "./issue.js";
import { field, items } from "./raw-fields.js";

/**
 * Faults of no size, warned of (a run accepts them, and traces each as `fault.skipped`, not
 * fired): an `http-errors` or `http-timeouts` of rate 0, a `store-latency` of 0 ms, a
 * `clock-skew` of 0 on a worker no other `clock-skew` of the scenario has set off by then (to set
 * a clock right after a skew, a skew of 0 is the way: no warning then). With `timeOf` (an `at`'s
 * time in the run's window, or null), the faults' times say which skews are on when the 0 comes;
 * without it (or for a time that does not resolve), any other skew of the worker may be.
 */
export function checkIdleFaults(data: unknown, timeOf: TimeOf | null = null): UnplacedIssue[] {
  const faults = items(field(data, "faults"));
  const issues: UnplacedIssue[] = [];
  const warn = (i: number, key: string, why: string, found: string) =>
    issues.push({
      severity: "warning",
      path: ["faults", i, key],
      code: "no-effect",
      message: `${where(["faults", i, key])}${why}: the run traces it as skipped, not fired`,
      found,
    });
  // Every skew, with when it is on (`random` may set off any worker); one of 0 sets a clock right.
  const allSkews = faults.flatMap((f, index) =>
    field(f, "fault") === "clock-skew"
      ? [{ index, worker: field(f, "worker"), span: spanOf(f, timeOf), zero: isZero(field(f, "skew")) }]
      : [],
  );
  const skews = allSkews.filter((k) => !k.zero);
  faults.forEach((f, i) => {
    const kind = field(f, "fault");
    if ((kind === "http-errors" || kind === "http-timeouts") && field(f, "rate") === 0)
      warn(i, "rate", `a rate of 0 fails no delivery, so this ${kind} changes nothing`, "0");
    if (kind === "store-latency" && isZero(field(f, "latency")))
      warn(i, "latency", "a latency of 0 slows no store call, so this store-latency changes nothing", "0ms");
    if (kind !== "clock-skew" || !isZero(field(f, "skew"))) return;
    const worker = field(f, "worker");
    const at = spanOf(f, timeOf)?.fromMs;
    // A later skew of a clock replaces the one on: only the worker's last skew before this one, and
    // a `random` one after it, may have the clock off then.
    const last = worker === "random" ? undefined : lastBefore(allSkews, worker, at, i);
    const setOff = skews.some(
      (k) =>
        (worker === "random" || k.worker === worker || k.worker === "random") &&
        (last === undefined || k === last || (k.worker === "random" && !begunBefore(k, last))) &&
        onAt(k.span, k.index, at, i),
    );
    if (setOff) return;
    const whose = worker === "random" ? "any worker's clock" : `the clock of ${String(worker)}`;
    warn(
      i,
      "skew",
      `a skew of 0 sets a clock right, and no clock-skew of this scenario has set ${whose} off by then, so it changes nothing`,
      "0s",
    );
  });
  return issues;
}

/** When a fault is on (from its `at`, to its `duration`'s end, or to the run's end), or null when that is not known. */
function spanOf(f: unknown, timeOf: TimeOf | null): { fromMs: number; toMs: number } | null {
  const at = field(f, "at");
  const fromMs = timeOf === null || typeof at !== "string" ? null : timeOf(at);
  if (fromMs === null) return null;
  const duration = field(f, "duration");
  if (duration === undefined) return { fromMs, toMs: Number.POSITIVE_INFINITY };
  const parsed = typeof duration === "string" ? parseDuration(duration) : null;
  return parsed?.ok === true ? { fromMs, toMs: fromMs + parsed.ms } : null;
}

/** An `at` as written to its time in the run (epoch ms), or null when it does not resolve. */
export type TimeOf = (at: string) => number | null;

/**
 * Whether a skew (of span `span`, at `index` in `faults`) may be on when a 0 at `atMs` (at
 * `zeroIndex`) comes: begun before it (at the same time, earlier in the list) and not yet over.
 * Unknown times may be.
 */
function onAt(
  span: { fromMs: number; toMs: number } | null,
  index: number,
  atMs: number | undefined,
  zeroIndex: number,
): boolean {
  if (span === null || atMs === undefined) return true;
  const begun = span.fromMs < atMs || (span.fromMs === atMs && index < zeroIndex);
  return begun && span.toMs >= atMs;
}

interface Skew {
  readonly index: number;
  readonly worker: unknown;
  readonly span: { fromMs: number; toMs: number } | null;
  readonly zero: boolean;
}

/** Whether skew `a` surely comes before `b` in the run: earlier, or at the same time and written first. */
function begunBefore(a: Skew, b: Skew): boolean {
  if (a.span === null || b.span === null) return false;
  return a.span.fromMs < b.span.fromMs || (a.span.fromMs === b.span.fromMs && a.index < b.index);
}

/**
 * The last skew naming `worker` that surely comes before a 0 at `atMs` (at `zeroIndex`), or
 * undefined when there is none or a time is not known (any skew may be on then).
 */
function lastBefore(
  skews: readonly Skew[],
  worker: unknown,
  atMs: number | undefined,
  zeroIndex: number,
): Skew | undefined {
  if (atMs === undefined) return undefined;
  let last: Skew | undefined;
  for (const k of skews) {
    if (k.worker !== worker || k.index === zeroIndex) continue;
    if (k.span === null) return undefined;
    if (!(k.span.fromMs < atMs || (k.span.fromMs === atMs && k.index < zeroIndex))) continue;
    if (last === undefined || begunBefore(last, k)) last = k;
  }
  return last;
}

/** Whether a duration as written is 0 (`0`, `0s`, `0ms`); a value the schema refuses is not. */
function isZero(value: unknown): boolean {
  if (value === 0) return true;
  if (typeof value !== "string") return false;
  const parsed = parseDuration(value, { signed: true });
  return parsed.ok && parsed.ms === 0;
}

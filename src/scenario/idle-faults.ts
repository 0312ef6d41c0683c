import { parseDuration } from "./duration.js";
import type { UnplacedIssue } from "./issue.js";
import { field, items } from "./raw-fields.js";
import { where } from "./zod-issues.js";

/**
 * Faults of no size, warned of (a run accepts them, and traces each as `fault.skipped`, not
 * fired): an `http-errors` or `http-timeouts` of rate 0, a `store-latency` of 0 ms, a
 * `clock-skew` of 0 on a worker no other `clock-skew` of the scenario sets off (to set a clock
 * right after a skew, a skew of 0 is the way: no warning then).
 */
export function checkIdleFaults(data: unknown): UnplacedIssue[] {
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
  // Workers a skew of its own may set off (`random` may set off any).
  const skewed = new Set<unknown>();
  for (const f of faults)
    if (field(f, "fault") === "clock-skew" && !isZero(field(f, "skew"))) skewed.add(field(f, "worker"));
  faults.forEach((f, i) => {
    const kind = field(f, "fault");
    if ((kind === "http-errors" || kind === "http-timeouts") && field(f, "rate") === 0)
      warn(i, "rate", `a rate of 0 fails no delivery, so this ${kind} changes nothing`, "0");
    if (kind === "store-latency" && isZero(field(f, "latency")))
      warn(i, "latency", "a latency of 0 slows no store call, so this store-latency changes nothing", "0ms");
    if (kind !== "clock-skew" || !isZero(field(f, "skew"))) return;
    const worker = field(f, "worker");
    const setOff = worker === "random" ? skewed.size > 0 : skewed.has(worker) || skewed.has("random");
    if (setOff) return;
    const whose = worker === "random" ? "any worker's clock" : `the clock of ${String(worker)}`;
    warn(
      i,
      "skew",
      `a skew of 0 sets a clock right, and no clock-skew of this scenario sets ${whose} off, so it changes nothing`,
      "0s",
    );
  });
  return issues;
}

/** Whether a duration as written is 0 (`0`, `0s`, `0ms`); a value the schema refuses is not. */
function isZero(value: unknown): boolean {
  if (value === 0) return true;
  if (typeof value !== "string") return false;
  const parsed = parseDuration(value, { signed: true });
  return parsed.ok && parsed.ms === 0;
}

import { formatDurationText, schemaDefaultMs } from "./duration.js";
import type { PathKey, UnplacedIssue } from "./issue.js";
import { durationOr, field, items } from "./raw-fields.js";
import {
  BACKOFF_MAX_DEFAULT,
  FLEET_WORKERS_DEFAULT,
  LEASE_TTL_DEFAULT,
  REBALANCE_INTERVAL_DEFAULT,
  SLO_DEFAULT,
  STARTUP_TIME_DEFAULT,
} from "./schema.js";
import { where } from "./zod-issues.js";

/**
 * The least quiet bound: the checks' `QUIET_BOUND_MS_MIN` (`checks/run-info.ts`), which this layer
 * may not import; `test/scenario/quiet-bound.test.ts` holds the two equal.
 */
export const QUIET_BOUND_MS_MIN = 5 * 60_000;

/**
 * A fleet whose handoff takes longer than the quiet bound, warned of (a run accepts it: a scenario
 * may model a long lease on purpose). `deliveries-on-time-after-quiet` expects every due from the
 * quiet point plus the bound, max(5 min, 2 × SLO), on time: a fixed constant of the property, which
 * the trace alone gives (it does not carry the fleet's settings). After a crash the dead worker's
 * partitions are fired by nobody until its leases run out (`leaseTtl`), another worker's rebalance
 * tick takes them (`rebalanceInterval`), or its process is back (`startupTime`); a fleet of one
 * worker waits for its restart, up to the supervisor's `backoffMax`. When that takes longer than
 * the bound, a scheduler doing everything right fails the property after a kill, so the
 * scenario is told: raise the SLO, or shorten the lease. Only a scenario that may stop a worker
 * is warned (see `stopsWorkers`): a deletion, say, stops none with a scheduler that does right.
 */
export function checkQuietBound(data: unknown): UnplacedIssue[] {
  if (!stopsWorkers(data)) return [];
  const fleet = field(data, "fleet");
  const workers = field(fleet, "workers") ?? FLEET_WORKERS_DEFAULT;
  const leaseTtl = durationOr(field(fleet, "leaseTtl"), schemaDefaultMs(LEASE_TTL_DEFAULT));
  const rebalance = durationOr(
    field(fleet, "rebalanceInterval"),
    schemaDefaultMs(REBALANCE_INTERVAL_DEFAULT),
  );
  const startup = durationOr(field(fleet, "startupTime"), schemaDefaultMs(STARTUP_TIME_DEFAULT));
  const backoffMax = durationOr(
    field(field(fleet, "supervisor"), "backoffMax"),
    schemaDefaultMs(BACKOFF_MAX_DEFAULT),
  );
  const slo = durationOr(field(data, "slo"), schemaDefaultMs(SLO_DEFAULT));
  if (leaseTtl === null || rebalance === null || startup === null || backoffMax === null || slo === null)
    return [];
  const alone = workers === 1;
  const handoffMs = leaseTtl + rebalance + startup + (alone ? backoffMax : 0);
  const boundMs = Math.max(QUIET_BOUND_MS_MIN, 2 * slo);
  if (handoffMs <= boundMs) return [];
  const path: PathKey[] = field(fleet, "leaseTtl") !== undefined ? ["fleet", "leaseTtl"] : ["fleet"];
  const text = formatDurationText;
  const parts = `leaseTtl ${text(leaseTtl)} + rebalanceInterval ${text(rebalance)} + startupTime ${text(startup)}${alone ? ` + the supervisor's backoffMax ${text(backoffMax)}, for a fleet of one worker` : ""}`;
  return [
    {
      severity: "warning",
      path,
      code: "quiet-bound",
      message:
        `${where(path)}a crash's handoff may take ${text(handoffMs)} (${parts}), longer than the quiet bound ` +
        `of deliveries-on-time-after-quiet, max(5m, 2 × slo) = ${text(boundMs)}: dues that fall due in between may be ` +
        `late with a scheduler that does everything right, and fail the property (raise slo, or shorten the lease)`,
      expected: `a handoff of at most ${text(boundMs)}`,
      found: text(handoffMs),
    },
  ];
}

/** Faults that may stop a worker or its leases: all but those that slow, skew or fail deliveries. */
const GENTLE_FAULTS: ReadonlySet<unknown> = new Set([
  "http-errors",
  "http-timeouts",
  "clock-skew",
  "store-latency",
]);
/** Timeline actions that stop a worker, or may: a kill, a restart, a pause, a deploy, a scale-down. */
const STOPPING_ACTIONS: ReadonlySet<unknown> = new Set([
  "kill-worker",
  "restart-worker",
  "pause-worker",
  "deploy",
  "scale",
]);

/** Whether the scenario has a fault or a timeline action that may stop a worker, or end its leases. */
function stopsWorkers(data: unknown): boolean {
  return (
    items(field(data, "faults")).some((f) => !GENTLE_FAULTS.has(field(f, "fault"))) ||
    items(field(data, "timeline")).some((a) => STOPPING_ACTIONS.has(field(a, "action")))
  );
}

import {
  BACKOFF_INITIAL_DEFAULT,
  BACKOFF_MAX_DEFAULT,
  FLEET_WORKERS_DEFAULT,
  LEASE_TTL_DEFAULT,
  REBALANCE_INTERVAL_DEFAULT,
  RESET_AFTER_DEFAULT,
  SLO_DEFAULT,
  STARTUP_TIME_DEFAULT,
} from "./defaults.js";
import { formatDurationText, schemaDefaultMs } from "./duration.js";
import type { TimeOf } from "./idle-faults.js";
import type { PathKey, UnplacedIssue } from "./issue.js";
import { where } from "./issue.js";
import { durationOr, field, items } from "./raw-fields.js";

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
 * worker waits for its restart too, after the supervisor's back-off: `backoffInitial` after one
 * crash, doubling with each crash that follows within `resetAfter` of the last, up to
 * `backoffMax` (`crashBackoffMs`). When that takes longer than the bound, a scheduler doing
 * everything right fails the property after a kill, so the scenario is told, with the setting
 * that takes the most of it to shorten: raise the SLO, or shorten that. Only a scenario that may
 * stop a worker is warned (see `stopsWorkers`): a deletion, say, stops none with a scheduler that
 * does right. Times come from `timeOf`; a crash whose time does not resolve is taken to follow the
 * others closely.
 */
export function checkQuietBound(data: unknown, timeOf: TimeOf | null = null): UnplacedIssue[] {
  if (!stopsWorkers(data)) return [];
  const fleet = field(data, "fleet");
  const supervisor = field(fleet, "supervisor");
  const workers = field(fleet, "workers") ?? FLEET_WORKERS_DEFAULT;
  const leaseTtl = durationOr(field(fleet, "leaseTtl"), schemaDefaultMs(LEASE_TTL_DEFAULT));
  const rebalance = durationOr(
    field(fleet, "rebalanceInterval"),
    schemaDefaultMs(REBALANCE_INTERVAL_DEFAULT),
  );
  const startup = durationOr(field(fleet, "startupTime"), schemaDefaultMs(STARTUP_TIME_DEFAULT));
  const backoff = {
    initial: durationOr(field(supervisor, "backoffInitial"), schemaDefaultMs(BACKOFF_INITIAL_DEFAULT)),
    max: durationOr(field(supervisor, "backoffMax"), schemaDefaultMs(BACKOFF_MAX_DEFAULT)),
    resetAfter: durationOr(field(supervisor, "resetAfter"), schemaDefaultMs(RESET_AFTER_DEFAULT)),
  };
  const slo = durationOr(field(data, "slo"), schemaDefaultMs(SLO_DEFAULT));
  if (leaseTtl === null || rebalance === null || startup === null || slo === null) return [];
  if (backoff.initial === null || backoff.max === null || backoff.resetAfter === null) return [];
  const text = formatDurationText;
  const parts: { readonly setting: string; readonly ms: number; readonly words: string }[] = [
    { setting: "fleet.leaseTtl", ms: leaseTtl, words: `leaseTtl ${text(leaseTtl)}` },
    { setting: "fleet.rebalanceInterval", ms: rebalance, words: `rebalanceInterval ${text(rebalance)}` },
    { setting: "fleet.startupTime", ms: startup, words: `startupTime ${text(startup)}` },
  ];
  if (workers === 1) {
    const crashes = crashBackoff(data, timeOf, backoff as CrashBackoff, startup);
    parts.push({
      setting: crashes.setting,
      ms: crashes.ms,
      words: `the supervisor's ${crashes.words}, for a fleet of one worker`,
    });
  }
  const handoffMs = parts.reduce((sum, part) => sum + part.ms, 0);
  const boundMs = Math.max(QUIET_BOUND_MS_MIN, 2 * slo);
  if (handoffMs <= boundMs) return [];
  const path: PathKey[] = field(fleet, "leaseTtl") !== undefined ? ["fleet", "leaseTtl"] : ["fleet"];
  // The setting that takes the most of the handoff (the first of a tie), to shorten.
  const most = parts.reduce((a, b) => (b.ms > a.ms ? b : a));
  return [
    {
      severity: "warning",
      path,
      code: "quiet-bound",
      message:
        `${where(path)}a crash's handoff may take ${text(handoffMs)} (${parts.map((p) => p.words).join(" + ")}), longer than the quiet bound ` +
        `of deliveries-on-time-after-quiet, max(5m, 2 × slo) = ${text(boundMs)}: dues that fall due in between may be ` +
        `late with a scheduler that does everything right, and fail the property (raise slo, or shorten ${most.setting}, ${text(most.ms)} of it)`,
      expected: `a handoff of at most ${text(boundMs)}`,
      found: text(handoffMs),
    },
  ];
}

/** A supervisor's back-off settings (ms). */
interface CrashBackoff {
  readonly initial: number;
  readonly max: number;
  readonly resetAfter: number;
}

/**
 * The longest back-off the scenario's crashes may reach, as the supervisor counts them: the
 * `kill-worker`s (faults and timeline), and each panic an `inject-panic` may throw (its `count`,
 * each a crash where no fix recovers it, thrown as soon as the worker serves again). The n-th crash
 * of a process started less than `resetAfter` before it waits `backoffInitial × 2^(n-1)`, at most
 * `backoffMax`; a kill while the worker waits in back-off finds no process (skipped). At least
 * `backoffInitial`, as any stop may be a crash (a pause or a restart is none). A crash whose time
 * does not resolve is taken to come right after the others.
 */
export function crashBackoff(
  data: unknown,
  timeOf: TimeOf | null,
  b: CrashBackoff,
  startupMs: number,
): { readonly ms: number; readonly setting: string; readonly words: string } {
  // Crashes, and the restarts and deploys that replace the worker's process (n 0): a new process
  // starts its back-off over, as the supervisor's count of restarts is reset then.
  const crashes: { readonly t: number; readonly n: number }[] = [];
  const when = (at: unknown) =>
    (timeOf === null || typeof at !== "string" ? null : timeOf(at)) ?? Number.POSITIVE_INFINITY;
  for (const f of items(field(data, "faults"))) {
    const kind = field(f, "fault");
    const count = kind === "inject-panic" ? (field(f, "count") ?? 1) : kind === "kill-worker" ? 1 : 0;
    const n = typeof count === "number" && Number.isFinite(count) ? Math.min(count, 64) : 64;
    if (n > 0) crashes.push({ t: when(field(f, "at")), n });
  }
  for (const a of items(field(data, "timeline"))) {
    const action = field(a, "action");
    if (action === "kill-worker") crashes.push({ t: when(field(a, "at")), n: 1 });
    else if (action === "restart-worker" || action === "deploy")
      crashes.push({ t: when(field(a, "at")), n: 0 });
  }
  crashes.sort((x, y) => x.t - y.t);
  let restarts = 0;
  let startedAt = Number.NEGATIVE_INFINITY;
  let longest = { ms: b.initial, restarts: 1 };
  for (const crash of crashes) {
    if (crash.n === 0 && crash.t !== Number.POSITIVE_INFINITY) {
      restarts = 0;
      startedAt = crash.t;
    }
    for (let i = 0; i < crash.n; i++) {
      // A panic thrown again once the worker serves; an unknown time right after the last crash.
      const unknown = crash.t === Number.POSITIVE_INFINITY;
      const t =
        i === 0 && !unknown
          ? crash.t
          : Math.max(unknown ? Number.NEGATIVE_INFINITY : crash.t, startedAt + startupMs);
      if (t < startedAt) continue;
      if (t - startedAt >= b.resetAfter) restarts = 0;
      const ms = Math.min(b.max, b.initial * 2 ** Math.min(restarts, 30));
      restarts++;
      if (ms > longest.ms) longest = { ms, restarts };
      startedAt = t + ms;
    }
  }
  const text = formatDurationText;
  const { ms } = longest;
  if (longest.restarts === 1)
    return { ms, setting: "fleet.supervisor.backoffInitial", words: `backoffInitial ${text(ms)}` };
  const reached = `reached by ${longest.restarts} crashes within resetAfter ${text(b.resetAfter)} of a restart`;
  return ms === b.max
    ? { ms, setting: "fleet.supervisor.backoffMax", words: `backoffMax ${text(ms)}, ${reached}` }
    : {
        ms,
        setting: "fleet.supervisor.backoffInitial",
        words: `back-off ${text(ms)} (backoffInitial ${text(b.initial)} doubled, ${reached})`,
      };
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

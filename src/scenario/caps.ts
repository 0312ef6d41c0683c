import { DAY_MS } from "../kernel/index.js";
import { firesPerDay } from "./cron-rate.js";
import type { PathKey, UnplacedIssue } from "./issue.js";
import type { Scenario } from "./types.js";

/**
 * Size caps ("put a limit on everything"): a scenario whose workload would not fit is refused
 * before it runs, with a message saying which knob to lower, instead of running out of memory
 * or events an hour in. The estimates are deliberately rough and on the high side; they bound,
 * they do not predict.
 */

export interface ScenarioCaps {
  /** Most schedules at the start: generated accounts at their maximum, plus named ones. */
  readonly schedulesMax: number;
  /** Most estimated events; the scenario's `limits.maxEvents` applies too, whichever is lower. */
  readonly eventsMax: number;
  /** Most estimated memory, in bytes. */
  readonly memoryBytesMax: number;
  /** Longest scenario text, in characters: checked before parsing, which is not free. */
  readonly textCharsMax: number;
}

export const DEFAULT_CAPS: ScenarioCaps = {
  schedulesMax: 200_000,
  eventsMax: Number.MAX_SAFE_INTEGER,
  memoryBytesMax: 2 * 1024 ** 3,
  textCharsMax: 16 * 1024 ** 2,
};

export interface SizeEstimate {
  /** Upper bound of schedules at the start (and created by the timeline). */
  readonly schedules: number;
  /** Expected schedule fires within the run. */
  readonly fires: number;
  /** Expected events of one run. */
  readonly events: number;
  /** Expected peak memory of one run, in bytes. */
  readonly memoryBytes: number;
}

/** Events one fire causes when delivered first time: fired, task, store calls, sent, acked, committed. */
const EVENTS_PER_FIRE = 8;
/** Events of one heartbeat or rebalance tick of one worker: the timer and the store call. */
const EVENTS_PER_TICK = 2;
const BYTES_PER_SCHEDULE = 1024;
const BYTES_PER_ACCOUNT = 256;
const BYTES_PER_PARTITION = 512;
const BYTES_PER_TASK_SLOT = 4096;
const BYTES_BASELINE = 64 * 1024 ** 2;

/** Estimates how big a run of `scenario` is. */
export function estimateSize(scenario: Scenario): SizeEstimate {
  const { workload, fleet, durationMs, startMs, endMs } = scenario;
  const named = workload.named.reduce((n, account) => n + account.schedules.length, 0);
  const created = scenario.timeline.filter((a) => a.action === "create-schedule").length;
  const schedules = workload.accounts * workload.schedulesPerAccount.max + named + created;
  const meanPerAccount = (workload.schedulesPerAccount.min + workload.schedulesPerAccount.max) / 2;
  const totalWeight = workload.cron.reduce((sum, c) => sum + c.weight, 0);
  const firesPerGenerated = workload.cron.reduce(
    (sum, c) => sum + (c.weight / totalWeight) * firesOf(c.expr, startMs, endMs),
    0,
  );
  let fires = workload.accounts * meanPerAccount * firesPerGenerated;
  for (const account of workload.named) {
    for (const schedule of account.schedules) fires += firesOf(schedule.cron, startMs, endMs);
  }
  for (const action of scenario.timeline) {
    if (action.action === "create-schedule") fires += firesOf(action.cron, action.atMs, endMs);
  }
  const retryFactor = 1 + workload.retries * workload.destination.failureRate;
  // A heartbeat renews all of a worker's leases in one store call; a rebalance tick is one scan.
  const workers = maxWorkers(scenario);
  const background =
    (durationMs / fleet.heartbeatMs) * workers * EVENTS_PER_TICK +
    (durationMs / fleet.rebalanceIntervalMs) * workers * EVENTS_PER_TICK +
    (durationMs / scenario.sampleIntervalMs) * (1 + scenario.alerts.length);
  const events = Math.ceil(fires * EVENTS_PER_FIRE * retryFactor + background);
  const accounts = workload.accounts + workload.named.length;
  const memoryBytes =
    BYTES_BASELINE +
    schedules * BYTES_PER_SCHEDULE +
    accounts * BYTES_PER_ACCOUNT +
    fleet.partitions * BYTES_PER_PARTITION +
    maxWorkers(scenario) * fleet.concurrency * BYTES_PER_TASK_SLOT;
  return { schedules, fires: Math.ceil(fires), events, memoryBytes };
}

/** Issues for every cap the scenario exceeds, each naming what to lower. */
export function checkCaps(scenario: Scenario, caps: ScenarioCaps): UnplacedIssue[] {
  const estimate = estimateSize(scenario);
  const issues: UnplacedIssue[] = [];
  const { workload } = scenario;
  const workloadPath: PathKey[] = workload.accounts > 0 ? ["workload", "accounts"] : ["workload", "named"];
  if (estimate.schedules > caps.schedulesMax) {
    issues.push({
      path: workloadPath,
      code: "too-large",
      message: `the workload has up to ${count(estimate.schedules)} schedules, more than the cap of ${count(caps.schedulesMax)}: lower workload.accounts (now ${count(workload.accounts)}) or workload.schedulesPerAccount.max (now ${workload.schedulesPerAccount.max})`,
      expected: `at most ${count(caps.schedulesMax)} schedules`,
      found: `up to ${count(estimate.schedules)}`,
    });
  }
  const eventsMax = Math.min(caps.eventsMax, scenario.limits.maxEvents);
  if (estimate.events > eventsMax) {
    const which = eventsMax === scenario.limits.maxEvents ? "limits.maxEvents" : "the events cap";
    issues.push({
      path: workload.accounts > 0 ? workloadPath : ["duration"],
      code: "too-large",
      message: `a run would process about ${count(estimate.events)} events (${count(estimate.fires)} schedule fires), more than ${which} (${count(eventsMax)}): lower workload.accounts or workload.schedulesPerAccount, pick less frequent expressions in workload.cron, or shorten duration${which === "limits.maxEvents" ? "; or raise limits.maxEvents" : ""}`,
      expected: `at most ${count(eventsMax)} events`,
      found: `about ${count(estimate.events)}`,
    });
  }
  if (estimate.memoryBytes > caps.memoryBytesMax) {
    issues.push({
      path: workloadPath,
      code: "too-large",
      message: `a run would need about ${gigabytes(estimate.memoryBytes)} of memory, more than the cap of ${gigabytes(caps.memoryBytesMax)}: lower workload.accounts, workload.schedulesPerAccount.max or fleet.concurrency`,
      expected: `at most ${gigabytes(caps.memoryBytesMax)}`,
      found: `about ${gigabytes(estimate.memoryBytes)}`,
    });
  }
  return issues;
}

/** Expected fires of one expression in [fromMs, toMs], from its mean rate. */
function firesOf(expr: string, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return 0;
  const pattern = expr.trim().replace(/^CRON_TZ=\S+\s+/, "");
  return (firesPerDay(pattern) * (toMs - fromMs)) / DAY_MS;
}

function maxWorkers(scenario: Scenario): number {
  return scenario.timeline.reduce(
    (most, a) => (a.action === "scale" ? Math.max(most, a.workers) : most),
    scenario.fleet.workers,
  );
}

function count(n: number): string {
  // Not toLocaleString: its output depends on the ICU data Node was built with.
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

import { DAY_MS } from "../kernel/index.js";
import { plural } from "../kernel/time.js";
import { retryBackoffMs } from "../schedulers/message.js";
import { parseCron } from "../world/cron.js";
import { firesPerDay } from "./cron-rate.js";
import { formatDurationText } from "./duration.js";
import { givenValueText, jsValueText, type PathKey, type UnplacedIssue } from "./issue.js";
import { closest } from "./suggest.js";
import type { Scenario } from "./types.js";

/**
 * Size caps ("put a limit on everything"): a scenario whose workload would not fit is refused
 * before it runs, with a message saying which knob to lower, instead of running out of memory
 * or events an hour in. The estimates are deliberately rough and on the high side; they bound,
 * they do not predict. The event counts are calibrated on the bundled schedulers (a few
 * scenarios of 30 minutes came within 20% above the real count); what the estimate does not
 * model (a store outage, crash loops, a user's scheduler module) can take a run past it.
 */

export interface ScenarioCaps {
  /** Most schedules at the start: generated accounts at their maximum, plus named ones. */
  readonly schedulesMax: number;
  /**
   * Most estimated events. The scenario's `limits.maxEvents` is not a cap: an estimate past it
   * is a warning, as the run enforces the limit exactly.
   */
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

/** The names of the caps, as `parseScenario`'s `caps` takes them. */
const CAP_NAMES = Object.keys(DEFAULT_CAPS) as readonly (keyof ScenarioCaps)[];

/**
 * The caps `parseScenario`'s `options.caps` asks for, each one left out (or undefined, as a spread
 * leaves it) at its default. Throws a TypeError or RangeError naming the cap for caps of the wrong
 * shape: from JavaScript, a number or a misspelt name was read as no caps at all, a cap written as
 * text was compared as a number, and one that is no whole number ≥ 1 (NaN, -1, null) held nothing
 * or refused every scenario, each without a word.
 */
export function capsOption(given: unknown): ScenarioCaps {
  if (given === undefined) return DEFAULT_CAPS;
  const expected = `expected { ${CAP_NAMES.join(", ")} }, each a whole number ≥ 1 (any left out takes its default)`;
  if (given === null || typeof given !== "object" || Array.isArray(given))
    throw new TypeError(`options.caps: ${expected}, found ${jsValueText(given)}`);
  const caps: Record<string, number> = { ...DEFAULT_CAPS };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!(CAP_NAMES as readonly string[]).includes(name)) {
      const near = closest(name, CAP_NAMES);
      throw new TypeError(
        `options.caps.${name}: no such cap${near === undefined ? ` (the caps are ${CAP_NAMES.join(", ")})` : ` — did you mean ${near}?`}`,
      );
    }
    const wanted = `a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER for no cap)`;
    if (typeof value !== "number")
      throw new TypeError(`options.caps.${name}: expected ${wanted}, found ${givenValueText(value)}`);
    if (!(Number.isSafeInteger(value) && value >= 1))
      throw new RangeError(`options.caps.${name}: expected ${wanted}, found ${givenValueText(value)}`);
    caps[name] = value;
  }
  return caps as unknown as ScenarioCaps;
}

export interface SizeEstimate {
  /** Upper bound of schedules at the start (and created by the timeline). */
  readonly schedules: number;
  /** Expected schedule fires within the run. */
  readonly fires: number;
  /** Expected events of one run: the sum of `parts`. */
  readonly events: number;
  /** What the events come from, largest first (those with none left out). */
  readonly parts: readonly EventPart[];
  /** Expected peak memory of one run, in bytes. */
  readonly memoryBytes: number;
}

/**
 * One source of a run's events, as an events message names it: `what` says how many of what
 * (`2,880 schedule fires`, `a sample every 1ms`), `path` is the key that sets it, `lower` how to
 * make it smaller.
 */
export interface EventPart {
  readonly events: number;
  readonly what: string;
  readonly path: readonly PathKey[];
  readonly lower: string;
}

/** Events one fire causes when delivered first time: fired, task, store calls, sent, acked, committed (about 5). */
const EVENTS_PER_FIRE = 6;
/** Events one delivery retry causes: the task, the account read, the send, the commit (about 3.5). */
const EVENTS_PER_RETRY = 4;
/** Events of one heartbeat or rebalance tick of one worker: the timer and the store call. */
const EVENTS_PER_TICK = 2;
/** Events of one scheduler loop tick of one worker: the sleep, and now and then a claim. */
const EVENTS_PER_LOOP_TICK = 1.2;
/** The loop period of the bundled schedulers, unless `scheduler.options.tickMs` says otherwise. */
const LOOP_TICK_MS_DEFAULT = 1000;
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
  // Each named account's own fires, for a fault aimed at its destination alone.
  const firesOfAccount = new Map<string, number>();
  const add = (account: string, n: number) => {
    fires += n;
    firesOfAccount.set(account, (firesOfAccount.get(account) ?? 0) + n);
  };
  for (const account of workload.named) {
    for (const schedule of account.schedules) add(account.id, firesOf(schedule.cron, startMs, endMs));
  }
  for (const action of scenario.timeline) {
    if (action.action === "create-schedule") add(action.account, firesOf(action.cron, action.atMs, endMs));
  }
  const perMs = (n: number) => n / Math.max(1, durationMs);
  // An account not named is a generated one: the mean of those (on the high side: its largest).
  const firesPerMsOf = (account: string | undefined) =>
    perMs(
      account === undefined
        ? fires
        : (firesOfAccount.get(account) ?? workload.schedulesPerAccount.max * firesPerGenerated),
    );
  const retries = retriesOf(scenario, firesPerMsOf);
  const parts = eventParts(scenario, fires, retries)
    .filter((p) => p.events > 0)
    .sort((a, b) => b.events - a.events);
  const events = Math.ceil(parts.reduce((sum, p) => sum + p.events, 0));
  const accounts = workload.accounts + workload.named.length;
  const memoryBytes =
    BYTES_BASELINE +
    schedules * BYTES_PER_SCHEDULE +
    accounts * BYTES_PER_ACCOUNT +
    fleet.partitions * BYTES_PER_PARTITION +
    taskSlotBytes(scenario, schedules);
  return { schedules, fires: Math.ceil(fires), events, parts, memoryBytes };
}

/**
 * Memory of the tasks under way: a worker runs at most `fleet.concurrency` at once, and no more
 * than there are schedules to fire (a slot takes memory only while a task runs in it).
 */
function taskSlotBytes(scenario: Scenario, schedules: number): number {
  return maxWorkers(scenario) * Math.min(scenario.fleet.concurrency, schedules) * BYTES_PER_TASK_SLOT;
}

/** The events of a run by what causes them, each with the key that sets it. */
function eventParts(scenario: Scenario, fires: number, retries: number): EventPart[] {
  const { workload, fleet, durationMs } = scenario;
  // A heartbeat renews all of a worker's leases in one store call; a rebalance tick is one scan.
  const workers = maxWorkers(scenario);
  const every = (ms: number) => `every ${formatDurationText(ms)}`;
  const tickMs = loopTickMs(scenario);
  const alerts = scenario.alerts.length;
  return [
    {
      events: fires * EVENTS_PER_FIRE,
      what: `${count(fires)} schedule fires`,
      path: workload.accounts > 0 ? ["workload", "accounts"] : ["workload", "named"],
      lower:
        "lower workload.accounts or workload.schedulesPerAccount, or pick less frequent expressions in workload.cron",
    },
    {
      events: retries * EVENTS_PER_RETRY,
      what: `${count(retries)} delivery retries`,
      path: ["workload", "retries"],
      lower:
        "lower workload.retries, workload.destination.failureRate or the rate of http-errors and http-timeouts faults",
    },
    {
      events: (durationMs / fleet.heartbeatMs) * workers * EVENTS_PER_TICK,
      what: `heartbeats of ${plural(workers, "worker")} ${every(fleet.heartbeatMs)}`,
      path: ["fleet", "heartbeat"],
      lower: `raise fleet.heartbeat (now ${formatDurationText(fleet.heartbeatMs)})`,
    },
    {
      events: (durationMs / fleet.rebalanceIntervalMs) * workers * EVENTS_PER_TICK,
      what: `rebalances of ${plural(workers, "worker")} ${every(fleet.rebalanceIntervalMs)}`,
      path: ["fleet", "rebalanceInterval"],
      lower: `raise fleet.rebalanceInterval (now ${formatDurationText(fleet.rebalanceIntervalMs)})`,
    },
    {
      events: (durationMs / tickMs) * loopEventsPerTick(scenario, workers),
      what: `scheduler loop ticks ${every(tickMs)}`,
      path: ["scheduler", "options", "tickMs"],
      lower: `raise scheduler.options.tickMs (now ${tickMs})`,
    },
    {
      events: (durationMs / scenario.sampleIntervalMs) * (1 + alerts),
      what: `metric samples ${every(scenario.sampleIntervalMs)}${alerts > 0 ? ` and ${plural(alerts, "alert")} checked at each` : ""}`,
      path: ["sampleInterval"],
      lower: `raise sampleInterval (now ${formatDurationText(scenario.sampleIntervalMs)})${alerts > 0 ? " or have fewer alerts" : ""}`,
    },
  ];
}

/** Issues for every cap the scenario exceeds, each naming what to lower (warnings among them). */
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
  const eventsIssue = eventsIssueOf(scenario, estimate, caps.eventsMax);
  if (eventsIssue !== null) issues.push(eventsIssue);
  if (estimate.memoryBytes > caps.memoryBytesMax) {
    // Where the tasks under way take the most, it is the concurrency to lower.
    const slots = taskSlotBytes(scenario, estimate.schedules) > estimate.memoryBytes / 2;
    issues.push({
      path: slots ? ["fleet", "concurrency"] : workloadPath,
      code: "too-large",
      message: `a run would need about ${gigabytes(estimate.memoryBytes)} of memory, more than the cap of ${gigabytes(caps.memoryBytesMax)}: ${slots ? `lower fleet.concurrency (now ${count(scenario.fleet.concurrency)}), the tasks each worker runs at once` : "lower workload.accounts, workload.schedulesPerAccount.max or fleet.concurrency"}`,
      expected: `at most ${gigabytes(caps.memoryBytesMax)}`,
      found: `about ${gigabytes(estimate.memoryBytes)}`,
    });
  }
  return issues;
}

/**
 * How far the size estimate may run over a run's real event count: it is on the high side, up to
 * about twice the real count in some worlds (a scheduler module with another loop tick, say).
 */
const ESTIMATE_HIGH_BY = 2;

/**
 * The events issue, if any. Past the tool's cap, the scenario is refused: the cap protects the
 * machine. Past the scenario's own `limits.maxEvents` by more than the estimate can be high
 * (`ESTIMATE_HIGH_BY`), it is refused too: every run would stop at the limit (a week of 20,000
 * accounts under the default 50,000,000, say). Past it by less, it is a warning: a limit set just
 * above what a run needs would be refused for nothing, while the run enforces the limit exactly.
 */
function eventsIssueOf(scenario: Scenario, estimate: SizeEstimate, capMax: number): UnplacedIssue | null {
  const limitMax = scenario.limits.maxEvents;
  const overCap = estimate.events > capMax;
  if (!overCap && estimate.events <= limitMax) return null;
  const refused = overCap || estimate.events > ESTIMATE_HIGH_BY * limitMax;
  // The bound the refusal applies: the cap, or twice the limit (the warning's, the limit itself).
  const eventsMax = overCap ? capMax : refused ? ESTIMATE_HIGH_BY * limitMax : limitMax;
  const parts = estimate.parts.map((p) => `${count(p.events)} from ${p.what}`).join(", ");
  const about = `a run would process about ${count(estimate.events)} events (${parts}; a rough estimate, meant to be on the high side)`;
  // The largest part is what to lower; the duration scales every part.
  const largest = estimate.parts[0];
  const lower = `${largest.lower}, or shorten duration`;
  const message = overCap
    ? `${about}, more than the events cap (${count(capMax)}): ${lower}`
    : refused
      ? `${about}, more than ${ESTIMATE_HIGH_BY} times limits.maxEvents (${count(limitMax)}), so every run would stop at the limit: ${lower}; or raise limits.maxEvents`
      : `${about}, more than limits.maxEvents (${count(limitMax)}): a run that reaches the limit stops early and is not judged, and the command exits 2 naming the limit; raise limits.maxEvents if a run needs more, or ${lower}`;
  return {
    // What to lower keeps its path (an API user reads it); its place is where the file writes it.
    path: [...largest.path],
    placeAt: eventsPlaceOf(scenario, largest.path, !overCap),
    code: "too-large",
    message,
    expected: `at most ${count(eventsMax)} events`,
    found: `about ${count(estimate.events)}`,
    ...(refused ? {} : { severity: "warning" as const }),
  };
}

/**
 * Where in the file the events issue is placed (its line and column; its `path` stays the largest
 * part's): at the largest part's field when the file writes it (what to lower first), else at
 * `limits.maxEvents` when the issue is the scenario's own limit and the file writes it, else at
 * `duration`, which every file writes and which scales every part. A default (a loop tick the file
 * leaves out, say) has no place of its own: its nearest written ancestor could be the whole
 * document, line 1, column 1. A scenario given from code, with no document, has the largest part's.
 */
function eventsPlaceOf(scenario: Scenario, largest: readonly PathKey[], pastLimit: boolean): PathKey[] {
  const candidates: (readonly PathKey[])[] = [
    largest,
    ...(pastLimit ? [["limits", "maxEvents"]] : []),
    ["duration"],
  ];
  // A copy of a parsed Scenario (structuredClone, JSON) has no `locate`: no document, as from code.
  const written = candidates.find((path) => (scenario.source.locate?.(path) ?? null) !== null);
  return [...(written ?? largest)];
}

/** The five fields of an expression (a nickname written out); its text if it does not parse. */
function patternOf(expr: string): string {
  try {
    return parseCron(expr).pattern;
  } catch {
    return expr;
  }
}

/** Expected fires of one expression in [fromMs, toMs], from its mean rate. */
function firesOf(expr: string, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return 0;
  return (firesPerDay(patternOf(expr)) * (toMs - fromMs)) / DAY_MS;
}

/**
 * Expected delivery retries: every failed attempt is retried after QStash's back-off until
 * `workload.retries` runs out, and only the retries that fit before the horizon count (with
 * back-offs of 12 s, 2.5 min and 30 min, a run of half an hour sees at most two per fire).
 * Failures come from `workload.destination.failureRate` over the whole run and from each
 * `http-errors` or `http-timeouts` fault over its window, of every account's fires or, aimed at an
 * account, of that account's (`firesPerMsOf`); a fire's kth retry happens when its k attempts all
 * failed.
 */
function retriesOf(scenario: Scenario, firesPerMsOf: (account: string | undefined) => number): number {
  const { workload, startMs, endMs } = scenario;
  const windows = [
    {
      fromMs: startMs,
      toMs: endMs,
      rate: workload.destination.failureRate,
      firesPerMs: firesPerMsOf(undefined),
    },
  ];
  for (const f of scenario.faults) {
    if (f.fault === "http-errors" || f.fault === "http-timeouts")
      windows.push({
        fromMs: f.atMs,
        toMs: Math.min(endMs, f.atMs + f.durationMs),
        rate: f.rate,
        firesPerMs: firesPerMsOf(f.account ?? undefined),
      });
  }
  let retries = 0;
  for (const w of windows) {
    let backoffMs = 0;
    for (let k = 1; k <= workload.retries && w.rate > 0; k++) {
      backoffMs += retryBackoffMs(k);
      // Fires from the window's start until the last one whose kth retry is still in the run.
      const spanMs = Math.min(w.toMs, endMs - backoffMs) - w.fromMs;
      if (spanMs <= 0) break;
      retries += spanMs * w.firesPerMs * w.rate ** k;
    }
  }
  return retries;
}

/** The scheduler loop's period: its `tickMs` option, or the bundled schedulers' default. */
function loopTickMs(scenario: Scenario): number {
  const tickMs = scenario.scheduler.options.tickMs;
  return typeof tickMs === "number" && tickMs > 0 ? tickMs : LOOP_TICK_MS_DEFAULT;
}

/** Events of one loop tick across the fleet: v1 claims partition by partition, v2 all at once. */
function loopEventsPerTick(scenario: Scenario, workers: number): number {
  const { scheduler } = scenario;
  const perPartition = scheduler.kind === "builtin" && scheduler.version === "v1";
  return workers * EVENTS_PER_LOOP_TICK + (perPartition ? scenario.fleet.partitions : 0);
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

/** The caps each Scenario `parseScenario` gave was parsed under, when they were not the defaults. */
const capsOfParsed = new WeakMap<object, ScenarioCaps>();

/** Notes the caps `scenario` was parsed under (`parseScenario`'s `caps`). */
export function noteParsedCaps(scenario: object, caps: ScenarioCaps): void {
  if (caps !== DEFAULT_CAPS) capsOfParsed.set(scenario, caps);
}

/**
 * The caps a Scenario is held to when it comes from code: those it was parsed under, as
 * `parseScenario` gave it; the defaults for any other (one varied from it by a spread is another
 * object: parse its text with the caps again, or vary the document).
 */
export function parsedCaps(scenario: unknown): ScenarioCaps {
  return (typeof scenario === "object" && scenario !== null && capsOfParsed.get(scenario)) || DEFAULT_CAPS;
}

import type { TimeMs } from "../kernel/index.js";
import { checkDeadFaults } from "./dead-faults.js";
import {
  BACKOFF_INITIAL_DEFAULT,
  BACKOFF_MAX_DEFAULT,
  SAMPLE_INTERVAL_DEFAULT,
  SCHEDULES_PER_ACCOUNT_DEFAULT,
} from "./defaults.js";
import { formatDurationText, parseDuration, schemaDefaultMs } from "./duration.js";
import { checkIdleFaults, type TimeOf } from "./idle-faults.js";
import { describeValue, type PathKey, pathText, type UnplacedIssue, where } from "./issue.js";
import { checkLeaseMargin } from "./lease-margin.js";
import { checkModuleDeploys } from "./module-deploys.js";
import { checkQuietBound } from "./quiet-bound.js";
import { durationOr, field, items } from "./raw-fields.js";
import { checkIdRefs, type SeedsToRun } from "./ref-world.js";
import { checkSchedulerFixes } from "./scheduler-fixes.js";
import { checkSchedulerOptions } from "./scheduler-options.js";
import { AT_FORMS, INSTANT_MS_MAX, instantText, parseInstant, parseTimeRef, resolveTimeRef } from "./time.js";
import { ALERT_METRIC_KINDS, METRIC_KINDS, type MetricKind } from "./vocabulary.js";

/**
 * Checks that need more than one field: times within the run, a heartbeat shorter than the
 * lease, ids used once, expectation values that fit their metric. They read the raw document
 * defensively (a field of the wrong type is skipped: the schema reports it), so that they run
 * even when the schema found problems and every issue is reported in one pass.
 */

export interface RunWindow {
  readonly startMs: TimeMs;
  readonly endMs: TimeMs;
}

/**
 * Every cross-field problem of a document. `seed` is the seed (or seeds) the references to
 * generated ids are checked at (the file's own if absent).
 */
export function checkSemantics(data: unknown, seed?: SeedsToRun): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  const end = checkRunEnd(data);
  if (end !== null) issues.push(end);
  const window = runWindowOf(data);
  if (window !== null) issues.push(...checkTimes(data, window));
  else {
    // Without a valid end (a `duration` of its own problem), a time before a valid start is
    // still wrong, and said in the same pass.
    const start = field(data, "start");
    const startMs = typeof start === "string" ? parseInstant(start) : null;
    if (startMs?.ok === true) issues.push(...checkTimes(data, { startMs: startMs.value, endMs: null }));
  }
  issues.push(...checkFleet(data));
  issues.push(...checkLeaseMargin(data));
  const timeOf: TimeOf | null =
    window === null
      ? null
      : (at) => {
          const t = resolveAt(at, window);
          return t.ok ? t.value : null;
        };
  issues.push(...checkQuietBound(data, timeOf));
  issues.push(...checkSchedulesPerAccount(data));
  issues.push(...checkIds(data));
  issues.push(...checkIdRefs(data, window, seed));
  issues.push(...checkSchedulerFixes(data));
  issues.push(...checkSchedulerOptions(data));
  issues.push(...checkExpectations(data, window));
  issues.push(...checkAlertThresholds(data));
  if (window !== null) issues.push(...checkSampleInterval(data, window));
  issues.push(...checkIdleFaults(data, timeOf));
  issues.push(...checkDeadFaults(data, timeOf));
  issues.push(...checkModuleDeploys(data));
  return issues;
}

/** The run's window, if `start` and `duration` are both valid and it ends by the last instant a time can hold. */
export function runWindowOf(data: unknown): RunWindow | null {
  const window = uncheckedWindowOf(data);
  return window === null || window.endMs > INSTANT_MS_MAX ? null : window;
}

function uncheckedWindowOf(data: unknown): RunWindow | null {
  const start = field(data, "start");
  const duration = field(data, "duration");
  if (typeof start !== "string" || typeof duration !== "string") return null;
  const startMs = parseInstant(start);
  const durationMs = parseDuration(duration, { positive: true });
  if (!startMs.ok || !durationMs.ok) return null;
  return { startMs: startMs.value, endMs: startMs.value + durationMs.ms };
}

/**
 * A run must end by the latest instant a scenario can write (9999-12-31T23:59:59.999Z): every
 * time of the run is printed in that form, traced, and handed to croner as a Date, and a Date
 * ends not far beyond (year 275760), where the times would have no text at all.
 */
function checkRunEnd(data: unknown): UnplacedIssue | null {
  const window = uncheckedWindowOf(data);
  if (window === null || window.endMs <= INSTANT_MS_MAX) return null;
  return endsPastLastInstant(
    ["duration"],
    "the run",
    window.startMs,
    String(field(data, "duration")),
    "this",
  );
}

/** `path` (a duration from `startMs`) ends `what` after the latest instant a scenario can write. */
function endsPastLastInstant(
  path: PathKey[],
  what: string,
  startMs: TimeMs,
  found: string,
  whoseStart: "this" | "its",
): UnplacedIssue {
  return {
    path,
    code: "out-of-range",
    message: `${pathText(path)}: ${what} would end after ${instantText(INSTANT_MS_MAX)}, the latest time a scenario can write`,
    expected: `a duration of at most ${formatDurationText(INSTANT_MS_MAX - startMs)} from ${whoseStart} start`,
    found,
  };
}

export type Resolved<T> =
  | { readonly ok: true; readonly value: T }
  | (Omit<UnplacedIssue, "path" | "atKey"> & { readonly ok: false });

/** A run's start with its end, or with none known (its `duration` is not valid). */
type WindowOrStart = RunWindow | { readonly startMs: TimeMs; readonly endMs: null };

/** Resolves an `at` against the run's window, or says why it does not fit. */
export function resolveAt(text: string, window: WindowOrStart): Resolved<TimeMs> {
  const parsed = parseTimeRef(text);
  if (!parsed.ok)
    return { ok: false, code: "bad-time", message: parsed.message, suggestion: parsed.suggestion };
  const t = resolveTimeRef(parsed.value, window.startMs);
  const span =
    window.endMs === null
      ? `at or after ${instantText(window.startMs)}`
      : `between ${instantText(window.startMs)} and ${instantText(window.endMs)}`;
  if (t < window.startMs) {
    const dayStart = instantText(window.startMs).slice(0, 10);
    const message =
      parsed.value.form === "time-of-day"
        ? `${text} is before the start: a time of day means that time on ${dayStart}, the start's date (use an ISO instant or +offset for a later day)`
        : `${text} is before the run starts`;
    return {
      ok: false,
      code: "time-outside-run",
      message,
      expected: `a time ${span}`,
      found: instantText(t),
    };
  }
  if (window.endMs !== null && t > window.endMs) {
    return {
      ok: false,
      code: "time-outside-run",
      message: `${text} is after the run ends`,
      expected: `a time ${span}`,
      found: instantText(t),
    };
  }
  return { ok: true, value: t };
}

function checkTimes(data: unknown, window: WindowOrStart): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  for (const list of ["timeline", "faults", "chapters"] as const) {
    items(field(data, list)).forEach((item, i) => {
      const text = field(item, "at");
      if (typeof text !== "string" || !parseTimeRef(text).ok) return;
      const resolved = resolveAt(text, window);
      if (!resolved.ok) issues.push(placed([list, i, "at"], resolved));
      else {
        const end = checkActionEnd(item, resolved.value, [list, i, "duration"]);
        if (end !== null) issues.push(end);
      }
    });
  }
  return issues;
}

/** A fault or action may outlast the run, but must end by the latest time a scenario can write. */
function checkActionEnd(item: unknown, atMs: TimeMs, path: PathKey[]): UnplacedIssue | null {
  const text = field(item, "duration");
  if (typeof text !== "string") return null;
  const duration = parseDuration(text);
  if (!duration.ok || atMs + duration.ms <= INSTANT_MS_MAX) return null;
  return endsPastLastInstant(path, "it", atMs, text, "its");
}

function checkFleet(data: unknown): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  const fleet = field(data, "fleet");
  const leaseTtl = durationOr(field(fleet, "leaseTtl"), 30_000);
  const heartbeat = durationOr(field(fleet, "heartbeat"), 5_000);
  if (leaseTtl !== null && heartbeat !== null && heartbeat >= leaseTtl) {
    const path = field(fleet, "heartbeat") === undefined ? ["fleet", "leaseTtl"] : ["fleet", "heartbeat"];
    issues.push({
      path,
      code: "conflict",
      message: `${where(["fleet"])}the heartbeat (${formatDurationText(heartbeat)}) must be shorter than the lease (${formatDurationText(leaseTtl)}), or leases expire between renewals`,
    });
  }
  const supervisor = field(fleet, "supervisor");
  const initial = durationOr(field(supervisor, "backoffInitial"), schemaDefaultMs(BACKOFF_INITIAL_DEFAULT));
  const max = durationOr(field(supervisor, "backoffMax"), schemaDefaultMs(BACKOFF_MAX_DEFAULT));
  if (initial !== null && max !== null && initial > max) {
    const path = field(supervisor, "backoffMax") === undefined ? "backoffInitial" : "backoffMax";
    issues.push({
      path: ["fleet", "supervisor", path],
      code: "conflict",
      message: `${where(["fleet", "supervisor"])}backoffInitial (${formatDurationText(initial)}) is longer than backoffMax (${formatDurationText(max)})`,
    });
  }
  return issues;
}

/**
 * `workload.schedulesPerAccount`'s min no larger than its max, pointed at the one written (a
 * left-out one is its default, and said to be).
 */
function checkSchedulesPerAccount(data: unknown): UnplacedIssue[] {
  const path = ["workload", "schedulesPerAccount"];
  const range = field(field(data, "workload"), "schedulesPerAccount");
  const written = (key: "min" | "max") => field(range, key);
  const taken = (key: "min" | "max") => written(key) ?? SCHEDULES_PER_ACCOUNT_DEFAULT[key];
  const [min, max] = [taken("min"), taken("max")];
  // A value that is not a whole number is the schema's to report.
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || (min as number) <= (max as number))
    return [];
  const text = (key: "min" | "max") =>
    `${key} (${String(taken(key))}${written(key) === undefined ? ", the default" : ""})`;
  const at = written("min") === undefined ? "max" : "min";
  return [
    {
      path: [...path, at],
      code: "conflict",
      message: `${where(path)}${text("min")} is larger than ${text("max")}`,
      expected: at === "min" ? `at most ${String(max)}` : `at least ${String(min)}`,
      found: String(taken(at)),
    },
  ];
}

function checkIds(data: unknown): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  const accounts = new Map<string, PathKey[]>();
  const schedules = new Map<string, PathKey[]>();
  const once = (seen: Map<string, PathKey[]>, id: unknown, path: PathKey[], noun: string) => {
    if (typeof id !== "string") return;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, path);
      return;
    }
    issues.push({
      path,
      code: "duplicate-id",
      message: `${where(path)}${noun} id ${describeValue(id)} is already used at ${where(first).slice(0, -2)}`,
    });
  };
  items(field(field(data, "workload"), "named")).forEach((account, i) => {
    once(accounts, field(account, "id"), ["workload", "named", i, "id"], "account");
    items(field(account, "schedules")).forEach((schedule, j) => {
      once(schedules, field(schedule, "id"), ["workload", "named", i, "schedules", j, "id"], "schedule");
    });
  });
  const alerts = new Map<string, PathKey[]>();
  items(field(data, "alerts")).forEach((alert, i) => {
    once(alerts, field(alert, "name"), ["alerts", i, "name"], "alert");
  });
  return issues;
}

/** What each metric kind is compared with, as an issue says it. */
const VALUE_EXPECTED: Record<MetricKind, string> = {
  count: "a number",
  flag: "true or false",
  time: 'a time like "09:50", "+20m" or an ISO instant, or null when it never happened',
  duration: "a duration like 5m, or a number of ms",
};

/** Resolves an expectation's value for a metric of `kind`: times to absolute ms, durations to ms. */
export function resolveExpectationValue(
  kind: MetricKind,
  value: unknown,
  window: RunWindow | null,
): Resolved<number | boolean | null> {
  const expected = VALUE_EXPECTED[kind];
  const wrong = (message: string): Resolved<never> => ({
    ok: false,
    code: "wrong-type",
    message,
    expected,
    found: describeValue(value),
  });
  switch (kind) {
    case "count":
      return typeof value === "number" ? { ok: true, value } : wrong("this metric is a count");
    case "flag":
      return typeof value === "boolean" ? { ok: true, value } : wrong("this metric is true or false");
    case "duration":
      if (typeof value === "number") return { ok: true, value };
      if (typeof value !== "string") return wrong("this metric is a duration");
      return fromParsed(parseDuration(value), expected, value);
    case "time":
      if (value === null || typeof value === "number") return { ok: true, value };
      if (typeof value !== "string") return wrong("this metric is a time, or null when it never happened");
      if (window === null) return { ok: true, value: null };
      return timeValue(value, window, expected);
  }
}

/** Words for a time that never came, written where an expectation's time metric wants null. */
const NEVER_WORDS = /^(never|none|null|nil|no|false|-)$/i;

/** A time metric's value: its time resolved, or why not, with what was expected and found as every value issue says. */
function timeValue(text: string, window: RunWindow, expected: string): Resolved<number | null> {
  if (NEVER_WORDS.test(text.trim()))
    return {
      ok: false,
      code: "wrong-type",
      message: "a time that never came is null, unquoted",
      expected,
      found: describeValue(text),
      suggestion: "null",
    };
  const resolved = resolveAt(text, window);
  if (resolved.ok || resolved.expected !== undefined) return resolved;
  // Not a time at all: the forms it takes, as the other values' issues say them.
  const message = resolved.message === AT_FORMS ? "not a time" : resolved.message;
  return { ...resolved, message, expected, found: describeValue(text) };
}

function fromParsed(
  parsed: ReturnType<typeof parseDuration>,
  expected: string,
  text: string,
): Resolved<number> {
  if (parsed.ok) return { ok: true, value: parsed.ms };
  return {
    ok: false,
    code: "bad-duration",
    message: parsed.message,
    expected,
    found: describeValue(text),
    suggestion: parsed.suggestion,
  };
}

function checkExpectations(data: unknown, window: RunWindow | null): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  items(field(data, "expect")).forEach((expectation, i) => {
    const metric = field(expectation, "metric");
    if (typeof metric !== "string" || !Object.hasOwn(METRIC_KINDS, metric)) return;
    const value = field(expectation, "value");
    // Absent values and collections are the schema's to report.
    if (value === undefined || (value !== null && typeof value === "object")) return;
    const kind = METRIC_KINDS[metric as keyof typeof METRIC_KINDS];
    const resolved = resolveExpectationValue(kind, value, window);
    if (!resolved.ok) {
      issues.push(placed(["expect", i, "value"], resolved));
      return;
    }
    const op = field(expectation, "op");
    const ordering = op === "<" || op === "<=" || op === ">" || op === ">=";
    if ((typeof value === "boolean" || value === null) && ordering) {
      issues.push({
        path: ["expect", i, "op"],
        code: "conflict",
        message: `${where(["expect", i, "op"])}${describeValue(value)} can only be compared with == or !=`,
        expected: "== or !=",
        found: describeValue(op),
      });
    }
  });
  return issues;
}

/**
 * A sampler whose first sample, one `sampleInterval` after the start, comes after the run's end,
 * warned of (the run accepts it): no `metrics.sampled` is traced, so no alert rule is judged,
 * `alertAt` and `recoveredAt` stay null and `lagP99MsMax` reads 0, as if the dashboards had shown
 * nothing wrong. A sample at the very end is taken.
 */
function checkSampleInterval(data: unknown, window: RunWindow): UnplacedIssue[] {
  const intervalMs = durationOr(field(data, "sampleInterval"), schemaDefaultMs(SAMPLE_INTERVAL_DEFAULT));
  const runMs = window.endMs - window.startMs;
  if (intervalMs === null || intervalMs <= runMs) return [];
  const path: PathKey[] = field(data, "sampleInterval") !== undefined ? ["sampleInterval"] : ["duration"];
  const text = formatDurationText;
  return [
    {
      severity: "warning",
      path,
      code: "no-effect",
      message:
        `${pathText(path)}: the sampler's first sample, ${text(intervalMs)} after the start, comes after the run ends ` +
        `(${text(runMs)}): no metrics sample is taken, so no alert rule is judged (alertAt and recoveredAt stay null) ` +
        `and lagP99MsMax reads 0`,
      expected: `a sampleInterval of at most ${text(runMs)} (the run's duration)`,
      found: text(intervalMs),
    },
  ];
}

/**
 * A threshold written as a duration (`60s`, which the schema checks is one) is for a metric in
 * milliseconds: of a count (`crashesLastMinute`), it is refused, not read as milliseconds.
 */
function checkAlertThresholds(data: unknown): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  items(field(data, "alerts")).forEach((alert, i) => {
    const threshold = field(alert, "threshold");
    const metric = field(alert, "metric");
    if (typeof threshold !== "string" || typeof metric !== "string") return;
    if (!Object.hasOwn(ALERT_METRIC_KINDS, metric)) return;
    const path: PathKey[] = ["alerts", i, "threshold"];
    const parsed = parseDuration(threshold);
    if (ALERT_METRIC_KINDS[metric as keyof typeof ALERT_METRIC_KINDS] === "duration") {
      const read = fromParsed(parsed, "a duration like 60s, or a number of ms", threshold);
      if (!read.ok) issues.push(placed(path, read));
      return;
    }
    if (!parsed.ok) {
      issues.push({
        path,
        code: "wrong-type",
        message: `${where(path)}wrong type`,
        expected: "a number",
        found: describeValue(threshold),
      });
      return;
    }
    issues.push({
      path,
      code: "wrong-type",
      message: `${where(path)}${metric} is a count, not a time: its threshold is a number (a duration is for lagP50Ms and lagP99Ms, in milliseconds)`,
      expected: "a number",
      found: describeValue(threshold),
    });
  });
  return issues;
}

function placed(path: PathKey[], resolved: Resolved<unknown> & { ok: false }): UnplacedIssue {
  const { ok: _ok, message, ...rest } = resolved;
  return { ...rest, path, message: `${where(path)}${message}` };
}

/** Simulated time: integer milliseconds since the Unix epoch. */
export type TimeMs = number;

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * ISO-8601 text of a simulated time (`2026-05-08T09:46:00.000Z`), computed arithmetically so
 * that the kernel never constructs a Date (days-from-civil, after Howard Hinnant).
 */
export function isoOf(t: TimeMs): string {
  const days = Math.floor(t / DAY_MS);
  let rest = t - days * DAY_MS;
  const hh = Math.floor(rest / HOUR_MS);
  rest -= hh * HOUR_MS;
  const mm = Math.floor(rest / MINUTE_MS);
  rest -= mm * MINUTE_MS;
  const ss = Math.floor(rest / SECOND_MS);
  const ms = rest - ss * SECOND_MS;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(ms, 3)}Z`;
}

/** ISO time without a zero millisecond part: `2026-05-08T09:46:00Z`. For sentences, not fields. */
export function shortIso(t: TimeMs): string {
  const iso = isoOf(t);
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * A task id as people read it: the due time of `<schedule>@<due ms>` written as an ISO time
 * (`sched-x@2026-05-08T09:46:00Z`), and so in the ids built from one, a message
 * (`sched-x@…/m1`) and its redelivery (`sched-x@…/m1#2`); any other id as it is. The trace and
 * JSON keep the id itself; every human rendering of a task goes through this, so one task reads
 * alike in key events, verdicts, causal chains and divergences. It lives here, beside the other
 * words for times, because the report layer may import this file alone.
 */
export function describeTask(task: string | undefined, schedule?: string): string {
  if (task === undefined) return schedule ?? "an unknown task";
  const match = /^(.*)@(\d+)((?:\/[^@]*)?)$/.exec(task);
  const due = match === null ? Number.NaN : Number(match[2]);
  if (match === null || !Number.isSafeInteger(due)) return task;
  return `${match[1]}@${shortIso(due)}${match[3]}`;
}

/**
 * `detail` with the task it names written as `describeTask` writes a task, with its due time,
 * wherever the id stands in it (`in task sched-a@1778233080000` of an injected panic, `task
 * sched-a@1778233080000 hangs for …` of a hang): the trace keeps the task's id, what a person
 * reads gets the time. Only the whole id is rewritten, not one that merely starts with it
 * (`sched-a@17782330800001`) nor one that ends with it (`xsched-a@…`).
 */
export function describeTaskIn(detail: string, task: unknown): string {
  if (typeof task !== "string" || task === "") return detail;
  const readable = describeTask(task);
  if (readable === task) return detail;
  return detail.replace(wholeId(escapedText(task)), () => readable);
}

/**
 * `detail` with every task of `schedule` it names (`task sched-a@1778233500000 panicked`, a
 * message `sched-a@1778233500000/m1`) written as `describeTask` writes it: for text that names
 * tasks the caller does not know, a scheduler's own log line. Whole ids only, as `describeTaskIn`.
 */
export function describeTasksOf(detail: string, schedule: string | undefined): string {
  if (schedule === undefined || schedule === "") return detail;
  return detail.replace(wholeId(`${escapedText(schedule)}@\\d+(?:/[^\\s@]*)?`), (id) => describeTask(id));
}

/** A pattern for the id `pattern` matches standing whole in a text, not part of a longer id. */
function wholeId(pattern: string): RegExp {
  return new RegExp(`(?<![\\w@.-])${pattern}(?![\\w@])`, "g");
}

/** `text` as a regular expression that matches it alone. */
function escapedText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `HH:MM:SS` of a simulated time, UTC: for narration. */
export function clockOf(t: TimeMs): string {
  return isoOf(t).slice(11, 19);
}

/** `1 panic`, `3 panics`: a count with its noun, for any text that states a count. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** `a`, `a and b`, `a, b and c` (or another last word: `a, b or c`). */
export function listText(items: readonly string[], last = "and"): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}

/**
 * The words after an operator action the control plane refused (its event has `applied: false`):
 * ` — not applied: <reason>`; nothing for an action that applied. One function for the run's key
 * events (checks) and the words of `why` and the reports (report), which may both import this file
 * and no other shared one.
 */
export function notAppliedText(applied: unknown, reason: unknown): string {
  return applied === false ? ` — not applied: ${String(reason)}` : "";
}

/**
 * ` on <worker>` after the words of a fault, unless they name that worker already (`kill w2`, not
 * `kill w2 on w2`); nothing without a worker. For the run's key events and the words of `why`
 * and the reports alike.
 */
export function onWorkerText(words: string, worker: unknown): string {
  if (typeof worker !== "string" || worker === "") return "";
  return words.split(" ").includes(worker) ? "" : ` on ${worker}`;
}

/**
 * `text` with control characters written as `\uXXXX`, so that quoting input never moves a
 * terminal's cursor, changes its colours or reorders text: C0 and C1 controls, DEL, line and
 * paragraph separators and bidirectional overrides. Newlines stay with `keepNewlines` (a
 * message of several lines). The one escaper of text for display: a scenario's issues, the CLI's
 * messages, and the Markdown reports (report's `visibleText`), which may import this file and no
 * other shared one.
 */
export function escapeControls(text: string, keepNewlines = false): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const control =
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0x200e ||
      code === 0x200f ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069);
    out += control && !(keepNewlines && char === "\n") ? `\\u${code.toString(16).padStart(4, "0")}` : char;
  }
  return out;
}

/** A short human duration: `850ms`, `12s`, `2m28s`, `1h05m`. */
export function formatDuration(ms: number): string {
  // Compared after rounding, so 999.6 ms is `1s`, never `1000ms`.
  if (Math.round(ms) < SECOND_MS) return `${Math.round(ms)}ms`;
  if (ms < MINUTE_MS) {
    const tenths = Math.round(ms / 100);
    if (tenths < 600) return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}s`;
  }
  // Round to whole seconds (or minutes) first, then split, so 119.6 s is 2m, never 1m60s.
  if (ms < HOUR_MS - 500) {
    const total = Math.round(ms / SECOND_MS);
    const m = Math.floor(total / 60);
    const s = total - m * 60;
    return s === 0 ? `${m}m` : `${m}m${pad(s, 2)}s`;
  }
  const totalMinutes = Math.round(ms / MINUTE_MS);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes - h * 60;
  return m === 0 ? `${h}h` : `${h}h${pad(m, 2)}m`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * How the moments of one run are written for people. A run within one UTC day writes a moment as
 * its time of day (`09:30:00`); a run that spans more than one writes every moment with its
 * month and day first (`05-09 09:30:00`), so that the same time on two days never reads the same.
 * Every human rendering (terminal, Markdown, HTML, causal chains, training) writes times through
 * one of these, made once for the run by `runClock`.
 */
export interface RunClock {
  /** Whether the run spans more than one UTC day (its moments then carry their date). */
  readonly multiDay: boolean;
  /** `09:30`: to the minute. */
  readonly minute: (t: TimeMs) => string;
  /** `09:30:00`: to the second. */
  readonly clock: (t: TimeMs) => string;
  /** `09:30:00.250`: to the millisecond. */
  readonly clockMs: (t: TimeMs) => string;
  /** `09:30:00`, or `09:30:00.250` off the whole second: where two moments in one second must differ. */
  readonly precise: (t: TimeMs) => string;
}

/**
 * The clock of a run from `startMs` to `endMs` (see `RunClock`). A moment off the run's days (a
 * fault that outlasts the run ends on a later one) carries its date whatever the run: its month
 * and day, and its year too when that is not the start's (a moment of the run's own days never
 * does: a run over New Year's writes `12-31 23:55:00` and `01-01 00:05:00`).
 */
export function runClock(startMs: TimeMs, endMs: TimeMs): RunClock {
  const startDay = Math.floor(startMs / DAY_MS);
  const endDay = Math.floor(endMs / DAY_MS);
  const multiDay = startDay !== endDay;
  const startYear = isoOf(startMs).slice(0, 4);
  // `2026-05-09T09:30:00.250Z`: the year is 0..4, the month and day 5..10, the time of day 11..
  const text = (t: TimeMs, to: number) => {
    const iso = isoOf(t);
    const day = Math.floor(t / DAY_MS);
    if (!multiDay && day === startDay) return iso.slice(11, to);
    // The run's own days by month and day (a run over New Year's as any other); a day off them
    // with its year too when that is not the start's.
    const within = day >= startDay && day <= endDay;
    const date = within || iso.slice(0, 4) === startYear ? iso.slice(5, 10) : iso.slice(0, 10);
    return `${date} ${iso.slice(11, to)}`;
  };
  return clockWriting(multiDay, text);
}

/** A `RunClock` whose moments `text` writes, up to the character `to` of their ISO form. */
function clockWriting(multiDay: boolean, text: (t: TimeMs, to: number) => string): RunClock {
  return {
    multiDay,
    minute: (t) => text(t, 16),
    clock: (t) => text(t, 19),
    clockMs: (t) => text(t, 23),
    precise: (t) => text(t, t % SECOND_MS === 0 ? 19 : 23),
  };
}

/** The clock of moments known to lie within one UTC day (or shown without their date). */
export const DAY_CLOCK: RunClock = clockWriting(false, (t, to) => isoOf(t).slice(11, to));

/**
 * `2026-05-08 09:00 → 10:20`: a run's window to the minute, the end with its date when it falls
 * on another day than the start (`2026-05-08 23:50 → 2026-05-09 00:10`). A window shorter than a
 * minute (a run a limit stopped at once) is written to the second, `09:30:00 → 09:30:49`: to the
 * minute, its two ends could read the same.
 */
export function windowText(startMs: TimeMs, endMs: TimeMs): string {
  const start = isoOf(startMs);
  const end = isoOf(endMs);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  const to = endMs - startMs < MINUTE_MS ? 19 : 16;
  return `${start.slice(0, to).replace("T", " ")} → ${sameDay ? end.slice(11, to) : end.slice(0, to).replace("T", " ")}`;
}

/**
 * A traced detail as a person reads it. The world writes durations in whole milliseconds
 * (`pause w3 for 180000 ms`: the trace hash depends on the text, so it stays), and a deploy's
 * step as `10000 ms between workers`, from before deploys waited for each worker to serve again,
 * and a hang with no duration as one of `Number.MAX_SAFE_INTEGER` ms: it never ends.
 */
export function readableDetail(detail: string, task?: unknown): string {
  return describeTaskIn(detail, task)
    .replace(
      /, (\d+) ms between workers$/,
      (_, ms: string) => `, one worker at a time, ${stepPaceText(Number(ms))}`,
    )
    .replace(/hangs for (\d+) ms\b/, (whole, ms: string) =>
      Number(ms) >= Number.MAX_SAFE_INTEGER ? "hangs for good (the fault has no duration)" : whole,
    )
    .replace(/(\d+) ms\b/g, (_, ms: string) => formatDuration(Number(ms)));
}

/**
 * A rolling deploy's pace, as every rendering words it: `each 10s after the one before serves
 * again`, or for no delay, `each as soon as the one before serves again` (not `each 0ms after`).
 */
export function stepPaceText(stepDelayMs: number): string {
  return stepDelayMs === 0
    ? "each as soon as the one before serves again"
    : `each ${formatDuration(stepDelayMs)} after the one before serves again`;
}

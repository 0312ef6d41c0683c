/**
 * The measured values of runs as rows of plain text (a label, a value per run, whether it is
 * good), shared by the HTML and Markdown reports so both say the same thing.
 */
import { formatDuration, plural, type RunClock } from "../../kernel/time.js";
import { CASCADE_NOT_JUDGED, cascadeNotJudged, deathsOutsideTasks } from "../judged.js";
import { plainPaint } from "../paint.js";
import type { RunReport } from "../run-report.js";
import { faultsRow, recoveredText } from "../terminal.js";
import { clockIso, count, settingDuration } from "./model.js";

export interface SummaryRow {
  readonly label: string;
  /** Indented under the row before it (the parts of `deliveries due`). */
  readonly sub?: boolean;
  /** The value for one run, its times written by `clock` (the window's of all the runs shown). */
  readonly value: (r: RunReport, clock: RunClock) => string;
  /** Good news (green) or bad (red); undefined, or returning undefined for a run: neutral. */
  readonly good?: (r: RunReport) => boolean | undefined;
  /** Whether the row is shown for these runs (always, when absent). */
  readonly shown?: (reports: readonly RunReport[]) => boolean;
}

/** The rows of `SUMMARY_ROWS` shown for these runs. */
export function summaryRowsOf(reports: readonly RunReport[]): SummaryRow[] {
  return SUMMARY_ROWS.filter((row) => row.shown?.(reports) ?? true);
}

export const SUMMARY_ROWS: readonly SummaryRow[] = [
  {
    label: "cascade",
    value: (r) =>
      r.metrics.cascade
        ? `yes, depth ${r.metrics.cascadeDepth} (${r.metrics.cascadeWorkers.join(" → ")})`
        : cascadeNotJudged(r)
          ? CASCADE_NOT_JUDGED
          : "no",
    good: (r) => (cascadeNotJudged(r) ? undefined : !r.metrics.cascade),
  },
  {
    label: "panic deaths",
    value: (r) => count(r.metrics.panicDeaths),
    good: (r) => r.metrics.panicDeaths === 0,
  },
  { label: "crashes (all)", value: (r) => count(r.metrics.crashes), good: (r) => r.metrics.crashes === 0 },
  { label: "panics recovered", value: (r) => count(r.metrics.panicsRecovered) },
  { label: "tasks quarantined", value: (r) => count(r.metrics.tasksQuarantined) },
  { label: "deliveries due", value: (r) => count(r.metrics.deliveries.due) },
  { label: "on time", sub: true, value: (r) => count(r.metrics.deliveries.onTime) },
  {
    // Of on time, fired before they were due (a clock ahead): shown when a run had any, as run's
    // metrics and compare show it; a report of an earlier version does not say it.
    label: "early",
    sub: true,
    value: (r) => (r.metrics.deliveries.early === undefined ? "—" : count(r.metrics.deliveries.early)),
    good: (r) => (r.metrics.deliveries.early === undefined ? undefined : r.metrics.deliveries.early === 0),
    shown: (reports) => reports.some((r) => (r.metrics.deliveries.early ?? 0) > 0),
  },
  {
    label: "late",
    sub: true,
    value: (r) => count(r.metrics.deliveries.late),
    good: (r) => r.metrics.deliveries.late === 0,
  },
  {
    label: "missed",
    sub: true,
    value: (r) => count(r.metrics.deliveries.missed),
    good: (r) => r.metrics.deliveries.missed === 0,
  },
  {
    // Of missed, failed at the destination (an error or a timeout) at every attempt and dead-lettered: shown when a run
    // had any, as early is.
    label: "dead-lettered",
    sub: true,
    value: (r) =>
      r.metrics.deliveries.deadLettered === undefined ? "—" : count(r.metrics.deliveries.deadLettered),
    good: (r) =>
      r.metrics.deliveries.deadLettered === undefined ? undefined : r.metrics.deliveries.deadLettered === 0,
    shown: (reports) => reports.some((r) => (r.metrics.deliveries.deadLettered ?? 0) > 0),
  },
  { label: "duplicate", sub: true, value: (r) => count(r.metrics.deliveries.duplicate) },
  {
    // Delivered though owed to nobody (due while their account was deleted, say): shown when a run
    // had any, as early is.
    label: "unowed",
    sub: true,
    value: (r) => (r.metrics.deliveries.unowed === undefined ? "—" : count(r.metrics.deliveries.unowed)),
    shown: (reports) => reports.some((r) => (r.metrics.deliveries.unowed ?? 0) > 0),
  },
  {
    label: "after deletion",
    sub: true,
    value: (r) => count(r.metrics.deliveries.afterDeletion),
    good: (r) => r.metrics.deliveries.afterDeletion === 0,
  },
  {
    label: "affected accounts",
    value: (r) => count(r.metrics.affectedAccounts),
    good: (r) => r.metrics.affectedAccounts === 0,
  },
  { label: "account deleted", value: (r, clock) => clockIso(r.metrics.deletionAt, clock) },
  { label: "first panic", value: (r, clock) => clockIso(r.metrics.firstPanicAt, clock) },
  {
    label: "first alert",
    value: (r, clock) => clockIso(r.metrics.alertAt, clock),
    good: (r) => r.metrics.alertAt === null,
  },
  { label: "recovered", value: (r, clock) => recoveredText(r.metrics, plainPaint, clock) },
  {
    label: "workers min up",
    value: (r) => `${r.metrics.workersMinUp} of ${fleetText(r)}`,
    good: (r) => r.metrics.workersMinUp > 0,
  },
  {
    label: "full outage",
    value: (r) => formatDuration(r.metrics.fullOutageMs),
    good: (r) => r.metrics.fullOutageMs === 0,
  },
  {
    label: "worst p99 lag",
    value: (r) => formatDuration(r.metrics.lagP99MsMax),
    good: (r) => r.metrics.lagP99MsMax <= r.run.sloMs,
  },
  {
    label: "deleted schedules left",
    value: (r) => count(r.metrics.deletedSchedulesLeft),
    good: (r) => r.metrics.deletedSchedulesLeft === 0,
  },
  // As the terminal's metrics end: a fault that found nothing to act on, or never came due (a
  // shortened run), is said rather than left for the reader to notice missing.
  { label: "faults", value: (r) => faultsRow(r.faults, plainPaint) ?? "none" },
  { label: "trace events", value: (r) => count(r.events) },
  { label: "trace hash", value: (r) => r.traceHash },
];

/** How the run's deliveries went, in one sentence; a run too short for any to come due says so. */
function deliveriesSentence(r: RunReport): string {
  const m = r.metrics;
  const d = m.deliveries;
  const slo = settingDuration(r.run.sloMs);
  if (d.late + d.missed > 0) {
    const accounts = `${count(m.affectedAccounts)} ${m.affectedAccounts === 1 ? "account" : "accounts"}`;
    return `${count(d.late)} of ${count(d.due)} deliveries late and ${count(d.missed)} missed, for ${accounts}; worst p99 lag ${formatDuration(m.lagP99MsMax)}.`;
  }
  if (d.due === 0) return "No delivery came due within the run.";
  if (d.due === 1) return `The 1 delivery due was on time (SLO ${slo}).`;
  return `All ${count(d.due)} deliveries on time (SLO ${slo}).`;
}

/** The story of a run in a few sentences, for the top of a report. */
export function storyOf(r: RunReport, clock: RunClock): string[] {
  const m = r.metrics;
  const lines: string[] = [];
  if (m.cascade)
    lines.push(
      `The poison task cascaded across ${m.cascadeDepth} workers (${m.cascadeWorkers.join(" → ")}): ${plural(m.panicDeaths, "panic death")}.`,
    );
  else if (cascadeNotJudged(r))
    lines.push(
      `Cascade not judged: ${plural(m.panicDeaths, "panic death")}, ${deathsOutsideTasks(r)} outside any task.`,
    );
  else if (m.panicDeaths > 0) lines.push(`No cascade, but ${plural(m.panicDeaths, "panic death")}.`);
  else if (m.panicsRecovered > 0)
    lines.push(
      `No worker died: ${plural(m.panicsRecovered, "panic")} recovered, ${plural(m.tasksQuarantined, "poison task")} quarantined.`,
    );
  else lines.push("No worker died of a panic.");
  if (m.fullOutageMs > 0) lines.push(`For ${formatDuration(m.fullOutageMs)} in all, no worker was serving.`);
  else if (largestFleet(r) > r.run.workers)
    lines.push(
      `At least ${plural(m.workersMinUp, "worker")} served at every moment (a fleet of ${r.run.workers} at the start, up to ${largestFleet(r)}).`,
    );
  else lines.push(`At least ${m.workersMinUp} of ${plural(r.run.workers, "worker")} served at every moment.`);
  lines.push(deliveriesSentence(r));
  const when: string[] = [];
  if (m.alertAt !== null) when.push(`alert at ${clockIso(m.alertAt, clock)}`);
  if (m.recoveredAt !== null) when.push(`recovered at ${clockIso(m.recoveredAt, clock)}`);
  if (when.length > 0) lines.push(`${when[0][0].toUpperCase()}${when.join(", ").slice(1)}.`);
  return lines;
}

/**
 * The fleet a count of workers is out of: its size at the start, and how large it grew when the
 * run scaled it up, so that `1 of 3` is not read after a scale to 5.
 */
function fleetText(r: RunReport): string {
  const largest = largestFleet(r);
  return largest > r.run.workers ? `${r.run.workers} at the start, up to ${largest}` : String(r.run.workers);
}

/**
 * The most workers the fleet had at once, as its sampled size says. Not its lanes, one per worker
 * that ever ran: a scale-down removes workers for good and a scale-up adds new ones, so a fleet of
 * 3 scaled to 1 and back to 3 has run 5. A report with no samples (saved before they were kept, or
 * a run shorter than one interval) counts its lanes.
 */
function largestFleet(r: RunReport): number {
  const fleet = r.series?.fleet ?? [];
  return fleet.length === 0 ? r.lanes.length : Math.max(r.run.workers, ...fleet);
}

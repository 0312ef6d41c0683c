/**
 * The words every renderer uses for a run that stopped before its horizon: it says where it
 * stopped, and its verdicts are shown for what they are, the state up to then, not a judgement.
 * One place, so that the terminal, Markdown and HTML reports and the CLI say it alike.
 */
import type { Verdict } from "../checks/types.js";
import { type RunClock, runClock, windowText } from "../kernel/time.js";
import type { RunReport } from "./run-report.js";

/** What marks a verdict or an expectation of a run that is not judged. */
export const NOT_JUDGED = "not judged";

/** `stopped early at 09:32:14: hit the wall-clock budget (1000 ms)`; null for a run that is judged. */
export function stoppedEarlyText(report: RunReport): string | null {
  if (report.run.judged) return null;
  return `stopped early at ${endClock(report)}: ${report.run.detail || report.run.stopReason}`;
}

/**
 * Where runs of one world end, together: the latest end (ISO). A run that stopped early ends
 * before the others, and the window a comparison shows is the world's, not that run's.
 */
export function latestEnd(reports: readonly RunReport[]): string {
  return reports.map((r) => r.run.end).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

/**
 * How the reports' moments are written: with their date when the window (the first start to the
 * latest end) spans more than one UTC day (see `RunClock`).
 */
export function clockOfRuns(reports: readonly RunReport[]): RunClock {
  return runClock(Date.parse(reports[0].run.start), Date.parse(latestEnd(reports)));
}

/** `2026-05-08 09:00 → 10:20`: the reports' window, the end dated when on another day. */
export function windowOfRuns(reports: readonly RunReport[]): string {
  return windowText(Date.parse(reports[0].run.start), Date.parse(latestEnd(reports)));
}

/** `09:32:14`: where a run ended, written by its own clock (dated in a run over more than one day). */
function endClock(report: RunReport): string {
  return clockOfRuns([report]).clock(Date.parse(report.run.end));
}

/** What the reports add after `stoppedEarlyText`: what that means for the run's numbers. */
export const STOPPED_EARLY_MEANS = `its metrics cover only the time it ran and its verdicts are ${NOT_JUDGED}`;

/**
 * A verdict's detail beside a `(not exercised)` note: the detail of such a verdict opens with
 * `not exercised: ` too, and the note says it once.
 */
export function detailBesideNote(verdict: Verdict, noted: boolean): string {
  return noted ? verdict.detail.replace(/^not exercised: /, "") : verdict.detail;
}

/**
 * The cascade metric's words when `no-cascade` could not judge the run's panic deaths: some named
 * no task (a main loop running tasks inline) and, with them, panics killed two or more workers, so
 * its `cascade: false` proves nothing. The reports say this rather than `no`; the verdict counts them.
 */
export const CASCADE_NOT_JUDGED = `${NOT_JUDGED} (panic deaths outside any task)`;

/** Whether a run's `cascade: false` is `no-cascade` not exercised for panic deaths it could not judge. */
export function cascadeNotJudged(report: RunReport): boolean {
  if (report.metrics.cascade || report.metrics.panicDeaths === 0) return false;
  return report.verdicts.some((v) => v.property === "no-cascade" && v.exercised === false);
}

/**
 * `all` or `some`: how many of a run's panic deaths were outside any task, when `cascadeNotJudged`.
 * The verdict's events are the deaths of the task that killed the most workers, so none means no
 * panic in a task killed a worker, and every panic death was outside any task.
 */
export function deathsOutsideTasks(report: RunReport): "all" | "some" {
  const verdict = report.verdicts.find((v) => v.property === "no-cascade");
  return verdict !== undefined && verdict.events.length === 0 ? "all" : "some";
}

/** `✓ holds`, `✗ fails`, or either with `(not judged)` for a run that stopped early. */
export function verdictCell(verdict: Verdict, report: RunReport): string {
  const cell = verdict.ok ? "✓ holds" : "✗ fails";
  return report.run.judged ? cell : `${cell} (${NOT_JUDGED})`;
}

/**
 * Whether a verdict of `report` is marked `(not exercised)`: an ok that proves nothing. A run that
 * stopped early is marked not judged instead, which says more.
 */
export function unexercised(verdict: Verdict, report: RunReport): boolean {
  return report.run.judged && verdict.exercised === false;
}

/** `verdictCell` with `(not exercised)` where `unexercised`: a table cell that has no room for the detail. */
export function verdictCellNoted(verdict: Verdict, report: RunReport): string {
  const cell = verdictCell(verdict, report);
  return unexercised(verdict, report) ? `${cell} (not exercised)` : cell;
}

/**
 * Which properties failed, as a phrase: `all properties held`, `failed: no-cascade, ...`, or for
 * a run that stopped early, `not judged (stopped early at 09:32:14); failed up to then: ...`.
 */
export function verdictPhrase(report: RunReport): string {
  const failed = report.verdicts.filter((v) => !v.ok).map((v) => v.property);
  if (!report.run.judged) {
    const upToThen =
      failed.length === 0 ? "all properties held up to then" : `failed up to then: ${failed.join(", ")}`;
    return `${NOT_JUDGED} (stopped early at ${endClock(report)}); ${upToThen}`;
  }
  return failed.length === 0 ? "all properties held" : `failed: ${failed.join(", ")}`;
}

/**
 * What a report shows of an expectation judged against a run. The judgement writes a time metric
 * as its ISO value (`measured 2026-05-08T09:45:40.000Z`), which the gate's output keeps; a report
 * writes that time as it writes the run's other times (`measured 09:45:40`, dated in a run over
 * more than one day), beside the bound the scenario wrote as a time of day.
 */
import type { RunClock } from "../kernel/time.js";

/** An ISO instant standing alone: not the due time of a task id (`sched-x@2026-…Z`), which stays. */
const ISO_INSTANT = /(?<![@\w.:-])\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z(?![\w.:-])/g;

/** `text` with each ISO instant it names written by the run's `clock`. */
export function runTimesIn(text: string, clock: RunClock): string {
  return text.replace(ISO_INSTANT, (iso) => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? iso : clock.precise(t);
  });
}

/** What was measured (for an expectation met) or what went wrong, its times as the run's. */
export function expectationOutcome(
  e: { readonly ok: boolean; readonly skipped?: boolean; readonly actual: string; readonly message: string },
  clock: RunClock,
): { readonly met: boolean; readonly text: string } {
  const met = e.ok && e.skipped !== true;
  return { met, text: runTimesIn(met ? e.actual : e.message, clock) };
}

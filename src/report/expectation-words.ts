/**
 * What people read of an expectation judged against a run, in `run`'s terminal and reports and in
 * the gate's terminal and Markdown summary alike. The judgement writes a time metric as its ISO
 * value (`measured 2026-05-08T09:45:40.000Z`), which what tools read keeps (`--json`, JUnit, the
 * gate's annotations); people read that time as the run's other times are written (`measured
 * 09:45:40`, dated in a run over more than one day). Every other figure is as judged: a duration
 * in the unit its bound is written in (`measured 10m34s` beside `< 15m`, `measured 884896` beside
 * `> 60000`).
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
  return { met, text: met ? runTimesIn(e.actual, clock) : expectationMessageShown(e, clock) };
}

/** An expectation's message as people read it (`alertAt = 09:45:40 (<= 09:48:00)`): see above. */
export function expectationMessageShown(e: { readonly message: string }, clock: RunClock): string {
  return runTimesIn(e.message, clock);
}

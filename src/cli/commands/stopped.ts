import { loopAdvice, type StopLimit, stopLimit } from "../../checks/run-info.js";
import { CUT_BY_TIME_BUDGET, describeNotJudged, type ExploreReport } from "../../explore/explore-report.js";
import { raiseLimitText } from "../../explore/raise-limit.js";
import { clockOfRuns, stoppedEarlyText } from "../../report/judged.js";
import type { RunReport } from "../../report/run-report.js";
import type { Scenario } from "../../scenario/index.js";

/**
 * A run stopped by a limit of its scenario (`limits.maxEvents`, `limits.wallBudget`) did not
 * simulate the whole scenario: its numbers cover less time and it cannot be judged. The
 * limits are the user's input, so it is a usage problem (exit 2) that says what to raise, not a
 * failed property.
 */

/** `stopped early at 09:32:14: hit the wall-clock budget (1000 ms)`; null unless a limit stopped the run. */
export function limitStopText(report: RunReport): string | null {
  if (stopLimit(report.run.stopReason) === null) return null;
  return stoppedEarlyText(report);
}

/** What to tell the user about a run stopped by a limit: which limit to raise, and where it is. */
export function limitStopMessage(report: RunReport, scenario: Scenario, label: string): string | null {
  const stopped = limitStopText(report);
  if (stopped === null) return null;
  const clock = clockOfRuns([report]);
  const [startMs, endMs] = [Date.parse(report.run.start), Date.parse(report.run.end)];
  const advice = limitRaiseText(report, scenario);
  return `${scenario.name} [${label}] ${stopped}; its metrics cover ${clock.clock(startMs)} to ${clock.clock(endMs)} only and it is not judged.${advice === "" ? "" : ` ${advice}`}`;
}

/** `Raise limits.wallBudget (400ms, at FILE:LINE:COL) to let it finish, or make the scenario smaller`. */
export function limitRaiseText(report: RunReport, scenario: Scenario): string {
  const key = stopLimit(report.run.stopReason);
  if (key === null) return "";
  return limitAdviceText(key, report.run.detail, scenario);
}

/**
 * What to do about runs stopped by limit `key` as `detail` says: not a bigger budget or limit for a
 * goroutine that never yields or never lets the clock move (`loopAdvice`), else which limit to raise, and where in
 * `scenario` (a scenario's file name alone: in which file).
 */
export function limitAdviceText(
  key: StopLimit,
  detail: string,
  scenario: Scenario | string,
  it = "it",
): string {
  // No setting raises the host's stack: its detail says what to do (`STACK_OVERFLOW_WHY`).
  if (key === "stack") return "";
  const loop = loopAdvice(detail);
  if (loop !== null) return capitalised(loop);
  // A scenario known by its file only (merge reads reports; the scenario may not be there).
  if (typeof scenario === "string")
    return `Raise limits.${key} in ${scenario} to let ${it} finish, or make the scenario smaller`;
  return raiseLimitText(key, scenario, it);
}

/**
 * What explore (and merge, of its shards) says of runs a limit stopped, or null when every run was
 * judged: which runs, and the limit to raise in `scenario` (its file name alone when only that is
 * known). A generated world (`scenario` null) has the generator's limits: an internal error, but
 * for the user's scheduler module in v2's place (`moduleStopsGenerated`), which the limits stopped.
 */
export function exploreNotJudgedText(
  report: ExploreReport,
  scenario: Scenario | string | null,
): string | null {
  const stopped = describeNotJudged(report);
  if (stopped === null || !report.notJudged) return null;
  // The stack's detail says what to do (`STACK_OVERFLOW_WHY`), whatever the world.
  if (report.notJudged.first.limit === "stack") return stopped;
  if (scenario === null && moduleStopsGenerated(report)) {
    const module = report.target.scheduler!.module;
    const { detail } = report.notJudged.first;
    const loop = loopAdvice(detail);
    const advice =
      loop !== null
        ? capitalised(loop)
        : "The bundled v2 runs these worlds well within them: look for a loop that yields rt.sleep(0), or work that grows with each tick";
    const took = detail.includes(CUT_BY_TIME_BUDGET)
      ? "took longer than a generated world ever takes"
      : "took more than a generated world's limits allow";
    return `${stopped}: the scheduler module ${module} ${took}. ${advice}`;
  }
  if (scenario === null)
    return `internal error (please report it): ${stopped}, a generated world too large for its limits`;
  const { limit, detail } = report.notJudged.first;
  const advice = limitAdviceText(limit, detail, scenario, "them");
  return advice === "" ? stopped : `${stopped}. ${advice}`;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/**
 * Whether generated worlds a limit stopped ran the user's scheduler module (`--scheduler`): its
 * own doing, bad input (exit 2), where the bundled schedulers' would be the generator's (exit 4).
 */
export function moduleStopsGenerated(report: ExploreReport): boolean {
  return (
    report.target.mode === "generated" &&
    report.target.scheduler !== undefined &&
    report.notJudged !== undefined &&
    report.notJudged !== null
  );
}

/**
 * What `why` says of a run stopped by a limit: where and why it stopped, that its trace ends
 * there (a crash asked for may come later, and the seqs it has depend on when the limit struck),
 * and which limit to raise. Null unless a limit stopped the run.
 */
export function whyLimitStopMessage(report: RunReport, scenario: Scenario, label: string): string | null {
  const stopped = limitStopText(report);
  if (stopped === null) return null;
  const advice = limitRaiseText(report, scenario);
  return `${scenario.name} [${label}]: its trace ends where the run ${stopped}.${advice === "" ? "" : ` ${advice}`}`;
}

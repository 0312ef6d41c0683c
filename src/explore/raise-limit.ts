import { formatDurationText } from "../scenario/duration.js";
import type { Scenario } from "../scenario/types.js";

/** `Raise limits.maxEvents (100000, at FILE:LINE:COL) to let it finish, or make the scenario smaller`. */
export function raiseLimitText(key: "maxEvents" | "wallBudget", scenario: Scenario, it = "it"): string {
  const value =
    key === "wallBudget"
      ? formatDurationText(scenario.limits.wallBudgetMs)
      : String(scenario.limits.maxEvents);
  const at = scenario.source.locate(["limits", key]);
  const where = at === null ? "the default" : `at ${scenario.source.file}:${at.line}:${at.column}`;
  return `Raise limits.${key} (${value}, ${where}) to let ${it} finish, or make the scenario smaller`;
}

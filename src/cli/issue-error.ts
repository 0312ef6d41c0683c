/**
 * A scenario's issues as the CliError that refuses it (exit 2): their text as stderr says it, and
 * each issue as a problem with its place and level, so no tool reads the text back.
 */
import { formatIssues, issueText, type ScenarioIssue } from "../scenario/issue.js";
import { CliError, EXIT, type InputProblem } from "./errors.js";

export function issuesError(issues: readonly ScenarioIssue[]): CliError {
  return new CliError(formatIssues(issues), EXIT.usage, issues.map(issueProblem));
}

export function issueProblem(issue: ScenarioIssue): InputProblem {
  const { file, line, column } = issue;
  return { place: { file, line, column }, severity: issue.severity ?? "error", message: issueText(issue) };
}

import { bundledSchedulers } from "../schedulers/index.js";
import { describeValue, type PathKey, type UnplacedIssue, where } from "./issue.js";
import { field, items } from "./raw-fields.js";
import { closest } from "./suggest.js";
import { SCHEDULER_FIXES } from "./vocabulary.js";

/**
 * Fixes must be ones the chosen scheduler understands: `v1` has none, so `fixes: [early-return]`
 * on it would be a run labelled with a fix that changes nothing. Each built-in scheduler says
 * which fixes it has (`SchedulerFactory.fixes`); a user module is checked once it is loaded.
 */

/** The fixes a built-in scheduler declares, in its own order; null for an unknown version. */
export function builtinFixes(version: string): readonly string[] | null {
  return bundledSchedulers().get(version)?.fixes ?? null;
}

/** `fixes` de-duplicated, in the order the scheduler declares its fixes (unknown ones dropped). */
export function inDeclaredOrder<T extends string>(fixes: readonly T[], declared: readonly string[]): T[] {
  return declared.filter((fix): fix is T => (fixes as readonly string[]).includes(fix));
}

/** Words naming what a scheduler's fixes are, for an error: `v1 has no fixes`, `fixes of v2: ...`. */
export function knownFixesText(scheduler: string, declared: readonly string[]): string {
  return declared.length === 0
    ? `${scheduler} has no fixes`
    : `fixes of ${scheduler}: ${declared.join(", ")}`;
}

/** What an issue about a fix expects: `no fix: v1 has none`, `one of early-return, panic-recovery`. */
export function expectedFixText(scheduler: string, declared: readonly string[]): string {
  return declared.length === 0 ? `no fix: ${scheduler} has none` : `one of ${declared.join(", ")}`;
}

/** A fix no bundled scheduler has, with the closest one as a suggestion. */
function unknownFix(fix: string, path: PathKey[]): UnplacedIssue {
  return {
    path,
    code: "unknown-value",
    message: `${where(path)}unknown fix ${describeValue(fix)}`,
    expected: `one of ${SCHEDULER_FIXES.join(", ")}`,
    found: describeValue(fix),
    suggestion: closest(fix, SCHEDULER_FIXES),
  };
}

export function checkSchedulerFixes(data: unknown): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  const scheduler = field(data, "scheduler");
  if (field(scheduler, "module") === undefined) {
    const version = field(scheduler, "version") ?? "v2";
    issues.push(...checkFixes(version, field(scheduler, "fixes"), ["scheduler", "fixes"]));
  }
  items(field(data, "timeline")).forEach((entry, i) => {
    // A module's fixes are checked against the module once it is loaded (`moduleFixIssues`).
    if (field(entry, "action") !== "deploy" || field(entry, "module") !== undefined) return;
    issues.push(...checkFixes(field(entry, "scheduler"), field(entry, "fixes"), ["timeline", i, "fixes"]));
  });
  return issues;
}

/**
 * The fixes given a bundled scheduler: each must be a fix of the bundled ones (the schema takes
 * any name, since a module's own fixes are known only once it is loaded), and one `version` has.
 */
function checkFixes(version: unknown, fixes: unknown, path: PathKey[]): UnplacedIssue[] {
  const declared = typeof version === "string" ? builtinFixes(version) : null;
  const issues: UnplacedIssue[] = [];
  items(fixes).forEach((fix, k) => {
    // A fix that is not text (or is empty) is the schema's to report.
    if (typeof fix !== "string" || fix === "") return;
    if (!(SCHEDULER_FIXES as readonly string[]).includes(fix)) {
      issues.push(unknownFix(fix, [...path, k]));
      return;
    }
    if (declared === null || declared.includes(fix)) return;
    issues.push({
      path: [...path, k],
      code: "unknown-value",
      message: `${where([...path, k])}${String(version)} has no fix ${describeValue(fix)}`,
      expected: expectedFixText(String(version), declared),
      found: describeValue(fix),
    });
  });
  return issues;
}

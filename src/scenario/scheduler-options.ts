import {
  BUNDLED_SCHEDULER_OPTIONS,
  bundledOption,
  optionRangeText,
  usableOption,
} from "../schedulers/options.js";
import { describeValue, type PathKey, type UnplacedIssue, where } from "./issue.js";
import { field, items } from "./raw-fields.js";
import { closest } from "./suggest.js";

const NAMES = Object.keys(BUNDLED_SCHEDULER_OPTIONS);

/** Issues with the options given a bundled scheduler: `scheduler.options` and each deploy's. */
export function checkSchedulerOptions(data: unknown): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  const scheduler = field(data, "scheduler");
  if (field(scheduler, "module") === undefined)
    issues.push(...checkOptions(field(scheduler, "options"), ["scheduler", "options"]));
  items(field(data, "timeline")).forEach((entry, i) => {
    if (field(entry, "action") !== "deploy" || field(entry, "module") !== undefined) return;
    issues.push(...checkOptions(field(entry, "options"), ["timeline", i, "options"]));
  });
  return issues;
}

function checkOptions(options: unknown, path: PathKey[]): UnplacedIssue[] {
  // Options that are not a mapping are the schema's to report.
  if (options === null || typeof options !== "object" || Array.isArray(options)) return [];
  const issues: UnplacedIssue[] = [];
  for (const [name, value] of Object.entries(options)) {
    const at = [...path, name];
    const option = bundledOption(name);
    if (option === undefined) {
      // A warning, not a refusal: a module run in v2's place (`--scheduler`) takes these options
      // as its own, and may read any name; the bundled schedulers ignore it.
      issues.push({
        severity: "warning",
        path: at,
        atKey: true,
        code: "unknown-key",
        message: `${where(path)}unknown option ${describeValue(name)} of the bundled schedulers, which ignore it (a scheduler module run in v2's place with --scheduler reads its options as its own)`,
        expected: `one of ${NAMES.join(", ")}`,
        found: describeValue(name),
        suggestion: closest(name, NAMES),
      });
      continue;
    }
    const expected = optionRangeText(option);
    const what = ` (${name} is ${option.what})`;
    // Infinity and NaN are the schema's to refuse, as it refuses them everywhere.
    if (typeof value === "number" && !Number.isFinite(value)) continue;
    if (typeof value !== "number") {
      // A warning: the bundled schedulers take their default for it, as they always did.
      const written =
        typeof value === "string" && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : null;
      issues.push({
        severity: "warning",
        path: at,
        code: "wrong-type",
        message: `${where(at)}not a number, so the bundled schedulers take their default (${option.default})${what}`,
        expected,
        found: describeValue(value),
        suggestion: written !== null && written >= option.min ? String(written) : undefined,
      });
    } else if (!usableOption(name, value)) {
      // Refused: below it a bundled scheduler spins at one instant or never acts; a count that is
      // not whole (v1's batch) fails every claim, and one beyond a double's whole numbers is not
      // the count written.
      const problem =
        value < option.min
          ? `must be ${option.min} or more`
          : option.max !== undefined && value > option.max
            ? `must be ${option.max} or less`
            : "must be a whole number";
      issues.push({
        path: at,
        code: "out-of-range",
        message: `${where(at)}${problem}${what}`,
        expected,
        found: describeValue(value),
      });
    }
  }
  return issues;
}

/**
 * Problems with a scenario file are data first (zod's lesson): where, what kind, what was
 * expected and found, and a fix when there is an obvious one. `formatIssues` is the only place
 * that turns them into text, compiler-style, so editors and CI logs can jump to the line.
 */

import { objectText } from "../kernel/thrown.js";
import { escapeControls } from "../kernel/time.js";

/** A step into a document: a mapping key or a list index. */
export type PathKey = string | number;

/** What kind of problem an issue is; stable, so tools may match on it. */
export type IssueCode =
  /** The text is not well-formed YAML or JSON. */
  | "syntax"
  /** The document is not a mapping of settings. */
  | "not-a-mapping"
  | "missing-key"
  | "unknown-key"
  /** A value of the wrong type: a number where a duration was expected, say. */
  | "wrong-type"
  /** A word that is not one of a closed list: a scheduler version, a fault, a variant. */
  | "unknown-value"
  | "out-of-range"
  /** A string in the wrong shape: a name, an id, a metric path. */
  | "bad-format"
  | "bad-duration"
  | "bad-time"
  | "time-outside-run"
  | "bad-cron"
  | "duplicate-id"
  /** An account or schedule id that nothing in the scenario defines (a typo, usually). */
  | "unknown-id"
  /** Settings that contradict each other: a heartbeat no shorter than the lease, say. */
  | "conflict"
  /**
   * The scenario would be too big to run; the message says what to lower. A warning when the estimate
   * is past only the scenario's own `limits.maxEvents`: the run enforces that limit itself.
   */
  | "too-large"
  /**
   * A warning: an action that acts on nothing in some variants, which the run then traces as not
   * applied (a pause or quarantine of a deleted account's schedule after its cleanup).
   */
  | "not-applied"
  /**
   * A warning: a fault of no size, which changes nothing and the run traces as skipped (an HTTP
   * fault of rate 0, a store-latency of 0 ms, a clock-skew of 0 on a clock nothing set off), or
   * one the file alone shows never acts (an inject-panic of probability 0 or of a schedule and an
   * account that do not match, a hang or an account's HTTP fault after its deletion, a pause of a
   * worker still paused: see `checkDeadFaults`).
   */
  | "no-effect"
  /**
   * A warning: a lease TTL that leaves the heartbeat too little margin for the store call that
   * renews it, so leases run out before their renewal and are lost.
   */
  | "lease-margin"
  /**
   * A warning: a fleet whose handoff after a crash (lease TTL, rebalance, start-up, and for a lone
   * worker the back-off its crashes reach) takes longer than the quiet bound of `deliveries-on-time-after-quiet`.
   */
  | "quiet-bound"
  /**
   * A warning: a deploy of `scheduler: v2` in a scenario whose scheduler is a module, which
   * deploys that module (it stands for v2 there), not the bundled v2 (`bundled: true` does; a
   * deploy of `module:` says the module is meant).
   */
  | "module-stands-in";

export interface ScenarioIssue {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
  /** Where in the document, e.g. `["fleet", "leaseTtl"]` or `["timeline", 2, "at"]`. */
  readonly path: readonly PathKey[];
  readonly code: IssueCode;
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
  /** A corrected value or key, for "did you mean". */
  readonly suggestion?: string;
  /**
   * Where the value is written when the issue is placed elsewhere: "the value of &d, at line 5,
   * column 9" for a value reached through the alias `*d`. Said last, after what is wrong with it.
   */
  readonly note?: string;
  /** `warning` for a problem that does not stop the scenario from running; absent for an error. */
  readonly severity?: "warning";
}

/** An issue before it is placed in a file: the parser adds file, line and column. */
export type UnplacedIssue = Omit<ScenarioIssue, "file" | "line" | "column"> & {
  /** Point at the key rather than its value (an unknown key, say). */
  readonly atKey?: boolean;
  /**
   * Placed (line and column) at this path rather than at `path`, which keeps what the issue is
   * about: a default the file does not write has no place of its own.
   */
  readonly placeAt?: readonly PathKey[];
};

/** `fleet.leaseTtl`, `timeline[2].at`: a path as people read it. */
export function pathText(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out;
}

/** `fleet.leaseTtl: `, the prefix of a message about a field (empty at the top). */
export function where(path: readonly PathKey[]): string {
  return path.length === 0 ? "" : `${pathText(path)}: `;
}

/**
 * One line per issue: `file:line:column: error: message (expected X, found Y) — did you mean Z?
 * (note)` (`warning:` for a warning),
 * in the order given (the parser sorts them by position).
 */
export function formatIssues(issues: readonly ScenarioIssue[]): string {
  return issues.map(formatIssue).join("\n");
}

export function formatIssue(issue: ScenarioIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  // Every part may quote the file (a binary file, a pasted escape sequence): one line, inert.
  return escapeControls(`${where}: ${issue.severity ?? "error"}: ${issueText(issue)}`);
}

/**
 * What an issue says without its place and level: `message (expected X, found Y) — did you mean
 * Z? (note)`, as written (`formatIssue` makes it inert).
 */
export function issueText(
  issue: Pick<ScenarioIssue, "message" | "expected" | "found" | "suggestion" | "note">,
): string {
  const details = [
    issue.expected === undefined ? null : `expected ${issue.expected}`,
    issue.found === undefined ? null : `found ${issue.found}`,
  ].filter((d) => d !== null);
  const context = details.length > 0 ? ` (${details.join(", ")})` : "";
  const fix = issue.suggestion === undefined ? "" : ` — did you mean ${issue.suggestion}?`;
  const note = issue.note === undefined ? "" : ` (${issue.note})`;
  return `${issue.message}${context}${fix}${note}`;
}

/**
 * The issue of a document that is not a mapping of settings, said alike of a file's text
 * (`parseScenario`) and of a document's data (`compileDocument`); null for a mapping.
 */
export function notAMappingIssue(data: unknown): UnplacedIssue | null {
  if (data !== null && typeof data === "object" && !Array.isArray(data)) return null;
  const empty = data === null || data === undefined;
  return {
    path: [],
    code: "not-a-mapping",
    message: empty
      ? "the document is empty: a scenario needs at least name, description, start and duration"
      : "a scenario is a mapping of settings (name: ..., start: ..., ...)",
    expected: "a mapping",
    ...(empty ? {} : { found: describeValue(data) }),
  };
}

/**
 * An issue as one line with no file place: `timeline[0].account: message (expected X, found Y) —
 * did you mean Z?`, its path said once: first, unless the message begins with it (or with a part
 * of it, `fleet: …` of `fleet.workers`) already, as the cross-field checks' messages do.
 */
export function pathedIssueText(
  issue: Pick<ScenarioIssue, "path" | "message" | "expected" | "found" | "suggestion" | "note">,
): string {
  const text = issueText(issue);
  const full = pathText(issue.path);
  const colon = issue.message.indexOf(": ");
  const place = colon < 0 ? null : issue.message.slice(0, colon);
  const placed =
    place !== null && (full === place || full.startsWith(`${place}.`) || full.startsWith(`${place}[`));
  return full === "" || placed ? text : `${full}: ${text}`;
}

/**
 * A value a JavaScript caller gave, as an API error says it: text quoted (`"3"` is not 3),
 * numbers as `String` writes them (`NaN`, `Infinity`, `-1`), anything else as `jsValueText`
 * does (`1n`, `an array`): `String` says 1 of `1n` and `[1]`, and throws for an object without
 * a prototype.
 */
export function givenValueText(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : jsValueText(value);
}

/**
 * A value a library caller gave, as a message says it: primitives as JavaScript writes them,
 * objects by kind and first keys (`an object with \`onEvent\``), never `String()` of one (which
 * says `[object Object]`, or throws for one with its own `toString`).
 */
export function jsValueText(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "function") return "a function";
  // As it is written: `String(1n)` is 1, which reads as the whole number asked for.
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  return objectText(value);
}

/** A value as an issue quotes it: strings in quotes, collections by kind, all kept short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  // As YAML writes them: JavaScript's NaN and Infinity are spelt nowhere in a scenario.
  if (typeof value === "number" && !Number.isFinite(value))
    return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return value instanceof Date ? "a date" : "a mapping";
  return String(value);
}

/**
 * A value as it reads in a message: a string as written, a number or a boolean as text, anything
 * else described (`a mapping`). Never `String()` of a mapping: one with its own `toString` key
 * (`{ toString: "" }`) would throw.
 */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean")
    return String(value);
  return describeValue(value);
}

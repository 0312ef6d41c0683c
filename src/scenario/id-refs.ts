import {
  generatedAccountId,
  generatedAccountNumber,
  generatedScheduleId,
  generatedScheduleNumber,
} from "../world/workload-ids.js";
import { describeValue, type PathKey, type UnplacedIssue } from "./issue.js";
import { field, items } from "./raw-fields.js";
import { closest } from "./suggest.js";
import { parseTimeRef, resolveTimeRef } from "./time.js";
import { where } from "./zod-issues.js";

/**
 * Account and schedule ids in the timeline and the faults must name something: a named
 * account or schedule, one a create action makes before it is used, or one the world
 * generates. A misspelt id would otherwise make a deletion or a fault silently hit nothing,
 * and a replay would lose its incident without a word.
 */

type Kind = "account" | "schedule";

/** What a timeline entry creates, and when. */
interface Creation {
  readonly kind: Kind;
  readonly id: string;
  readonly index: number;
  readonly atMs: number | null;
}

/** The ids a scenario defines: named ones, how many the world generates, and what the timeline creates. */
interface Defined {
  readonly named: Record<Kind, ReadonlySet<string>>;
  /** Generated ids are numbered 1..count; the schedule count is the most there can be. */
  readonly generated: Record<Kind, number>;
  readonly creations: readonly Creation[];
}

export function checkIdRefs(data: unknown, window: { readonly startMs: number } | null): UnplacedIssue[] {
  const defined = definedIds(data, window);
  if (defined === null) return [];
  const issues: UnplacedIssue[] = [];
  items(field(data, "timeline")).forEach((entry, i) => {
    const atMs = atOf(entry, window);
    for (const kind of referredKinds(field(entry, "action"))) {
      const counts = (c: Creation) => createdBefore(c, i, atMs);
      const issue = checkRef(defined, kind, field(entry, kind), ["timeline", i, kind], counts);
      if (issue !== null) issues.push(issue);
    }
  });
  items(field(data, "faults")).forEach((fault, i) => {
    for (const kind of referredKinds(field(fault, "fault"))) {
      const issue = checkRef(defined, kind, field(fault, kind), ["faults", i, kind], () => true);
      if (issue !== null) issues.push(issue);
    }
  });
  return issues;
}

/**
 * The ids each action and fault refers to (a create action's own id defines one instead). An
 * unknown action or fault refers to nothing here: the schema reports it.
 */
const REFERRED: Record<string, readonly Kind[]> = {
  "delete-account": ["account"],
  "create-schedule": ["account"],
  "delete-schedule": ["schedule"],
  "pause-schedule": ["schedule"],
  "quarantine-schedule": ["schedule"],
  "inject-panic": ["account", "schedule"],
  hang: ["schedule"],
};

function referredKinds(action: unknown): readonly Kind[] {
  return typeof action === "string" && Object.hasOwn(REFERRED, action) ? REFERRED[action] : [];
}

/** Named ids, generated counts and creations; null when the workload is malformed (the schema says so). */
function definedIds(data: unknown, window: { readonly startMs: number } | null): Defined | null {
  const workload = field(data, "workload");
  const accounts = field(workload, "accounts") ?? 0;
  const perAccountMax = field(field(workload, "schedulesPerAccount"), "max") ?? 3;
  if (typeof accounts !== "number" || typeof perAccountMax !== "number") return null;
  const named = { account: new Set<string>(), schedule: new Set<string>() };
  for (const account of items(field(workload, "named"))) {
    const id = field(account, "id");
    if (typeof id === "string") named.account.add(id);
    for (const schedule of items(field(account, "schedules"))) {
      const scheduleId = field(schedule, "id");
      if (typeof scheduleId === "string") named.schedule.add(scheduleId);
    }
  }
  const creations: Creation[] = [];
  items(field(data, "timeline")).forEach((entry, index) => {
    const action = field(entry, "action");
    const kind = action === "create-account" ? "account" : action === "create-schedule" ? "schedule" : null;
    const id = kind === null ? undefined : field(entry, kind);
    if (kind !== null && typeof id === "string")
      creations.push({ kind, id, index, atMs: atOf(entry, window) });
  });
  const generated = { account: accounts, schedule: accounts * perAccountMax };
  return { named, generated, creations };
}

/** A creation counts for entry `index` when it comes earlier in the list or earlier in time. */
function createdBefore(c: Creation, index: number, atMs: number | null): boolean {
  if (c.index < index) return true;
  return c.atMs !== null && atMs !== null && c.atMs < atMs;
}

function checkRef(
  defined: Defined,
  kind: Kind,
  id: unknown,
  path: PathKey[],
  counts: (c: Creation) => boolean,
): UnplacedIssue | null {
  if (typeof id !== "string") return null;
  if (defined.named[kind].has(id)) return null;
  const created = defined.creations.filter((c) => c.kind === kind && counts(c));
  if (created.some((c) => c.id === id)) return null;
  const n = kind === "account" ? generatedAccountNumber(id) : generatedScheduleNumber(id);
  const count = defined.generated[kind];
  if (n !== null && n <= count) return null;
  const generatedRange = count === 0 ? null : rangeText(kind, count);
  const creator = kind === "account" ? "create-account" : "create-schedule";
  const sources = [
    `a named ${kind} (workload.named)`,
    `one created earlier by ${creator}`,
    generatedRange === null
      ? `a generated id (there are none: workload.accounts is 0)`
      : `a generated id (${generatedRange})`,
  ];
  const known = [...defined.named[kind], ...created.map((c) => c.id)];
  return {
    path,
    code: "unknown-id",
    message: `${where(path)}no ${kind} has the id ${describeValue(id)}: it is not ${sources.join(", not ")}`,
    expected: `the id of ${kind === "account" ? "an account" : "a schedule"} the scenario defines`,
    found: describeValue(id),
    suggestion: closest(id, known) ?? generatedNear(kind, id, count),
  };
}

/** `acct-00001..acct-00050`: the generated ids of a kind. */
function rangeText(kind: Kind, count: number): string {
  const idOf = kind === "account" ? generatedAccountId : generatedScheduleId;
  return count === 1 ? idOf(1) : `${idOf(1)}..${idOf(count)}`;
}

/** `acct-7` for `acct-00007`: a generated id written without its padding. */
function generatedNear(kind: Kind, id: string, count: number): string | undefined {
  const match = /^[a-z]+-0*(\d{1,15})$/.exec(id);
  if (match === null || !id.startsWith(kind === "account" ? "acct-" : "sched-")) return undefined;
  const n = Number(match[1]);
  if (n < 1 || n > count) return undefined;
  return kind === "account" ? generatedAccountId(n) : generatedScheduleId(n);
}

function atOf(entry: unknown, window: { readonly startMs: number } | null): number | null {
  const text = field(entry, "at");
  if (window === null || typeof text !== "string") return null;
  const parsed = parseTimeRef(text);
  return parsed.ok ? resolveTimeRef(parsed.value, window.startMs) : null;
}

/**
 * What `World.perform` checks of an action a caller builds in code (a model-based test steps a
 * world with its own actions): a scenario's timeline has passed the schema, but an action made in
 * JavaScript has not, and one of the wrong shape would be traced, then fail half-applied (a
 * `pause-worker` of NaN ms breaks an invariant of the kernel) or do something no scenario can
 * (`scale` to -1 workers).
 */
import { isStopReason, STOP_REASONS } from "../kernel/index.js";
import { type ActionSpec, WORKERS_MAX } from "./config.js";
import { parseCron } from "./cron.js";

/** What a field holds: `text` (non-empty), `flag`, `ms` (whole, > 0), `ms0` (whole, ≥ 0), …; `?`: optional. */
type FieldKind =
  | "text"
  | "text?"
  | "cron"
  | "flag"
  | "flag?"
  | "texts"
  | "options?"
  | "ms"
  | "ms0"
  | "workers";

/** The fields of each action, by kind. */
const FIELDS: Readonly<Record<ActionSpec["action"], Readonly<Record<string, FieldKind>>>> = {
  "delete-account": { account: "text" },
  "create-account": { account: "text" },
  "create-schedule": { schedule: "text", account: "text", cron: "cron", destination: "text?" },
  "delete-schedule": { schedule: "text" },
  "pause-schedule": { schedule: "text", paused: "flag" },
  "quarantine-schedule": { schedule: "text" },
  deploy: { scheduler: "text", fixes: "texts", stepDelayMs: "ms0", options: "options?", bundled: "flag?" },
  "kill-worker": { worker: "text" },
  "pause-worker": { worker: "text", durationMs: "ms" },
  "restart-worker": { worker: "text" },
  scale: { workers: "workers" },
};

/**
 * Throws a TypeError naming the field for what is not an action (`ActionSpec`): an `action` no
 * timeline has, a field missing, unknown or of another type; a RangeError for a number out of
 * its range or a cron expression that is none.
 */
export function checkAction(action: unknown, field: string): void {
  if (action === null || typeof action !== "object" || Array.isArray(action))
    throw new TypeError(
      `${field}: expected an operator action ({ action: "kill-worker", worker: "w1" }, …), found ${shown(action)}`,
    );
  const given = action as Readonly<Record<string, unknown>>;
  const kind = given.action;
  if (typeof kind !== "string" || !Object.hasOwn(FIELDS, kind))
    throw new TypeError(
      `${field}.action: expected one of ${Object.keys(FIELDS).join(", ")}, found ${shown(kind)}`,
    );
  const fields = FIELDS[kind as ActionSpec["action"]];
  for (const key of Object.keys(given))
    if (key !== "action" && key !== "atMs" && !Object.hasOwn(fields, key))
      throw new TypeError(
        `${field}.${key}: ${kind} has no such field (its fields are ${Object.keys(fields).join(", ")})`,
      );
  for (const [key, want] of Object.entries(fields)) checkField(`${field}.${key}`, given[key], want);
}

function checkField(name: string, value: unknown, want: FieldKind): void {
  if (want.endsWith("?") && value === undefined) return;
  const kind = want.replace("?", "");
  const wrong = (expected: string) => new TypeError(`${name}: expected ${expected}, found ${shown(value)}`);
  switch (kind) {
    case "text":
      if (typeof value !== "string" || value === "") throw wrong("an id (text)");
      return;
    case "cron":
      if (typeof value !== "string") throw wrong("a cron expression (text)");
      try {
        parseCron(value);
      } catch (error) {
        throw new RangeError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    case "flag":
      if (typeof value !== "boolean") throw wrong("true or false");
      return;
    case "texts":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw wrong("a list of names");
      return;
    case "options": {
      // A scheduler's options are names with text, number or true/false values (`SchedulerOptionValues`).
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw wrong("an object");
      for (const [key, v] of Object.entries(value))
        if (typeof v !== "string" && typeof v !== "boolean" && !(typeof v === "number" && Number.isFinite(v)))
          throw new TypeError(`${name}.${key}: expected text, a number or true/false, found ${shown(v)}`);
      return;
    }
    case "ms":
    case "ms0":
    case "workers": {
      if (typeof value !== "number") throw wrong("a number");
      const least = kind === "ms" ? 1 : 0;
      const most = kind === "workers" ? WORKERS_MAX : Number.MAX_SAFE_INTEGER;
      if (!Number.isSafeInteger(value) || value < least || value > most)
        throw new RangeError(`${name}: expected a whole number from ${least} to ${most}, found ${value}`);
      return;
    }
  }
}

/**
 * Throws, as `checkAction` does for a number field, unless `untilMs` is a time `World.runUntil`
 * can run to: a TypeError for what is no number (`"10:00"`, undefined), a RangeError for one that
 * is no whole ms since the epoch or falls before the run's start (NaN, 1.5, -5, or a number of
 * ms meant from the start), each of which would otherwise run nothing and say only `paused`.
 */
export function checkRunUntilTime(untilMs: unknown, startMs: number, name = "t"): void {
  const expected = `a time in whole ms since the epoch, from the run's start (${startMs}, ${new Date(startMs).toISOString()}) on`;
  if (typeof untilMs !== "number")
    throw new TypeError(`${name}: expected ${expected}, found ${shown(untilMs)}`);
  if (!Number.isSafeInteger(untilMs) || untilMs < startMs)
    throw new RangeError(`${name}: expected ${expected}, found ${untilMs}`);
}

/**
 * Throws a TypeError unless `outcome` is what a run call returned (`World.finish` traces its
 * `reason` and `events` as the run's end): an object with a stop reason and a whole count.
 */
export function checkRunOutcome(outcome: unknown, name = "outcome"): void {
  const expected = "the RunOutcome a run call returned (runUntil, run), with a reason and events";
  if (outcome === null || typeof outcome !== "object" || Array.isArray(outcome))
    throw new TypeError(`${name}: expected ${expected}, found ${shown(outcome)}`);
  const { reason, events } = outcome as { reason?: unknown; events?: unknown };
  if (!isStopReason(reason))
    throw new TypeError(
      `${name}.reason: expected one of ${STOP_REASONS.map((r) => JSON.stringify(r)).join(", ")}, found ${shown(reason)}`,
    );
  if (typeof events !== "number" || !Number.isSafeInteger(events) || events < 0)
    throw new TypeError(`${name}.events: expected a whole count of events, found ${shown(events)}`);
}

function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

/**
 * The saved session (`save FILE`): what the trainees did, for the debrief, and enough to replay
 * it (`aftershock train <scenario> --script FILE` accepts a saved session as well as a list of
 * commands). Plain JSON; `format` and `version` let tools recognise it.
 */
import { describeValue, type PathKey } from "../scenario/issue.js";
import { parseJson } from "../scenario/json-syntax.js";
import { builtinFixes, knownFixesText } from "../scenario/scheduler-fixes.js";
import { textPosition } from "../scenario/source-map.js";
import { resolveVariant, VARIANT_NAMES } from "../scenario/variants.js";
import type { SavedForkRef } from "./saved-forks.js";

export const SESSION_FORMAT = "aftershock-training-session";
/**
 * 2: a fork's outcome says `allClearAt` and `timeToAllClearMs` for the session's own measure
 * (version 1 called them `recoveredAt` and `timeToRecoveryMs`), and `recoveredAt` is the run's,
 * as `run --json` gives it.
 * 3: the same action at the same moment is one fork, however worded, so a what-if that repeats
 * one goes to that fork and the later forks are numbered one less: an aftershock reading up to
 * version 2 would replay the commands on other lines, and refuses the file instead. Files of
 * version 2 were saved both before that and since; which they are is read from their `forks`
 * (`saved-forks.ts`), as for version 1.
 * 4: before `reveal`, a what-if quarantine takes only an id the on-call view has shown, and
 * `shownScheduleIds` lists the ids shown: a file of version 3 or earlier may quarantine others,
 * and is replayed without that rule.
 */
export const SESSION_VERSION = 4;

/** The first version whose quarantines took only ids the on-call view had shown. */
export const SHOWN_IDS_VERSION = 4;

/** The first bytes of a saved session: lets the CLI recognise a file it may overwrite. */
export const SESSION_SIGNATURE = /"format":\s*"aftershock-training-session"/;

export interface RecordedCommand {
  /** The simulated moment it was typed at (ISO). */
  readonly at: string;
  readonly line: string;
  readonly command: string;
}

export interface RecordedAnswer {
  readonly chapter: number;
  readonly title: string;
  readonly question: string | null;
  readonly answer: string;
  readonly at: string;
  readonly line: string;
}

export interface RecordedFork {
  readonly name: string;
  readonly from: string | null;
  readonly at: string;
  readonly whatIf: string;
  readonly action: string;
  /** The fork run to the end, if the session computed it (compare, score). */
  readonly outcome: RecordedOutcome | null;
}

export interface RecordedOutcome {
  /** When the incident was over for good, as `score` shows it (ISO), or null. */
  readonly allClearAt: string | null;
  /** From the start of the incident to `allClearAt`. */
  readonly timeToAllClearMs: number | null;
  /** The run's `recoveredAt`, as `run --json` gives it (after the last deploy). */
  readonly recoveredAt: string | null;
  readonly cascadeEndedAt: string | null;
  readonly panicDeaths: number;
  readonly lateDeliveries: number;
  readonly missedDeliveries: number;
  /**
   * Deliveries beyond the first of one fire (the run's `deliveries.duplicate`): the model's count,
   * from its assumption that a task commits when its handler returns. Absent in files saved
   * before it was recorded.
   */
  readonly duplicateDeliveries?: number;
  readonly traceHash: string;
}

export interface SessionRecord {
  readonly format: typeof SESSION_FORMAT;
  readonly version: typeof SESSION_VERSION;
  readonly scenario: string;
  readonly seed: number;
  readonly variant: string | null;
  readonly scheduler: { readonly name: string; readonly fixes: readonly string[] };
  readonly facilitator: boolean;
  /** When the hidden state was first revealed (ISO), or null. */
  readonly revealedAt: string | null;
  /**
   * The schedule ids the on-call view's logs named during the session, on any line (sorted): those
   * a quarantine before `reveal` may take. Absent before version 4.
   */
  readonly shownScheduleIds?: readonly string[];
  readonly commands: readonly RecordedCommand[];
  readonly answers: readonly RecordedAnswer[];
  readonly original: RecordedOutcome | null;
  readonly forks: readonly RecordedFork[];
}

/** The world a saved session was played in: what replays its commands as they were typed. */
export interface SavedFrom {
  readonly scenario: string;
  readonly seed: number;
  readonly variant: string | null;
  readonly scheduler: { readonly name: string; readonly fixes: readonly string[] };
}

/** What a script holds: its commands, or where the saved session it is meant to be is broken. */
export type ScriptReading =
  | {
      readonly ok: true;
      readonly commands: string[];
      readonly savedFrom?: SavedFrom;
      /** A saved session's forks, when it lists them whole (see `savedForkRenames`). */
      readonly forks?: readonly SavedForkRef[];
      /** A saved session's `facilitator`, when it says. */
      readonly facilitator?: boolean;
      /** A saved session's `version` (a file without one is taken as the first). */
      readonly version?: number;
      /** A saved session's `shownScheduleIds`, when it lists them. */
      readonly shownScheduleIds?: readonly string[];
    }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly message: string };

/**
 * The commands of a script: one per line, blank lines skipped, `#` starting a comment at the
 * start of a line or after a space (so `why w3#2` keeps its `#`). A text that starts with `{` is
 * a saved session (no command starts with one): its commands, or where it is broken (a session
 * cut short, another JSON file), never its text run as commands.
 */
export function readScript(text: string): ScriptReading {
  const start = text.search(/\S/);
  if (start >= 0 && text[start] === "{") return readSavedSession(text);
  const commands = text
    .split(/\r?\n/)
    .map(scriptCommand)
    .filter((c) => c !== null);
  return { ok: true, commands };
}

/** The command on one line of a script, its comment left out; null for a blank or comment line. */
export function scriptCommand(line: string): string | null {
  const command = line.replace(/(^|\s)#.*$/, "").trim();
  return command.length > 0 ? command : null;
}

function readSavedSession(text: string): ScriptReading {
  const json = parseJson(text);
  if (!json.ok)
    return {
      ok: false,
      line: json.error.line,
      column: json.error.column,
      message: `a saved session that is not valid JSON (${json.error.message}): cut short?`,
    };
  const parsed = json.value;
  const record = parsed as Partial<SessionRecord> | null;
  if (typeof record !== "object" || record === null || record.format !== SESSION_FORMAT)
    return {
      ok: false,
      line: 1,
      column: 1,
      message: `not a saved session (expected "format": "${SESSION_FORMAT}"); a script is one command per line`,
    };
  const version = (parsed as { version?: unknown }).version;
  if (
    version !== undefined &&
    !(Number.isInteger(version) && (version as number) >= 1 && (version as number) <= SESSION_VERSION)
  ) {
    // A newer aftershock's file may mean its commands otherwise: not replayed as if it did not.
    return {
      ok: false,
      ...textPosition(text, ["version"]),
      message: `a saved session of version ${JSON.stringify(version)}, which this aftershock does not read (it reads versions 1 to ${SESSION_VERSION}): replay it with the aftershock that saved it`,
    };
  }
  const commands = record.commands;
  if (!Array.isArray(commands))
    return {
      ok: false,
      ...textPosition(text, ["commands"]),
      message: "a saved session without its list of commands (each with a `command` string)",
    };
  // A hand edit (an answer's typo put right) that breaks one command is shown at that command,
  // not at the top of a file of hundreds of lines.
  const broken = commands.findIndex((c) => typeof c?.command !== "string");
  if (broken >= 0) {
    const value = (commands[broken] as { command?: unknown } | null)?.command;
    return {
      ok: false,
      ...textPosition(text, ["commands", broken, "command"]),
      message: `a saved session whose command ${broken + 1} ${value === undefined ? "has no" : `is ${describeValue(value)}, not a`} \`command\` string`,
    };
  }
  const wrong = worldProblem(record);
  if (wrong !== null) return { ok: false, ...textPosition(text, wrong.path), message: wrong.message };
  const from = savedFromOf(record);
  const forks = savedForksOf(record);
  return {
    ok: true,
    commands: commands.map((c) => c.command),
    ...(from ? { savedFrom: from } : {}),
    ...(forks ? { forks } : {}),
    ...(typeof record.facilitator === "boolean" ? { facilitator: record.facilitator } : {}),
    version: (version as number | undefined) ?? 1,
    ...(Array.isArray(record.shownScheduleIds)
      ? { shownScheduleIds: record.shownScheduleIds.filter((id) => typeof id === "string") }
      : {}),
  };
}

/** The saved session's forks, when each names itself, its line, moment and what-if (a hand-made file may not). */
function savedForksOf(record: Partial<SessionRecord>): SavedForkRef[] | null {
  const forks = record.forks as unknown;
  if (!Array.isArray(forks)) return null;
  const refs: SavedForkRef[] = [];
  for (const f of forks as Partial<RecordedFork>[]) {
    const { name, from, at, whatIf } = f ?? {};
    if (typeof name !== "string" || typeof at !== "string" || typeof whatIf !== "string") return null;
    if (from !== null && typeof from !== "string") return null;
    refs.push({ name, from, at, whatIf });
  }
  return refs;
}

/**
 * The first field of the session's world that no run can have (a seed of -1, an unknown variant,
 * a fix its scheduler lacks), with its path: replayed, it would be told apart from the world
 * here by a hint naming options the CLI refuses. Fields left out are a hand-made file's choice.
 */
function worldProblem(record: Partial<SessionRecord>): { path: PathKey[]; message: string } | null {
  const say = (path: PathKey[], message: string) => ({ path, message: `a saved session whose ${message}` });
  const { seed, variant, scheduler } = record as Record<string, unknown>;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && (seed as number) >= 0))
    return say(
      ["seed"],
      `seed is ${describeValue(seed)}, which no run has (a seed is a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, as --seed takes it)`,
    );
  const named = typeof variant === "string" ? resolveVariant(variant) : null;
  if (variant !== undefined && variant !== null && named === null)
    return say(
      ["variant"],
      `variant is ${describeValue(variant)}, which is not one (variants: ${VARIANT_NAMES.join(", ")})`,
    );
  if (scheduler === undefined) return null;
  const name = (scheduler as { name?: unknown } | null)?.name;
  const fixes = (scheduler as { fixes?: unknown } | null)?.fixes;
  if (typeof name !== "string")
    return say(["scheduler", "name"], `scheduler is ${describeValue(name)}, not a name`);
  if (!Array.isArray(fixes) || fixes.some((f) => typeof f !== "string"))
    return say(["scheduler", "fixes"], `fixes are ${describeValue(fixes)}, not a list of names`);
  if (named !== null) {
    if (name !== named.scheduler)
      return say(
        ["scheduler", "name"],
        `scheduler ${describeValue(name)} is not the one its variant ${variant} runs (${named.scheduler})`,
      );
    const same = fixes.length === named.fixes.length && named.fixes.every((f) => fixes.includes(f));
    if (!same)
      return say(
        ["scheduler", "fixes"],
        `fixes (${fixes.join(", ") || "none"}) are not those its variant ${variant} runs (${named.fixes.join(", ") || "none"})`,
      );
  }
  // A module's fixes are its own: only a bundled scheduler's are known here.
  const declared = builtinFixes(name);
  const unknown = declared === null ? -1 : fixes.findIndex((f) => !declared.includes(f));
  if (declared !== null && unknown >= 0)
    return say(
      ["scheduler", "fixes", unknown],
      `scheduler ${name} has no fix ${describeValue(fixes[unknown])} (${knownFixesText(name, declared)})`,
    );
  return null;
}

/** The saved session's world, when the file names it whole (a hand-made file may not). */
function savedFromOf(record: Partial<SessionRecord>): SavedFrom | null {
  const { scenario, seed, variant, scheduler } = record;
  if (typeof scenario !== "string" || typeof seed !== "number") return null;
  if (typeof scheduler?.name !== "string" || !Array.isArray(scheduler.fixes)) return null;
  return {
    scenario,
    seed,
    variant: typeof variant === "string" ? variant : null,
    scheduler: { name: scheduler.name, fixes: scheduler.fixes.map(String) },
  };
}

/**
 * Why replaying a saved session here will not show what was seen when it was saved: another
 * scenario, seed or scheduler, with the options that replay it as saved; null when it is the same.
 */
export function replayMismatch(file: string, saved: SavedFrom, here: SavedFrom): string | null {
  const sameFixes =
    saved.scheduler.fixes.length === here.scheduler.fixes.length &&
    saved.scheduler.fixes.every((f) => here.scheduler.fixes.includes(f));
  if (
    saved.scenario === here.scenario &&
    saved.seed === here.seed &&
    saved.scheduler.name === here.scheduler.name &&
    sameFixes
  )
    return null;
  const scheduler = (w: SavedFrom) => {
    const text = `${w.scheduler.name} (${w.scheduler.fixes.length > 0 ? w.scheduler.fixes.join(", ") : "no fixes"})`;
    return w.variant === null ? text : `${w.variant} ${text}`;
  };
  const flags =
    saved.variant !== null
      ? `--variant ${saved.variant}`
      : `--scheduler ${saved.scheduler.name}${saved.scheduler.fixes.length > 0 ? ` --fix ${saved.scheduler.fixes.join(",")}` : ""}`;
  return (
    `${file} was saved from a session on ${saved.scenario} at seed ${saved.seed} with ${scheduler(saved)}; ` +
    `replaying its commands on ${here.scenario} at seed ${here.seed} with ${scheduler(here)}, whose screens may differ ` +
    `(${saved.scenario} with --seed ${saved.seed} ${flags} replays it as saved)`
  );
}

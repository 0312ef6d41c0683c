import { readableDetail } from "../checks/index.js";
import { plural } from "../kernel/index.js";
import {
  DEPLOY_STEP_DELAY_MS_DEFAULT,
  parseDuration,
  resolveVariant,
  SCHEDULER_FIXES,
  VARIANT_NAMES,
} from "../scenario/index.js";
import { type ActionSpec, type TimedAction, WORKERS_MAX } from "../world/config.js";
import { describeAction } from "../world/world.js";
import { echoed } from "./format.js";

export type ParsedWhatIf =
  | { readonly ok: true; readonly action: ActionSpec; readonly text: string }
  | { readonly ok: false; readonly message: string };

/** The action the words after a verb make, or why they make none. */
type ParsedAction =
  | { readonly ok: true; readonly action: ActionSpec }
  | { readonly ok: false; readonly message: string };

/**
 * A verb `what-if` takes: how it is typed, what it does (for help and tab completion), how the
 * words after it make an action, and how a reply names the action it made. One table is the
 * source of all of them, so a what-if is named in the words the facilitator types.
 */
export interface WhatIfVerb {
  readonly verb: string;
  /** Other spellings it accepts; a what-if is named by `verb` whichever was typed. */
  readonly aliases?: readonly string[];
  readonly args: string;
  readonly summary: string;
  /** The summary as help gives it in the on-call view, where `summary` would tell the cause. */
  readonly onCallSummary?: string;
  /** The kind of action it makes. */
  readonly makes: ActionSpec["action"];
  /** `onCall`: a hint names no fix (see `namedVariants`). */
  readonly parse: (words: readonly string[], stepMs: number, onCall: boolean) => ParsedAction;
  /**
   * An action it makes, in its words (null for another kind); absent where an earlier verb names
   * what it makes (a rollback is a deploy).
   */
  readonly describe?: (
    action: ActionSpec,
    duration: (ms: number) => string,
    revealed: boolean,
  ) => string | null;
}

/** The verbs `what-if` takes, in the order help lists them. */
export const WHAT_IF_VERBS: readonly WhatIfVerb[] = [
  {
    verb: "deploy",
    args: "<variant|v1|v2 [fixes...]> [bundled] [step <duration>]",
    summary:
      "a rolling deploy: deploy fixed, deploy v2 early-return, deploy fixed step 0s; where a scheduler module stands for v2, deploy fixed bundled deploys the bundled v2, as a scenario's bundled: true does",
    onCallSummary:
      "a rolling deploy: deploy fixed (v2 with every fix, which reveal names), deploy fixed step 0s, deploy v1; where a scheduler module stands for v2, deploy fixed bundled deploys the bundled v2, as a scenario's bundled: true does",
    makes: "deploy",
    parse: deploy,
    // The timeline's fuller account: the scheduler, its fixes and the pace (a rollback is one too).
    describe: (action, _, revealed) => (action.action === "deploy" ? describeTimed(action, revealed) : null),
  },
  {
    verb: "rollback",
    aliases: ["roll-back"],
    args: "[step <duration>]",
    summary: "deploy v1, the legacy scheduler (which returns early for a deleted account), to every worker",
    onCallSummary: "deploy v1, the legacy scheduler that v2 replaced, to every worker",
    makes: "deploy",
    parse: (words, stepMs) => {
      const step = stepOf(words, stepMs);
      if (!step.ok) return step;
      if (step.words.length > 0)
        return fail(`rollback takes no scheduler (it deploys v1); found "${echoed(step.words[0])}"`);
      return { ok: true, action: { action: "deploy", scheduler: "v1", fixes: [], stepDelayMs: step.ms } };
    },
  },
  {
    verb: "quarantine",
    args: "<schedule>",
    summary: "the runbook mitigation: take one schedule out of scheduling",
    makes: "quarantine-schedule",
    parse: (words) =>
      words.length === 1
        ? { ok: true, action: { action: "quarantine-schedule", schedule: words[0] } }
        : fail("usage: what-if quarantine <schedule>"),
    describe: (action) => (action.action === "quarantine-schedule" ? `quarantine ${action.schedule}` : null),
  },
  {
    verb: "scale",
    args: "<workers>",
    summary: "grow or shrink the fleet",
    makes: "scale",
    parse: (words) => {
      const n = Number(words[0]);
      if (words.length !== 1 || !Number.isInteger(n) || n < 1 || n > WORKERS_MAX)
        return fail(`usage: what-if scale <workers>, a whole number from 1 to ${WORKERS_MAX}`);
      return { ok: true, action: { action: "scale", workers: n } };
    },
    // The fleet's size, said whole.
    describe: (action, duration) => (action.action === "scale" ? describeAction(action, duration) : null),
  },
  workerVerb("restart", "restart-worker", "gracefully"),
  workerVerb("kill", "kill-worker", "(the supervisor restarts it)"),
];

/** A verb that acts on one worker: `kill w1`, said with what it does (`(the supervisor restarts it)`). */
function workerVerb(verb: string, kind: "kill-worker" | "restart-worker", effect: string): WhatIfVerb {
  return {
    verb,
    args: "<worker>",
    summary: `${verb} one worker process ${effect}`,
    makes: kind,
    parse: (words) =>
      words.length === 1
        ? // Workers are named in lower case (w3) and read in any, as logs reads them.
          { ok: true, action: { action: kind, worker: words[0].toLowerCase() } }
        : fail(`usage: what-if ${verb} <worker>`),
    describe: (action) => (action.action === kind ? `${verb} ${action.worker} ${effect}` : null),
  };
}

/**
 * A what-if's action as the reply names it: in the verbs the trainee types (`kill w1`, as `lines`
 * shows it), where the timeline's own words (`kill-worker w1`) are a scenario file's; a deploy and
 * a scale keep the timeline's fuller account (the fixes, the pace, the fleet's size).
 */
export function describeWhatIf(
  action: ActionSpec,
  duration: (ms: number) => string,
  revealed: boolean,
): string {
  const verb = WHAT_IF_VERBS.find((v) => v.makes === action.action && v.describe !== undefined);
  return verb?.describe?.(action, duration, revealed) ?? describeAction(action, duration);
}

/**
 * A timeline action as the session words it, as `run`'s key events do (`readableDetail`): a
 * deploy's pace is the rollout's, `each 10s after the one before serves again`, where `10s
 * between workers` would read as twice the pace its logs show once each worker takes 20 s to start.
 * Unless `revealed`, a deploy's fixes are counted, not named, as the on-call view's logs count them.
 */
export function describeTimed(action: ActionSpec, revealed: boolean): string {
  const text = readableDetail(describeAction(action));
  if (revealed || action.action !== "deploy" || action.fixes.length === 0) return text;
  return text.replace(
    `with ${action.fixes.join(", ")},`,
    `with ${plural(action.fixes.length, "fix", "fixes")},`,
  );
}

/** The verb a trainee types for a kind of action (`kill` for `kill-worker`); the kind if none. */
export function whatIfVerbOf(kind: ActionSpec["action"]): string {
  return WHAT_IF_VERBS.find((v) => v.makes === kind)?.verb ?? kind;
}

/**
 * Parses what follows `what-if` into an operator action. Checks the words only; whether the
 * worker, schedule or scheduler exists is for the session to check against its world. A deploy
 * or rollback without `step` waits `stepMs` between workers (the session gives the pace of its
 * scenario's own deploy; without one, a timeline `deploy`'s default). Its text is the words typed,
 * the verb spelt as the table spells it (`KILL w1` and `kill w1` are one what-if).
 */
export function parseWhatIf(
  text: string,
  stepMs: number = DEPLOY_STEP_DELAY_MS_DEFAULT,
  onCall = false,
): ParsedWhatIf {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const typed = (words[0] ?? "").toLowerCase();
  const verbs = () => WHAT_IF_VERBS.map((v) => v.verb).join(", ");
  if (typed === "") return fail(`what-if needs an action: ${verbs()}`);
  const verb = WHAT_IF_VERBS.find((v) => v.verb === typed || v.aliases?.includes(typed));
  if (verb === undefined) return fail(`unknown what-if action "${echoed(words[0])}" (try: ${verbs()})`);
  const rest = words.slice(1);
  const parsed = verb.parse(rest, stepMs, onCall);
  if (!parsed.ok) return parsed;
  // Named as the action names it: `kill W3` is the line of `kill w3`, and lists as it.
  const a = parsed.action;
  const named = a.action === "kill-worker" || a.action === "restart-worker" ? [a.worker] : rest;
  return { ...parsed, text: [verb.verb, ...named].join(" ") };
}

/**
 * The variants a hint or Tab offers: in the on-call view, not those named after a fix
 * (`early-return`, `panic-recovery`), whose names say what was wrong before reveal does; typed,
 * they are taken all the same.
 */
export function namedVariants(onCall: boolean): readonly string[] {
  const fixes: readonly string[] = SCHEDULER_FIXES;
  return onCall ? VARIANT_NAMES.filter((v) => !fixes.includes(v)) : VARIANT_NAMES;
}

/**
 * The word that asks for the bundled v2 where a scheduler module stands for v2, as a scenario's
 * deploy says `bundled: true` (`moduleStandsForV2`): `deploy fixed bundled`.
 */
const BUNDLED_WORD = "bundled";

function deploy(words: readonly string[], stepMs: number, onCall: boolean): ParsedAction {
  const step = stepOf(words, stepMs);
  if (!step.ok) return step;
  const bundled = step.words.includes(BUNDLED_WORD);
  const [target, ...fixes] = step.words.filter((w) => w !== BUNDLED_WORD);
  if (target === undefined)
    return fail(
      `usage: what-if deploy <${namedVariants(onCall).join("|")}> or deploy v2 <fixes...> [${BUNDLED_WORD}] [step 10s]`,
    );
  const variant = resolveVariant(target);
  if (variant !== null && fixes.length > 0)
    return fail(`deploy ${target} is a named variant: it takes no fixes`);
  const scheduler = variant?.scheduler ?? target;
  // As a scenario's `bundled: true` is refused with `scheduler: v1`: no module stands for it. A
  // name the words do not know is the session's to check (`bundledRefusal`): a module it runs, or
  // a typo, which it answers with the schedulers it knows.
  if (bundled && scheduler === "v1") return fail(bundledRefusal(target, false));
  for (const fix of fixes) {
    if (!(SCHEDULER_FIXES as readonly string[]).includes(fix))
      return fail(
        onCall
          ? `unknown fix "${echoed(fix)}" (reveal names the fixes; deploy fixed deploys every one)`
          : `unknown fix "${echoed(fix)}" (known: ${SCHEDULER_FIXES.join(", ")})`,
      );
  }
  return {
    ok: true,
    action: {
      action: "deploy",
      scheduler,
      fixes: variant?.fixes ?? [...new Set(fixes)],
      stepDelayMs: step.ms,
      ...(bundled ? { bundled: true } : {}),
    },
  };
}

/**
 * Why `bundled` does not go with a deploy of `target`, a scheduler that is not v2: v1 (or a variant
 * of it), which no module stands for, or, if `isModule`, a scheduler module, which is itself what
 * `bundled` deploys the bundled v2 in place of.
 */
export function bundledRefusal(target: string, isModule: boolean): string {
  const why = isModule
    ? `${target} is a scheduler module; deploy v2 (or a variant of it) ${BUNDLED_WORD} for the bundled v2 in its place`
    : `no module stands for ${target}`;
  return `${BUNDLED_WORD} goes with v2 (as bundled: true does in a scenario): ${why}`;
}

/**
 * The pace of a what-if deploy or rollback without `step` in a scenario with this timeline: that
 * of its own first deploy (the team's rollout: 10 s on May 8), else a timeline `deploy`'s default.
 */
export function whatIfStepMs(timeline: readonly TimedAction[]): number {
  for (const a of timeline) if (a.action === "deploy") return a.stepDelayMs;
  return DEPLOY_STEP_DELAY_MS_DEFAULT;
}

type StepResult =
  | { readonly ok: true; readonly ms: number; readonly words: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Takes a trailing `step <duration>` off the words; without one, the step is `stepMs`. */
function stepOf(words: readonly string[], stepMs: number): StepResult {
  const at = words.indexOf("step");
  if (at === -1) return { ok: true, ms: stepMs, words };
  if (at !== words.length - 2) return { ok: false, message: "write the step last: ... step 10s" };
  const parsed = parseDuration(words[at + 1]);
  if (!parsed.ok) return { ok: false, message: `step: ${parsed.message}` };
  return { ok: true, ms: parsed.ms, words: words.slice(0, at) };
}

function fail(message: string): { readonly ok: false; readonly message: string } {
  return { ok: false, message };
}

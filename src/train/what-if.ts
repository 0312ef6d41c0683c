import {
  DEPLOY_STEP_DELAY_MS_DEFAULT,
  parseDuration,
  resolveVariant,
  SCHEDULER_FIXES,
  VARIANT_NAMES,
} from "../scenario/index.js";
import type { ActionSpec, TimedAction } from "../world/config.js";
import { describeAction } from "../world/world.js";

/** The verbs `what-if` takes, with what each does: data for help and tab completion. */
export const WHAT_IF_VERBS: readonly {
  readonly verb: string;
  readonly args: string;
  readonly summary: string;
}[] = [
  {
    verb: "deploy",
    args: "<variant|v1|v2 [fixes...]> [step <duration>]",
    summary: "a rolling deploy: deploy fixed, deploy v2 early-return, deploy fixed step 0s",
  },
  { verb: "rollback", args: "[step <duration>]", summary: "roll back to v1, the scheduler before Apr 24" },
  {
    verb: "quarantine",
    args: "<schedule>",
    summary: "the runbook mitigation: take one schedule out of scheduling",
  },
  { verb: "scale", args: "<workers>", summary: "grow or shrink the fleet" },
  { verb: "restart", args: "<worker>", summary: "restart one worker process gracefully" },
  { verb: "kill", args: "<worker>", summary: "kill one worker process (the supervisor restarts it)" },
];

const WORKERS_MAX = 256;

/**
 * A what-if's action as the reply names it: in the verbs the trainee types (`kill w1`, as `lines`
 * shows it), where the timeline's own words (`kill-worker w1`) are a scenario file's; a deploy and
 * a scale keep the timeline's fuller account (the fixes, the pace, the fleet's size).
 */
export function describeWhatIf(action: ActionSpec, duration: (ms: number) => string): string {
  switch (action.action) {
    case "kill-worker":
      return `kill ${action.worker} (the supervisor restarts it)`;
    case "restart-worker":
      return `restart ${action.worker} gracefully`;
    case "quarantine-schedule":
      return `quarantine ${action.schedule}`;
    default:
      return describeAction(action, duration);
  }
}

export type ParsedWhatIf =
  | { readonly ok: true; readonly action: ActionSpec; readonly text: string }
  | { readonly ok: false; readonly message: string };

/**
 * Parses what follows `what-if` into an operator action. Checks the words only; whether the
 * worker, schedule or scheduler exists is for the session to check against its world. A deploy
 * or rollback without `step` waits `stepMs` between workers (the session gives the pace of its
 * scenario's own deploy; without one, a timeline `deploy`'s default).
 */
export function parseWhatIf(text: string, stepMs: number = DEPLOY_STEP_DELAY_MS_DEFAULT): ParsedWhatIf {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const verb = (words[0] ?? "").toLowerCase();
  const rest = words.slice(1);
  const canonical = words.join(" ");
  const ok = (action: ActionSpec): ParsedWhatIf => ({ ok: true, action, text: canonical });
  switch (verb) {
    case "":
      return fail(`what-if needs an action: ${WHAT_IF_VERBS.map((v) => v.verb).join(", ")}`);
    case "deploy":
      return deploy(rest, stepMs, ok);
    case "rollback":
    case "roll-back": {
      const step = stepOf(rest, stepMs);
      if (!step.ok) return step;
      if (step.words.length > 0)
        return fail(`rollback takes no scheduler (it deploys v1); found "${step.words[0]}"`);
      return ok({ action: "deploy", scheduler: "v1", fixes: [], stepDelayMs: step.ms });
    }
    case "quarantine":
      if (rest.length !== 1) return fail("usage: what-if quarantine <schedule>");
      return ok({ action: "quarantine-schedule", schedule: rest[0] });
    case "scale": {
      const n = Number(rest[0]);
      if (rest.length !== 1 || !Number.isInteger(n) || n < 1 || n > WORKERS_MAX)
        return fail(`usage: what-if scale <workers>, a whole number from 1 to ${WORKERS_MAX}`);
      return ok({ action: "scale", workers: n });
    }
    case "restart":
    case "kill":
      if (rest.length !== 1) return fail(`usage: what-if ${verb} <worker>`);
      return ok({ action: verb === "kill" ? "kill-worker" : "restart-worker", worker: rest[0] });
    default:
      return fail(
        `unknown what-if action "${words[0]}" (try: ${WHAT_IF_VERBS.map((v) => v.verb).join(", ")})`,
      );
  }
}

function deploy(
  words: readonly string[],
  stepMs: number,
  ok: (action: ActionSpec) => ParsedWhatIf,
): ParsedWhatIf {
  const step = stepOf(words, stepMs);
  if (!step.ok) return step;
  const [target, ...fixes] = step.words;
  if (target === undefined)
    return fail(`usage: what-if deploy <${VARIANT_NAMES.join("|")}> or deploy v2 <fixes...> [step 10s]`);
  const variant = resolveVariant(target);
  if (variant !== null) {
    if (fixes.length > 0) return fail(`deploy ${target} is a named variant: it takes no fixes`);
    return ok({ action: "deploy", scheduler: variant.scheduler, fixes: variant.fixes, stepDelayMs: step.ms });
  }
  for (const fix of fixes) {
    if (!(SCHEDULER_FIXES as readonly string[]).includes(fix))
      return fail(`unknown fix "${fix}" (known: ${SCHEDULER_FIXES.join(", ")})`);
  }
  return ok({ action: "deploy", scheduler: target, fixes: [...new Set(fixes)], stepDelayMs: step.ms });
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

function fail(message: string): ParsedWhatIf {
  return { ok: false, message };
}

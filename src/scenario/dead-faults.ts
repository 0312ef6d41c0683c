import { BACKOFF_MAX_DEFAULT } from "./defaults.js";
import { formatDurationText, parseDuration, schemaDefaultMs } from "./duration.js";
import type { TimeOf } from "./idle-faults.js";
import { type PathKey, pathText, type UnplacedIssue } from "./issue.js";
import { durationOr, field, items } from "./raw-fields.js";

/** A skew past this is taken for a slip of the unit (`skew: 100000h`), and warned of. */
export const SKEW_MS_PLAUSIBLE_MAX = 366 * 24 * 3_600_000;

/** A pause of one worker, from the faults or the timeline, and where it is written. */
interface Pause {
  readonly path: readonly PathKey[];
  readonly worker: string;
  /** Its `at` as written. */
  readonly at: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Faults the file alone shows can never act, warned of (`no-effect`; a run accepts them, and
 * counts each as not fired by the end, or skipped): an `inject-panic` of `probability: 0`, or
 * naming a `schedule` and an `account` that schedule does not belong to (a task must match both);
 * a `hang`, or an HTTP fault aimed at one `account`, that comes after that account's deletion in
 * the timeline (and no creation again before it, nor after it: by the end of an HTTP fault's window): the bundled schedulers fire none of its
 * schedules' deliveries then; a `hang` of a schedule the timeline removed (`delete-schedule`) or
 * paused (`pause-schedule`) before it, and never created again nor resumed: no task of it comes; a `pause-worker` of a worker that an earlier pause (one not skipped itself) still holds, with
 * no kill or restart of it in between, nor a deploy, nor a kill or restart shortly before
 * the earlier pause, which may have left it skipped (a paused worker is not paused again: skipped). And a clock
 * skew of more than a year, likely a slip of the unit (`out-of-range`, a warning: a clock set
 * decades back is a thing a scenario may model). Times come from `timeOf`; without it (or for an
 * `at` that does not resolve) only the checks that need no time are made.
 */
export function checkDeadFaults(data: unknown, timeOf: TimeOf | null): UnplacedIssue[] {
  const faults = items(field(data, "faults"));
  const timeline = items(field(data, "timeline"));
  const issues: UnplacedIssue[] = [];
  const warn = (path: PathKey[], why: string, found: string) =>
    issues.push({
      severity: "warning",
      path,
      code: "no-effect",
      message: `${pathText(path)}: ${why}`,
      found,
    });
  const owners = scheduleOwners(data);
  const when = (at: unknown) => (timeOf === null || typeof at !== "string" ? null : timeOf(at));
  const pauses: Pause[] = [];
  faults.forEach((f, i) => {
    const kind = field(f, "fault");
    const atMs = when(field(f, "at"));
    if (kind === "inject-panic") {
      if (field(f, "probability") === 0)
        warn(
          ["faults", i, "probability"],
          "a probability of 0 makes no task panic, so this inject-panic never fires",
          "0",
        );
      const schedule = field(f, "schedule");
      const account = field(f, "account");
      const owner = typeof schedule === "string" ? owners.get(schedule) : undefined;
      if (owner !== undefined && typeof account === "string" && owner !== account)
        warn(
          ["faults", i, "account"],
          `schedule ${schedule} belongs to account ${owner}, and a task must match both the schedule and the account, so this inject-panic never fires`,
          account,
        );
    }
    if (kind === "hang" && atMs !== null) {
      const schedule = textOf(field(f, "schedule"));
      const actions = timeline.map((a) => ({ ...timelineFields(a), atMs: when(field(a, "at")) }));
      const silenced = scheduleSilencedAt(actions, schedule, atMs, false);
      if (silenced !== null) {
        warn(
          ["faults", i, "at"],
          `schedule ${schedule} is ${silenced.how} before it (timeline[${silenced.index}])${silenced.how === "paused" ? ", and not resumed after" : ", and not created again"}, so no task of it comes for this hang to block: it never fires`,
          textOf(field(f, "at")),
        );
        return;
      }
    }
    const target = kind === "hang" ? owners.get(textOf(field(f, "schedule"))) : field(f, "account");
    if (
      (kind === "hang" || kind === "http-errors" || kind === "http-timeouts") &&
      typeof target === "string"
    ) {
      // A hang waits for the schedule's next task, an HTTP fault for a send in its window: the
      // account created again by then has its schedules back if no cleanup removed them.
      const duration = kind === "hang" ? undefined : field(f, "duration");
      const parsed = typeof duration === "string" ? parseDuration(duration) : null;
      const untilMs = atMs === null || parsed?.ok !== true ? Number.POSITIVE_INFINITY : atMs + parsed.ms;
      const deletion = atMs === null ? null : deletedBy(timeline, target, atMs, untilMs, when);
      if (deletion !== null) {
        const what = kind === "hang" ? `its schedule ${textOf(field(f, "schedule"))}` : "its destination";
        warn(
          ["faults", i, "at"],
          `account ${target} is deleted before it (timeline[${deletion}]), and the bundled schedulers send nothing to ${what} after that, so this ${kind} never fires`,
          textOf(field(f, "at")),
        );
      }
    }
    if (kind === "clock-skew") skewTooLarge(f, i, issues);
    if (kind === "pause-worker") notePause(pauses, ["faults", i], f, atMs);
  });
  timeline.forEach((a, i) => {
    if (field(a, "action") === "pause-worker") notePause(pauses, ["timeline", i], a, when(field(a, "at")));
  });
  const backoffMs =
    durationOr(
      field(field(field(data, "fleet"), "supervisor"), "backoffMax"),
      schemaDefaultMs(BACKOFF_MAX_DEFAULT),
    ) ?? Number.POSITIVE_INFINITY;
  // A pause that is skipped holds nothing: each is judged after every pause before it.
  const holders = new Map<Pause, Pause>();
  for (const p of [...pauses].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))) {
    const holding = pauses.find(
      (q) =>
        q !== p &&
        q.worker === p.worker &&
        before(q, p) &&
        !holders.has(q) &&
        // At the instant a pause ends the worker is still paused: every fault and action is readied
        // at the run's start, so it comes before the resume its pause readied later.
        q.toMs >= p.fromMs &&
        !cut(q, p, faults, timeline, when, backoffMs),
    );
    if (holding !== undefined) holders.set(p, holding);
  }
  for (const p of pauses) {
    const holding = holders.get(p);
    if (holding !== undefined)
      warn(
        [...p.path, "at"],
        `${p.worker} is still paused then by ${pathText(holding.path)}, and a paused worker is not paused again, so this pause is skipped`,
        p.at,
      );
  }
  return issues;
}

/** Which account each schedule the file names belongs to: named accounts' and those the timeline creates. */
function scheduleOwners(data: unknown): Map<string, string> {
  const owners = new Map<string, string>();
  for (const account of items(field(field(data, "workload"), "named"))) {
    const id = field(account, "id");
    if (typeof id !== "string") continue;
    for (const s of items(field(account, "schedules"))) {
      const schedule = field(s, "id");
      if (typeof schedule === "string") owners.set(schedule, id);
    }
  }
  for (const a of items(field(data, "timeline"))) {
    const schedule = field(a, "schedule");
    const account = field(a, "account");
    if (
      field(a, "action") === "create-schedule" &&
      typeof schedule === "string" &&
      typeof account === "string"
    )
      owners.set(schedule, account);
  }
  return owners;
}

/** A timeline action as `scheduleSilencedAt` reads it: its time (null when it does not resolve) and fields. */
export interface ScheduleAction {
  readonly atMs: number | null;
  readonly action?: unknown;
  readonly schedule?: unknown;
  readonly paused?: unknown;
}

/** The fields of a raw timeline entry that `scheduleSilencedAt` reads. */
function timelineFields(a: unknown): Omit<ScheduleAction, "atMs"> {
  return { action: field(a, "action"), schedule: field(a, "schedule"), paused: field(a, "paused") };
}

/**
 * Whether the timeline keeps `schedule` from firing from `atMs` to the end: removed by a
 * `delete-schedule` or paused by a `pause-schedule` before `atMs` (also at `atMs` when `atTooIs`:
 * a fault at that time comes first, but a hang waits for a task that then never comes), and never
 * created again nor resumed after. Gives the index in `actions` of the action that silenced it and
 * how, or null. Actions whose time does not resolve are left out.
 */
export function scheduleSilencedAt(
  actions: readonly ScheduleAction[],
  schedule: string,
  atMs: number,
  atTooIs: boolean,
): { readonly index: number; readonly how: "removed" | "paused" } | null {
  const mine = actions
    .map((a, index) => ({ a, index, t: a.atMs }))
    .filter(
      (x): x is { a: ScheduleAction; index: number; t: number } => x.a.schedule === schedule && x.t !== null,
    )
    .sort((x, y) => x.t - y.t || x.index - y.index);
  let removed: number | null = null;
  let paused: number | null = null;
  for (const { a, index, t } of mine) {
    const before = t < atMs || (atTooIs && t === atMs);
    if (!before && removed === null && paused === null) return null;
    if (a.action === "delete-schedule") removed ??= index;
    else if (a.action === "create-schedule") [removed, paused] = [null, null];
    else if (a.action === "pause-schedule" && removed === null) paused = a.paused !== false ? index : null;
    // Created again or resumed after the fault: a task of it comes.
    if (!before && removed === null && paused === null) return null;
  }
  if (removed !== null) return { index: removed, how: "removed" };
  return paused === null ? null : { index: paused, how: "paused" };
}

/**
 * The index of the last timeline deletion of `account` before `atMs` with no creation again since,
 * nor one from `atMs` to before `untilMs`, or null.
 */
function deletedBy(
  timeline: readonly unknown[],
  account: string,
  atMs: number,
  untilMs: number,
  when: (at: unknown) => number | null,
): number | null {
  let lastMs = Number.NEGATIVE_INFINITY;
  let deletion: number | null = null;
  let createdAfter = false;
  timeline.forEach((a, i) => {
    const action = field(a, "action");
    if (field(a, "account") !== account || (action !== "delete-account" && action !== "create-account"))
      return;
    const t = when(field(a, "at"));
    if (t !== null && t >= atMs) {
      if (action === "create-account" && t < untilMs) createdAfter = true;
      return;
    }
    if (t === null || t < lastMs) return;
    lastMs = t;
    deletion = action === "delete-account" ? i : null;
  });
  return createdAfter ? null : deletion;
}

function notePause(pauses: Pause[], path: PathKey[], p: unknown, atMs: number | null): void {
  const worker = field(p, "worker");
  const duration = field(p, "duration");
  if (atMs === null || typeof worker !== "string" || worker === "random" || typeof duration !== "string")
    return;
  const parsed = parseDuration(duration);
  if (parsed.ok)
    pauses.push({ path, worker, at: textOf(field(p, "at")), fromMs: atMs, toMs: atMs + parsed.ms });
}

/** Whether pause `q` comes before `p`: earlier, or at the same time and written first (faults before the timeline's). */
function before(q: Pause, p: Pause): boolean {
  if (q.fromMs !== p.fromMs) return q.fromMs < p.fromMs;
  return q.path[0] === p.path[0] ? (q.path[1] as number) < (p.path[1] as number) : q.path[0] === "faults";
}

/**
 * Whether `q` may not hold `q`'s worker paused when `p` comes, so that `p` may act: a kill or
 * restart of that worker (or of `random`) after `q` and by `p` ends the pause, and so does a
 * `deploy` (which stops and replaces every worker) at any time by `p`, as a rolling deploy reaches
 * a worker a while after it starts (a `scale` down that removes the worker leaves `p` naming a
 * worker no longer in the fleet, an error of its own); and a kill or restart up to
 * `backoffMs` (the supervisor's `backoffMax`) before `q` may leave the worker waiting in back-off
 * then, with no process, so that `q` itself is skipped. A warning must not be wrong: when unsure,
 * `q` is taken not to hold. (A crash of the worker no fault shows, a panic's, is not foreseen.)
 */
function cut(
  q: Pause,
  p: Pause,
  faults: readonly unknown[],
  timeline: readonly unknown[],
  when: (at: unknown) => number | null,
  backoffMs: number,
): boolean {
  const ends = (x: unknown, key: string, kinds: readonly string[]) => {
    const kind = textOf(field(x, key));
    if (!kinds.includes(kind)) return false;
    const t = when(field(x, "at"));
    if (t === null) return true;
    if (kind === "deploy") return t <= p.fromMs;
    const worker = field(x, "worker");
    if (worker !== q.worker && worker !== "random") return false;
    return t >= q.fromMs - backoffMs && t <= p.fromMs;
  };
  return (
    faults.some((f) => ends(f, "fault", ["kill-worker"])) ||
    timeline.some((a) => ends(a, "action", ["kill-worker", "restart-worker", "deploy"]))
  );
}

/** A field's text, or "" for any other value (a mapping may shadow `toString`). */
function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function skewTooLarge(f: unknown, i: number, issues: UnplacedIssue[]): void {
  const skew = field(f, "skew");
  if (typeof skew !== "string") return;
  const parsed = parseDuration(skew, { signed: true });
  if (!parsed.ok || Math.abs(parsed.ms) <= SKEW_MS_PLAUSIBLE_MAX) return;
  const path: PathKey[] = ["faults", i, "skew"];
  issues.push({
    severity: "warning",
    path,
    code: "out-of-range",
    message: `${pathText(path)}: a skew of ${skew} sets the clock more than a year off (a slip of the unit?); the run takes it as written`,
    expected: `a skew of at most ${formatDurationText(SKEW_MS_PLAUSIBLE_MAX)} either way`,
    found: skew,
  });
}

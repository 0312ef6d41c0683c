import { plural } from "../kernel/index.js";
import { WORKERS_MAX } from "../world/config.js";
import { CronError, nextFireAfter, parseCron } from "../world/cron.js";
import { type ScheduleNoOp, scheduleNoOp } from "../world/schedule-actions.js";
import {
  generatedAccountId,
  generatedAccountNumber,
  generatedScheduleId,
  generatedScheduleNumber,
} from "../world/workload-ids.js";
import { describeValue, type PathKey, type UnplacedIssue, valueText, where } from "./issue.js";
import { closest } from "./suggest.js";
import { instantText } from "./time.js";

/**
 * Account, schedule and worker ids in the timeline and the faults must name something that is
 * there when the action runs: a deletion of a schedule created only later, a kill of a worker a
 * scale-down already removed, a second creation of an existing id would each silently do
 * nothing, and a replay would lose its incident without a word. So the actions are replayed in
 * the order the run performs them (by time; at one time the faults before the timeline, as the
 * world queues them, each in document order), following creations, deletions and scaling.
 *
 * Faults that arm a rule (`inject-panic`, `hang`) match tasks from then on, so their ids need
 * only be defined somewhere: at the start or by a creation anywhere in the timeline. So does the
 * account of an HTTP fault (`http-errors`, `http-timeouts`): it matches what that account's
 * tasks send in its window, a retry of a message sent before it included.
 */

export type Kind = "account" | "schedule";

/** One timeline action or fault, as the replay reads it (a raw entry or a parsed one). */
export interface RefStep {
  readonly list: "timeline" | "faults";
  readonly index: number;
  /** Absolute time, or null when it cannot be resolved (the time checks report why). */
  readonly atMs: number | null;
  /** The time as written. */
  readonly atText: string;
  /** The action or fault name. */
  readonly verb: unknown;
  /** The entry's fields (`account`, `schedule`, `worker`, `workers`), read defensively. */
  readonly get: (key: string) => unknown;
}

/** Which generated schedule ids exist: the world draws how many each account has from the seed. */
export interface GeneratedSchedules {
  /** Every seed generates `sched-000001` up to this. */
  readonly least: number;
  /** No seed generates more than this. */
  readonly most: number;
  /**
   * The ids the checked run has: `seed` with its exact count; `every-seed` when one command
   * runs many seeds (only ids every seed generates are safe); `unknown` when the count cannot
   * be drawn (a malformed or oversized workload, reported elsewhere): up to `most` pass.
   */
  readonly at:
    | {
        readonly kind: "seed";
        readonly seed: number;
        readonly count: () => number;
        /** Whose each generated schedule is, and its cron, drawn as the world draws them. */
        readonly owners: () => ReadonlyMap<string, ScheduleOwner>;
      }
    | {
        readonly kind: "every-seed";
        /** The seeds the command runs, when known: whose each generated schedule is is drawn at each. */
        readonly sweep?: SweepOwners;
      }
    | { readonly kind: "unknown" };
}

/** The consecutive seeds a command runs (`first` to `first + count - 1`), and the generated schedules' owners at one. */
export interface SweepOwners {
  readonly first: number;
  readonly count: number;
  readonly owners: (seed: number) => ReadonlyMap<string, ScheduleOwner>;
}

/** Whose a schedule is, and when it fires (a raw cron, read defensively). */
export interface ScheduleOwner {
  readonly account: string;
  readonly cron: unknown;
}

/** An id of workload.named, where it is written. */
export interface NamedId {
  readonly kind: Kind;
  readonly id: string;
  readonly path: readonly PathKey[];
}

/** What exists at the start, and the actions to replay. */
export interface RefWorld {
  readonly named: Record<Kind, ReadonlySet<string>>;
  /** Every id of workload.named, in document order. */
  readonly namedIds: readonly NamedId[];
  /** The account and cron of each named schedule, by schedule id. */
  readonly namedOwners: ReadonlyMap<string, ScheduleOwner>;
  /** Generated accounts are `acct-00001` up to this. */
  readonly generatedAccounts: number;
  readonly generatedSchedules: GeneratedSchedules;
  /** Workers at the start (`w1`..`wN`), or null when the fleet size is itself wrong. */
  readonly workersAtStart: number | null;
  /** Timeline entries, then faults, in document order. */
  readonly steps: readonly RefStep[];
  /** When the run ends, if known: a step at or after it never runs. */
  readonly endMs?: number;
}

/** Checks every id the steps name against what exists when each runs. */
export function checkRefs(world: RefWorld): UnplacedIssue[] {
  const ordered = world.steps.every((s) => s.atMs !== null);
  const steps = ordered ? runOrder(world.steps) : world.steps;
  const issues: UnplacedIssue[] = [];
  const ids = new IdLedger(world, steps, ordered);
  for (const named of world.namedIds) {
    const issue = ids.named(named);
    if (issue !== null) issues.push(issue);
  }
  const workers =
    world.workersAtStart === null ? null : WorkerLedger.of(world.workersAtStart, steps, ordered);
  const states = ordered ? new ScheduleStates(world.endMs) : null;
  steps.forEach((step, position) => {
    for (const issue of checkStep(step, position, ids, workers, states)) issues.push(issue);
  });
  return issues;
}

/**
 * Whether each schedule is paused or quarantined, as the timeline's steps leave it: a pause of
 * a paused schedule, a resume of one not paused or quarantined, and a quarantine of a quarantined
 * one change nothing, and the run traces them as not applied (a warning, as for the other
 * actions a run refuses that the file can tell).
 */
class ScheduleStates {
  private readonly states = new Map<string, { paused: boolean; quarantined: boolean }>();

  /** `endMs`: when the run ends, if known; a step at or after it (refused as such) is not followed. */
  constructor(private readonly endMs: number | undefined) {}

  /** A schedule made anew (`create-schedule`) or deleted starts again neither paused nor quarantined. */
  reset(step: RefStep): void {
    const id = step.get("schedule");
    if (typeof id === "string") this.states.delete(id);
  }

  /** The issue with a pause, resume or quarantine of a schedule that exists, or null; then applies it. */
  act(step: RefStep): UnplacedIssue | null {
    const id = step.get("schedule");
    if (typeof id !== "string" || (this.endMs !== undefined && step.atMs !== null && step.atMs >= this.endMs))
      return null;
    const state = this.states.get(id) ?? { paused: false, quarantined: false };
    this.states.set(id, state);
    const pause = step.verb === "quarantine-schedule" ? null : step.get("paused") !== false;
    const noOp = scheduleNoOp(pause, state);
    if (pause === null) state.quarantined = true;
    else if (noOp === null) state.paused = pause;
    if (noOp === null) return null;
    const said: Record<ScheduleNoOp, string> = {
      "quarantined-already": "is quarantined already",
      "resume-quarantined": "is quarantined: a quarantine is for good, and a resume does not lift it",
      "paused-already": "is paused already",
      "not-paused": "is not paused",
    };
    const why = said[noOp];
    const path = [step.list, step.index, "schedule"];
    return {
      path,
      code: "not-applied",
      severity: "warning",
      message: `${where(path)}at ${step.atText} the schedule ${describeValue(id)} ${why}, so this ${valueText(step.verb)} changes nothing; the run traces it as not applied`,
      found: describeValue(id),
    };
  }
}

/**
 * Steps in the order a run performs them: by time, the faults before the timeline (the world
 * queues the faults as it is built and the timeline as it starts), then as written.
 */
function runOrder(steps: readonly RefStep[]): RefStep[] {
  const rank = (s: RefStep) => (s.list === "faults" ? 0 : 1);
  return [...steps].sort((a, b) => (a.atMs ?? 0) - (b.atMs ?? 0) || rank(a) - rank(b) || a.index - b.index);
}

function checkStep(
  step: RefStep,
  position: number,
  ids: IdLedger,
  workers: WorkerLedger | null,
  states: ScheduleStates | null,
): UnplacedIssue[] {
  const out: (UnplacedIssue | null)[] = [];
  const verb = step.list === "timeline" ? `action:${valueText(step.verb)}` : `fault:${valueText(step.verb)}`;
  switch (verb) {
    case "action:delete-account":
      out.push(ids.use(step, position, "account"));
      ids.set(step, "account", false);
      break;
    case "action:create-account":
      out.push(ids.create(step, "account"));
      break;
    case "action:create-schedule": {
      const account = ids.use(step, position, "account");
      out.push(account, ids.create(step, "schedule"));
      states?.reset(step);
      break;
    }
    case "action:delete-schedule":
      out.push(ids.use(step, position, "schedule") ?? ids.deleteOrphan(step));
      ids.set(step, "schedule", false);
      states?.reset(step);
      break;
    case "action:pause-schedule":
    case "action:quarantine-schedule": {
      const issue = ids.use(step, position, "schedule") ?? ids.actOnOrphan(step);
      out.push(issue, issue === null ? (states?.act(step) ?? null) : null);
      break;
    }
    case "fault:inject-panic":
      out.push(ids.useAnywhere(step, "account"), ids.useAnywhere(step, "schedule"));
      break;
    case "fault:hang":
      out.push(ids.useAnywhere(step, "schedule"));
      break;
    case "fault:http-errors":
    case "fault:http-timeouts":
      out.push(ids.useAnywhere(step, "account"));
      break;
    case "action:kill-worker":
    case "action:pause-worker":
    case "action:restart-worker":
    case "fault:kill-worker":
    case "fault:pause-worker":
    case "fault:clock-skew":
      out.push(workers?.use(step) ?? null);
      break;
    case "action:scale":
      workers?.scale(step);
      break;
  }
  return out.filter((i): i is UnplacedIssue => i !== null);
}

/** `delete-schedule at +2m (timeline[1])`: a step as an issue names it. */
function stepText(step: RefStep): string {
  // The time as written finds the step; a time of day or an offset also gets its instant, so that
  // it reads in the same form as the instants the message computes (a cleanup's next fire).
  const iso = step.atMs === null ? step.atText : instantText(step.atMs);
  const when = iso === step.atText ? "" : `${iso}, `;
  return `${valueText(step.verb)} at ${step.atText} (${when}${step.list}[${step.index}])`;
}

/** How an id was there at the start, if it was. */
type Origin = "named" | "generated" | "some-seeds" | "not-at-seed" | "none";

/** Accounts and schedules as the replay goes: what the start had, what steps changed. */
class IdLedger {
  /** Ids a step created or deleted so far, by `kind:id`. */
  private readonly changed = new Map<string, { present: boolean; by: RefStep }>();
  /** Ids some timeline step creates, at any time, by `kind:id`. */
  private readonly created = new Set<string>();
  /** The timeline's steps that change whether a schedule fires, by schedule id, in run order. */
  private readonly scheduleChanges = new Map<string, RefStep[]>();
  /** The account and cron of each named schedule and each one a step created so far. */
  private readonly owners: Map<string, ScheduleOwner>;
  /** When a step created each schedule of `owners` it created (the others are there from the start). */
  private readonly createdAtMs = new Map<string, number>();
  /** Each account's deletions so far, in run order, each with the creation that made it anew, if one did. */
  private readonly deletions = new Map<string, AccountDeletion[]>();
  /** The generated schedules' owners at the seed checked, by id and by account: drawn when first needed. */
  private readonly generated: () => GeneratedOwners | null;

  constructor(
    private readonly world: RefWorld,
    private readonly steps: readonly RefStep[],
    /** False when some time is unresolved: creations count from the start, deletions not at all. */
    private readonly ordered: boolean,
  ) {
    this.owners = new Map(world.namedOwners);
    const at = world.generatedSchedules.at;
    this.generated = once(() => (at.kind === "seed" ? groupedOwners(at.owners()) : null));
    for (const s of steps) {
      const kind = s.verb === "create-account" ? "account" : s.verb === "create-schedule" ? "schedule" : null;
      const id = kind === null || s.list !== "timeline" ? undefined : s.get(kind);
      if (kind !== null && typeof id === "string") this.created.add(`${kind}:${id}`);
      const schedule = s.get("schedule");
      if (s.list === "timeline" && FIRE_CHANGES.has(valueText(s.verb)) && typeof schedule === "string") {
        const changes = this.scheduleChanges.get(schedule);
        if (changes === undefined) this.scheduleChanges.set(schedule, [s]);
        else changes.push(s);
      }
    }
  }

  origin(kind: Kind, id: string): Origin {
    if (this.world.named[kind].has(id)) return "named";
    const origin = this.generatedOrigin(kind, id);
    // A workload too malformed or too large to draw: any id it could generate passes.
    return origin === "maybe" ? "generated" : origin;
  }

  /** Whether the workload generates `id`, named or not; `maybe` when it cannot be told. */
  private generatedOrigin(kind: Kind, id: string): Exclude<Origin, "named"> | "maybe" {
    if (kind === "account") {
      const n = generatedAccountNumber(id);
      if (n === null || n > this.world.generatedAccounts) return "none";
      return Number.isFinite(this.world.generatedAccounts) ? "generated" : "maybe";
    }
    const n = generatedScheduleNumber(id);
    const g = this.world.generatedSchedules;
    if (n === null || n > g.most) return "none";
    if (!Number.isFinite(g.least)) return "maybe";
    if (n <= g.least) return "generated";
    if (g.at.kind === "unknown") return "maybe";
    if (g.at.kind === "every-seed") return "some-seeds";
    return n <= g.at.count() ? "generated" : "not-at-seed";
  }

  /**
   * `the workload generates it`, saying at which seeds when that depends on the seed; null when
   * it does not generate `id` at the seeds checked, or cannot be drawn.
   */
  private generatedText(kind: Kind, id: string): string | null {
    const origin = this.generatedOrigin(kind, id);
    const g = this.world.generatedSchedules;
    const n = generatedScheduleNumber(id) ?? 0;
    if (origin === "some-seeds") {
      return `the workload generates it with some seeds, those that draw ${n} schedules or more, and this command runs several seeds`;
    }
    if (origin !== "generated") return null;
    if (kind === "account") return "the workload generates it";
    if (n <= g.least || g.at.kind !== "seed") return "the workload generates it at every seed";
    return `the workload generates it with seed ${g.at.seed}, which draws ${g.at.count()} schedules; every seed draws ${g.least} or more`;
  }

  /**
   * A named id the workload generates too. The world creates both: a named account would be
   * merged with the generated one (its schedules mixed, a deletion taking both), and a named
   * schedule would halt the run when the generated one is created.
   */
  named(named: NamedId): UnplacedIssue | null {
    const { kind, id, path } = named;
    const why = this.generatedText(kind, id);
    if (why === null) return null;
    const consequence =
      kind === "account"
        ? "the world would make the two one account, owning the generated schedules and the named ones, and a delete-account of it would delete them all"
        : "two schedules cannot share an id, so the run would halt when the generated one is created";
    const range =
      kind === "account"
        ? accountRangeText(this.world.generatedAccounts)
        : rangeText(this.world.generatedSchedules.most);
    return {
      path,
      code: "duplicate-id",
      message: `${where(path)}${existsText(kind, id, "", why, this.generatedOrigin(kind, id) === "some-seeds")}: ${consequence}; give the named ${kind} another id`,
      expected: `an id the workload never generates: not ${range}`,
      found: describeValue(id),
    };
  }

  private present(kind: Kind, id: string): boolean {
    if (!this.ordered && this.createdAnywhere(kind, id)) return true;
    const change = this.changed.get(`${kind}:${id}`);
    if (change !== undefined) return change.present;
    const origin = this.origin(kind, id);
    return origin === "named" || origin === "generated";
  }

  set(step: RefStep, kind: Kind, present: boolean): void {
    const id = step.get(kind);
    if (typeof id !== "string" || !this.ordered) return;
    this.changed.set(`${kind}:${id}`, { present, by: step });
    if (kind === "account") this.followDeletions(id, step, present);
  }

  /**
   * Keeps each deletion of an account, even once a create-account has made it anew: the
   * account's old schedules a cleanup removed while it was gone stay removed (a creation starts
   * the account with none), and the ones still there are its schedules again.
   */
  private followDeletions(account: string, step: RefStep, present: boolean): void {
    const deletions = this.deletions.get(account) ?? [];
    const last = deletions.at(-1);
    const open = last !== undefined && last.recreation === null;
    if (!present && !open) this.deletions.set(account, [...deletions, { deletion: step, recreation: null }]);
    if (present && open) deletions[deletions.length - 1] = { ...last, recreation: step };
  }

  private createdAnywhere(kind: Kind, id: string): boolean {
    return this.created.has(`${kind}:${id}`);
  }

  /** The step's `kind` id must exist now. */
  use(step: RefStep, position: number, kind: Kind): UnplacedIssue | null {
    const id = step.get(kind);
    if (typeof id !== "string" || this.present(kind, id)) return null;
    const path = [step.list, step.index, kind];
    const now = `at ${step.atText}`;
    const change = this.changed.get(`${kind}:${id}`);
    if (change !== undefined) {
      const refusal =
        step.verb === "create-schedule" ? ": the API refuses a schedule for an account that is gone" : "";
      return {
        path,
        code: "unknown-id",
        message: `${where(path)}the ${kind} ${describeValue(id)} is already deleted ${now}: ${stepText(change.by)} deleted it${refusal}`,
        expected: `the id of ${article(kind)} that exists ${now}`,
        found: describeValue(id),
      };
    }
    const later = this.steps
      .slice(position + 1)
      .find((s) => s.verb === `create-${kind}` && s.get(kind) === id);
    if (later !== undefined) {
      return {
        path,
        code: "unknown-id",
        message: `${where(path)}the ${kind} ${describeValue(id)} does not exist yet ${now}: ${stepText(later)} creates it later`,
        expected: `the id of ${article(kind)} that exists ${now}`,
        found: describeValue(id),
      };
    }
    return this.unknown(step, kind, id, position);
  }

  /** The step's `kind` id must exist at some point: at the start, or made by any creation. */
  useAnywhere(step: RefStep, kind: Kind): UnplacedIssue | null {
    const id = step.get(kind);
    if (typeof id !== "string") return null;
    const origin = this.origin(kind, id);
    if (origin === "named" || origin === "generated" || this.createdAnywhere(kind, id)) return null;
    return this.unknown(step, kind, id, this.steps.length);
  }

  /** The step's `kind` id must not exist now; from now on it does. */
  create(step: RefStep, kind: Kind): UnplacedIssue | null {
    const id = step.get(kind);
    if (typeof id !== "string") return null;
    const exists = this.present(kind, id);
    const issue =
      exists && this.ordered
        ? this.duplicate(step, kind, id)
        : this.origin(kind, id) === "some-seeds"
          ? this.alreadyExists(step, kind, id)
          : null;
    this.set(step, kind, true);
    const account = step.get("account");
    if (kind === "schedule" && !exists && typeof account === "string") {
      this.owners.set(id, { account, cron: step.get("cron") });
      if (step.atMs !== null) this.createdAtMs.set(id, step.atMs);
    }
    return issue;
  }

  private duplicate(step: RefStep, kind: Kind, id: string): UnplacedIssue {
    const orphan = kind === "schedule" ? this.orphaned(step, id) : null;
    return orphan ?? this.alreadyExists(step, kind, id);
  }

  private alreadyExists(step: RefStep, kind: Kind, id: string): UnplacedIssue {
    const path = [step.list, step.index, kind];
    const change = this.changed.get(`${kind}:${id}`);
    const origin = this.origin(kind, id);
    const why =
      change !== undefined
        ? `${stepText(change.by)} created it`
        : origin === "named"
          ? `a named ${kind} (workload.named)`
          : (this.generatedText(kind, id) ?? "the workload generates it");
    const maybe = change === undefined && origin === "some-seeds";
    return {
      path,
      code: "duplicate-id",
      message: `${where(path)}${existsText(kind, id, ` at ${step.atText}`, why, maybe)}: the create-${kind} would do nothing`,
      expected: `an id no ${kind} has at ${step.atText}`,
      found: describeValue(id),
    };
  }

  /**
   * A create-schedule of an id whose schedule belongs to an account deleted earlier. Until the
   * account's cleanup removes the schedule the world ignores the create, so whether it is taken
   * depends on the variant and on timing (see `orphanText`): refused, saying so.
   */
  private orphaned(step: RefStep, id: string): UnplacedIssue | null {
    const found = this.orphanAtSeeds(id, () => true);
    if (found === null) return null;
    const { orphan } = found;
    const path = [step.list, step.index, "schedule"];
    const { cleanupAtMs } = orphan;
    const until =
      cleanupAtMs === null
        ? "and none of them fires after the deletion, so this create-schedule would do nothing"
        : cleanedUpBefore(orphan, step)
          ? variantText(cleanupAtMs, "this create-schedule is taken")
          : `normally at their next fire, ${instantText(cleanupAtMs)}: after this create-schedule, which would do nothing`;
    // A delete-schedule frees the id in every variant only while every scheduler still has it.
    const deleteFirst = cleanedUpBefore(orphan, step) ? stillThereText(cleanupAtMs!) : "before creating it";
    return {
      path,
      code: "duplicate-id",
      message: `${where(path)}${seedText(found)}the id ${describeValue(id)} still belongs to a schedule of ${orphanText(orphan)}, ${until}; give the new schedule an id of its own, or delete-schedule ${describeValue(id)} ${deleteFirst}`,
      expected: `an id no schedule has at ${step.atText}`,
      found: describeValue(id),
    };
  }

  /**
   * A delete-schedule of a schedule whose account was deleted earlier, after the task that
   * normally cleans the account's schedules up: the fixed scheduler has removed it by then and
   * the delete does nothing, while one lacking the early-return fix rolls the cleanup back and
   * the delete removes it. What the author meant cannot hold in every variant: refused, as a
   * create-schedule of its id is. Before the cleanup, every scheduler still has it.
   */
  deleteOrphan(step: RefStep): UnplacedIssue | null {
    const cleaned = this.cleanedUpOrphan(step);
    if (cleaned === null) return null;
    const { id, found, path } = cleaned;
    const { orphan } = found;
    const cleanupAtMs = orphan.cleanupAtMs!;
    return {
      path,
      code: "unknown-id",
      message: `${where(path)}${seedText(found)}the schedule ${describeValue(id)} belongs to ${orphanText(orphan)}, ${variantText(cleanupAtMs, "this delete-schedule removes it")}; delete-schedule it ${stillThereText(cleanupAtMs)}, or leave it to the cleanup`,
      expected: `the id of a schedule that exists at ${step.atText} whatever the scheduler`,
      found: describeValue(id),
    };
  }

  /**
   * A pause or quarantine of a schedule whose account was deleted earlier, after the task that
   * normally cleans the account's schedules up: the fixed scheduler has removed it by then and
   * the run traces the action as not applied (a 404), while one lacking the early-return fix
   * still has it and the action applies. Unlike a delete-schedule's, what the author meant (the
   * schedule stops firing) holds in every variant, and a training scenario may show an action
   * that fails on purpose: a warning, not a refusal.
   */
  actOnOrphan(step: RefStep): UnplacedIssue | null {
    const cleaned = this.cleanedUpOrphan(step);
    if (cleaned === null) return null;
    const { id, found, path } = cleaned;
    const { orphan } = found;
    const action = `this ${valueText(step.verb)} applies`;
    return {
      path,
      code: "not-applied",
      severity: "warning",
      message: `${where(path)}${seedText(found)}the schedule ${describeValue(id)} belongs to ${orphanText(orphan)}, ${variantText(orphan.cleanupAtMs!, action)}; where it is gone, the run traces the action as not applied`,
      found: describeValue(id),
    };
  }

  /** The step's schedule, if it belongs to an account deleted earlier whose cleanup normally comes before the step. */
  private cleanedUpOrphan(step: RefStep): { id: string; found: SeedOrphan; path: PathKey[] } | null {
    const id = step.get("schedule");
    if (typeof id !== "string" || step.atMs === null) return null;
    const found = this.orphanAtSeeds(id, (orphan) => cleanedUpBefore(orphan, step));
    return found === null ? null : { id, found, path: [step.list, step.index, "schedule"] };
  }

  /**
   * The schedule `id` as a schedule of an account deleted by now that `wanted` accepts, at the
   * seed checked; or, for a sweep of seeds, at the first seed of it where it is one, with that
   * seed when the seeds do not all agree (whose it is and when its cleanup comes are drawn).
   */
  private orphanAtSeeds(id: string, wanted: (orphan: Orphan) => boolean): SeedOrphan | null {
    if (!this.anyAccountDeleted()) return null;
    const at = this.world.generatedSchedules.at;
    if (at.kind !== "every-seed" || at.sweep === undefined) {
      const orphan = this.orphan(id, this.generated);
      return orphan !== null && wanted(orphan) ? { orphan, seed: null } : null;
    }
    const { first, count, owners } = at.sweep;
    let found: { readonly orphan: Orphan; readonly seed: number } | null = null;
    let firstKey: string | undefined;
    let agree = true;
    for (let i = 0; i < count && (found === null || agree); i++) {
      const seed = first + i;
      let drew = false;
      const orphan = this.orphan(
        id,
        once(() => {
          drew = true;
          return groupedOwners(owners(seed));
        }),
      );
      const hit = orphan !== null && wanted(orphan) ? orphan : null;
      const key = hit === null ? "" : `${hit.account}@${hit.cleanupAtMs}`;
      firstKey ??= key;
      agree &&= key === firstKey;
      if (found === null && hit !== null) found = { orphan: hit, seed };
      // Nothing generated was asked for: every seed gives the same.
      if (!drew) break;
    }
    return found === null ? null : { orphan: found.orphan, seed: agree ? null : found.seed };
  }

  /**
   * The schedule `id` if its account is deleted now, with when the account's cleanup normally
   * comes; or if a deletion of its account before a create-account made it anew was cleaned up
   * before that creation (the world's cleanup removed it then, and the account came back
   * without it). A cleanup's fire at the time of the creation finds the account: the run queues
   * the timeline before any task.
   */
  private orphan(id: string, drawn: () => GeneratedOwners | null): Orphan | null {
    const owner = this.ownerOf(id, drawn);
    if (owner === undefined) return null;
    const createdAtMs = this.createdAtMs.get(id) ?? Number.NEGATIVE_INFINITY;
    for (const { deletion, recreation } of this.deletions.get(owner.account) ?? []) {
      const deletedAtMs = deletion.atMs ?? 0;
      // A schedule created for the account anew was not the account's when this deletion came.
      if (createdAtMs > deletedAtMs) continue;
      const cleanupAtMs = this.nextFireOfAccount(owner.account, deletedAtMs, drawn);
      const orphan = { account: owner.account, deletion, recreation, cleanupAtMs };
      if (recreation === null) return orphan;
      if (cleanupAtMs !== null && cleanupAtMs < (recreation.atMs ?? 0)) return orphan;
    }
    return null;
  }

  private anyAccountDeleted(): boolean {
    return this.deletions.size > 0;
  }

  /** Whose schedule `id` is: named, created by a step so far, or generated (`drawn` at a seed). */
  private ownerOf(id: string, drawn: () => GeneratedOwners | null): ScheduleOwner | undefined {
    const known = this.owners.get(id);
    if (known !== undefined || generatedScheduleNumber(id) === null) return known;
    return drawn()?.byId.get(id);
  }

  /** The schedules `account` has at `atMs`, by id: named, created by then, and generated (`drawn` at a seed). */
  private schedulesOf(
    account: string,
    atMs: number,
    drawn: () => GeneratedOwners | null,
  ): [string, ScheduleOwner][] {
    const own = [...this.owners].filter(
      ([id, owner]) => owner.account === account && (this.createdAtMs.get(id) ?? atMs) <= atMs,
    );
    const generated = generatedAccountNumber(account) === null ? null : drawn();
    // A named or created schedule of a generated id is reported as a duplicate; it stands for the id here.
    const others = (generated?.byAccount.get(account) ?? []).filter(([id]) => !this.owners.has(id));
    return own.concat(others);
  }

  /** The first fire at or after `afterMs` of the schedules `account` has then, or null if none fires. */
  private nextFireOfAccount(
    account: string,
    afterMs: number,
    drawn: () => GeneratedOwners | null,
  ): number | null {
    let first: number | null = null;
    for (const [id, owner] of this.schedulesOf(account, afterMs, drawn)) {
      if (typeof owner.cron !== "string") continue;
      const next = this.firstFireTaken(id, owner.cron, afterMs);
      if (next !== null && (first === null || next < first)) first = next;
    }
    return first;
  }

  /**
   * The first fire at or after `afterMs` of the schedule `id` that runs a task, as the store
   * has it: none while it is paused (a resume fires it again from then on), once it is
   * quarantined, or while it is deleted (a create-schedule of its id makes it anew), following
   * the timeline's actions on its id; one at the time of a fire comes before it. Null if none.
   */
  private firstFireTaken(id: string, cron: string, afterMs: number): number | null {
    const changes = this.scheduleChanges.get(id) ?? [];
    const state: FireState = { paused: false, quarantined: false, deleted: false, createdAtMs: null };
    let next = 0;
    let fromMs = afterMs;
    // Each round takes at least one action, or starts after a creation (bounded by them).
    for (let rounds = 0; rounds <= 2 * changes.length; rounds++) {
      const fire = nextFireOrNull(cron, fromMs - 1);
      if (fire === null) return null;
      for (; next < changes.length && (changes[next].atMs ?? 0) <= fire; next++) change(state, changes[next]);
      const created = state.createdAtMs;
      // A schedule created at the time of a fire first fires after it.
      if (created !== null && fire <= created) {
        fromMs = created + 1;
        continue;
      }
      if (!state.paused && !state.quarantined && !state.deleted) return fire;
      // It does not fire then: not before the next action on it, if one is to come.
      if (next === changes.length) return null;
      fromMs = Math.max(fire + 1, changes[next].atMs ?? 0);
    }
    return null;
  }

  /** An id no step or start defines, at least not before `position`. */
  private unknown(step: RefStep, kind: Kind, id: string, position: number): UnplacedIssue {
    const path = [step.list, step.index, kind];
    const origin = this.origin(kind, id);
    const g = this.world.generatedSchedules;
    if (origin === "not-at-seed" && g.at.kind === "seed") {
      const count = g.at.count();
      return {
        path,
        code: "unknown-id",
        message: `${where(path)}no schedule has the id ${describeValue(id)} with seed ${g.at.seed}: that seed generates ${plural(count, "schedule")}${count === 0 ? "" : ` (${rangeText(count)})`}; how many depends on the seed (every seed generates ${g.least === 0 ? "none" : rangeText(g.least)})`,
        expected: `a schedule the scenario has with seed ${g.at.seed}`,
        found: describeValue(id),
      };
    }
    if (origin === "some-seeds") {
      return {
        path,
        code: "unknown-id",
        message: `${where(path)}only some seeds generate the schedule ${describeValue(id)} (${SEEDS_TEXT}), and this command runs several seeds: name a schedule of workload.named, or one every seed generates (${g.least === 0 ? "there are none" : rangeText(g.least)})`,
        expected: "a schedule every seed has",
        found: describeValue(id),
      };
    }
    const count = kind === "account" ? this.world.generatedAccounts : g.least;
    const creator = `create-${kind}`;
    const generated =
      kind === "account"
        ? count === 0
          ? "a generated id (there are none: workload.accounts is 0)"
          : `a generated id (${accountRangeText(count)})`
        : `a generated id (${generatedSchedulesText(g)})`;
    const sources = [`a named ${kind} (workload.named)`, `one created earlier by ${creator}`, generated];
    const created = this.steps
      .slice(0, position)
      .filter((s) => s.verb === creator)
      .map((s) => s.get(kind))
      .filter((x): x is string => typeof x === "string");
    const known = [...this.world.named[kind], ...created];
    return {
      path,
      code: "unknown-id",
      message: `${where(path)}no ${kind} has the id ${describeValue(id)}: it is not ${sources.join(", not ")}`,
      expected: `the id of ${article(kind)} the scenario defines`,
      found: describeValue(id),
      suggestion: closest(id, known) ?? generatedNear(kind, id, kind === "account" ? count : g.most),
    };
  }
}

/** The actions that change whether a schedule fires. */
const FIRE_CHANGES: ReadonlySet<string> = new Set([
  "pause-schedule",
  "quarantine-schedule",
  "delete-schedule",
  "create-schedule",
]);

/** Whether a schedule fires, as an action on its id leaves it. */
interface FireState {
  paused: boolean;
  quarantined: boolean;
  deleted: boolean;
  /** When a create-schedule made it anew, if one did. */
  createdAtMs: number | null;
}

function change(state: FireState, step: RefStep): void {
  switch (valueText(step.verb)) {
    case "pause-schedule":
      state.paused = step.get("paused") !== false;
      return;
    case "quarantine-schedule":
      state.quarantined = true;
      return;
    case "delete-schedule":
      state.deleted = true;
      return;
    case "create-schedule":
      // Taken only where the id is free (a refused one is reported): a schedule anew.
      if (state.deleted) {
        const createdAtMs = step.atMs ?? 0;
        Object.assign(state, { paused: false, quarantined: false, deleted: false, createdAtMs });
      }
      return;
  }
}

/** The first fire of `cron` strictly after `afterMs`, or null when it is malformed (reported elsewhere) or never fires. */
function nextFireOrNull(cron: string, afterMs: number): number | null {
  try {
    return nextFireAfter(parseCron(cron), afterMs);
  } catch (error) {
    if (error instanceof CronError) return null;
    throw error;
  }
}

interface GeneratedOwners {
  readonly byId: ReadonlyMap<string, ScheduleOwner>;
  readonly byAccount: ReadonlyMap<string, readonly [string, ScheduleOwner][]>;
}

/** The generated schedules' owners by id, grouped by account too. */
function groupedOwners(byId: ReadonlyMap<string, ScheduleOwner>): GeneratedOwners {
  const byAccount = new Map<string, [string, ScheduleOwner][]>();
  for (const entry of byId) {
    const schedules = byAccount.get(entry[1].account);
    if (schedules === undefined) byAccount.set(entry[1].account, [entry]);
    else schedules.push(entry);
  }
  return { byId, byAccount };
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | null = null;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}

/** A schedule of a deleted account at a seed of a sweep; `seed` null when every seed checked agrees. */
interface SeedOrphan {
  readonly orphan: Orphan;
  readonly seed: number | null;
}

/** `with seed 12 (one of the seeds this command runs), `: where an orphan's issue holds, when not at every seed. */
function seedText(found: SeedOrphan): string {
  return found.seed === null ? "" : `with seed ${found.seed} (one of the seeds this command runs), `;
}

/** A deletion of an account, and the create-account that made it anew after it, if one did so far. */
interface AccountDeletion {
  readonly deletion: RefStep;
  readonly recreation: RefStep | null;
}

/** A schedule of an account the timeline deleted, as the id replay has it at a step. */
interface Orphan {
  readonly account: string;
  /** The step that deleted the account. */
  readonly deletion: RefStep;
  /** The create-account that made the account anew after its cleanup, if one did by the step. */
  readonly recreation: RefStep | null;
  /**
   * When the account's cleanup normally comes (the first fire after the deletion of one of its
   * schedules neither paused, quarantined nor deleted then: see `firstFireTaken`), or null if none fires.
   */
  readonly cleanupAtMs: number | null;
}

/**
 * `the account "a", deleted by ...: a deleted account's schedules stay ...`: why a schedule of
 * a deleted account is still in the store. Deleting an account leaves its schedules there: the
 * first task of one of them to run after the deletion removes them all (normally at their next
 * fire), and that removal commits only if the task does.
 */
function orphanText(orphan: Orphan): string {
  const anew =
    orphan.recreation === null
      ? ""
      : ` and created anew by ${stepText(orphan.recreation)}, which does not bring back the schedules its cleanup removed`;
  return `the account ${describeValue(orphan.account)}, deleted by ${stepText(orphan.deletion)}${anew}: a deleted account's schedules stay in the store until a task of one of them runs and removes them all`;
}

/**
 * Whether the account's cleanup normally comes before `step`. At the time of the fire that
 * cleans up, the step still comes first: the run queues the timeline before any task, and the
 * task commits its cleanup only once it has run.
 */
function cleanedUpBefore(orphan: Orphan, step: RefStep): boolean {
  return orphan.cleanupAtMs !== null && step.atMs !== null && orphan.cleanupAtMs < step.atMs;
}

/** When a delete-schedule of a deleted account's schedule acts in every variant. */
function stillThereText(cleanupAtMs: number): string {
  return `no later than ${instantText(cleanupAtMs)}, while every scheduler still has it`;
}

/** Why what `action` does after the cleanup depends on the variant: the buggy scheduler's cleanup never commits. */
function variantText(cleanupAtMs: number, action: string): string {
  return `normally at their next fire, ${instantText(cleanupAtMs)}, but never with a scheduler lacking the early-return fix (its task panics after the cleanup, which rolls back), so whether ${action} or does nothing depends on the variant`;
}

/** Which generated schedule ids there are, as an unknown-id issue says it. */
function generatedSchedulesText(g: GeneratedSchedules): string {
  if (g.most === 0) return "there are none";
  if (g.at.kind === "seed") {
    const count = g.at.count();
    return `seed ${g.at.seed} generates ${count === 0 ? "none" : rangeText(count)}`;
  }
  if (g.least === g.most) return rangeText(g.most);
  if (g.at.kind === "every-seed")
    return `every seed generates ${g.least === 0 ? "none" : rangeText(g.least)}`;
  return `at most ${rangeText(g.most)}`;
}

const SEEDS_TEXT = "how many schedules an account gets is drawn from the seed";

/** `a schedule with the id "x" already exists at +2m (why)`: how every duplicate id is said. */
function existsText(kind: Kind, id: string, at: string, why: string, maybe: boolean): string {
  return `${article(kind)} with the id ${describeValue(id)} ${maybe ? "may already exist" : "already exists"}${at} (${why})`;
}

function article(kind: Kind): string {
  return kind === "account" ? "an account" : "a schedule";
}

/** `sched-000001..sched-000150`: the first `count` generated ids of a kind. */
function idRangeText(idOf: (n: number) => string, count: number): string {
  return count === 1 ? idOf(1) : `${idOf(1)}..${idOf(count)}`;
}

function rangeText(count: number): string {
  return idRangeText(generatedScheduleId, count);
}

function accountRangeText(count: number): string {
  return idRangeText(generatedAccountId, count);
}

/** `acct-00007` for `acct-7`: a generated id written without its padding. */
function generatedNear(kind: Kind, id: string, count: number): string | undefined {
  const match = /^[a-z]+-0*(\d{1,15})$/.exec(id);
  if (match === null || !id.startsWith(kind === "account" ? "acct-" : "sched-")) return undefined;
  const n = Number(match[1]);
  if (n < 1 || n > count) return undefined;
  return kind === "account" ? generatedAccountId(n) : generatedScheduleId(n);
}

/**
 * The fleet as the replay goes. The world numbers workers from w1; a scale-up adds new numbers
 * (never reusing one), a scale-down removes the highest-numbered workers still in the fleet.
 */
class WorkerLedger {
  private active: number[];
  private next: number;
  private readonly removedBy = new Map<number, RefStep>();

  private constructor(
    start: number,
    /** The scale step that adds each worker, for the whole run. */
    private readonly addedBy: ReadonlyMap<number, RefStep>,
    /** The highest worker number the run ever has. */
    private readonly highest: number,
    private readonly ordered: boolean,
  ) {
    this.active = Array.from({ length: start }, (_, i) => i + 1);
    this.next = start + 1;
  }

  /** A ledger for a fleet of `start`, or null when a scale step's size is wrong (the schema says so). */
  static of(start: number, steps: readonly RefStep[], ordered: boolean): WorkerLedger | null {
    const scales = steps.filter((s) => s.list === "timeline" && s.verb === "scale");
    const sizes = scales.map((s) => s.get("workers"));
    // Sizes out of bounds are the schema's to report (and are not worth numbering workers for).
    const wrong = (n: unknown) => typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > WORKERS_MAX;
    if (start > WORKERS_MAX || sizes.some(wrong)) return null;
    if (!ordered) {
      // Without an order, any worker some scale-up could add counts.
      const highest = start + (sizes as number[]).reduce((a, b) => a + b, 0);
      return new WorkerLedger(highest, new Map(), highest, false);
    }
    const dry = new WorkerLedger(start, new Map(), 0, true);
    const addedBy = new Map<number, RefStep>();
    for (const s of scales) for (const n of dry.scale(s)) addedBy.set(n, s);
    return new WorkerLedger(start, addedBy, dry.next - 1, true);
  }

  /** Applies a scale step; returns the numbers of the workers it adds. */
  scale(step: RefStep): number[] {
    const size = step.get("workers");
    if (!this.ordered || typeof size !== "number") return [];
    if (size >= this.active.length) {
      const added = Array.from({ length: size - this.active.length }, (_, i) => this.next + i);
      this.next += added.length;
      this.active.push(...added);
      return added;
    }
    for (const n of this.active.slice(size)) this.removedBy.set(n, step);
    this.active = this.active.slice(0, size);
    return [];
  }

  /** The step's worker must be in the fleet now (or be `random`; `w0` and `w01` are the schema's). */
  use(step: RefStep): UnplacedIssue | null {
    const worker = step.get("worker");
    const match = typeof worker === "string" ? /^w([1-9]\d*)$/.exec(worker) : null;
    if (match === null) return null;
    const n = Number(match[1]);
    if (this.active.includes(n)) return null;
    const path = [step.list, step.index, "worker"];
    const now = `at ${step.atText}`;
    // With no worker in the fleet, random finds none either: the action is what cannot be there.
    const expected =
      this.active.length === 0
        ? `no worker action ${now}: the fleet has no worker then`
        : `a worker in the fleet ${now} (${workerListText(this.active)}) or random`;
    const removed = this.removedBy.get(n);
    if (removed !== undefined) {
      return {
        path,
        code: "unknown-value",
        message: `${where(path)}worker ${describeValue(worker)} is no longer in the fleet ${now}: the scale to ${valueText(removed.get("workers"))} ${stepText(removed).replace(/^scale /, "")} removed it`,
        expected,
        found: describeValue(worker),
      };
    }
    const added = this.addedBy.get(n);
    if (added !== undefined) {
      return {
        path,
        code: "unknown-value",
        message: `${where(path)}worker ${describeValue(worker)} is not in the fleet yet ${now}: it joins with the scale to ${valueText(added.get("workers"))} ${stepText(added).replace(/^scale /, "")}`,
        expected,
        found: describeValue(worker),
      };
    }
    const h = this.highest;
    return {
      path,
      code: "unknown-value",
      message: `${where(path)}there is no worker ${describeValue(worker)}: workers are numbered from w1${h > 1 ? ` to w${h}` : ""}`,
      expected: this.ordered ? expected : `w1${h > 1 ? `..w${h}` : ""} or random`,
      found: describeValue(worker),
    };
  }
}

/** `w1..w3`, `w1, w2, w5`, or `none`. */
function workerListText(active: readonly number[]): string {
  if (active.length === 0) return "none";
  const contiguous = active.every((n, i) => i === 0 || n === active[i - 1] + 1);
  if (contiguous && active.length > 2) return `w${active[0]}..w${active[active.length - 1]}`;
  return active.map((n) => `w${n}`).join(", ");
}

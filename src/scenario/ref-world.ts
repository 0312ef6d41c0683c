import { RandomStreams } from "../kernel/index.js";
import {
  type GeneratedWorkloadShape,
  generatedScheduleCount,
  generatedWorkload,
  WORKLOAD_STREAM,
} from "../world/workload-ids.js";
import { DEFAULT_CAPS } from "./caps.js";
import { DEFAULT_CRON_MIX, FLEET_WORKERS_DEFAULT } from "./defaults.js";
import {
  checkRefs,
  type GeneratedSchedules,
  type NamedId,
  type RefStep,
  type RefWorld,
  type ScheduleOwner,
} from "./id-refs.js";
import { type ScenarioIssue, type UnplacedIssue, valueText } from "./issue.js";
import { field, items } from "./raw-fields.js";
import { parseTimeRef, resolveTimeRef } from "./time.js";
import type { Scenario } from "./types.js";

/**
 * The seeds a command runs a scenario at: one (`--seed`); `every-seed`, many, not said which; or
 * a sweep of `count` consecutive seeds from `first` (the scenario's own seed when absent), as
 * `explore` and `gate --explore` run. With many, only ids every seed generates are safe; with a
 * sweep, whose each generated schedule is, and so which are a deleted account's, is drawn at
 * each of its seeds, as `run` draws it at its one.
 */
export type SeedsToRun = number | "every-seed" | SeedSweep;

export interface SeedSweep {
  readonly first?: number;
  readonly count: number;
}

/**
 * The id replay of `id-refs.ts` fed two ways: from a raw document while it is parsed (at the
 * document's own seed), and from a parsed scenario a command runs at another seed, or at many.
 */

/** Id problems of a raw document, at its own seed (default 1) unless `seedToRun` is given. */
export function checkIdRefs(
  data: unknown,
  window: { readonly startMs: number; readonly endMs?: number } | null,
  seedToRun?: SeedsToRun,
): UnplacedIssue[] {
  const workload = field(data, "workload");
  const perAccount = field(workload, "schedulesPerAccount");
  const shape = {
    accounts: field(workload, "accounts") ?? 0,
    min: field(perAccount, "min") ?? 1,
    max: field(perAccount, "max") ?? 3,
  };
  const named = namedOf(
    items(field(workload, "named")).map((account) => ({
      id: field(account, "id"),
      schedules: items(field(account, "schedules")).map((s) => ({
        id: field(s, "id"),
        cron: field(s, "cron"),
      })),
    })),
  );
  const steps: RefStep[] = [];
  for (const list of ["timeline", "faults"] as const) {
    items(field(data, list)).forEach((entry, index) => {
      const at = field(entry, "at");
      steps.push({
        list,
        index,
        atMs: atOf(at, window),
        atText: valueText(at),
        verb: field(entry, list === "timeline" ? "action" : "fault"),
        get: (key) => field(entry, key),
      });
    });
  }
  const own = field(data, "seed") ?? 1;
  const seed =
    typeof seedToRun === "object"
      ? { first: seedToRun.first ?? own, count: seedToRun.count }
      : (seedToRun ?? own);
  const workers = field(field(data, "fleet"), "workers") ?? FLEET_WORKERS_DEFAULT;
  return checkRefs({
    ...named,
    ...generatedOf(shape.accounts, shape.min, shape.max, seed, cronMixOf(workload)),
    // A fleet size that is itself wrong is reported at `fleet.workers`; its workers are not judged.
    workersAtStart: isCount(workers) && workers >= 1 ? workers : null,
    steps,
    ...(window?.endMs === undefined ? {} : { endMs: window.endMs }),
  });
}

/**
 * Id problems of a parsed scenario run at `seed` rather than its own, or at many seeds (`explore`,
 * `gate --explore`): which generated schedules exist depends on the seed. Placed in its file.
 * Errors stop the run; warnings (`severity: "warning"`) are said before it, as validate says them.
 */
export function checkIdRefsAtSeed(scenario: Scenario, seed: SeedsToRun): ScenarioIssue[] {
  const w = scenario.workload;
  const steps: RefStep[] = [
    ...scenario.timeline.map((a, index) => typedStep("timeline", index, a, a.action)),
    ...scenario.faults.map((f, index) => typedStep("faults", index, f, f.fault)),
  ];
  const { min, max } = w.schedulesPerAccount;
  const seeds = typeof seed === "object" ? { first: seed.first ?? scenario.seed, count: seed.count } : seed;
  const generated = generatedOf(w.accounts, min, max, seeds, {
    weights: w.cron.map((c) => c.weight),
    exprs: w.cron.map((c) => c.expr),
  });
  const world: RefWorld = {
    ...namedOf(w.named),
    ...generated,
    workersAtStart: scenario.fleet.workers,
    steps,
    endMs: scenario.endMs,
  };
  return checkRefs(world).map(({ atKey: _atKey, ...issue }) => ({
    file: scenario.source.file,
    // A copy of a parsed Scenario (structuredClone, JSON) has no `locate`: it is placed nowhere.
    ...(scenario.source.locate?.(issue.path) ?? { line: 1, column: 1 }),
    ...issue,
  }));
}

/** The named accounts and schedules (raw fields, read defensively), with where each id is written. */
function namedOf(
  accounts: readonly {
    readonly id: unknown;
    readonly schedules: readonly { readonly id: unknown; readonly cron: unknown }[];
  }[],
): Pick<RefWorld, "named" | "namedIds" | "namedOwners"> {
  const named = { account: new Set<string>(), schedule: new Set<string>() };
  const namedIds: NamedId[] = [];
  const namedOwners = new Map<string, ScheduleOwner>();
  accounts.forEach((account, i) => {
    const id = account.id;
    if (typeof id === "string") {
      named.account.add(id);
      namedIds.push({ kind: "account", id, path: ["workload", "named", i, "id"] });
    }
    account.schedules.forEach((schedule, j) => {
      const scheduleId = schedule.id;
      if (typeof scheduleId !== "string") return;
      named.schedule.add(scheduleId);
      namedIds.push({
        kind: "schedule",
        id: scheduleId,
        path: ["workload", "named", i, "schedules", j, "id"],
      });
      // A repeated id is reported as such elsewhere; its first schedule stands for it here.
      if (typeof id === "string" && !namedOwners.has(scheduleId)) {
        namedOwners.set(scheduleId, { account: id, cron: schedule.cron });
      }
    });
  });
  return { named, namedIds, namedOwners };
}

function typedStep(
  list: "timeline" | "faults",
  index: number,
  entry: { readonly atMs: number; readonly atText: string },
  verb: string,
): RefStep {
  const get = (key: string) => (entry as unknown as Record<string, unknown>)[key];
  return { list, index, atMs: entry.atMs, atText: entry.atText, verb, get };
}

/** What the generated workload holds, as far as it can be told from possibly malformed fields. */
function generatedOf(
  accounts: unknown,
  min: unknown,
  max: unknown,
  seed: unknown,
  cron: CronMix,
): Pick<RefWorld, "generatedAccounts" | "generatedSchedules"> {
  if (!isCount(accounts) || !isCount(min) || !isCount(max) || min > max) {
    // The schema reports the workload; meanwhile any generated-looking id passes.
    const most = Number.POSITIVE_INFINITY;
    return { generatedAccounts: most, generatedSchedules: { least: most, most, at: { kind: "unknown" } } };
  }
  const least = accounts * min;
  const most = accounts * max;
  // Drawing the workload at a seed is as costly as the world's own draw: only within the caps.
  const drawable = most <= DEFAULT_CAPS.schedulesMax && accounts <= DEFAULT_CAPS.schedulesMax;
  const at: GeneratedSchedules["at"] =
    seed === "every-seed" || (typeof seed === "object" && seed !== null)
      ? {
          kind: "every-seed",
          sweep:
            isSweep(seed) && drawable
              ? { ...seed, owners: (s) => generatedOwners(shapeOf(accounts, min, max, cron), s, cron.exprs) }
              : undefined,
        }
      : isCount(seed) && drawable
        ? {
            kind: "seed",
            seed,
            count: once(() => generatedScheduleCount(shapeOf(accounts, min, max, cron), seed)),
            owners: once(() => generatedOwners(shapeOf(accounts, min, max, cron), seed, cron.exprs)),
          }
        : { kind: "unknown" };
  return { generatedAccounts: accounts, generatedSchedules: { least, most, at } };
}

/** The generated cron mix: weights to draw by, and the expressions (raw, read defensively). */
interface CronMix {
  readonly weights: readonly number[];
  readonly exprs: readonly unknown[];
}

function cronMixOf(workload: unknown): CronMix {
  const mix = field(workload, "cron");
  // The schema's default mix, when the workload names none.
  if (mix === undefined)
    return { weights: DEFAULT_CRON_MIX.map((c) => c.weight), exprs: DEFAULT_CRON_MIX.map((c) => c.expr) };
  // How many schedules a seed generates, and whose each is, do not depend on the weights, only
  // on drawing one per schedule; which cron each has does, and is unknown when they are wrong.
  const weights = items(mix).map((c) => field(c, "weight") ?? 1);
  return weights.length > 0 && weights.every((w) => typeof w === "number" && w >= 0)
    ? { weights: weights as number[], exprs: items(mix).map((c) => field(c, "expr")) }
    : { weights: [1], exprs: [] };
}

function shapeOf(accounts: number, min: number, max: number, cron: CronMix): GeneratedWorkloadShape {
  return { accounts, schedulesPerAccount: { min, max }, cronWeights: cron.weights };
}

/** Whose each generated schedule is, and its cron, drawn from `seed` as the world draws them. */
function generatedOwners(
  shape: GeneratedWorkloadShape,
  seed: number,
  exprs: readonly unknown[],
): Map<string, ScheduleOwner> {
  const owners = new Map<string, ScheduleOwner>();
  for (const generated of generatedWorkload(shape, new RandomStreams(seed).stream(WORKLOAD_STREAM))) {
    for (const s of generated.schedules)
      owners.set(s.id, { account: generated.account, cron: exprs[s.cronIndex] });
  }
  return owners;
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | null = null;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}

/** A sweep whose seeds can be drawn at (the scenario's own seed, when it starts there, may be malformed). */
function isSweep(value: unknown): value is Required<SeedSweep> {
  const sweep = value as Partial<SeedSweep>;
  return isCount(sweep.first) && isCount(sweep.count);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function atOf(text: unknown, window: { readonly startMs: number } | null): number | null {
  if (window === null || typeof text !== "string") return null;
  const parsed = parseTimeRef(text);
  return parsed.ok ? resolveTimeRef(parsed.value, window.startMs) : null;
}

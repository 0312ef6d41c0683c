import fc from "fast-check";
import { resolveVariant, type VariantName } from "../../scenario/variants.js";
import type { ScenarioDocument } from "./document.js";
import { offset, seconds } from "./units.js";
import { CRON_MIX } from "./workload-arbitrary.js";
import { activeOffsetS, generatedAccountId, pick, type WorldContext, workerRef } from "./world-context.js";

/** One entry of a scenario document's `timeline`. */
export type TimelineEntry = NonNullable<ScenarioDocument["timeline"]>[number];

/** Operator actions a generated timeline may use. */
export const TIMELINE_KINDS = [
  "delete-account",
  "create-account",
  "create-schedule",
  "delete-schedule",
  "pause-schedule",
  "deploy",
  "kill-worker",
  "pause-worker",
  "restart-worker",
  "scale",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Bounds of a generated timeline. */
export interface TimelineConstraints {
  readonly actionsMax?: number;
  readonly kinds?: readonly TimelineKind[];
  /** Variants a `deploy` may roll out. */
  readonly deployVariants?: readonly VariantName[];
  /** Actions happen within this fraction of the run, from its start (the rest is quiet). */
  readonly activeFraction?: number;
  readonly pauseWorkerMsMax?: number;
  /** Smallest fleet a `scale` may ask for. */
  readonly scaleMin?: number;
  /**
   * Always delete the first named account, at an offset in [atMsMin, atMsMax] from the start
   * (clamped to the run): the path of the May 8 incident.
   */
  readonly mustDelete?: { readonly atMsMin: number; readonly atMsMax: number };
  /**
   * Whether `create-schedule` may target an account that the timeline deletes (default false).
   * The store accepts a schedule for a deleted account, and `deleted-schedules-cleaned` then
   * judges it by its account's earlier cleanup, though it never came due: a world/checker
   * question explore found, kept out of generated worlds unless asked for.
   */
  readonly createForDeletedAccounts?: boolean;
}

export const TIMELINE_DEFAULTS: Required<Omit<TimelineConstraints, "mustDelete">> = {
  createForDeletedAccounts: false,
  actionsMax: 4,
  kinds: TIMELINE_KINDS,
  deployVariants: ["fixed"],
  activeFraction: 0.6,
  pauseWorkerMsMax: 120_000,
  scaleMin: 1,
};

/**
 * What a timeline entry is made of before it is resolved against a world: targets are indices
 * (wrapped around the world's lists) and times are thousandths of the active part of the run,
 * so every part shrinks on its own (towards the start, the first target, the first worker).
 */
export type TimelineGene = { readonly at: number } & (
  | { readonly kind: "delete-account"; readonly target: number }
  | { readonly kind: "create-account" }
  | { readonly kind: "create-schedule"; readonly target: number; readonly cron: number }
  | { readonly kind: "delete-schedule"; readonly target: number }
  | { readonly kind: "pause-schedule"; readonly target: number; readonly paused: boolean }
  | { readonly kind: "deploy"; readonly variant: number; readonly stepDelayS: number }
  | { readonly kind: "kill-worker" | "restart-worker"; readonly worker: number; readonly random: boolean }
  | {
      readonly kind: "pause-worker";
      readonly worker: number;
      readonly random: boolean;
      readonly durationS: number;
    }
  | { readonly kind: "scale"; readonly workers: number }
);

/** The genes of a timeline, and the constraints to resolve them with. */
export interface TimelineGenes {
  readonly constraints: TimelineConstraints;
  readonly genes: readonly TimelineGene[];
  /** With `mustDelete`: the offset (s) of the deletion of the first named account. */
  readonly mustDeleteAtS: number | null;
}

/**
 * Timelines of operator actions: deletions and creations of accounts and schedules, pauses,
 * deploys, kills, pauses and restarts of workers, scaling. Resolve with `timelineDocument`.
 */
export function timelineArbitrary(constraints: TimelineConstraints = {}): fc.Arbitrary<TimelineGenes> {
  const c = { ...TIMELINE_DEFAULTS, ...constraints };
  const at = fc.integer({ min: 0, max: 1000 });
  const target = fc.nat({ max: 31 });
  const worker = fc.nat({ max: 15 });
  const byKind: Record<TimelineKind, fc.Arbitrary<TimelineGene>> = {
    "delete-account": fc.record({ kind: fc.constant("delete-account" as const), at, target }),
    "create-account": fc.record({ kind: fc.constant("create-account" as const), at }),
    "create-schedule": fc.record({
      kind: fc.constant("create-schedule" as const),
      at,
      target,
      cron: fc.nat({ max: CRON_MIX.length - 1 }),
    }),
    "delete-schedule": fc.record({ kind: fc.constant("delete-schedule" as const), at, target }),
    "pause-schedule": fc.record({
      kind: fc.constant("pause-schedule" as const),
      at,
      target,
      paused: fc.boolean().map((b) => !b),
    }),
    deploy: fc.record({
      kind: fc.constant("deploy" as const),
      at,
      variant: fc.nat({ max: 7 }),
      stepDelayS: fc.integer({ min: 0, max: 30 }),
    }),
    "kill-worker": fc.record({ kind: fc.constant("kill-worker" as const), at, worker, random: fc.boolean() }),
    "restart-worker": fc.record({
      kind: fc.constant("restart-worker" as const),
      at,
      worker,
      random: fc.boolean(),
    }),
    "pause-worker": fc.record({
      kind: fc.constant("pause-worker" as const),
      at,
      worker,
      random: fc.boolean(),
      durationS: fc.integer({ min: 1, max: Math.max(1, Math.floor(c.pauseWorkerMsMax / 1000)) }),
    }),
    scale: fc.record({ kind: fc.constant("scale" as const), at, workers: fc.nat({ max: 255 }) }),
  };
  const kinds = c.kinds.filter((k) => k !== "deploy" || c.deployVariants.length > 0);
  const genes =
    kinds.length === 0 || c.actionsMax <= 0
      ? fc.constant([] as TimelineGene[])
      : fc.array(fc.oneof(...kinds.map((k) => byKind[k])), { maxLength: c.actionsMax });
  const must = constraints.mustDelete;
  const mustAt = must
    ? fc.integer({
        min: Math.ceil(must.atMsMin / 1000),
        max: Math.max(Math.ceil(must.atMsMin / 1000), Math.floor(must.atMsMax / 1000)),
      })
    : fc.constant(null);
  return fc
    .record({ genes, mustDeleteAtS: mustAt })
    .map(({ genes, mustDeleteAtS }) => ({ constraints, genes, mustDeleteAtS }));
}

/** The timeline entries of resolved genes, for a world; genes with nothing to act on are dropped. */
export function timelineDocument(t: TimelineGenes, ctx: WorldContext): TimelineEntry[] {
  const c = { ...TIMELINE_DEFAULTS, ...t.constraints };
  const out: TimelineEntry[] = [];
  if (t.mustDeleteAtS !== null && ctx.namedAccounts.length > 0) {
    const atS = Math.min(ctx.durationS, t.mustDeleteAtS);
    out.push({ at: offset(atS), action: "delete-account", account: ctx.namedAccounts[0] });
  }
  const accounts = [...ctx.namedAccounts];
  for (let i = 1; i <= Math.min(2, ctx.accounts); i++) accounts.push(generatedAccountId(i));
  const schedules = [...ctx.namedSchedules];
  t.genes.forEach((g, k) => {
    const at = offset(activeOffsetS(ctx, c.activeFraction, g.at));
    const entry = resolveAction(g, k, at, ctx, c, accounts, schedules);
    if (entry !== null) out.push(entry);
  });
  if (c.createForDeletedAccounts) return out;
  const deleted = new Set(out.flatMap((e) => (e.action === "delete-account" ? [e.account] : [])));
  const dropped = new Set(
    out.flatMap((e) => (e.action === "create-schedule" && deleted.has(e.account) ? [e.schedule] : [])),
  );
  // A schedule never created is not acted on either: the scenario would name an id that
  // nothing defines (and the action would do nothing).
  return out.filter(
    (e) =>
      !(e.action === "create-schedule" && deleted.has(e.account)) &&
      !((e.action === "pause-schedule" || e.action === "delete-schedule") && dropped.has(e.schedule)),
  );
}

function resolveAction(
  g: TimelineGene,
  k: number,
  at: string,
  ctx: WorldContext,
  c: Required<Omit<TimelineConstraints, "mustDelete">>,
  accounts: string[],
  schedules: string[],
): TimelineEntry | null {
  switch (g.kind) {
    case "delete-account": {
      const account = pick(accounts, g.target);
      return account === undefined ? null : { at, action: "delete-account", account };
    }
    case "create-account": {
      const account = `new-acct-${k + 1}`;
      accounts.push(account);
      return { at, action: "create-account", account };
    }
    case "create-schedule": {
      const account = pick(accounts, g.target);
      if (account === undefined) return null;
      const schedule = `new-sched-${k + 1}`;
      schedules.push(schedule);
      return { at, action: "create-schedule", schedule, account, cron: CRON_MIX[g.cron % CRON_MIX.length] };
    }
    case "delete-schedule": {
      const schedule = pick(schedules, g.target);
      return schedule === undefined ? null : { at, action: "delete-schedule", schedule };
    }
    case "pause-schedule": {
      const schedule = pick(schedules, g.target);
      return schedule === undefined ? null : { at, action: "pause-schedule", schedule, paused: g.paused };
    }
    case "deploy": {
      const name = pick(c.deployVariants, g.variant);
      const variant = name === undefined ? null : resolveVariant(name);
      if (variant === null) return null;
      return {
        at,
        action: "deploy",
        scheduler: variant.scheduler,
        fixes: variant.fixes,
        stepDelay: seconds(g.stepDelayS),
      };
    }
    case "kill-worker":
    case "restart-worker":
      return { at, action: g.kind, worker: workerRef(ctx, g.worker, g.random) };
    case "pause-worker":
      return {
        at,
        action: "pause-worker",
        worker: workerRef(ctx, g.worker, g.random),
        duration: seconds(g.durationS),
      };
    case "scale": {
      const min = Math.max(0, c.scaleMin);
      const span = Math.max(1, ctx.workersMax - min + 1);
      return { at, action: "scale", workers: min + (g.workers % span) };
    }
  }
}

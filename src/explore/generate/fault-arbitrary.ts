import fc from "fast-check";
import { scheduleSilencedAt } from "../../scenario/dead-faults.js";
import { FAULT_NAMES, type FaultName, PANIC_POINTS, type PanicPoint } from "../../scenario/vocabulary.js";
import { nextFireAfter, parseCron } from "../../world/cron.js";
import { checkSection, SECTION_RULES } from "./constraints-check.js";
import type { ScenarioDocument } from "./document.js";
import { GENERATED_SIZE } from "./fc-isolation.js";
import { deepFreeze, offset, seconds } from "./units.js";
import {
  activeOffsetS,
  type FleetReplay,
  fleetAt,
  offsetSeconds,
  pick,
  type TimelineEntryLike,
  type WorldContext,
} from "./world-context.js";

/** One entry of a scenario document's `faults`. */
export type FaultEntry = NonNullable<ScenarioDocument["faults"]>[number];

/** Bounds of a generated fault schedule. */
export interface FaultConstraints {
  readonly faultsMax?: number;
  readonly kinds?: readonly FaultName[];
  /** Faults start within this fraction of the run, from its start (the rest is quiet). */
  readonly activeFraction?: number;
  /** Longest effect of a fault with a duration: pause, outage, latency spike, HTTP faults, hang. */
  readonly durationMsMax?: number;
  readonly storeLatencyMsMax?: number;
  readonly clockSkewMsMax?: number;
  /** Most panics one `inject-panic` may throw (its `count`), unless it is persistent. */
  readonly panicCountMax?: number;
  /**
   * Most panics the transient `inject-panic` faults of one world may throw in all: each is capped
   * by `panicCountMax`, but two may meet on one task (a panic of any task), and three throws on a
   * deleted account's cleanup task make v2 quarantine it, which leaves its schedule by design.
   * Later ones are cut to what is left, and dropped at none.
   */
  readonly panicTotalMax?: number;
  /**
   * Share of `inject-panic` faults, in percent, that are persistent: a poison task rather than a
   * hiccup. One throws on every matching task (probability 1), `persistentPanicCountMin` to
   * `persistentPanicCountMax` times, and targets one named schedule or named account that the
   * timeline never deletes (none such: it is a transient one). 0 draws the genes of earlier
   * versions, so a profile that sets it keeps the worlds its seeds made.
   */
  readonly persistentPanicPercent?: number;
  /**
   * Fewest and most panics a persistent `inject-panic` may throw: at least `panicCountMax` + 1
   * (and 2), or, with `persistentPanicPercent` above 0 where panics are drawn, a RangeError.
   */
  readonly persistentPanicCountMin?: number;
  readonly persistentPanicCountMax?: number;
  readonly panicPoints?: readonly PanicPoint[];
  /** Whether a hang may last forever (a task that never returns). */
  readonly hangForever?: boolean;
  /** Always arm at least one injected panic (the first fault). */
  readonly mustInjectPanic?: boolean;
  /**
   * Share of worlds, in percent, where the account the timeline deletes first has its own
   * destination down from shortly before its deletion (an `http-errors` fault aimed at it, every
   * delivery answered 404): a user who takes their endpoint down, then deletes the account. Its
   * failed sends leave message retries pending at the deletion, each of which the scheduler must
   * drop rather than send (`no-delivery-after-deletion`); fleet-wide HTTP faults all but never
   * meet a deletion so. The fault comes on top of `faultsMax`; it needs `http-errors` among
   * `kinds`, `faultsMax` above 0 and `durationMsMax` of 11 s or more. 0 draws the genes of earlier
   * versions, so a profile that sets it keeps the worlds its seeds made.
   */
  readonly endpointDownPercent?: number;
}

/**
 * The generator's default chaos, which `explore --generated` runs. Half of the injected panics
 * are persistent (11 or 12 throws, on every matching task): transient ones throw at most twice,
 * below v2's quarantine after 3 attempts, and alone make no poison task, so
 * `quarantine-after-retries` and the bound of `poison-task-isolated` (at most 10 panics in a row)
 * went unjudged, and a scheduler that never quarantines unseen. 11 passes that bound, so a
 * scheduler still retrying shows; v2 quarantines at the third (the rest go unthrown, or to the
 * account's other schedules), so runs take as long as before. A persistent panic never targets an account the timeline deletes
 * (see `persistentPanic`): the fixed v2 holds every property in these worlds.
 */
export const FAULT_DEFAULTS: Required<FaultConstraints> = deepFreeze({
  faultsMax: 4,
  kinds: FAULT_NAMES,
  activeFraction: 0.6,
  durationMsMax: 120_000,
  storeLatencyMsMax: 5_000,
  clockSkewMsMax: 60_000,
  panicCountMax: 2,
  panicTotalMax: Number.POSITIVE_INFINITY,
  persistentPanicPercent: 50,
  persistentPanicCountMin: 11,
  persistentPanicCountMax: 12,
  panicPoints: PANIC_POINTS,
  hangForever: false,
  mustInjectPanic: false,
  endpointDownPercent: 50,
});

/** A fault before it is resolved against a world (see `TimelineGene` for the idea). */
export type FaultGene = { readonly at: number } & (
  | { readonly kind: "kill-worker"; readonly worker: number; readonly random: boolean }
  | {
      readonly kind: "pause-worker";
      readonly worker: number;
      readonly random: boolean;
      readonly durationS: number;
    }
  | { readonly kind: "store-latency"; readonly durationS: number; readonly latencyMs: number }
  | { readonly kind: "store-outage"; readonly durationS: number }
  | {
      readonly kind: "clock-skew";
      readonly worker: number;
      readonly random: boolean;
      readonly skewS: number;
      readonly durationS: number;
    }
  | {
      readonly kind: "inject-panic";
      readonly point: number;
      /** 0: any task, 1: one schedule's tasks, 2: one account's tasks. */
      readonly scope: number;
      readonly target: number;
      readonly percent: number;
      readonly count: number;
      /** A poison task (see `persistentPanicPercent`); absent when none may be drawn. */
      readonly persistent?: boolean;
    }
  | { readonly kind: "hang"; readonly target: number; readonly durationS: number; readonly forever: boolean }
  | {
      readonly kind: "http-errors";
      readonly durationS: number;
      readonly percent: number;
      readonly status: number;
    }
  | { readonly kind: "http-timeouts"; readonly durationS: number; readonly percent: number }
);

/**
 * The endpoint taken down before a deletion (see `endpointDownPercent`): whether (`chance`, in
 * percent: at `100 - endpointDownPercent` or above, so that it shrinks towards no fault), and how
 * many seconds before the deletion.
 */
export interface EndpointDownGene {
  readonly chance: number;
  readonly leadS: number;
}

/** The genes of a fault schedule, and the constraints to resolve them with. */
export interface FaultGenes {
  readonly constraints: FaultConstraints;
  readonly genes: readonly FaultGene[];
  /** Drawn only when `endpointDownPercent` may act (absent otherwise: the genes of earlier versions). */
  readonly endpointDown?: EndpointDownGene;
}

/**
 * How long an endpoint taken down before a deletion stays down after it: a little, so that the
 * window spans the deletion; the retries pending across it are the point, not a long outage.
 */
const ENDPOINT_DOWN_AFTER_S = 10;

/**
 * Fault schedules: kills, pauses (shorter and longer than a lease), store latency spikes and
 * outages, clock skew, injected panics at named points (BUGGIFY), hangs, HTTP errors and
 * timeouts. Every effect is bounded by `durationMsMax` unless `hangForever`. Resolve with
 * `faultDocument`.
 */
export function faultArbitrary(constraints: FaultConstraints = {}): fc.Arbitrary<FaultGenes> {
  checkSection(constraints, FAULT_DEFAULTS, "constraints", SECTION_RULES.faults);
  const c = { ...FAULT_DEFAULTS, ...constraints };
  const at = fc.integer({ min: 0, max: 1000 });
  const worker = fc.nat({ max: 15 });
  const durationS = fc.integer({ min: 1, max: Math.max(1, Math.floor(c.durationMsMax / 1000)) });
  const percent = fc.integer({ min: 1, max: 100 });
  const skewMaxS = Math.floor(c.clockSkewMsMax / 1000);
  const panic = panicGene(c, at);
  const byKind: Record<FaultName, fc.Arbitrary<FaultGene>> = {
    "kill-worker": fc.record({ kind: fc.constant("kill-worker" as const), at, worker, random: fc.boolean() }),
    "pause-worker": fc.record({
      kind: fc.constant("pause-worker" as const),
      at,
      worker,
      random: fc.boolean(),
      durationS,
    }),
    "store-latency": fc.record({
      kind: fc.constant("store-latency" as const),
      at,
      durationS,
      latencyMs: fc.integer({ min: 1, max: Math.max(1, c.storeLatencyMsMax) }),
    }),
    "store-outage": fc.record({ kind: fc.constant("store-outage" as const), at, durationS }),
    "clock-skew": fc.record({
      kind: fc.constant("clock-skew" as const),
      at,
      worker,
      random: fc.boolean(),
      skewS: fc.integer({ min: -skewMaxS, max: skewMaxS }),
      // A skew that never ended would leave the run no quiet period to judge liveness in.
      durationS,
    }),
    "inject-panic": panic,
    hang: fc.record({
      kind: fc.constant("hang" as const),
      at,
      target: fc.nat({ max: 31 }),
      durationS,
      forever: c.hangForever ? fc.boolean() : fc.constant(false),
    }),
    "http-errors": fc.record({
      kind: fc.constant("http-errors" as const),
      at,
      durationS,
      percent,
      status: fc.constantFrom(503, 500, 429),
    }),
    "http-timeouts": fc.record({ kind: fc.constant("http-timeouts" as const), at, durationS, percent }),
  };
  const kinds = c.kinds;
  const rest =
    kinds.length === 0 || c.faultsMax <= 0
      ? fc.constant([] as FaultGene[])
      : fc.array(fc.oneof(...kinds.map((k) => byKind[k])), { maxLength: c.faultsMax, size: GENERATED_SIZE });
  const genes = c.mustInjectPanic ? fc.tuple(panic, rest).map(([p, r]) => [p, ...r]) : rest;
  if (!endpointDownMayAct(c)) return genes.map((g) => ({ constraints, genes: g }));
  const endpointDown = fc.record({
    // Unbiased: fast-check's bias would favour the ends of the range, and so the fault.
    chance: fc.noBias(fc.integer({ min: 0, max: 99 })),
    // Shrinks towards the shortest lead: the fewest failed sends before the deletion.
    leadS: fc.integer({ min: 1, max: endpointDownLeadMaxS(c) }),
  });
  return fc.tuple(genes, endpointDown).map(([g, endpointDown]) => ({ constraints, genes: g, endpointDown }));
}

/** Whether the constraints let an endpoint go down before a deletion (see `endpointDownPercent`). */
function endpointDownMayAct(c: Required<FaultConstraints>): boolean {
  return (
    c.endpointDownPercent > 0 &&
    c.faultsMax > 0 &&
    c.kinds.includes("http-errors") &&
    c.durationMsMax >= (1 + ENDPOINT_DOWN_AFTER_S) * 1000
  );
}

/**
 * The longest lead of an endpoint down before its account's deletion: its whole window (the lead
 * and `ENDPOINT_DOWN_AFTER_S`) within `durationMsMax` (110 s by default), and at most 150 s. Any
 * send failed in it has a retry pending at the deletion (QStash's back-off: 12 s, 2 min 28 s, then
 * half an hour); a lead of a minute or more meets every schedule that fires each minute.
 */
function endpointDownLeadMaxS(c: Required<FaultConstraints>): number {
  return Math.max(1, Math.min(150, Math.floor(c.durationMsMax / 1000) - ENDPOINT_DOWN_AFTER_S));
}

/**
 * An `inject-panic` gene: a transient one throwing up to `panicCountMax` times, or with
 * `persistentPanicPercent` a persistent one throwing more (its count drawn past the transient
 * bound), which shrinks towards a transient one.
 */
function panicGene(c: Required<FaultConstraints>, at: fc.Arbitrary<number>): fc.Arbitrary<FaultGene> {
  const transientMax = Math.max(1, c.panicCountMax);
  const fields = {
    kind: fc.constant("inject-panic" as const),
    at,
    point: fc.nat({ max: Math.max(0, c.panicPoints.length - 1) }),
    scope: fc.nat({ max: 2 }),
    target: fc.nat({ max: 31 }),
    percent: fc.constantFrom(100, 50, 10),
    count: fc.integer({ min: 1, max: transientMax }),
  };
  const percent = Math.min(100, Math.max(0, c.persistentPanicPercent));
  if (percent === 0 || c.persistentPanicCountMax <= transientMax) return fc.record(fields);
  return fc
    .record({
      ...fields,
      persistent: fc.integer({ min: 0, max: 99 }).map((n) => n >= 100 - percent),
      persistentCount: fc.integer({
        min: Math.min(c.persistentPanicCountMax, Math.max(transientMax + 1, c.persistentPanicCountMin)),
        max: c.persistentPanicCountMax,
      }),
    })
    .map(({ persistentCount, ...g }) => (g.persistent ? { ...g, count: persistentCount } : g));
}

/**
 * The fault entries of resolved genes, for a world whose timeline is `timeline`; genes with
 * nothing to act on are dropped. A fault names a worker that is in the fleet at its time.
 */
export function faultDocument(
  f: FaultGenes,
  ctx: WorldContext,
  timeline: readonly TimelineEntryLike[] = [],
  nextFireS: NextFireS = nextMinuteS,
): FaultEntry[] {
  const c = { ...FAULT_DEFAULTS, ...f.constraints };
  const kept = keptAccounts(ctx, timeline);
  const out: FaultEntry[] = [];
  let panicsLeft = c.panicTotalMax;
  for (const drawn of f.genes) {
    const [g, atS] = windowOnAFire(drawn, activeOffsetS(ctx, c.activeFraction, drawn.at), ctx, nextFireS);
    let entry =
      g.kind === "inject-panic" && g.persistent === true
        ? persistentPanic(g, offset(atS), ctx, c, kept)
        : resolveFault(
            g,
            offset(atS),
            ctx,
            c,
            fleetAt(ctx, timeline, atS),
            liveSchedulesAt(ctx, timeline, atS),
          );
    // A transient panic (a persistent one throws more than `panicCountMax`, on a kept account).
    if (entry !== null && entry.fault === "inject-panic" && (entry.count ?? 1) <= c.panicCountMax) {
      entry = panicsLeft <= 0 ? null : { ...entry, count: Math.min(entry.count ?? 1, panicsLeft) };
      if (entry !== null) panicsLeft -= entry.count ?? 1;
    }
    if (entry !== null) out.push(entry);
  }
  const down = endpointDownFault(f.endpointDown, c, timeline);
  if (down !== null) out.push(down);
  return out;
}

/**
 * The `http-errors` fault of an endpoint taken down before its account's deletion (see
 * `endpointDownPercent`): aimed at the account the timeline deletes first, from `leadS` before
 * its deletion (the run's start at the earliest) to `ENDPOINT_DOWN_AFTER_S` after it. Null when
 * the gene says no, or the timeline deletes no account.
 */
function endpointDownFault(
  gene: EndpointDownGene | undefined,
  c: Required<FaultConstraints>,
  timeline: readonly TimelineEntryLike[],
): FaultEntry | null {
  if (gene === undefined || gene.chance < 100 - c.endpointDownPercent || !endpointDownMayAct(c)) return null;
  const deletions = timeline
    .map((e, index) => ({ e, index, s: offsetSeconds(e.at) }))
    .filter((x) => x.e.action === "delete-account" && x.e.account !== undefined)
    .sort((a, b) => a.s - b.s || a.index - b.index);
  if (deletions.length === 0) return null;
  const { e, s: deletedS } = deletions[0];
  const fromS = Math.max(0, deletedS - Math.min(gene.leadS, endpointDownLeadMaxS(c)));
  return {
    at: offset(fromS),
    fault: "http-errors",
    duration: seconds(deletedS - fromS + ENDPOINT_DOWN_AFTER_S),
    rate: 1,
    status: 404,
    account: e.account,
  };
}

/**
 * The named accounts the timeline never deletes and that have a schedule (a named one, or one
 * the timeline creates), in order: a panic aimed at an account without one would never fire.
 */
function keptAccounts(ctx: WorldContext, timeline: readonly TimelineEntryLike[]): string[] {
  const deleted = new Set(timeline.flatMap((e) => (e.action === "delete-account" ? [e.account] : [])));
  const scheduled = new Set(ctx.namedScheduleAccounts.values());
  for (const e of timeline)
    if (e.action === "create-schedule" && e.account !== undefined) scheduled.add(e.account);
  return ctx.namedAccounts.filter((a) => !deleted.has(a) && scheduled.has(a));
}

/**
 * A persistent panic: on one schedule (scope 0 or 1) or one account (scope 2) of the accounts
 * `kept`, on every matching task. Never one of a deleted account: the fixed v2 cleans a deleted
 * account's schedules up in their next task, and a task that keeps panicking before it can is
 * quarantined instead, leaving the schedules in place by design (`deleted-schedules-cleaned`
 * would fail on the chaos, not on the scheduler), nor one without a schedule, where it would
 * never fire. Scope 0 or 1 with no named schedule among them targets one of them as scope 2 does;
 * with no such account at all it is a transient panic of any task (at most `panicCountMax` throws
 * at the gene's percent).
 */
function persistentPanic(
  g: Extract<FaultGene, { kind: "inject-panic" }>,
  at: string,
  ctx: WorldContext,
  c: Required<FaultConstraints>,
  kept: readonly string[],
): FaultEntry {
  const point = pick(c.panicPoints, g.point) ?? "before-account-read";
  const entry = { at, fault: "inject-panic" as const, point, probability: 1, count: g.count };
  const schedules = ctx.namedSchedules.filter((s) => kept.includes(ctx.namedScheduleAccounts.get(s) ?? ""));
  const schedule = pick(schedules, g.target);
  const account = pick(kept, g.target);
  if (g.scope === 2 && account !== undefined) return { ...entry, account };
  if (schedule !== undefined) return { ...entry, schedule };
  // A kept account whose only schedule the timeline creates (none named): the poison task is of
  // that schedule; an untargeted panic would be a hiccup.
  if (account !== undefined) return { ...entry, account };
  return { ...entry, probability: g.percent / 100, count: Math.min(g.count, Math.max(1, c.panicCountMax)) };
}

/**
 * The named schedules that may still fire after `atS`: not of an account the timeline has deleted
 * by then, nor removed (`delete-schedule`) or paused (`pause-schedule`) by then for good. A hang
 * blocks a task before its delivery, and waits for one: the bundled schedulers deliver nothing for
 * a deleted account, and a removed or paused schedule has no task, so a hang aimed at one of those
 * would never fire (`validate` warns of it).
 */
function liveSchedulesAt(ctx: WorldContext, timeline: readonly TimelineEntryLike[], atS: number): string[] {
  const deleted = new Set(
    timeline.flatMap((e) =>
      e.action === "delete-account" && e.account !== undefined && offsetSeconds(e.at) <= atS
        ? [e.account]
        : [],
    ),
  );
  const actions = timeline.map((e) => ({ ...e, atMs: offsetSeconds(e.at) * 1000 }));
  return ctx.namedSchedules.filter(
    (s) =>
      !deleted.has(ctx.namedScheduleAccounts.get(s) ?? "") &&
      scheduleSilencedAt(actions, s, atS * 1000, true) === null,
  );
}

function resolveFault(
  g: FaultGene,
  at: string,
  ctx: WorldContext,
  c: Required<FaultConstraints>,
  fleet: FleetReplay,
  liveSchedules: readonly string[],
): FaultEntry | null {
  switch (g.kind) {
    case "kill-worker": {
      const worker = fleet.workerRef(g.worker, g.random);
      return worker === null ? null : { at, fault: "kill-worker", worker };
    }
    case "pause-worker": {
      const worker = fleet.workerRef(g.worker, g.random);
      return worker === null ? null : { at, fault: "pause-worker", worker, duration: seconds(g.durationS) };
    }
    case "store-latency":
      return { at, fault: "store-latency", duration: seconds(g.durationS), latency: `${g.latencyMs}ms` };
    case "store-outage":
      return { at, fault: "store-outage", duration: seconds(g.durationS) };
    case "clock-skew": {
      // A skew of 0 only sets right a clock that an earlier skew of the worker set off, and that
      // one seldom overlaps it (each ends): dropped, as a gene with nothing to act on.
      const worker = g.skewS === 0 ? null : fleet.workerRef(g.worker, g.random);
      return worker === null
        ? null
        : { at, fault: "clock-skew", worker, skew: seconds(g.skewS), duration: seconds(g.durationS) };
    }
    case "inject-panic": {
      const point = pick(c.panicPoints, g.point) ?? "before-account-read";
      const entry: FaultEntry = {
        at,
        fault: "inject-panic",
        point,
        probability: g.percent / 100,
        count: g.count,
      };
      if (g.scope === 1) {
        const schedule = pick(ctx.namedSchedules, g.target);
        return schedule === undefined ? entry : { ...entry, schedule };
      }
      if (g.scope === 2) {
        const account = pick(ctx.namedAccounts, g.target);
        return account === undefined ? entry : { ...entry, account };
      }
      return entry;
    }
    case "hang": {
      const schedule = pick(liveSchedules, g.target);
      if (schedule === undefined) return null;
      return g.forever
        ? { at, fault: "hang", schedule }
        : { at, fault: "hang", schedule, duration: seconds(g.durationS) };
    }
    case "http-errors":
      return {
        at,
        fault: "http-errors",
        duration: seconds(g.durationS),
        rate: g.percent / 100,
        status: g.status,
      };
    case "http-timeouts":
      return { at, fault: "http-timeouts", duration: seconds(g.durationS), rate: g.percent / 100 };
  }
}

/** How long after a fire its delivery is sent, at most, with room to spare (within 0.4 s in a calm world). */
const HTTP_SEND_AFTER_FIRE_S = 2;

/** The first fire of the workload at or after an offset of the run (whole seconds), or null: none. */
export type NextFireS = (fromS: number) => number | null;

/** Without the workload's crons: the next minute, when most crons fire. */
function nextMinuteS(fromS: number): number {
  return Math.ceil(fromS / 60) * 60;
}

/**
 * The `NextFireS` of a run from `start` (ISO) whose schedules have these crons (the generated
 * accounts' mix and the named schedules'); a cron that does not parse is passed over.
 */
export function workloadFires(start: string, crons: readonly string[]): NextFireS {
  const startMs = Date.parse(start);
  const specs = crons.flatMap((text) => {
    try {
      return [parseCron(text)];
    } catch {
      return [];
    }
  });
  return (fromS) => {
    let first: number | null = null;
    for (const spec of specs) {
      const t = nextFireAfter(spec, startMs + fromS * 1000 - 1);
      if (t !== null && (first === null || t < first)) first = t;
    }
    return first === null ? null : Math.ceil((first - startMs) / 1000);
  };
}

/**
 * An HTTP fault's window, drawn at any second, moved so that it spans a fire of the workload and
 * its sends: crons fire on the minute or less often, so a window of a few seconds between two
 * fires fails no send and the run skips it, the chaos drawn spent on nothing. A window that spans
 * none is moved later, to end `HTTP_SEND_AFTER_FIRE_S` after the next fire, and made that long at
 * least; one that would then end past the run is left as drawn. Other faults are left as drawn.
 */
function windowOnAFire(
  g: FaultGene,
  atS: number,
  ctx: WorldContext,
  nextFireS: NextFireS,
): [FaultGene, number] {
  if (g.kind !== "http-errors" && g.kind !== "http-timeouts") return [g, atS];
  const durationS = Math.max(g.durationS, HTTP_SEND_AFTER_FIRE_S);
  const fireS = nextFireS(atS);
  if (fireS === null || atS + durationS >= fireS + HTTP_SEND_AFTER_FIRE_S) return [{ ...g, durationS }, atS];
  const movedS = fireS + HTTP_SEND_AFTER_FIRE_S - durationS;
  return [{ ...g, durationS }, movedS + durationS > ctx.durationS ? atS : movedS];
}

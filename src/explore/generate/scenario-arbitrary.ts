import fc from "fast-check";
import { formatDurationText } from "../../scenario/duration.js";
import { givenValueText } from "../../scenario/issue.js";
import { parseInstant } from "../../scenario/time.js";
import { isVariantName, resolveVariant, VARIANT_NAMES, type VariantName } from "../../scenario/variants.js";
import { checkSection, constraintError, SECTION_RULES } from "./constraints-check.js";
import type { ScenarioDocument } from "./document.js";
import {
  FAULT_DEFAULTS,
  type FaultConstraints,
  faultArbitrary,
  faultDocument,
  workloadFires,
} from "./fault-arbitrary.js";
import { FLEET_DEFAULTS, type FleetConstraints, fleetArbitrary } from "./fleet-arbitrary.js";
import { backoffMaxS, withoutHeldPauses } from "./held-pauses.js";
import {
  TIMELINE_DEFAULTS,
  type TimelineConstraints,
  timelineArbitrary,
  timelineDocument,
} from "./timeline-arbitrary.js";
import { deepFreeze } from "./units.js";
import { WORKLOAD_DEFAULTS, type WorkloadConstraints, workloadArbitrary } from "./workload-arbitrary.js";
import type { WorldContext } from "./world-context.js";

/**
 * Bounds of a generated scenario. Plain data (no functions), so it can be written down,
 * passed to worker threads, and printed with a failure.
 */
export interface ScenarioConstraints {
  /** The scenario's `name` (default `generated`). */
  readonly name?: string;
  /** The variant whose scheduler the world starts with (default `fixed`). */
  readonly variant?: VariantName;
  /** ISO start instant (default 2026-05-08T09:30:00Z). */
  readonly start?: string;
  readonly durationMsMin?: number;
  readonly durationMsMax?: number;
  readonly sloMs?: number;
  readonly storeLatencyMsMax?: number;
  readonly storeFailureRateMax?: number;
  readonly fleet?: FleetConstraints;
  readonly workload?: WorkloadConstraints;
  readonly timeline?: TimelineConstraints;
  readonly faults?: FaultConstraints;
}

/** The defaults of the scenario's own constraints (frozen: see `deepFreeze`). */
export const SCENARIO_DEFAULTS: Readonly<
  Required<Omit<ScenarioConstraints, "fleet" | "workload" | "timeline" | "faults">>
> = deepFreeze({
  name: "generated",
  variant: "fixed",
  start: "2026-05-08T09:30:00Z",
  durationMsMin: 30 * 60_000,
  durationMsMax: 60 * 60_000,
  sloMs: 60_000,
  storeLatencyMsMax: 5,
  storeFailureRateMax: 0,
});

/**
 * Whole scenario documents: a fleet, a workload, a timeline and a fault schedule, each from its
 * own arbitrary, resolved against each other (timelines and faults name the world's workers,
 * accounts and schedules). Every document is a valid scenario file; every part shrinks on its
 * own, towards a shorter run, fewer workers, fewer schedules, fewer actions and faults.
 */
export function scenarioArbitrary(constraints: ScenarioConstraints = {}): fc.Arbitrary<ScenarioDocument> {
  checkConstraints(constraints);
  const c = { ...SCENARIO_DEFAULTS, ...constraints };
  const variant = resolveVariant(c.variant) ?? resolveVariant("fixed")!;
  const durationMin = Math.max(1, Math.ceil(c.durationMsMin / 60_000));
  const durationMax = Math.max(durationMin, Math.floor(c.durationMsMax / 60_000));
  const workersMax = constraints.fleet?.workersMax ?? FLEET_DEFAULTS.workersMax;
  return fc
    .record({
      seed: fc.nat({ max: 0x7fffffff }),
      durationMin: fc.integer({ min: durationMin, max: durationMax }),
      storeLatencyMs: fc.integer({ min: 0, max: Math.max(0, c.storeLatencyMsMax) }),
      storeFailurePermille: fc.integer({ min: 0, max: Math.round(c.storeFailureRateMax * 1000) }),
      fleet: fleetArbitrary(c.fleet),
      workload: workloadArbitrary(c.workload),
      timeline: timelineArbitrary(c.timeline),
      faults: faultArbitrary(c.faults),
    })
    .map((g): ScenarioDocument => {
      const named = g.workload.named ?? [];
      const ctx: WorldContext = {
        durationS: g.durationMin * 60,
        workers: g.fleet.workers ?? 1,
        workersMax: Math.max(workersMax, g.fleet.workers ?? 1),
        namedAccounts: named.map((a) => a.id),
        namedSchedules: named.flatMap((a) => (a.schedules ?? []).map((s) => s.id)),
        namedScheduleAccounts: new Map(named.flatMap((a) => (a.schedules ?? []).map((s) => [s.id, a.id]))),
        accounts: g.workload.accounts ?? 0,
      };
      const drawn = timelineDocument(g.timeline, ctx);
      const { timeline, faults } = withoutHeldPauses(
        drawn,
        faultDocument(g.faults, ctx, drawn, workloadFires(c.start, scheduleCrons(g.workload))),
        backoffMaxS(g.fleet),
      );
      return {
        name: c.name,
        description: `A generated world (aftershock explore, variant ${c.variant}).`,
        seed: g.seed,
        start: c.start,
        duration: `${g.durationMin}m`,
        fleet: g.fleet,
        scheduler: { version: variant.scheduler, fixes: variant.fixes },
        store: { latency: `${g.storeLatencyMs}ms`, failureRate: g.storeFailurePermille / 1000 },
        workload: g.workload,
        timeline,
        faults,
        slo: formatDurationText(c.sloMs),
      };
    });
}

/**
 * Throws a RangeError or a TypeError, naming the constraint (under `prefix`, as the caller calls
 * the object), for constraints that would make documents other than they say or none that a
 * scenario file takes: a variant no scheduler has, a start that is no instant, a name no scenario
 * has, and in every section what `checkSection` refuses with the section's `SECTION_RULES` (an
 * unknown key, a word outside a list's vocabulary, a number a scenario does not take or fast-check
 * cannot draw, a range with no whole unit of the document's in it). Each section's arbitrary
 * checks its own too.
 */
export function checkConstraints(constraints: ScenarioConstraints, prefix = "constraints"): void {
  if (constraints === null || typeof constraints !== "object" || Array.isArray(constraints))
    throw new TypeError(
      `${prefix}: expected generator constraints (an object, {} for the defaults, or a profile such as generators.PROPERTY_SIZED), found ${givenValueText(constraints)}`,
    );
  checkSection(constraints, SCENARIO_DEFAULTS, prefix, SECTION_RULES.scenario);
  const { variant, start, name } = constraints;
  if (variant !== undefined && !isVariantName(variant))
    throw constraintError(`${prefix}.variant`, `one of ${VARIANT_NAMES.join(", ")}`, variant);
  if (start !== undefined && !parseInstant(String(start)).ok)
    throw constraintError(`${prefix}.start`, "an ISO instant such as 2026-05-08T09:30:00Z", start);
  if (name !== undefined && !/^[a-z0-9-]+$/.test(name))
    throw constraintError(`${prefix}.name`, "a scenario name: lowercase letters, digits and dashes", name);
  checkSection(constraints.fleet, FLEET_DEFAULTS, `${prefix}.fleet`, SECTION_RULES.fleet);
  checkSection(constraints.workload, WORKLOAD_DEFAULTS, `${prefix}.workload`, SECTION_RULES.workload);
  checkSection(constraints.timeline, TIMELINE_DEFAULTS, `${prefix}.timeline`, SECTION_RULES.timeline);
  checkSection(constraints.faults, FAULT_DEFAULTS, `${prefix}.faults`, SECTION_RULES.faults);
}

/** The crons the run's schedules fire by: the generated accounts' mix (when they have schedules) and the named ones'. */
function scheduleCrons(workload: NonNullable<ScenarioDocument["workload"]>): string[] {
  const mix =
    (workload.accounts ?? 0) > 0 && (workload.schedulesPerAccount?.max ?? 1) > 0
      ? (workload.cron ?? []).map((c) => c.expr)
      : [];
  return [...mix, ...(workload.named ?? []).flatMap((a) => (a.schedules ?? []).map((s) => s.cron))];
}

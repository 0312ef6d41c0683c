import fc from "fast-check";
import { resolveVariant, type VariantName } from "../../scenario/variants.js";
import type { ScenarioDocument } from "./document.js";
import { type FaultConstraints, faultArbitrary, faultDocument } from "./fault-arbitrary.js";
import { FLEET_DEFAULTS, type FleetConstraints, fleetArbitrary } from "./fleet-arbitrary.js";
import { type TimelineConstraints, timelineArbitrary, timelineDocument } from "./timeline-arbitrary.js";
import { seconds } from "./units.js";
import { type WorkloadConstraints, workloadArbitrary } from "./workload-arbitrary.js";
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

export const SCENARIO_DEFAULTS = {
  name: "generated",
  variant: "fixed" as VariantName,
  start: "2026-05-08T09:30:00Z",
  durationMsMin: 30 * 60_000,
  durationMsMax: 60 * 60_000,
  sloMs: 60_000,
  storeLatencyMsMax: 5,
  storeFailureRateMax: 0,
};

/**
 * Whole scenario documents: a fleet, a workload, a timeline and a fault schedule, each from its
 * own arbitrary, resolved against each other (timelines and faults name the world's workers,
 * accounts and schedules). Every document is a valid scenario file; every part shrinks on its
 * own, towards a shorter run, fewer workers, fewer schedules, fewer actions and faults.
 */
export function scenarioArbitrary(constraints: ScenarioConstraints = {}): fc.Arbitrary<ScenarioDocument> {
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
      const timeline = timelineDocument(g.timeline, ctx);
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
        faults: faultDocument(g.faults, ctx, timeline),
        slo: seconds(Math.round(c.sloMs / 1000)),
      };
    });
}

import fc from "fast-check";
import { checkSection, SECTION_RULES } from "./constraints-check.js";
import type { ScenarioDocument } from "./document.js";
import { deepFreeze, seconds, secondsRange } from "./units.js";

/** The `fleet` section of a scenario document. */
export type FleetDocument = NonNullable<ScenarioDocument["fleet"]>;

/** Bounds of a generated fleet; every field is optional (defaults: a property-sized fleet). */
export interface FleetConstraints {
  readonly workersMin?: number;
  readonly workersMax?: number;
  readonly partitionsMin?: number;
  readonly partitionsMax?: number;
  readonly leaseTtlMsMin?: number;
  readonly leaseTtlMsMax?: number;
  readonly rebalanceIntervalMsMin?: number;
  readonly rebalanceIntervalMsMax?: number;
  readonly startupTimeMsMin?: number;
  readonly startupTimeMsMax?: number;
  readonly backoffInitialMsMin?: number;
  readonly backoffInitialMsMax?: number;
  /** The CrashLoopBackOff cap is drawn in [backoffInitial, backoffMaxMsMax]. */
  readonly backoffMaxMsMax?: number;
  /**
   * Raise the back-off cap to at least a lease TTL plus two rebalance intervals plus the
   * start-up time (CrashLoopBackOff's 300 s cap does): a crash-looping worker then eventually
   * stays down long enough for another worker to take its partitions over.
   */
  readonly backoffMaxAboveHandoff?: boolean;
  readonly concurrencyMin?: number;
  readonly concurrencyMax?: number;
}

export const FLEET_DEFAULTS: Required<FleetConstraints> = deepFreeze({
  workersMin: 3,
  workersMax: 8,
  partitionsMin: 4,
  partitionsMax: 32,
  leaseTtlMsMin: 10_000,
  leaseTtlMsMax: 30_000,
  rebalanceIntervalMsMin: 5_000,
  rebalanceIntervalMsMax: 15_000,
  startupTimeMsMin: 5_000,
  startupTimeMsMax: 20_000,
  backoffInitialMsMin: 5_000,
  backoffInitialMsMax: 20_000,
  backoffMaxMsMax: 60_000,
  backoffMaxAboveHandoff: false,
  concurrencyMin: 4,
  concurrencyMax: 64,
});

/**
 * Fleets: workers, partitions, lease and heartbeat (the heartbeat between a sixth and a half of
 * the lease, so it is always shorter), rebalancing, start-up, and the supervisor's back-off.
 * Everything shrinks towards the smallest fleet with the shortest times.
 */
export function fleetArbitrary(constraints: FleetConstraints = {}): fc.Arbitrary<FleetDocument> {
  checkSection(constraints, FLEET_DEFAULTS, "constraints", SECTION_RULES.fleet);
  const c = { ...FLEET_DEFAULTS, ...constraints };
  const backoffInitial = secondsRange(c.backoffInitialMsMin, c.backoffInitialMsMax, 1);
  return fc
    .record({
      workers: fc.integer({ min: c.workersMin, max: Math.max(c.workersMin, c.workersMax) }),
      partitions: fc.integer({ min: c.partitionsMin, max: Math.max(c.partitionsMin, c.partitionsMax) }),
      leaseTtlS: fc.integer(secondsRange(c.leaseTtlMsMin, c.leaseTtlMsMax, 2)),
      heartbeatTwelfths: fc.integer({ min: 2, max: 6 }),
      rebalanceS: fc.integer(secondsRange(c.rebalanceIntervalMsMin, c.rebalanceIntervalMsMax, 1)),
      startupS: fc.integer(secondsRange(c.startupTimeMsMin, c.startupTimeMsMax)),
      backoffInitialS: fc.integer(backoffInitial),
      backoffExtraS: fc.integer({
        min: 0,
        max: Math.max(0, Math.floor(c.backoffMaxMsMax / 1000) - backoffInitial.min),
      }),
      concurrency: fc.integer({ min: c.concurrencyMin, max: Math.max(c.concurrencyMin, c.concurrencyMax) }),
    })
    .map((g): FleetDocument => {
      const heartbeatS = Math.max(
        1,
        Math.min(g.leaseTtlS - 1, Math.floor((g.leaseTtlS * g.heartbeatTwelfths) / 12)),
      );
      const handoffS = g.leaseTtlS + 2 * g.rebalanceS + g.startupS;
      const drawnMaxS = Math.min(g.backoffInitialS + g.backoffExtraS, Math.floor(c.backoffMaxMsMax / 1000));
      const backoffMaxS = Math.max(g.backoffInitialS, drawnMaxS, c.backoffMaxAboveHandoff ? handoffS : 0);
      return {
        workers: g.workers,
        partitions: g.partitions,
        leaseTtl: seconds(g.leaseTtlS),
        heartbeat: seconds(heartbeatS),
        rebalanceInterval: seconds(g.rebalanceS),
        startupTime: seconds(g.startupS),
        concurrency: g.concurrency,
        supervisor: {
          backoffInitial: seconds(g.backoffInitialS),
          backoffMax: seconds(backoffMaxS),
          resetAfter: "10m",
        },
      };
    });
}

import fc from "fast-check";
import { checkSection, SECTION_RULES } from "./constraints-check.js";
import type { ScenarioDocument } from "./document.js";
import { GENERATED_SIZE } from "./fc-isolation.js";
import { deepFreeze } from "./units.js";

/** The `workload` section of a scenario document. */
export type WorkloadDocument = NonNullable<ScenarioDocument["workload"]>;

/** Cron expressions of generated accounts: every minute to hourly, one in a time zone. */
export const CRON_MIX: readonly string[] = deepFreeze([
  "* * * * *",
  "*/2 * * * *",
  "*/5 * * * *",
  "*/15 * * * *",
  "0 * * * *",
  "CRON_TZ=America/New_York */10 * * * *",
]);

/** Cron expressions of named accounts (the ones timelines and faults refer to): frequent ones. */
export const NAMED_CRON: readonly string[] = deepFreeze([
  "* * * * *",
  "*/2 * * * *",
  "*/5 * * * *",
  "*/10 * * * *",
]);

/** Bounds of a generated workload. */
export interface WorkloadConstraints {
  /** Generated (anonymous) accounts: `acct-00001`, ... */
  readonly accountsMax?: number;
  readonly schedulesPerAccountMax?: number;
  /**
   * Cap on all schedules at the start, generated and named: named ones drawn past it are cut (a
   * later account's first). At least `namedAccountsMin` × `namedSchedulesMin` (a RangeError
   * otherwise).
   */
  readonly schedulesMax?: number;
  /** Named accounts `acct-1`, ... with schedules `sched-1-1`, ...: what timelines and faults target. */
  readonly namedAccountsMin?: number;
  readonly namedAccountsMax?: number;
  readonly namedSchedulesMin?: number;
  readonly namedSchedulesMax?: number;
  /** The first schedule of the first named account always uses this expression, if set. */
  readonly firstNamedCron?: string;
  readonly cron?: readonly string[];
  readonly namedCron?: readonly string[];
  /** Probability that a delivery attempt fails outside any fault (0 keeps destinations healthy). */
  readonly destinationFailureRateMax?: number;
  readonly retriesMax?: number;
}

export const WORKLOAD_DEFAULTS: Required<Omit<WorkloadConstraints, "firstNamedCron">> = deepFreeze({
  accountsMax: 60,
  schedulesPerAccountMax: 3,
  schedulesMax: 200,
  namedAccountsMin: 1,
  namedAccountsMax: 3,
  namedSchedulesMin: 1,
  namedSchedulesMax: 3,
  cron: CRON_MIX,
  namedCron: NAMED_CRON,
  destinationFailureRateMax: 0,
  retriesMax: 3,
});

/** The id of the `i`-th named account (0-based). */
export function namedAccountId(i: number): string {
  return `acct-${i + 1}`;
}

/** The id of the `j`-th schedule of the `i`-th named account (0-based). */
export function namedScheduleId(i: number, j: number): string {
  return `sched-${i + 1}-${j + 1}`;
}

/**
 * Workloads: generated accounts with a cron mix (ids drawn by the world), and named accounts
 * with named schedules that timelines and faults can refer to. The total number of schedules
 * stays within `schedulesMax`, the named ones too (`withinCap`); everything shrinks towards fewer
 * accounts and schedules.
 */
export function workloadArbitrary(constraints: WorkloadConstraints = {}): fc.Arbitrary<WorkloadDocument> {
  checkSection(constraints, WORKLOAD_DEFAULTS, "constraints", SECTION_RULES.workload);
  const c = { ...WORKLOAD_DEFAULTS, ...constraints };
  const namedCron = c.namedCron.length > 0 ? c.namedCron : NAMED_CRON;
  return fc
    .record({
      accounts: fc.integer({ min: 0, max: c.accountsMax }),
      perAccount: fc.tuple(
        fc.integer({ min: 0, max: c.schedulesPerAccountMax }),
        fc.integer({ min: 0, max: c.schedulesPerAccountMax }),
      ),
      mix: fc.uniqueArray(fc.integer({ min: 0, max: c.cron.length - 1 }), {
        minLength: 1,
        maxLength: Math.min(3, c.cron.length),
        size: GENERATED_SIZE,
      }),
      weights: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3, size: GENERATED_SIZE }),
      named: fc.array(
        fc.array(fc.integer({ min: 0, max: namedCron.length - 1 }), {
          minLength: c.namedSchedulesMin,
          maxLength: Math.max(c.namedSchedulesMin, c.namedSchedulesMax),
          size: GENERATED_SIZE,
        }),
        {
          minLength: c.namedAccountsMin,
          maxLength: Math.max(c.namedAccountsMin, c.namedAccountsMax),
          size: GENERATED_SIZE,
        },
      ),
      destinationLatencyMs: fc.integer({ min: 10, max: 300 }),
      failurePermille: fc.integer({ min: 0, max: Math.round(c.destinationFailureRateMax * 1000) }),
      retries: fc.integer({ min: 0, max: c.retriesMax }),
    })
    .map((g): WorkloadDocument => {
      const named = withinCap(g.named, c).map((crons, i) => ({
        id: namedAccountId(i),
        schedules: crons.map((k, j) => ({
          id: namedScheduleId(i, j),
          cron: i === 0 && j === 0 && constraints.firstNamedCron ? constraints.firstNamedCron : namedCron[k],
        })),
      }));
      const namedSchedules = named.reduce((n, a) => n + a.schedules.length, 0);
      const min = Math.min(...g.perAccount);
      const max = Math.max(...g.perAccount);
      const room = Math.max(0, c.schedulesMax - namedSchedules);
      const accounts = max === 0 ? g.accounts : Math.min(g.accounts, Math.floor(room / max));
      return {
        accounts,
        schedulesPerAccount: { min, max },
        cron: g.mix.map((k, i) => ({ expr: c.cron[k], weight: g.weights[i] })),
        destination: {
          latency: `${g.destinationLatencyMs}ms`,
          jitter: 0.5,
          failureRate: g.failurePermille / 1000,
          timeout: "30s",
        },
        retries: g.retries,
        named,
      };
    });
}

/**
 * The named accounts' drawn schedules (each a list of cron picks), cut to `schedulesMax` in all:
 * each account keeps what the cap leaves after the least the accounts still required
 * (`namedAccountsMin`) need, `namedSchedulesMin` each; an account past those left less than
 * that is dropped, with the ones after it. The constraints check keeps those least within the
 * cap; a draw within it is kept as drawn.
 */
function withinCap(
  named: readonly (readonly number[])[],
  c: Pick<Required<WorkloadConstraints>, "schedulesMax" | "namedAccountsMin" | "namedSchedulesMin">,
): (readonly number[])[] {
  let room = c.schedulesMax;
  const kept: (readonly number[])[] = [];
  for (const [i, crons] of named.entries()) {
    const owed = Math.max(0, c.namedAccountsMin - i - 1) * c.namedSchedulesMin;
    const take = Math.min(crons.length, room - owed);
    if (take < c.namedSchedulesMin) break;
    kept.push(take === crons.length ? crons : crons.slice(0, take));
    room -= take;
  }
  return kept;
}

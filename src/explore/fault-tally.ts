/**
 * What an exploration's faults did, by kind: how many were planned, how many of them fired and
 * how often they acted (an injected panic fires once and may throw many times), how many found
 * nothing to act on or never fired by their run's end, and in how many runs the kind acted. The
 * acts alone (`faultsFired`) cannot say which faults were exercised: 466 panics thrown may be 177
 * faults of 202, and 25 hangs that never struck would not show.
 */

/** One kind of fault, summed over the runs. */
export interface FaultKindTally {
  /** Faults of the kind the runs planned, each counted once. */
  readonly planned: number;
  /** Of those, the faults that acted at least once. */
  readonly fired: number;
  /** How often they acted (a panic armed once counts each panic it threw): `faultsFired`. */
  readonly acts: number;
  /** Faults that came due with nothing to act on (a kill of a worker already down). */
  readonly skipped: number;
  /** Faults planned that neither fired nor were skipped by their run's end. */
  readonly notFired: number;
  /** Runs in which the kind acted at least once. */
  readonly runs: number;
}

/** What one run says of its faults, by kind. */
export interface RunFaults {
  readonly faultsFired: Readonly<Record<string, number>>;
  readonly faultsFiredFaults: Readonly<Record<string, number>>;
  readonly faultsSkipped: Readonly<Record<string, number>>;
  readonly faultsPlanned: Readonly<Record<string, number>>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sums runs' faults by kind (`add` each run), then gives them in kind order (`sorted`). */
export class FaultKindTallies {
  private readonly kinds = new Map<string, Mutable<FaultKindTally>>();

  add(run: RunFaults): void {
    const names = new Set([
      ...Object.keys(run.faultsPlanned),
      ...Object.keys(run.faultsFired),
      ...Object.keys(run.faultsSkipped),
    ]);
    for (const kind of names) {
      const planned = run.faultsPlanned[kind] ?? 0;
      const fired = run.faultsFiredFaults[kind] ?? 0;
      const acts = run.faultsFired[kind] ?? 0;
      const skipped = run.faultsSkipped[kind] ?? 0;
      this.addTally(kind, {
        planned,
        fired,
        acts,
        skipped,
        notFired: Math.max(0, planned - fired - skipped),
        runs: acts > 0 ? 1 : 0,
      });
    }
  }

  /** Adds a tally already summed (a shard's, when shards are merged). */
  addTally(kind: string, t: FaultKindTally): void {
    const sum = this.kinds.get(kind) ?? { planned: 0, fired: 0, acts: 0, skipped: 0, notFired: 0, runs: 0 };
    for (const key of Object.keys(sum) as (keyof FaultKindTally)[]) sum[key] += t[key];
    this.kinds.set(kind, sum);
  }

  /** The tallies by kind, in kind order (so that reports are byte-identical whatever the run order). */
  sorted(): Record<string, FaultKindTally> {
    const out: Record<string, FaultKindTally> = {};
    for (const kind of [...this.kinds.keys()].sort()) out[kind] = { ...this.kinds.get(kind)! };
    return out;
  }
}

/**
 * A kind's tally as the exploration's summary says it: `planned 202 · fired 181 (466 acts) · not
 * fired 21 · acted in 166 runs`, each count said when it is not 0 (planned and fired always).
 */
export function faultKindText(t: FaultKindTally): string {
  const parts = [
    `planned ${t.planned}`,
    `fired ${t.fired}${t.acts !== t.fired ? ` (${t.acts} acts)` : ""}`,
    ...(t.skipped > 0 ? [`skipped ${t.skipped}`] : []),
    ...(t.notFired > 0 ? [`not fired ${t.notFired}`] : []),
    `acted in ${t.runs} ${t.runs === 1 ? "run" : "runs"}`,
  ];
  return parts.join(" · ");
}

/**
 * The RunReport: what `aftershock run --json` prints, exactly one JSON object. The fields
 * named in DESIGN.md (`scenario`, `seed`, `variant`, `traceHash`, `events`, `metrics`,
 * `verdicts`, `timeline`) are a contract; the rest are extensions. Same scenario, seed and
 * variant give byte-identical JSON: nothing here depends on the real clock.
 */

import type { RunSeries } from "../checks/series.js";
import type { Metrics, TimelineEntry, Verdict } from "../checks/types.js";
import type { WorkerLane } from "../checks/worker-lanes.js";

export interface VariantInfo {
  /** The named variant (`buggy`, `fixed`, ...) or null when the scenario's own scheduler ran. */
  readonly name: string | null;
  readonly scheduler: string;
  readonly fixes: readonly string[];
}

export interface RunReport {
  readonly scenario: string;
  readonly seed: number;
  readonly variant: VariantInfo;
  /** Streaming hash of the canonical trace: equal hashes, equal runs. */
  readonly traceHash: string;
  /** Trace events emitted. */
  readonly events: number;
  readonly metrics: Metrics;
  readonly verdicts: readonly Verdict[];
  readonly timeline: readonly TimelineEntry[];
  /** How the run went: virtual start and end, why it stopped, kernel events executed. */
  readonly run: {
    readonly start: string;
    readonly end: string;
    readonly stopReason: string;
    readonly detail: string;
    readonly kernelEvents: number;
    readonly sloMs: number;
    readonly workers: number;
    /**
     * False when the run stopped before its horizon (at one of the scenario's `limits`, or at a
     * broken invariant): its metrics and verdicts cover only the time it simulated, so they are
     * not a judgement of the scenario. True for a run that reached its horizon.
     */
    readonly judged: boolean;
  };
  /** Each worker's lane over time. */
  readonly lanes: readonly WorkerLane[];
  /**
   * Which faults fired and how often each fault point was reached (probes), and, by kind, the
   * faults that came due with nothing to act on (`skipped`, each traced as `fault.skipped`).
   */
  readonly faults: {
    /** By kind, how often faults acted (an armed panic counts each panic it threw). */
    readonly fired: Readonly<Record<string, number>>;
    /**
     * By kind, the faults that acted at least once, each once (an armed panic that threw three
     * times is one): of what was planned, what fired. Absent in a report saved before it was kept.
     */
    readonly firedFaults?: Readonly<Record<string, number>>;
    readonly probes: Readonly<Record<string, number>>;
    readonly skipped: Readonly<Record<string, number>>;
    /**
     * The scenario's faults by kind, each counted once (an `inject-panic` is one fault however
     * many panics it throws). Absent in a report rebuilt from a trace, which does not list them.
     */
    readonly planned?: Readonly<Record<string, number>>;
    /**
     * In a report rebuilt from a trace (no `planned`): by kind, the faults the run armed (injected
     * panics and hangs, HTTP faults), each once, as their arming `operator.action`s say, that were
     * still armed at the end: neither fired (no `fault.injected` names the action in `armed`) nor
     * skipped (an HTTP fault's window that failed nothing ends in a `fault.skipped` its arming
     * caused), so that those that never fired are known. Absent otherwise, and when none was left.
     */
    readonly armed?: Readonly<Record<string, number>>;
  };
  readonly description: string;
  /** Public facts the scenario rests on, and the assumptions that are ours. */
  readonly sources: readonly string[];
  readonly assumptions: readonly string[];
  /** The dashboards over time (`metrics.sampled`, downsampled), for the charts of a report. */
  readonly series?: RunSeries;
}

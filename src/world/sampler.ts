import { invariant, type Simulation } from "../kernel/index.js";
import { type AlertRule, compareOp, type SampledMetric } from "./config.js";
import { emitEvent } from "./emit.js";
import { lagPercentile, sortAgeGroups } from "./lag-percentile.js";

export type Sample = { readonly [K in SampledMetric]: number };

/** Reads the gauges an on-call engineer would see. */
export interface GaugeSource {
  workersUp(): number;
  workersCrashLooping(): number;
  /** Crashes after `t` (not at it): the window (t, now], so a minute's window holds a crash in 6 samples at 10 s, not 7. */
  crashesSince(t: number): number;
  /**
   * Due but uncommitted work: its count; pushes onto `ageGroups` an `age, schedules` pair for
   * each distinct due time (in any order), the schedules counting toward the total.
   */
  dueBacklog(ageGroups: number[]): number;
  /** Lags (ack − due) of deliveries acknowledged since the last call; the list is then emptied. */
  takeDeliveryLags(): number[];
}

/**
 * The metrics sampler and alert rules: every interval, a `metrics.sampled` event with what
 * the dashboards show, and `alert.fired` / `alert.resolved` as rules start and stop holding.
 * Delivery lag mixes the lag of recent deliveries with the age of work still waiting, so the
 * gauge climbs during an outage even though nothing is delivered.
 */
export class Sampler {
  private readonly active = new Set<string>();
  /** For a rule with a `for` that holds but has not fired yet: the time of the first sample that held. */
  private readonly pendingSince = new Map<string, number>();
  /** Scratch list the backlog's `age, schedules` pairs are read into at each sample. */
  private readonly ageGroupPairs: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly source: GaugeSource,
    private readonly rules: readonly AlertRule[],
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.sim.after(this.intervalMs, () => this.tick(), null);
  }

  private tick(): void {
    const sample = this.sample();
    const seq = emitEvent(this.sim, "metrics.sampled", sample, null);
    for (const rule of this.rules) {
      const value = sample[rule.metric];
      const holds = compareOp(value, rule.op, rule.threshold);
      if (holds && !this.active.has(rule.name)) {
        const forMs = rule.forMs ?? 0;
        if (forMs > 0) {
          // Pending until it has held at every sample for `for`; a sample that does not hold
          // starts it again.
          const since = this.pendingSince.get(rule.name) ?? this.sim.now;
          this.pendingSince.set(rule.name, since);
          if (this.sim.now - since < forMs) continue;
          this.pendingSince.delete(rule.name);
        }
        this.active.add(rule.name);
        const fired = { rule: rule.name, metric: rule.metric, value, threshold: rule.threshold };
        emitEvent(this.sim, "alert.fired", forMs > 0 ? { ...fired, forMs } : fired, seq);
      } else if (!holds) {
        this.pendingSince.delete(rule.name);
        if (!this.active.delete(rule.name)) continue;
        emitEvent(this.sim, "alert.resolved", { rule: rule.name, metric: rule.metric, value }, seq);
      }
    }
    this.sim.after(this.intervalMs, () => this.tick(), null);
  }

  sample(): Sample {
    const now = this.sim.now;
    // From the array at once, not through `from`'s iteration: a quarter of the time, at every sample.
    const lags = new Float64Array(this.source.takeDeliveryLags()).sort();
    const pairs = this.ageGroupPairs;
    pairs.length = 0;
    const dueBacklog = this.source.dueBacklog(pairs);
    const schedules = sortAgeGroups(pairs);
    // Lags are clamped at 0 (an early delivery, from a worker whose clock is ahead, is not late)
    // and ages are of work due by now: neither is negative.
    invariant(lags.length === 0 || lags[0] >= 0, () => `negative delivery lag ${lags[0]} ms`);
    invariant(pairs.length === 0 || pairs[0] >= 0, () => `due work aged ${pairs[0]} ms`);
    invariant(dueBacklog === schedules, () => `due backlog ${dueBacklog} but ${schedules} schedules aged`);
    return {
      workersUp: this.source.workersUp(),
      workersCrashLooping: this.source.workersCrashLooping(),
      crashesLastMinute: this.source.crashesSince(now - 60_000),
      dueBacklog,
      lagP50Ms: lagPercentile(lags, pairs, schedules, 0.5),
      lagP99Ms: lagPercentile(lags, pairs, schedules, 0.99),
    };
  }
}

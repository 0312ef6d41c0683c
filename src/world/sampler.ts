import { invariant, type Simulation } from "../kernel/index.js";
import { type AlertRule, compareOp, type SampledMetric } from "./config.js";
import { emitEvent } from "./emit.js";

export type Sample = { readonly [K in SampledMetric]: number };

/** Reads the gauges an on-call engineer would see. */
export interface GaugeSource {
  workersUp(): number;
  workersCrashLooping(): number;
  /** Crashes after `t` (not at it): the window (t, now], so a minute's window holds a crash in 6 samples at 10 s, not 7. */
  crashesSince(t: number): number;
  /** Due but uncommitted work: its count, and pushes each one's age onto `ages`. */
  dueBacklog(ages: number[]): number;
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
    const lags = this.source.takeDeliveryLags();
    const dueBacklog = this.source.dueBacklog(lags);
    const sorted = Float64Array.from(lags).sort();
    // Lags are clamped at 0 (an early delivery, from a worker whose clock is ahead, is not late)
    // and ages are of work due by now: neither is negative.
    invariant(sorted.length === 0 || sorted[0] >= 0, () => `negative delivery lag ${sorted[0]} ms`);
    invariant(dueBacklog >= 0 && dueBacklog <= lags.length, "due backlog does not match its ages");
    return {
      workersUp: this.source.workersUp(),
      workersCrashLooping: this.source.workersCrashLooping(),
      crashesLastMinute: this.source.crashesSince(now - 60_000),
      dueBacklog,
      lagP50Ms: percentile(sorted, 0.5),
      lagP99Ms: percentile(sorted, 0.99),
    };
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]);
}

import type { FaultPoint } from "./runtime.js";

/** An injected panic at a named fault point (BUGGIFY): fires `remaining` more times. */
export interface PanicRule {
  readonly point: FaultPoint;
  readonly schedule?: string;
  readonly account?: string;
  /** Probability in [0, 1] that a matching task panics when it reaches the point. */
  readonly probability: number;
  remaining: number;
  /** Seq of the `operator.action` that armed the rule. */
  readonly armed: number;
}

/** A task of `schedule` that never returns (or not for `durationMs`). */
export interface HangRule {
  readonly schedule: string;
  readonly durationMs: number;
  remaining: number;
  /** Seq of the `operator.action` that armed the rule. */
  readonly armed: number;
}

/**
 * Faults that acted, by kind: `acts` how often (an armed panic counts each panic it threw),
 * `faults` how many faults (each armed rule once, known by the seq of the action that armed it;
 * a fault without one is one fault each time it acts). The world counts them as they act, and a
 * report read from a trace counts its `fault.injected` events alike.
 */
export class FiredFaults {
  readonly acts = new Map<string, number>();
  readonly faults = new Map<string, number>();
  /** The arming actions (their seqs) of the armed rules that have acted. */
  private readonly armedFired = new Set<number>();

  /** Counts an act of a fault of kind `kind`; returns the kind's acts so far. */
  add(kind: string, armed?: number): number {
    const n = (this.acts.get(kind) ?? 0) + 1;
    this.acts.set(kind, n);
    if (armed === undefined || !this.armedFired.has(armed)) {
      if (armed !== undefined) this.armedFired.add(armed);
      this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
    }
    return n;
  }
}

/** The HTTP faults aimed at one account's destination, active now (see `ChaosState.accountHttp`). */
export interface AccountHttpFaults {
  /** The highest rate of its `http-errors` windows, and the status of the latest to start. */
  readonly errorRate: number;
  readonly errorStatus: number;
  /** The highest rate of its `http-timeouts` windows. */
  readonly timeoutRate: number;
}

/**
 * The chaos knobs the world consults: set and cleared by the fault verbs in `src/faults/`.
 * `probes` counts how often each fault point was reached, `fired` which faults actually acted
 * (`FiredFaults`) and `skipped` how often one came due with nothing to act on, so a report can
 * say which faults really happened.
 */
export class ChaosState {
  storeExtraLatencyMs = 0;
  storeOutage = false;
  httpErrorRate = 0;
  httpErrorStatus = 503;
  httpTimeoutRate = 0;
  /**
   * By account, the HTTP faults aimed at its destination alone (an `account` given): its
   * deliveries fail at the higher of their rates and of the fleet-wide ones above. Empty in most
   * worlds, which then look nothing up.
   */
  readonly accountHttp = new Map<string, AccountHttpFaults>();
  readonly panicRules: PanicRule[] = [];
  readonly hangRules: HangRule[] = [];
  readonly clockSkewMs = new Map<string, number>();
  readonly probes = new Map<string, number>();
  readonly fired = new FiredFaults();
  readonly skipped = new Map<string, number>();

  probe(name: string): number {
    const n = (this.probes.get(name) ?? 0) + 1;
    this.probes.set(name, n);
    return n;
  }

  /** Counts an act of a fault of kind `name`; `armed`, for an armed rule's, the seq that armed it. */
  fire(name: string, armed?: number): number {
    return this.fired.add(name, armed);
  }

  skip(name: string): void {
    this.skipped.set(name, (this.skipped.get(name) ?? 0) + 1);
  }

  get taskRulesActive(): boolean {
    return this.panicRules.length > 0 || this.hangRules.length > 0;
  }
}

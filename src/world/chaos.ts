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

/**
 * An HTTP fault's window (`http-errors`, `http-timeouts`), open from when it came due to `endMs`.
 * Each open window is a fault of its own: a send it covers (every account's, or its `account`'s
 * alone) draws once for it, in the order the windows opened, and the first that strikes answers
 * the send (`httpStrike`).
 */
export interface HttpWindow {
  readonly fault: "http-errors" | "http-timeouts";
  /** Probability in [0, 1] that a send it covers fails by it. */
  readonly rate: number;
  /** The status it answers with (`http-errors`); 0 for `http-timeouts` (no answer in time). */
  readonly status: number;
  readonly account: string | undefined;
  readonly endMs: number;
  /** Seq of the `operator.action` that opened (armed) it. */
  readonly armed: number;
  /** Sends it covered so far, and how many of them it drew for (the rest an earlier fault failed). */
  covered: number;
  drawn: number;
  /** Seq of its `fault.injected`, traced when it first failed a send; null until then. */
  injected: number | null;
}

/** What an HTTP fault does, in its trace `detail`: `50% of deliveries of account acct-7 answer 503 for 60000 ms`. */
export function httpFaultDetail(
  w: Pick<HttpWindow, "fault" | "rate" | "status" | "account">,
  durationMs: number,
): string {
  const whose = w.account === undefined ? "deliveries" : `deliveries of account ${w.account}`;
  // `why` reads the status from these words (`answer 503 for`): the event has no field for it.
  const what = w.fault === "http-errors" ? `answer ${w.status}` : "time out";
  return `${percentText(w.rate)} of ${whose} ${what} for ${durationMs} ms`;
}

/**
 * A rate as a percentage, to the precision it was written with (`0.001` is `0.1%`, never `0%`;
 * `0.5` is `50%`), up to four decimals of a percent.
 */
export function percentText(rate: number): string {
  return `${Number((rate * 100).toFixed(4))}%`;
}

/**
 * The HTTP fault that fails a send to `account`'s destination now, or null: each open window that
 * covers it draws (`draw`, one number in [0, 1) each) in the order the windows opened, and the
 * first whose draw falls under its rate strikes; the windows after it do not draw (each counts
 * the send as covered, for the reason a fault that never fired gives).
 */
export function httpStrike(
  windows: readonly HttpWindow[],
  account: string,
  draw: () => number,
): HttpWindow | null {
  let struck: HttpWindow | null = null;
  for (const w of windows) {
    if (w.account !== undefined && w.account !== account) continue;
    w.covered++;
    if (struck !== null) continue;
    w.drawn++;
    if (draw() < w.rate) struck = w;
  }
  return struck;
}

/**
 * The chaos knobs the world consults: set and cleared by the fault verbs in `src/faults/`.
 * `probes` counts, by fault point, how often a task reached it while an injected panic or hang
 * was armed (a rule with acts left, matching the task or not), `fired` which faults actually acted
 * (`FiredFaults`) and `skipped` how often one came due with nothing to act on, so a report can
 * say which faults really happened.
 */
export class ChaosState {
  storeExtraLatencyMs = 0;
  storeOutage = false;
  /** The HTTP faults' windows open now, in the order they opened (see `httpStrike`). */
  readonly httpWindows: HttpWindow[] = [];
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

  /**
   * One more act of an armed rule: a rule with none left leaves its list, so that once every
   * rule is spent the fault points are reached unarmed (`taskRulesActive`), and not counted.
   */
  spend<R extends { remaining: number }>(rules: R[], rule: R): void {
    rule.remaining--;
    if (rule.remaining > 0) return;
    const i = rules.indexOf(rule);
    if (i >= 0) rules.splice(i, 1);
  }

  /** Whether an injected panic or hang is armed: only then are fault points reached (`probes`). */
  get taskRulesActive(): boolean {
    return this.panicRules.length > 0 || this.hangRules.length > 0;
  }
}

import { parseDuration } from "../../scenario/duration.js";

/** What timeline and fault genes are resolved against: the world they will act on. */
export interface WorldContext {
  /** Length of the run, in whole seconds. */
  readonly durationS: number;
  /** Workers at the start (`w1` ... `wN`). */
  readonly workers: number;
  /** Largest fleet the timeline may scale to. */
  readonly workersMax: number;
  /** Named account ids, in order. */
  readonly namedAccounts: readonly string[];
  /** Named schedule ids, in order (every account's schedules, account by account). */
  readonly namedSchedules: readonly string[];
  /** The account of each named schedule, by schedule id. */
  readonly namedScheduleAccounts: ReadonlyMap<string, string>;
  /** Generated accounts (`acct-00001`, ...). */
  readonly accounts: number;
}

/** The id of the `i`-th generated account (1-based), as the world names it. */
export function generatedAccountId(i: number): string {
  return `acct-${String(i).padStart(5, "0")}`;
}

/**
 * The fleet as a generated timeline changes it, numbered as the world numbers it: from w1, a
 * scale-up adding new numbers, a scale-down removing the highest-numbered workers still there.
 */
export class FleetReplay {
  private active: number[];
  private next: number;

  constructor(workers: number) {
    this.active = Array.from({ length: workers }, (_, i) => i + 1);
    this.next = workers + 1;
  }

  scale(workers: number): void {
    while (this.active.length < workers) this.active.push(this.next++);
    this.active = this.active.slice(0, workers);
  }

  /** `random`, or the `index`-th worker in the fleet now (wrapping); null when the fleet is empty. */
  workerRef(index: number, random: boolean): string | null {
    if (random) return "random";
    const n = pick(this.active, index);
    return n === undefined ? null : `w${n}`;
  }
}

/**
 * The fleet a fault at `atS` seconds from the start acts on: the start's, changed by the
 * timeline's `scale` actions before that second (at one time, the run performs the faults first).
 */
export function fleetAt(ctx: WorldContext, timeline: readonly TimelineEntryLike[], atS: number): FleetReplay {
  const fleet = new FleetReplay(ctx.workers);
  const scales = timeline
    .map((e, index) => ({ e, index, s: offsetSeconds(e.at) }))
    .filter((x) => x.e.action === "scale" && x.s < atS)
    .sort((a, b) => a.s - b.s || a.index - b.index);
  for (const { e } of scales) fleet.scale(e.workers ?? 0);
  return fleet;
}

/** What `fleetAt` reads of a timeline entry. */
export interface TimelineEntryLike {
  readonly at: string;
  readonly action: string;
  readonly workers?: number;
  /** The account a `delete-account` (or another account action) names. */
  readonly account?: string;
  /** The schedule a schedule action names, and whether a `pause-schedule` pauses or resumes it. */
  readonly schedule?: string;
  readonly paused?: boolean;
}

/** `"+1m30s"` → 90: the seconds of an offset the generators wrote (see `offset`). */
export function offsetSeconds(at: string): number {
  const parsed = parseDuration(at.slice(1));
  return parsed.ok ? Math.floor(parsed.ms / 1000) : 0;
}

/** An offset in seconds: `permille` thousandths of the active part of the run. */
export function activeOffsetS(ctx: WorldContext, activeFraction: number, permille: number): number {
  const activeS = Math.floor(ctx.durationS * Math.min(1, Math.max(0, activeFraction)));
  return Math.min(ctx.durationS, Math.floor((activeS * permille) / 1000));
}

/** The `index`-th item of a list, wrapping around; undefined for an empty list. */
export function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

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
  /** Generated accounts (`acct-00001`, ...). */
  readonly accounts: number;
}

/** The id of the `i`-th generated account (1-based), as the world names it. */
export function generatedAccountId(i: number): string {
  return `acct-${String(i).padStart(5, "0")}`;
}

/** A worker reference: `random`, or one of the workers at the start. */
export function workerRef(ctx: WorldContext, index: number, random: boolean): string {
  return random ? "random" : `w${1 + (index % Math.max(1, ctx.workers))}`;
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

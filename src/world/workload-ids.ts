import { RandomStreams, type Rng } from "../kernel/index.js";

/**
 * The ids the world gives the accounts and schedules it generates (`acct-00001`,
 * `sched-000001`), in one place so that the scenario checker can tell a generated id from a
 * typo by the same rule the world uses to make them.
 */

/** The id of the `n`-th generated account (1-based). */
export function generatedAccountId(n: number): string {
  return `acct-${String(n).padStart(5, "0")}`;
}

/** The id of the `n`-th generated schedule (1-based, counted over all generated accounts). */
export function generatedScheduleId(n: number): string {
  return `sched-${String(n).padStart(6, "0")}`;
}

/**
 * The number `n` of a generated account id, or null when `id` is not one: `acct-7` and
 * `acct-000007` are not ids the world makes, only `acct-00007` is.
 */
export function generatedAccountNumber(id: string): number | null {
  return numberOf(id, /^acct-(\d+)$/, generatedAccountId);
}

/** The number `n` of a generated schedule id, or null when `id` is not one. */
export function generatedScheduleNumber(id: string): number | null {
  return numberOf(id, /^sched-(\d+)$/, generatedScheduleId);
}

function numberOf(id: string, pattern: RegExp, idOf: (n: number) => string): number | null {
  const match = pattern.exec(id);
  if (match === null) return null;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n >= 1 && idOf(n) === id ? n : null;
}

/** What the world draws its generated workload from. */
export interface GeneratedWorkloadShape {
  readonly accounts: number;
  readonly schedulesPerAccount: { readonly min: number; readonly max: number };
  /** Weights of the cron expressions a generated schedule is drawn from. */
  readonly cronWeights: readonly number[];
}

/** A generated account and its schedules, each with the index of its cron expression. */
export interface GeneratedAccount {
  readonly account: string;
  readonly schedules: readonly { readonly id: string; readonly cronIndex: number }[];
}

/**
 * The generated accounts and their schedules, drawn from `rng` in the order the world draws
 * them. The world builds its store from this, and the scenario checker counts the schedules a
 * seed generates with it, so the two can never disagree on which ids exist.
 */
export function* generatedWorkload(w: GeneratedWorkloadShape, rng: Rng): Generator<GeneratedAccount> {
  const indices = w.cronWeights.map((_, i) => i);
  let scheduleNumber = 0;
  for (let i = 1; i <= w.accounts; i++) {
    const count = rng.int(w.schedulesPerAccount.min, w.schedulesPerAccount.max);
    const schedules: { id: string; cronIndex: number }[] = [];
    for (let k = 0; k < count; k++) {
      scheduleNumber++;
      schedules.push({
        id: generatedScheduleId(scheduleNumber),
        cronIndex: rng.pickWeighted(indices, w.cronWeights),
      });
    }
    yield { account: generatedAccountId(i), schedules };
  }
}

/** How many schedules the world generates with master seed `seed`. */
export function generatedScheduleCount(w: GeneratedWorkloadShape, seed: number): number {
  let count = 0;
  for (const account of generatedWorkload(w, new RandomStreams(seed).stream(WORKLOAD_STREAM)))
    count += account.schedules.length;
  return count;
}

/** The random stream the generated workload is drawn from. */
export const WORKLOAD_STREAM = "workload";

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

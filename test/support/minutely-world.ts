/**
 * The text of a small scenario whose schedules all fire every minute, on the fixed v2: for tests
 * that watch what a fleet does with a steady load (a stall, a scale). `rest` is YAML appended
 * as written (a timeline, faults, alerts).
 */
export function minutelyWorld(o: {
  readonly name: string;
  readonly seed: number;
  readonly start: string;
  readonly accounts: number;
  readonly schedulesPerAccount: { readonly min: number; readonly max: number };
  readonly rest?: string;
}): string {
  return `
name: ${o.name}
description: ${o.name}, on schedules that fire every minute
seed: ${o.seed}
start: ${o.start}
duration: 20m
fleet: { workers: 3, partitions: 12 }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: ${o.accounts}
  schedulesPerAccount: { min: ${o.schedulesPerAccount.min}, max: ${o.schedulesPerAccount.max} }
  cron: [{ expr: "* * * * *", weight: 1 }]
${o.rest ?? ""}`;
}

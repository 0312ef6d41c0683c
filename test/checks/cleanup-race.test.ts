// A cleanup racing its account's re-creation: the task reads the account deleted, the user creates
// it again before the cleanup commits. The bundled schedulers did what the user meant then, and no
// property may hold it against them (only a cleanup of an account never deleted is wrong).
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { CollectSink } from "../../src/kernel/index.js";

const RACE = `
name: cleanup-race
description: an account deleted and created again while a cleanup of its schedules is in flight
seed: 1
start: 2026-05-08T09:30:00Z
duration: 15m
fleet: { workers: 2, partitions: 4 }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 5
  named:
    - id: acct-r
      schedules:
        - { id: sched-r1, cron: "* * * * *" }
        - { id: sched-r2, cron: "*/2 * * * *" }
timeline:
  - { at: "09:30:59", action: delete-account, account: acct-r }
  - { at: "09:31:05", action: create-account, account: acct-r }
faults:
  - { at: "09:30:58", fault: store-latency, duration: 30s, latency: 2s }
slo: 2m
`;

describe("a cleanup racing its account's re-creation", () => {
  for (const variant of ["fixed", "v1"]) {
    it(`is no wrongful deletion (${variant})`, () => {
      const sink = new CollectSink();
      const { report } = runScenario(RACE, { variant, sinks: [sink] });
      // The race happens: a cleanup's deletion commits after the account's creation again.
      const created = sink.events.find((e) => e.type === "account.created" && e.account === "acct-r");
      const cleanups = sink.events.filter(
        (e) => e.type === "schedule.deleted" && e.by === "cleanup" && e.seq > created!.seq,
      );
      expect(cleanups.length).toBeGreaterThan(0);
      expect(report.verdicts.filter((v) => !v.ok).map((v) => v.property)).toEqual([]);
    });
  }
});

// Shows that a recovered panic names the lease token its goroutine claimed the task under: a worker paused with a poison task in its back-off loses the lease, takes the partition back and claims the task again, and the two goroutines' panics name the old token and the new one.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { eventsOf, ONE_TASK_WORKLOAD } from "./helpers.js";

const retakenWorld = `name: retaken-twice
description: w1 is paused with a poison task in its back-off, loses the lease, takes it back and claims the task again.
seed: 1
start: 2026-05-08T09:40:00Z
duration: 15m
fleet:
  workers: 1
  partitions: 1
  leaseTtl: 30s
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
${ONE_TASK_WORKLOAD}faults:
  - { at: "09:44:00", fault: inject-panic, point: before-delivery, schedule: sched-t, count: 400 }
  - { at: "09:45:00.500", fault: pause-worker, worker: w1, duration: 60s }
`;

describe("panic.recovered", () => {
  it("names the lease token its goroutine claimed the task under, the old one after the worker took the partition back", () => {
    const events: TraceEvent[] = [];
    runScenario(retakenWorld, { sinks: [{ onEvent: (e) => events.push(e) }] });
    const grants = eventsOf(events, "lease.acquired");
    expect(grants.map((g) => [g.worker, g.token])).toEqual([
      ["w1", 1],
      ["w1", 2],
    ]);
    const retakenSeq = events.find((e) => e.type === "lease.acquired" && e.token === 2)!.seq;
    const panics = eventsOf(events, "panic.recovered").map((p) => ({
      token: p.token,
      after: p.seq > retakenSeq,
    }));
    // The first goroutine panics under token 1 before and after the retake; the second, claimed
    // under token 2, panics until its third panic quarantines the task.
    expect(panics).toEqual([
      { token: 1, after: false },
      { token: 1, after: true },
      { token: 1, after: true },
      { token: 2, after: true },
      { token: 2, after: true },
      { token: 2, after: true },
    ]);
  });
});

// Small scenario documents for the explore and fault tests, and a runner that keeps the trace.

import { compileDocument, type ScenarioDocument } from "../../src/explore/generate/document.js";
import { earlyReturnWithPanics, sized, TEST_SIZED } from "../../src/explore/generate/index.js";
import { runWorld } from "../../src/explore/run.js";
import type { RunPlan } from "../../src/explore/run-one.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import type { RunReport } from "../../src/report/run-report.js";
import { applyVariant } from "../../src/scenario/compile.js";
import type { VariantName } from "../../src/scenario/variants.js";

export const START_MS = Date.UTC(2026, 4, 8, 9, 30, 0);
export const MINUTE_MS = 60_000;

/** A small world: 3 workers, 8 partitions, two named accounts with every-minute schedules. */
export function smallDocument(over: Partial<ScenarioDocument> = {}): ScenarioDocument {
  return {
    name: "small",
    description: "A small world for fault tests.",
    seed: 7,
    start: "2026-05-08T09:30:00Z",
    duration: "20m",
    fleet: {
      workers: 3,
      partitions: 8,
      leaseTtl: "15s",
      heartbeat: "3s",
      rebalanceInterval: "5s",
      startupTime: "5s",
      concurrency: 16,
      supervisor: { backoffInitial: "5s", backoffMax: "30s" },
    },
    scheduler: { version: "v2", fixes: ["early-return", "panic-recovery"] },
    workload: {
      accounts: 4,
      schedulesPerAccount: { min: 1, max: 2 },
      cron: [{ expr: "* * * * *", weight: 1 }],
      destination: { latency: "50ms", jitter: 0.2, failureRate: 0, timeout: "5s" },
      named: [
        {
          id: "acct-a",
          schedules: [
            { id: "sched-a1", cron: "* * * * *" },
            { id: "sched-a2", cron: "* * * * *" },
          ],
        },
        { id: "acct-b", schedules: [{ id: "sched-b1", cron: "* * * * *" }] },
      ],
    },
    ...over,
  };
}

/** Generated worlds where early-return alone cascades through injected panics; run 1 is the first to. */
export const EARLY_RETURN_PLAN: Extract<RunPlan, { mode: "generated" }> = {
  mode: "generated",
  variant: "early-return",
  properties: ["no-cascade"],
  constraints: sized(TEST_SIZED, earlyReturnWithPanics(), {
    durationMsMin: 10 * 60_000,
    durationMsMax: 15 * 60_000,
  }),
  seed: 2,
};

export interface TracedRun {
  readonly report: RunReport;
  readonly events: TraceEvent[];
}

/** Runs a document (as the named variant, if given) and keeps every event. */
export function runDocument(doc: ScenarioDocument, variant?: VariantName): TracedRun {
  const compiled = compileDocument(doc);
  if (!compiled.ok) throw new Error(`invalid test document: ${compiled.problems.join("; ")}`);
  const input = variant === undefined ? compiled.compiled : applyVariant(compiled.compiled, variant)!;
  const sink = new CollectSink();
  const { report } = runWorld(input, { sinks: [sink] });
  return { report, events: sink.events as TraceEvent[] };
}

/** Events of a type, optionally filtered. */
export function eventsOf(
  run: TracedRun,
  type: string,
  where: (e: TraceEvent) => boolean = () => true,
): TraceEvent[] {
  return run.events.filter((e) => e.type === type && where(e));
}

/** The time of an offset from the start of the small documents. */
export function at(minutes: number, seconds = 0): number {
  return START_MS + minutes * MINUTE_MS + seconds * 1000;
}

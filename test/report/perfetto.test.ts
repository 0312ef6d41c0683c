// Shows the Perfetto export is valid trace-event JSON: required fields, phases, matched B/E, one process per worker, bounded.
import { beforeAll, describe, expect, it } from "vitest";
import { runWorld } from "../../src/explore/run.js";
import { CounterSink } from "../../src/kernel/index.js";
import { PERFETTO_SIGNATURE, PerfettoTraceBuilder, TraceEventDocument } from "../../src/report/perfetto.js";
import type { RunReport } from "../../src/report/run-report.js";
import { smallWorldConfig } from "../world/helpers.js";
import { processNames, type TraceEventFile, traceEventProblems } from "./trace-event-format.js";

interface Exported {
  text: string;
  doc: TraceEventFile;
  report: RunReport;
  counts: CounterSink;
  /** Sends of a retry (`delivery.sent` with an attempt after the first): each a task of its own. */
  retrySends: number;
  dropped: number;
}

function exportRun(fixes: string[], eventsMax?: number, failureRate = 0): Exported {
  const chunks: string[] = [];
  const document = new TraceEventDocument((t) => chunks.push(t), {
    scenario: "small-may8",
    seed: 1,
    start: "2026-05-08T09:30:00.000Z",
    variants: ["buggy"],
    generator: "aftershock test",
  });
  const builder = new PerfettoTraceBuilder((json) => document.add(json), { eventsMax });
  const counts = new CounterSink();
  let retrySends = 0;
  const retries = {
    onEvent: (e: { type: string; attempt?: unknown }) => {
      if (e.type === "delivery.sent" && Number(e.attempt) > 0) retrySends++;
    },
  };
  const { report } = runWorld(
    { config: smallWorldConfig({ fixes, durationMs: 15 * 60_000, destination: { failureRate } }) },
    { sinks: [builder, counts, retries] },
  );
  document.end();
  const text = chunks.join("");
  return {
    text,
    doc: JSON.parse(text) as TraceEventFile,
    report,
    counts,
    retrySends,
    dropped: builder.summary().dropped,
  };
}

describe("Perfetto trace-event export", () => {
  let buggy: Exported;
  beforeAll(() => {
    buggy = exportRun([]);
  });

  it("is one JSON document that says what wrote it in its first bytes", () => {
    expect(buggy.text).toMatch(PERFETTO_SIGNATURE);
    expect(buggy.doc.displayTimeUnit).toBe("ms");
    expect(buggy.doc.otherData).toMatchObject({ scenario: "small-may8", seed: 1 });
  });

  it("validates against the trace-event format", () => {
    expect(traceEventProblems(buggy.doc)).toEqual([]);
    const phases = new Set(buggy.doc.traceEvents.map((e) => e.ph));
    for (const ph of ["M", "B", "E", "X", "i", "C"]) expect(phases).toContain(ph);
  });

  it("has one process per worker, named, plus the fleet", () => {
    const names = [...processNames(buggy.doc).values()];
    const workers = buggy.report.lanes.map((l) => l.worker);
    expect(workers.length).toBe(4);
    expect(names.filter((n) => n !== "fleet").sort()).toEqual([...workers].sort());
    expect(names).toContain("fleet");
    // Every worker event sits in a named process.
    const pids = new Set(processNames(buggy.doc).keys());
    expect(buggy.doc.traceEvents.every((e) => pids.has(e.pid))).toBe(true);
  });

  it("has a task slice per fired task, a crash instant per crash, and counters per sample", () => {
    const events = buggy.doc.traceEvents;
    expect(buggy.report.metrics.crashes).toBeGreaterThan(1);
    const crashes = events.filter((e) => e.ph === "i" && e.name.startsWith("crash"));
    expect(crashes).toHaveLength(buggy.report.metrics.crashes);
    const tasks = events.filter((e) => e.ph === "X" && e.cat === "task");
    expect(tasks).toHaveLength(buggy.counts.count("schedule.fired"));
    const crashed = tasks.filter((e) => String(e.args?.outcome).startsWith("crashed the process"));
    expect(crashed.length).toBe(buggy.report.metrics.panicDeaths);
    const workerCounters = events.filter((e) => e.ph === "C" && e.name === "workers");
    expect(workerCounters).toHaveLength(buggy.counts.count("metrics.sampled"));
    expect(events.some((e) => e.ph === "i" && e.name.startsWith("alert"))).toBe(true);
    expect(events.some((e) => e.ph === "B" && e.name.startsWith("back-off"))).toBe(true);
  });

  it("stays valid when the cap drops events, and drops task slices alone: the incident is whole", () => {
    const capped = exportRun([], 300);
    expect(capped.dropped).toBeGreaterThan(0);
    expect(traceEventProblems(capped.doc)).toEqual([]);
    const tasks = (doc: Exported["doc"]) => doc.traceEvents.filter((e) => e.ph === "X");
    expect(tasks(capped.doc)).toHaveLength(300);
    // Every crash, alert, counter and lifecycle slice of the whole run is still there, as uncapped.
    const rest = (doc: Exported["doc"]) => doc.traceEvents.filter((e) => e.ph !== "X");
    expect(rest(capped.doc)).toEqual(rest(buggy.doc));
    expect(rest(buggy.doc).filter((e) => e.ph === "i" && e.name.startsWith("crash")).length).toBeGreaterThan(
      0,
    );
  });

  it("the format checker itself catches an unmatched B, a stray E and overlapping slices", () => {
    const events = buggy.doc.traceEvents;
    const firstE = events.findIndex((e) => e.ph === "E");
    const withoutE = { traceEvents: events.filter((_, i) => i !== firstE) };
    expect(traceEventProblems(withoutE).join("\n")).toMatch(/B without an E/);
    const x = events.find((e) => e.ph === "X")!;
    const overlapping = { traceEvents: [...events, { ...x, ts: x.ts + 1 }] };
    expect(traceEventProblems(overlapping).join("\n")).toMatch(/overlap/);
    const stray = { traceEvents: [{ name: "serving", ph: "E", ts: 1, pid: 1, tid: 0 }] };
    expect(traceEventProblems(stray)).toHaveLength(1);
  });

  it("draws a retry as a slice of its own, and says a failed delivery in its attempt's outcome", () => {
    const flaky = exportRun(["early-return", "panic-recovery"], undefined, 0.2);
    expect(traceEventProblems(flaky.doc)).toEqual([]);
    const tasks = flaky.doc.traceEvents.filter((e) => e.ph === "X" && e.cat === "task");
    const retries = tasks.filter((e) => / retry \d+$/.test(e.name));
    const failed = tasks.filter((e) => String(e.args?.delivery).startsWith("delivery failed: "));
    // Every retry sent has its slice, beside one per fire.
    expect(flaky.retrySends).toBeGreaterThan(0);
    expect(retries).toHaveLength(flaky.retrySends);
    expect(tasks).toHaveLength(flaky.counts.count("schedule.fired") + flaky.retrySends);
    expect(failed.length).toBe(flaky.counts.count("delivery.failed"));
    expect(failed.some((e) => String(e.args?.delivery).endsWith(", retried later"))).toBe(true);
    expect(failed.every((e) => e.args?.outcome === "committed")).toBe(true);
  });

  it("names a comparison's variant in an instant drawn across every process, as in its process names", () => {
    const events: { name: string; ph: string; s?: string }[] = [];
    const builder = new PerfettoTraceBuilder((json) => events.push(JSON.parse(json)), {
      run: 0,
      label: "buggy",
    });
    runWorld({ config: smallWorldConfig({ durationMs: 15 * 60_000 }) }, { sinks: [builder] });
    const global = events.filter((e) => e.ph === "i" && e.s === "g");
    expect(global.map((e) => e.name)).toContain("buggy · alert worker-crash-rate fired");
    expect(global.filter((e) => !e.name.startsWith("buggy · "))).toEqual([]);
  });

  it("shows the fixed scheduler's run without crashes", () => {
    const fixed = exportRun(["early-return", "panic-recovery"]);
    expect(traceEventProblems(fixed.doc)).toEqual([]);
    expect(fixed.doc.traceEvents.filter((e) => e.ph === "i" && e.name.startsWith("crash"))).toHaveLength(0);
  });
});

// Shows that the facilitator's notes on the chapters (docs/training.md) state what today's May 8 replay gives: the last worker to die first, the crash-rate alert's flapping and the recovery.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import type { RunReport } from "../../src/report/run-report.js";
import { BUNDLED } from "../train/helpers.js";

const GUIDE = readFileSync(join(import.meta.dirname, "..", "..", "docs", "training.md"), "utf8");

let events: TraceEvent[] = [];
let report: RunReport;

beforeAll(() => {
  const sink = new CollectSink();
  report = runScenario(readFileSync(BUNDLED, "utf8"), { variant: "buggy", sinks: [sink] }).report;
  events = sink.events;
}, 60_000);

/** The time of day of a trace time, to the second, as the guide writes it. */
const clock = (t: number): string => new Date(t).toISOString().slice(11, 19);

/** The guide's words matching `pattern` (whitespace in it matches any, line breaks included). */
function claim(pattern: string): string[] {
  const m = new RegExp(pattern.replaceAll(" ", "\\s+")).exec(GUIDE);
  expect(m, `the guide says ${pattern}`).not.toBeNull();
  return m!.slice(1);
}

describe("the training guide's chapter notes", () => {
  it("name the last worker to die for the first time, and when (chapter 4)", () => {
    const [worker, at] = claim("\\((w\\d), the last one, first at (\\d\\d:\\d\\d:\\d\\d):");
    const first = new Map<unknown, number>();
    for (const e of events) if (e.type === "worker.crashed" && !first.has(e.worker)) first.set(e.worker, e.t);
    expect(first.size).toBe(8);
    const [lastWorker, lastAt] = [...first].reduce((a, b) => (b[1] > a[1] ? b : a));
    expect([worker, at]).toEqual([lastWorker, clock(lastAt)]);
    expect(GUIDE).toContain(`\`logs ${worker}\` its`);
  });

  it("say when the crash-rate alert last fired and resolved before chapter 4, and how many were up", () => {
    const [fired, resolved, up] = claim(
      "alert fired again at (\\d\\d:\\d\\d:\\d\\d) and resolved at (\\d\\d:\\d\\d:\\d\\d), with (\\d) of 8 workers up",
    );
    const chapter4 = Date.parse("2026-05-08T09:53:00Z");
    const before = events.filter((e) => e.type.startsWith("alert.") && e.t <= chapter4);
    expect(clock(before.findLast((e) => e.type === "alert.fired")!.t)).toBe(fired);
    expect(clock(before.at(-1)!.t)).toBe(resolved);
    expect(before.at(-1)!.type).toBe("alert.resolved");
    const sampled = events.findLast((e) => e.type === "metrics.sampled" && e.t <= chapter4)!;
    expect(String(sampled.workersUp)).toBe(up);
  });

  it("count the alert's flaps and say since when it has been quiet (chapter 5)", () => {
    const [times, from, quiet] = claim(
      "it fired and resolved (\\d+) times from (\\d\\d:\\d\\d:\\d\\d)\\) and has been quiet since (\\d\\d:\\d\\d:\\d\\d)",
    );
    const alerts = events.filter((e) => e.type.startsWith("alert."));
    const fired = alerts.filter((e) => e.type === "alert.fired");
    expect(String(fired.length)).toBe(times);
    expect(alerts.filter((e) => e.type === "alert.resolved")).toHaveLength(fired.length);
    expect(clock(fired[0].t)).toBe(from);
    expect(clock(alerts.at(-1)!.t)).toBe(quiet);
  });

  it("give the run's recoveredAt (chapter 6)", () => {
    const [since] = claim("once the fix deploy is done, at (\\d\\d:\\d\\d:\\d\\d)");
    expect(report.metrics.recoveredAt?.slice(11, 19)).toBe(since);
  });

  it("count the original's duplicate deliveries (chapter 6)", () => {
    const [count] = claim("`score`: (\\d+) duplicates on the original");
    expect(String(report.metrics.deliveries.duplicate)).toBe(count);
  });
});

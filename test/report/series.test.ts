// Shows the SeriesRecorder keeps the dashboards' series bounded, keeps spikes when it downsamples, and lands in the RunReport.
import { describe, expect, it } from "vitest";
import { SeriesRecorder } from "../../src/checks/series.js";
import { runWorld } from "../../src/explore/run.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { smallWorldConfig } from "../world/helpers.js";

function sample(seq: number, t: number, fields: Partial<Record<string, number>> = {}): TraceEvent {
  return {
    t,
    seq,
    type: "metrics.sampled",
    cause: null,
    workersUp: 4,
    workersCrashLooping: 0,
    crashesLastMinute: 0,
    dueBacklog: 0,
    lagP50Ms: 100,
    lagP99Ms: 200,
    ...fields,
  };
}

function feed(recorder: SeriesRecorder, samples: number, spikeAt = -1): void {
  recorder.onEvent({ t: 0, seq: 0, type: "run.started", cause: null, workers: 4 });
  for (let i = 0; i < samples; i++) {
    const spike = i === spikeAt;
    recorder.onEvent(
      sample(i + 1, i * 10_000, spike ? { lagP99Ms: 999_000, workersUp: 0, dueBacklog: 77 } : {}),
    );
  }
}

describe("SeriesRecorder", () => {
  it("keeps every sample while under the cap", () => {
    const r = new SeriesRecorder(600);
    feed(r, 300);
    const s = r.finish();
    expect(s.t).toHaveLength(300);
    expect(s.samplesPerPoint).toBe(1);
    expect(s.samples).toBe(300);
    expect(s.fleet.every((n) => n === 4)).toBe(true);
    expect(s.t[1] - s.t[0]).toBe(10_000);
  });

  it("never holds more than the cap, however long the run, and keeps a one-sample spike", () => {
    const r = new SeriesRecorder(50);
    feed(r, 10_001, 7_777);
    const s = r.finish();
    expect(s.t.length).toBeLessThanOrEqual(50);
    expect(s.t.length).toBeGreaterThan(25);
    expect(s.samples).toBe(10_001);
    expect(s.samplesPerPoint).toBeGreaterThan(1);
    // The envelope: the worst value of a bucket survives every merge.
    expect(Math.max(...s.lagP99Ms)).toBe(999_000);
    expect(Math.min(...s.workersUp)).toBe(0);
    expect(Math.max(...s.dueBacklog)).toBe(77);
    // Columns stay aligned and in time order.
    for (const col of [s.fleet, s.workersUp, s.lagP50Ms, s.dueBacklog]) expect(col).toHaveLength(s.t.length);
    for (let i = 1; i < s.t.length; i++) expect(s.t[i]).toBeGreaterThan(s.t[i - 1]);
  });

  it("follows the fleet size through scaling", () => {
    const r = new SeriesRecorder();
    r.onEvent({ t: 0, seq: 0, type: "run.started", cause: null, workers: 3 });
    r.onEvent(sample(1, 10_000));
    r.onEvent({ t: 15_000, seq: 2, type: "fleet.scaled", cause: null, from: 3, to: 6 });
    r.onEvent(sample(3, 20_000));
    expect(r.finish().fleet).toEqual([3, 6]);
  });

  it("is part of the RunReport, identical for identical runs", () => {
    const config = smallWorldConfig({ durationMs: 8 * 60_000 });
    const a = runWorld({ config }).report;
    const b = runWorld({ config }).report;
    expect(a.series).toBeDefined();
    expect(a.series!.t.length).toBe(a.series!.samples);
    expect(a.series!.samples).toBeGreaterThan(40);
    expect(Math.max(...a.series!.workersUp)).toBe(4);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

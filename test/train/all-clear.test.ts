// Shows that "recovered" in a session means what it means in `run --json`, and that the session's
// own measure of when an incident was over has another name ("all clear") wherever it is shown;
// and that all clear reads each sample as the alert rules evaluated on it left the alerts.
import { describe, expect, it } from "vitest";
import { runWorld } from "../../src/explore/run.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { clockOf } from "../../src/kernel/index.js";
import { AllClearWatch, parseWhatIf, whatIfStepMs } from "../../src/train/index.js";
import { loadFixture, newSession, play } from "./helpers.js";

describe("all clear and recovered in a training session", () => {
  it("a fork's recovered is the recoveredAt of the same world run as a scenario", () => {
    const session = newSession();
    const [fork, compare, score] = play(session, [
      "next",
      "next",
      "what-if deploy fixed",
      "compare",
      "score",
    ]).slice(2);
    expect(fork.ok).toBe(true);
    const at = session.record().forks[0].at;
    // The same world as a scenario: the original's timeline plus the what-if at its moment.
    const { input } = loadFixture();
    const parsed = parseWhatIf("deploy fixed", whatIfStepMs(input.config.timeline));
    if (!parsed.ok) throw new Error(parsed.message);
    const atMs = Date.parse(at);
    const timeline = [...input.config.timeline, { ...parsed.action, atMs }].sort((a, b) => a.atMs - b.atMs);
    const report = runWorld({ ...input, config: { ...input.config, timeline } }).report;
    const original = runWorld(input).report;
    const expected = [original, report].map((r) => clockOf(Date.parse(r.metrics.recoveredAt!)));

    const recovered = /\n {2}recovered\s+(\S+)\s+(\S+)/.exec(compare.text);
    expect(recovered?.slice(1), compare.text).toEqual(expected);
    const outcome = session.record().forks[0].outcome!;
    expect(outcome.recoveredAt).toBe(report.metrics.recoveredAt);
    expect(outcome.lateDeliveries).toBe(report.metrics.deliveries.late);
    // The scenario's own 10:06 deploy brings the forked fleet no fix it lacked: recovered does not wait for it.
    expect(Date.parse(outcome.recoveredAt!)).toBeLessThan(Date.parse("2026-05-08T10:06:00Z"));
    const allClear = /all clear\s+(\d\d:\d\d:\d\d)\s+(\d\d:\d\d:\d\d)/.exec(compare.text);
    expect(allClear?.[2]).toBe(outcome.allClearAt!.slice(11, 19));
    // Score shows the session's measure under its own name, never as "recovered".
    expect(score.text).toContain("all clear");
    expect(score.text).not.toMatch(/\brecovered\b(?! ?At)/);
  });
});

describe("all clear from a trace written by hand", () => {
  const SLO = 60_000;
  let seq = 0;
  const event = (t: number, type: string, fields: Record<string, unknown> = {}): TraceEvent =>
    ({ t, seq: seq++, type, cause: null, ...fields }) as TraceEvent;
  const sample = (t: number, lagP99Ms: number, crashesLastMinute = 0) =>
    event(t, "metrics.sampled", { lagP99Ms, crashesLastMinute });
  const watched = (events: TraceEvent[]) => {
    const watch = new AllClearWatch(SLO);
    for (const e of events) watch.onEvent(e);
    return watch;
  };

  it("is the sample at which the last alert resolves, when that sample is good", () => {
    // The sampler traces its sample, then the rules evaluated on it resolve the alert, at the same instant.
    const watch = watched([
      sample(10_000, 0, 1),
      event(20_000, "alert.fired", { rule: "stall" }),
      sample(20_000, 90_000),
      sample(30_000, 0),
      event(30_000, "alert.resolved", { rule: "stall" }),
      sample(40_000, 0),
      sample(50_000, 0),
    ]);
    expect(watch.incidentStartMs).toBe(10_000);
    expect(watch.allClearAtMs).toBe(30_000);
  });

  it("is not a sample at which an alert fires, though its lag and crashes are good", () => {
    const watch = watched([
      sample(10_000, 0, 1),
      sample(20_000, 0),
      event(20_000, "alert.fired", { rule: "slow" }),
      sample(30_000, 0),
      event(30_000, "alert.resolved", { rule: "slow" }),
    ]);
    expect(watch.allClearAtMs).toBe(30_000);
  });

  it("counts the last sample of the trace, judged when asked", () => {
    const watch = watched([sample(10_000, 0, 1), sample(20_000, 120_000), sample(30_000, 0)]);
    expect(watch.allClearAtMs).toBe(30_000);
    expect(watched([sample(10_000, 0, 1)]).allClearAtMs).toBeNull();
  });
});

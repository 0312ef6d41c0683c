// Shows that the collector's state follows the number of schedules, not the number of events (~1M here).
import { describe, expect, it } from "vitest";
import { MESSAGES_FOLLOWED_MAX, MetricsCollector, RECENTLY_DELIVERED_MAX } from "../../src/checks/index.js";
import type { TraceEvent } from "../../src/kernel/trace.js";
import { at, MIN, T0 } from "./trace-builder.js";

const SCHEDULES = 10_000;
const MINUTES_ACKED = 100;
const HORIZON_MIN = 110;

/** An ack built as one literal: spreading a million objects would dominate the test's time. */
function ack(seq: number, t: number, i: number, due: number, attempt: number): TraceEvent {
  const schedule = `s${i}`;
  return {
    t,
    seq,
    type: "delivery.acked",
    cause: null,
    worker: "w1",
    schedule,
    account: `a${i % 1000}`,
    partition: i % 64,
    due,
    task: `${schedule}@${due}`,
    message: `${schedule}@${due}/m1`,
    attempt,
    status: 200,
  };
}

/** Streams the trace without keeping it: seq and time assigned as it goes. */
function* trace(): Generator<TraceEvent> {
  let seq = 0;
  const event = (t: number, type: string, fields: Record<string, string | number | null>): TraceEvent =>
    ({ t, seq: seq++, type, cause: null, ...fields }) as TraceEvent;
  yield event(T0, "run.started", { sloMs: MIN, horizon: at(HORIZON_MIN), scenario: "memory", seed: "1" });
  yield event(T0, "worker.ready", { worker: "w1", incarnation: 1 });
  for (let i = 0; i < SCHEDULES; i++) {
    yield event(T0, "schedule.created", {
      schedule: `s${i}`,
      account: `a${i % 1000}`,
      cron: "* * * * *",
      partition: i % 64,
      destination: "https://example.com",
      next: at(1),
    });
  }
  for (let m = 1; m <= MINUTES_ACKED; m++) {
    for (let i = 0; i < SCHEDULES; i++) {
      const kind = i % 100;
      if (kind === 0) continue; // never delivered: missed
      const due = kind === 1 ? at(m - 5) : at(m); // five minutes late, in order
      if (due < at(1)) continue;
      const t = at(m) + (i % 50) * 100;
      // Failed once at the destination, then delivered by its retry: the message ledger follows
      // its sends until the acknowledgement, then remembers it as delivered, within a bound.
      if (kind === 3) {
        yield { ...ack(seq++, t, i, due, 0), type: "delivery.sent", destination: "https://example.com" };
        yield { ...ack(seq++, t, i, due, 0), type: "delivery.failed", status: 503, retryAt: t };
        yield { ...ack(seq++, t, i, due, 1), type: "delivery.sent", destination: "https://example.com" };
      }
      // Sent, failed and given up without a dead letter (its account deleted during its retries):
      // the ledger holds it until it forgets it.
      if (kind === 4)
        yield { ...ack(seq++, t, i, due, 0), type: "delivery.sent", message: `${i}@${due}/given-up` };
      yield ack(seq++, t, i, due, kind === 3 ? 1 : 0);
      if (kind === 2) yield ack(seq++, t, i, due, 1);
    }
  }
}

describe("memory shape", () => {
  it("keeps per-schedule state bounded while a million acks (and ten thousand failures) stream through", () => {
    const collector = new MetricsCollector();
    let events = 0;
    let largest = 0;
    for (const e of trace()) {
      collector.onEvent(e);
      events++;
      if (events % 100_000 === 0) {
        const size = collector.stateSize();
        expect(size.schedules).toBe(SCHEDULES);
        // Per schedule: at most two dues inside a one-minute SLO window and one undelivered range.
        expect(size.openDues + size.lateRanges + size.aheadDues).toBeLessThanOrEqual(3 * SCHEDULES);
        // Dues by time: one key per minute of the run, never per due.
        expect(size.dueTimes).toBeLessThanOrEqual(2 * HORIZON_MIN);
        // no-missed-delivery: nothing removed, no disturbance, and no failure once its retry
        // was delivered (a hundred schedules fail every minute, each delivered at once after).
        expect(size.removals + size.failedFires + size.unsettledStretches).toBe(0);
        // Messages: the ones given up, and the ones acknowledged lately, each within its bound.
        expect(size.followedMessages).toBeGreaterThan(0);
        expect(size.followedMessages).toBeLessThanOrEqual(MESSAGES_FOLLOWED_MAX);
        expect(size.acknowledgedMessages).toBeGreaterThan(0);
        expect(size.acknowledgedMessages).toBeLessThanOrEqual(RECENTLY_DELIVERED_MAX);
        largest = Math.max(largest, size.total);
      }
    }
    expect(events).toBeGreaterThan(990_000);
    const { metrics } = collector.finish();
    // 10,000 schedules × dues :01..:109 (109 + 1 ≤ 110). Classes by i % 100: 0 never acked,
    // 1 acked five minutes late (dues :01..:95), 2 acked twice, the rest on time up to :100.
    expect(metrics.deliveries).toEqual({
      due: 1_090_000,
      onTime: 980_000,
      late: 9_500,
      missed: 100_500,
      duplicate: 10_000,
      early: 0,
      deadLettered: 0,
      unowed: 0,
      afterDeletion: 0,
    });
    expect(metrics.affectedAccounts).toBe(1000);
    expect(collector.stateSize().total).toBeLessThanOrEqual(largest + 2 * SCHEDULES);
  });
});

// Shows at-least-once delivery: a worker killed after sending but before committing leaves the task due, and the next owner delivers the same (schedule, due) again.
import { describe, expect, it } from "vitest";
import type { TimedAction } from "../../src/world/config.js";
import {
  acksByDue,
  dueKey,
  eventsOf,
  FIXED,
  MIN,
  reportOf,
  runWorld,
  type SmallWorldOptions,
  START,
  smallWorldConfig,
} from "./helpers.js";

function config(o: SmallWorldOptions, timeline: TimedAction[] = []) {
  return smallWorldConfig({ fixes: FIXED, deleteAtMs: null, durationMs: 6 * MIN, timeline, ...o });
}

describe("duplicate delivery after a crash mid-delivery", () => {
  it("acks twice when the kill falls between the destination's ack and the commit", () => {
    // Slow store calls open a window of 100 to 300 ms between an ack and its commit.
    const options: SmallWorldOptions = { store: { latencyMs: 200 } };
    const calm = runWorld(config(options));
    const committedAt = new Map(eventsOf(calm.events, "task.committed").map((e) => [e.task, e.t]));
    const victim = eventsOf(calm.events, "delivery.acked").find(
      (e) => e.worker === "w1" && e.t > START + 2 * MIN && (committedAt.get(e.task) ?? 0) - e.t >= 50,
    )!;
    expect(victim, "a task of w1 with room between ack and commit").toBeDefined();
    const killAt = victim.t + 1;

    const { events } = runWorld(config(options, [{ action: "kill-worker", worker: "w1", atMs: killAt }]));
    // The same world up to the kill: the victim's ack happened, its commit never did.
    const acks = eventsOf(events, "delivery.acked").filter((e) => e.task === victim.task);
    expect(acks[0]).toEqual(victim);
    const commits = eventsOf(events, "task.committed").filter((e) => e.task === victim.task);
    expect(commits).toHaveLength(1);
    expect(commits[0].t).toBeGreaterThan(killAt);
    expect(acks).toHaveLength(2);
    expect(acks[1].t).toBeGreaterThan(killAt);
    const report = reportOf(events);
    expect(report.metrics.deliveries.duplicate).toBeGreaterThanOrEqual(1);
    expect(reportOf(calm.events).metrics.deliveries.duplicate).toBe(0);
  });

  it("acks twice when the kill falls while the request is on the wire", () => {
    // Deliveries take 10 to 30 s: a kill at 2:05 catches every 2:00 delivery of w1 in flight.
    const killAt = START + 2 * MIN + 5_000;
    const { events } = runWorld(
      config({ destination: { latencyMs: 20_000 } }, [{ action: "kill-worker", worker: "w1", atMs: killAt }]),
    );
    const inFlight = eventsOf(events, "delivery.sent").filter((e) => e.worker === "w1" && e.t < killAt);
    const acked = new Map<string, number>();
    for (const e of eventsOf(events, "delivery.acked")) {
      if (e.worker === "w1" && e.t > killAt && e.t - killAt < 30_000) acked.set(dueKey(e), e.t);
    }
    // The destination answered the dead worker's requests anyway...
    const caught = inFlight.filter((e) => acked.has(dueKey(e)));
    expect(caught.length).toBeGreaterThan(3);
    // ...and the next owner, unable to know, delivered each of them again.
    const acks = acksByDue(events);
    for (const e of caught) expect(acks.get(dueKey(e)), dueKey(e)).toBe(2);
    expect(reportOf(events).metrics.deliveries.duplicate).toBeGreaterThanOrEqual(caught.length);
  });
});

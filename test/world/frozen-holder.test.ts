// Shows what a frozen worker's leases say when a deploy or scale-down kills it: expiries after the kill are the kill's, an expiry before it is not (the kill came later), the kill is a key event, and why names the pause as what froze the killed worker, and as the missed renewals of a lease that ran out while it was frozen and alive.
import { describe, expect, it } from "vitest";
import { causalChain } from "../../src/checks/index.js";
import { runScenario } from "../../src/index.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";

/** A 4-worker world with these timeline actions and faults (YAML flow lines), run fixed; every event. */
function runWith(
  timeline: readonly string[],
  faults: readonly string[],
): { events: TraceEvent[]; timeline: string[] } {
  const list = (items: readonly string[]) => items.map((item) => `  - ${item}`).join("\n");
  const text = `
name: frozen-holder
description: w4 freezes, then is killed by an operator action.
seed: 11
start: 2026-06-01T10:00:00Z
duration: 8m
fleet: { workers: 4, partitions: 16, leaseTtl: 30s, heartbeat: 5s, rebalanceInterval: 10s, startupTime: 20s }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 20
  cron: [{ expr: "* * * * *", weight: 1 }]
timeline:
${list(timeline)}
${faults.length > 0 ? `faults:\n${list(faults)}\n` : ""}`;
  const sink = new CollectSink();
  const { report } = runScenario(text, { variant: "fixed", sinks: [sink] });
  return { events: sink.events, timeline: report.timeline.map((e) => e.text) };
}

/** w4 frozen by a fault at `pauseAt` (10:03:00) for a minute, `then` a timeline action, and `extraFaults`. */
function frozen(then: string, extraFaults: readonly string[] = [], pauseAt = "10:03:00") {
  return runWith(
    [then],
    [`{ at: "${pauseAt}", fault: pause-worker, worker: w4, duration: 60s }`, ...extraFaults],
  );
}

const stopOf = (events: readonly TraceEvent[]) =>
  events.find((e) => e.type === "worker.stopped" && e.worker === "w4" && e.graceful === false)!;
const expiriesOf = (events: readonly TraceEvent[]) =>
  events.filter((e) => e.type === "lease.expired" && e.worker === "w4");

describe("a frozen worker killed by a scale-down", () => {
  it("before its leases ran out: each expiry is the kill's, a key event of its own says so, and why shows the pause behind the kill", () => {
    const { events, timeline } = frozen(`{ at: "10:03:05", action: scale, workers: 3 }`);
    const stop = stopOf(events);
    const expired = expiriesOf(events);
    expect(expired.length).toBeGreaterThan(0);
    for (const e of expired) {
      expect(Number(e.expiredAt)).toBeGreaterThan(stop.t);
      expect(e.cause).toBe(stop.seq);
      const chain = causalChain(events, e.seq, { leaseTtlMs: 30_000 });
      expect(chain.map((x) => x.seq)).toContain(stop.seq);
      // The pause is there as what kept the stop from being a clean shutdown, not as missed renewals.
      expect(chain.find((x) => x.fault === "pause-worker")?.context).toBe(
        `w4 was frozen by this pause when it was stopped, #${stop.seq}: it could not shut down`,
      );
    }
    expect(timeline).toContain(
      "w4 killed while frozen (scale-down): it could not hand back the leases it still held, which run out",
    );
    expect(timeline.some((t) => /of w4 expired .* while w4 was up/.test(t))).toBe(false);
  });

  it("after its leases ran out while it was frozen: no expiry is the kill's, and why shows the pause", () => {
    // Frozen at 10:03:00, its leases last renewed by then run out at 10:03:25.066; killed at
    // 10:03:26, before any taker's tick found them expired (at 10:03:28.5): the expiries are
    // traced after the kill, and are still not its.
    const { events } = frozen(`{ at: "10:03:26", action: scale, workers: 3 }`);
    const stop = stopOf(events);
    const before = expiriesOf(events).filter((e) => Number(e.expiredAt) <= stop.t);
    expect(before.length).toBeGreaterThan(0);
    expect(before.some((e) => e.t > stop.t)).toBe(true);
    for (const e of before) {
      expect(e.cause).not.toBe(stop.seq);
      const chain = causalChain(events, e.seq, { leaseTtlMs: 30_000 });
      expect(chain.find((x) => x.fault === "pause-worker")?.context).toMatch(
        /^w4 was paused, missing renewals, when w4.s lease on partition \d+ ran out/,
      );
      // The chain stops at the expiry: the tick that found it expired, and what led to that tick, are not its cause.
      expect(chain.at(-1)?.seq).toBe(e.seq);
      expect(chain.slice(0, -1).every((x) => x.context !== undefined)).toBe(true);
    }
  });
});

describe("a lease that ran out under slowed store calls", () => {
  it("has the store-latency fault as its context in why", () => {
    // Store calls take 20 s more for a minute: renewals arrive after the 30 s leases ran out.
    const { events } = frozen(`{ at: "10:07:00", action: scale, workers: 3 }`, [
      `{ at: "10:01:00", fault: store-latency, duration: 1m, latency: 40s }`,
    ]);
    const slowed = events.find((e) => e.type === "fault.injected" && e.fault === "store-latency")!;
    const expired = events.filter(
      (e) => e.type === "lease.expired" && e.worker !== "w4" && Number(e.expiredAt) < slowed.t + 60_000,
    );
    expect(expired.length).toBeGreaterThan(0);
    for (const e of expired) {
      const chain = causalChain(events, e.seq, { leaseTtlMs: 30_000 });
      expect(chain.find((x) => x.seq === slowed.seq)?.context).toMatch(
        /^store calls were slowed, delaying renewals/,
      );
    }
  });
});

describe("a frozen worker that resumes", () => {
  it("learns its leases were lost, and why names the pause behind each loss", () => {
    const { events } = frozen(`{ at: "10:07:00", action: scale, workers: 3 }`);
    const pause = events.find((e) => e.type === "fault.injected" && e.fault === "pause-worker")!;
    const lost = events.filter((e) => e.type === "lease.lost" && e.worker === "w4");
    expect(lost.length).toBeGreaterThan(0);
    for (const e of lost) {
      expect(e.t).toBeGreaterThanOrEqual(pause.t + 60_000);
      // The lease ran out while w4 was frozen (a minute, against a 30 s lease).
      const chain = causalChain(events, e.seq, { leaseTtlMs: 30_000 });
      expect(chain.at(-1)?.seq).toBe(e.seq);
      expect(chain.slice(0, -1).every((x) => x.context !== undefined)).toBe(true);
      expect(chain.find((x) => x.seq === pause.seq)?.context).toMatch(
        new RegExp(
          `^w4 was paused, missing renewals, when w4.s lease on partition ${e.partition} was lost, #${e.seq}$`,
        ),
      );
    }
  });
});

describe("why a frozen worker was killed", () => {
  it("shows the pause that froze it as the context of its stop", () => {
    const { events } = frozen(`{ at: "10:03:05", action: scale, workers: 3 }`);
    const stop = stopOf(events);
    const pause = events.find((e) => e.type === "fault.injected" && e.fault === "pause-worker")!;
    const chain = causalChain(events, stop.seq, { leaseTtlMs: 30_000 });
    expect(chain.at(-1)?.seq).toBe(stop.seq);
    expect(chain.find((x) => x.seq === pause.seq)?.context).toBe(
      `w4 was frozen by this pause when it was stopped, #${stop.seq}: it could not shut down`,
    );
  });
});

describe("a task handed on after its frozen holder's lease ran out", () => {
  it("is not told as moved on by the kill that came after", () => {
    // w4 freezes at 10:03:00.100, with the minute's tasks it fired unfinished; its leases run out
    // at about 10:03:25 and go to others, who fire those tasks again; w4 is killed at 10:03:31.
    const { events } = frozen(`{ at: "10:03:31", action: kill-worker, worker: w4 }`, [], "10:03:00.100");
    const kill = events.find((e) => e.type === "worker.crashed" && e.worker === "w4")!;
    let handedOn = 0;
    for (const fire of events.filter((e) => e.type === "schedule.fired" && Number(e.attempt) > 1)) {
      const chain = causalChain(events, fire.seq, { leaseTtlMs: 30_000 });
      const expiry = chain.find((x) => x.type === "lease.expired" && x.worker === "w4");
      if (expiry === undefined) continue;
      handedOn++;
      expect(Number(expiry.expiredAt)).toBeLessThan(kill.t);
      expect(chain.some((x) => x.seq === kill.seq)).toBe(false);
      expect(chain.find((x) => x.fault === "pause-worker")?.context).toMatch(
        /^w4 was paused, missing renewals, when/,
      );
    }
    expect(handedOn).toBeGreaterThan(0);
  });
});

describe("a worker frozen by a timeline action, not a fault", () => {
  it("has that pause as the context of its kill", () => {
    const { events } = runWith(
      [
        `{ at: "10:03:00", action: pause-worker, worker: w4, duration: 1m }`,
        `{ at: "10:03:05", action: scale, workers: 3 }`,
      ],
      [],
    );
    const paused = events.find((e) => e.type === "worker.paused" && e.worker === "w4")!;
    const stop = stopOf(events);
    const chain = causalChain(events, stop.seq, { leaseTtlMs: 30_000 });
    expect(chain.find((x) => x.seq === paused.seq)?.context).toBe(
      `w4 was frozen by this pause when it was stopped, #${stop.seq}: it could not shut down`,
    );
    // The pause's own root, the operator's action, comes with it.
    expect(chain[0]).toMatchObject({ type: "operator.action", action: "pause-worker" });
  });
});

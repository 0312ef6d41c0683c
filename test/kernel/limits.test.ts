// Shows every limit ends a run with its reason, and pausing with runUntil changes nothing.
import { describe, expect, it } from "vitest";
import { type GoroutineBody, Simulation, sleep } from "../../src/kernel/index.js";

function ticking(limits: {
  horizonMs: number;
  maxEvents: number;
  stuckClockEvents?: number;
  wallBudgetMs?: number;
  wallClock?: () => number;
}) {
  const sim = new Simulation({ seed: 3, startMs: 0, limits });
  const p = sim.spawn("p");
  function* tick(): GoroutineBody {
    for (let i = 0; ; i++) {
      yield sleep(10);
      sim.emit("tick", { i, r: sim.random.stream("x").int(0, 1000) });
    }
  }
  sim.go(p, "tick", tick());
  return sim;
}

describe("run limits", () => {
  it("the horizon ends a run at the horizon", () => {
    const sim = ticking({ horizonMs: 1000, maxEvents: 1_000_000 });
    const outcome = sim.run();
    expect(outcome.reason).toBe("horizon");
    expect(outcome.now).toBe(1000);
    expect(sim.trace.length).toBe(100);
  });

  it("the event limit ends a run with its reason", () => {
    const outcome = ticking({ horizonMs: 1e9, maxEvents: 50 }).run();
    expect(outcome.reason).toBe("max-events");
    expect(outcome.events).toBe(50);
    expect(outcome.detail).toContain("50 events");
  });

  describe("an event limit reached while the clock stands still", () => {
    /** A world ticking every 10 ms whose process `loop` starts, at 100 ms, a goroutine yielding `sleep(ms)` for ever. */
    function looping(ms: number, maxEvents: number, stuckClockEvents?: number) {
      const sim = ticking({ horizonMs: 1e9, maxEvents, stuckClockEvents });
      const p = sim.spawn("loop#1");
      sim.at(100, () =>
        sim.go(
          p,
          "scheduler",
          (function* (): GoroutineBody {
            for (;;) yield sleep(ms);
          })(),
        ),
      );
      return sim;
    }

    it("names the goroutine looping without the clock moving, rather than a world too big for its limit", () => {
      // Past the default of a million events at one instant (`STUCK_CLOCK_EVENTS`).
      const maxEvents = 1_000_100;
      const outcome = looping(-5, maxEvents).run();
      expect(outcome.reason).toBe("max-events");
      expect(outcome.now).toBe(100);
      const said =
        /^hit the event limit \((\d+) events\): a goroutine is looping without the clock moving: goroutine scheduler on loop#1, the clock has not moved for the last (\d+) events$/.exec(
          outcome.detail,
        );
      expect(said?.[1]).toBe(String(maxEvents));
      // Every event since the loop began at 100 ms, and no more: the ticks before it moved the clock.
      expect(Number(said?.[2])).toBeGreaterThan(maxEvents - 20);
      expect(Number(said?.[2])).toBeLessThan(maxEvents);
    });

    it("says nothing of a loop when the clock moved within the last events", () => {
      const outcome = looping(0, 1100, 1500).run();
      expect(outcome.detail).toBe("hit the event limit (1100 events)");
      expect(looping(0, 1600, 1500).run().detail).toMatch(/clock has not moved for the last 15\d\d events$/);
      const moving = looping(1, 2000, 1500).run();
      expect(moving.now).toBeGreaterThan(100);
      expect(moving.detail).toBe("hit the event limit (2000 events)");
    });
  });

  it("the wall-clock budget ends a run, measured with the injected clock", () => {
    let fake = 0;
    const sim = ticking({
      horizonMs: 1e9,
      maxEvents: 1e9,
      wallBudgetMs: 100,
      wallClock: () => {
        fake += 1;
        return fake;
      },
    });
    const outcome = sim.run();
    expect(outcome.reason).toBe("wall-budget");
    expect(outcome.detail).toContain("100 ms");
  });

  it("an empty queue before the requested time is idle; the clock still reaches that time", () => {
    const sim = new Simulation({ seed: 1, startMs: 0, limits: { horizonMs: 10_000, maxEvents: 10 } });
    sim.at(5, () => {});
    const outcome = sim.runUntil(2000);
    expect(outcome.reason).toBe("idle");
    expect(sim.now).toBe(2000);
  });

  it("running in slices with runUntil gives the same trace as one straight run", () => {
    const straight = ticking({ horizonMs: 5000, maxEvents: 1e6 });
    straight.run();
    const sliced = ticking({ horizonMs: 5000, maxEvents: 1e6 });
    for (let t = 333; t < 5000; t += 333) expect(sliced.runUntil(t).reason).toBe("paused");
    expect(sliced.run().reason).toBe("horizon");
    expect(sliced.trace.hash).toBe(straight.trace.hash);
    expect(sliced.events).toBe(straight.events);
  });
});

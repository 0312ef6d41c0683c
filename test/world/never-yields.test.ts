// A scheduler step that never yields is stopped at the wall-clock budget, not spun on forever: by the port while it calls it, by the wall guard when it calls nothing that can stop it.
import { describe, expect, it } from "vitest";
import { stuckWithoutYielding } from "../../src/checks/run-info.js";
import { wallGuard } from "../../src/explore/wall-guard.js";
import { CollectSink, type TraceSink, WALL_GUARD_GRACE_MS } from "../../src/kernel/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { Runtime, Scheduler, SchedulerFactory } from "../../src/world/runtime.js";
import { World } from "../../src/world/world.js";
import { ofType, smallWorldConfig } from "./helpers.js";

/**
 * A module whose scheduler goroutine loops on a port call; `recover` catches what the port
 * throws and yields. It gives up (a panic) after far more calls than the budget allows, so that
 * without a stop the test fails rather than hangs.
 */
function spinner(recover: boolean): SchedulerFactory {
  return schedulerOf("spin", "loops on a port call without yielding", function* (rt: Runtime) {
    for (;;) {
      try {
        for (let calls = 0; calls < 20_000_000; calls++) rt.ownedPartitions();
        throw new Error("gave up spinning");
      } catch (error) {
        if ((error as Error).message === "gave up spinning") throw error;
        if (!recover) throw new Error("unreachable: the port throws only once the budget is spent");
        yield rt.sleep(1000);
      }
    }
  });
}

/** A scheduler module without fixes whose scheduler goroutine runs `main`. */
function schedulerOf(name: string, description: string, main: Scheduler["main"]): SchedulerFactory {
  return { name, description, fixes: [], create: () => ({ name, fixes: [], main }) };
}

/** A fake wall clock: one ms per reading, so a budget of 200 ms is spent after about 200 readings. */
function fakeClock(): () => number {
  let ms = 0;
  return () => ++ms;
}

function runSpinner(recover: boolean) {
  const config = {
    ...smallWorldConfig({ scheduler: "spin" }),
    limits: { maxEvents: 5_000_000, wallBudgetMs: 200 },
  };
  const schedulers = bundledSchedulers();
  schedulers.set("spin", spinner(recover));
  const world = new World(config, { schedulers, wallClock: fakeClock() });
  const sink = new CollectSink();
  world.sim.trace.addSink(sink);
  const outcome = world.run();
  return { world, outcome, events: sink.events };
}

describe("a goroutine step that never yields", () => {
  it("ends the run with the wall-budget outcome, naming the goroutine and its worker", () => {
    const { outcome, events } = runSpinner(false);
    expect(outcome.reason).toBe("wall-budget");
    expect(outcome.detail).toMatch(
      /^hit the wall-clock budget \(200 ms\): goroutine scheduler on w\d#1 ran [\d.]+ s without yielding$/,
    );
    // Not a panic: the process is not terminated for it.
    expect(ofType(events, "worker.crashed")).toEqual([]);
  });

  it("cannot be recovered by the module: the run stops once the step yields, and stays stopped", () => {
    const { world, outcome, events } = runSpinner(true);
    expect(outcome.reason).toBe("wall-budget");
    expect(outcome.detail).toContain("without yielding");
    expect(ofType(events, "worker.crashed")).toEqual([]);
    expect(world.sim.run().reason).toBe("wall-budget");
  });
});

/**
 * A module whose scheduler goroutine loops without yielding and without calling the port at all
 * (`pure`), or calling it and swallowing what it throws; nothing inside the step can stop it. It
 * gives up (a panic) some seconds after it is made, so that without a stop the test fails rather
 * than hangs.
 */
function looper(pure: boolean): SchedulerFactory {
  const giveUpAtMs = performance.now() + GIVE_UP_MS;
  // biome-ignore lint/correctness/useYield: a step that never yields is what it shows
  return schedulerOf("loop", "loops in one step until it gives up", function* (rt: Runtime) {
    while (performance.now() < giveUpAtMs) {
      if (pure) continue;
      try {
        rt.ownedPartitions();
      } catch {
        // swallowed: the loop goes on
      }
    }
    throw new Error("gave up looping");
  });
}

/** How long `looper` loops at most: well past a budget and its grace. */
const GIVE_UP_MS = 8000;

/** A run of `factory` on the real clock with `wallGuard`, its wall budget `budgetMs`. */
function runGuarded(factory: SchedulerFactory | null, budgetMs: number, sinks: TraceSink[] = []) {
  const config = {
    ...smallWorldConfig(factory === null ? {} : { scheduler: factory.name }),
    limits: { maxEvents: 5_000_000, wallBudgetMs: budgetMs },
  };
  const schedulers = bundledSchedulers();
  if (factory !== null) schedulers.set(factory.name, factory);
  const world = new World(config, { schedulers, wallClock: () => performance.now(), wallGuard });
  const sink = new CollectSink();
  world.sim.trace.addSink(sink);
  for (const s of sinks) world.sim.trace.addSink(s);
  const started = performance.now();
  const outcome = world.run();
  return { world, outcome, events: sink.events, wallMs: performance.now() - started };
}

describe("a goroutine step that calls nothing that can stop it, with a wall guard", () => {
  for (const pure of [true, false]) {
    it(`is stopped from outside a grace after its budget (${pure ? "for (;;) {}" : "swallowing the port's throw"}), as a wall-budget stop naming the goroutine`, () => {
      const { world, outcome, events, wallMs } = runGuarded(looper(pure), 300);
      expect(outcome.reason).toBe("wall-budget");
      expect(outcome.detail).toMatch(
        /^hit the wall-clock budget \(300 ms\): goroutine scheduler on w\d#1 was stopped after [\d.]+ s: a goroutine step never returned \(a loop in the scheduler that never yields\)$/,
      );
      expect(stuckWithoutYielding(outcome.detail)).toBe(true);
      expect(wallMs).toBeGreaterThanOrEqual(300);
      expect(wallMs).toBeLessThan(300 + WALL_GUARD_GRACE_MS + 3000);
      // Not a panic; the trace is whole, and closed by the world as for any stop.
      expect(ofType(events, "worker.crashed")).toEqual([]);
      expect(world.sim.trace.cutEvent).toBeNull();
      expect(events.at(-1)).toMatchObject({ type: "run.finished", reason: "wall-budget" });
      // Nothing of the world runs again: the run stays stopped, at once.
      const again = performance.now();
      expect(world.sim.run().reason).toBe("wall-budget");
      expect(world.sim.step()).toBe(false);
      expect(performance.now() - again).toBeLessThan(100);
    }, 15_000);
  }

  it("changes nothing for a run that does not reach its budget: the same trace as without it", () => {
    const guarded = runGuarded(null, 60_000);
    const config = { ...smallWorldConfig(), limits: { maxEvents: 5_000_000 } };
    const plain = new World(config, { schedulers: bundledSchedulers() });
    expect(plain.run().reason).toBe("horizon");
    expect(guarded.outcome.reason).toBe("horizon");
    expect(guarded.world.sim.trace.hash).toBe(plain.sim.trace.hash);
  });

  it("says which event it cut when it stopped the run in the middle of tracing it", () => {
    // A sink stuck on one event of world code (the sampler's, no goroutine running): the stop
    // comes while that event is being handed out.
    let stuckAt = -1;
    const stuck: TraceSink = {
      onEvent(event) {
        if (stuckAt >= 0 || event.type !== "metrics.sampled") return;
        stuckAt = event.seq;
        const giveUpAtMs = performance.now() + GIVE_UP_MS;
        while (performance.now() < giveUpAtMs) {}
      },
    };
    const { outcome, world } = runGuarded(null, 100, [stuck]);
    expect(outcome.reason).toBe("wall-budget");
    expect(outcome.detail).toContain("stopped in the middle of an event after");
    expect(stuckWithoutYielding(outcome.detail)).toBe(false);
    expect(stuckAt).toBeGreaterThan(0);
    expect(world.sim.trace.cutEvent).toBe(stuckAt);
  }, 15_000);
});

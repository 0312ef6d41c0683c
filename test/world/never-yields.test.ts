// A scheduler step that never yields but keeps calling the Runtime port is stopped at the wall-clock budget, not spun on forever.
import { describe, expect, it } from "vitest";
import { CollectSink } from "../../src/kernel/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { Runtime, SchedulerFactory } from "../../src/world/runtime.js";
import { World } from "../../src/world/world.js";
import { ofType, smallWorldConfig } from "./helpers.js";

/**
 * A module whose scheduler goroutine loops on a port call; `recover` catches what the port
 * throws and yields. It gives up (a panic) after far more calls than the budget allows, so that
 * without a stop the test fails rather than hangs.
 */
function spinner(recover: boolean): SchedulerFactory {
  return {
    name: "spin",
    description: "loops on a port call without yielding",
    fixes: [],
    create: () => ({
      name: "spin",
      fixes: [],
      *main(rt: Runtime) {
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
      },
    }),
  };
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

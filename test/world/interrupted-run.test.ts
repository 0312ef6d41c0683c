// A run the user stops with Ctrl-C (its wall guard throws `RunInterrupted`) is over: the error reaches the caller, and nothing of its world runs again.
import { describe, expect, it } from "vitest";
import { RunInterrupted, type WallGuard } from "../../src/kernel/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { World } from "../../src/world/world.js";
import { smallWorldConfig } from "./helpers.js";

/** A guard that lets the run go on for `events` kernel events, then stops it as Ctrl-C would. */
function interruptingGuard(world: () => World, events: number): WallGuard {
  return () => {
    // `vm` stops the slice wherever it is; here, between two events.
    const sim = world().sim;
    while (sim.events < events && sim.step()) {}
    throw new RunInterrupted("the run was interrupted (Ctrl-C)");
  };
}

describe("a run interrupted by the user", () => {
  it("throws RunInterrupted to its caller, and its world runs no further", () => {
    let world: World | null = null;
    const config = { ...smallWorldConfig(), limits: { maxEvents: 5_000_000, wallBudgetMs: 60_000 } };
    world = new World(config, {
      schedulers: bundledSchedulers(),
      wallClock: () => 0,
      wallGuard: interruptingGuard(() => world!, 500),
    });
    expect(() => world!.run()).toThrow(RunInterrupted);
    const after = world.sim.events;
    expect(after).toBe(500);
    const again = world.sim.runUntil(config.startMs + config.durationMs);
    expect(world.sim.events).toBe(after);
    expect(again.reason).toBe("wall-budget");
    expect(again.detail).toMatch(/stopped by the user \(Ctrl-C\) after \d+\.\d s/);
  });
});

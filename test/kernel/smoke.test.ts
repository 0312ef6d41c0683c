// Shows the kernel's basic contract: goroutines block on ops, and a panic ends only its own process.
import { describe, expect, it } from "vitest";
import { call, type GoroutineBody, type ProcessExit, Simulation, sleep } from "../../src/kernel/index.js";

describe("kernel smoke", () => {
  it("runs goroutines and isolates a panic to its process", () => {
    const sim = new Simulation({ seed: 1, startMs: 0, limits: { horizonMs: 10_000, maxEvents: 1000 } });
    const exits: ProcessExit[] = [];
    const a = sim.spawn("a", { onExit: (_p, e) => exits.push(e) });
    const b = sim.spawn("b", { onExit: (_p, e) => exits.push(e) });
    const log: string[] = [];
    function* ticker(name: string): GoroutineBody {
      for (let i = 0; i < 3; i++) {
        yield sleep(1000);
        log.push(`${name}@${sim.now}`);
      }
    }
    function* poison(): GoroutineBody {
      const account = (yield call(500, () => undefined)) as { plan: string } | undefined;
      log.push(account!.plan);
    }
    sim.go(a, "tick", ticker("a"));
    sim.go(b, "tick", ticker("b"));
    sim.go(b, "poison", poison(), { context: { schedule: "s1" } });
    const outcome = sim.run();
    expect(outcome.reason).toBe("horizon");
    expect(log).toEqual(["a@1000", "a@2000", "a@3000"]);
    expect(exits).toHaveLength(1);
    expect(exits[0].reason).toBe("panic");
    expect(exits[0].goroutine).toBe("poison");
    expect(exits[0].context).toEqual({ schedule: "s1" });
    expect(a.state).toBe("running");
    expect(b.state).toBe("dead");
  });
});

// Shows a goroutine step that overflows the JavaScript stack stopping the run, unjudged (`stack-overflow`), rather than being traced as a panic: how deep a host's stack goes depends on the thread and on V8's compiler, so such a panic would make the trace depend on where and when it ran.
import { describe, expect, it } from "vitest";
import {
  type GoroutineBody,
  type ProcessExit,
  Simulation,
  STACK_OVERFLOW_WHY,
  sleep,
} from "../../src/kernel/index.js";

const recurse = (n: number): number => (n === 0 ? 0 : 1 + recurse(n - 1));
/** Past any thread's stack: Node's largest default (a worker's 4 MB) holds about 60,000 such calls. */
const TOO_DEEP = 10_000_000;

function world() {
  const s = new Simulation({ seed: 7, startMs: 0, limits: { horizonMs: 60_000, maxEvents: 100_000 } });
  const exits: ProcessExit[] = [];
  const w1 = s.spawn("w1", { onExit: (_p, e) => exits.push(e) });
  const ran = { deep: 0, ticks: 0, caught: 0 };
  function* deep(): GoroutineBody {
    yield sleep(5_000);
    ran.deep++;
    recurse(TOO_DEEP);
  }
  function* ticker(): GoroutineBody {
    for (;;) {
      yield sleep(1_000);
      ran.ticks++;
    }
  }
  s.go(w1, "deliver sched-1", deep());
  s.go(w1, "tick", ticker());
  return { s, exits, ran };
}

describe("a goroutine step that overflows the stack", () => {
  it("stops the run there, not judged, naming the goroutine and why; no panic, no exit", () => {
    const { s, exits, ran } = world();
    const outcome = s.run();
    expect(outcome.reason).toBe("stack-overflow");
    expect(outcome.now).toBe(5_000);
    expect(ran.deep).toBe(1);
    expect(exits).toEqual([]);
    expect(outcome.detail).toBe(
      `goroutine deliver sched-1 on w1 overflowed the JavaScript stack (RangeError: Maximum call stack size exceeded): ${STACK_OVERFLOW_WHY}`,
    );
    // The run is over: nothing more runs, however it is asked to.
    const ticks = ran.ticks;
    expect(s.run().reason).toBe("stack-overflow");
    expect(s.step()).toBe(false);
    expect(ran.ticks).toBe(ticks);
  });

  it("stops a run driven by steps too (a comparison's replay)", () => {
    const { s, exits, ran } = world();
    let steps = 0;
    while (s.step()) steps++;
    expect(ran.deep).toBe(1);
    expect(exits).toEqual([]);
    expect(s.now).toBe(5_000);
    expect(steps).toBeGreaterThan(0);
    expect(s.run().reason).toBe("stack-overflow");
  });

  it("leaves any other RangeError a panic, as before", () => {
    const s = new Simulation({ seed: 7, startMs: 0, limits: { horizonMs: 60_000, maxEvents: 100_000 } });
    const exits: ProcessExit[] = [];
    const w1 = s.spawn("w1", { onExit: (_p, e) => exits.push(e) });
    s.go(
      w1,
      "deliver",
      (function* (): GoroutineBody {
        yield sleep(1_000);
        new Array(-1);
      })(),
    );
    expect(s.run().reason).toBe("horizon");
    expect(exits.map((e) => [e.reason, e.error])).toEqual([["panic", "RangeError: Invalid array length"]]);
  });
});

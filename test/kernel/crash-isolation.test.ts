// Shows a panic ends only its own process, Go-style: recover works inside the same goroutine, never around `go`.
import { describe, expect, it } from "vitest";
import {
  call,
  type GoroutineBody,
  InvariantViolation,
  type ProcessExit,
  Simulation,
  sleep,
} from "../../src/kernel/index.js";

function sim(horizonMs = 60_000) {
  return new Simulation({ seed: 7, startMs: 0, limits: { horizonMs, maxEvents: 100_000 } });
}

describe("crash isolation", () => {
  it("a throwing goroutine terminates its process: its other goroutines and timers never run again", () => {
    const s = sim();
    const exits: ProcessExit[] = [];
    const victim = s.spawn("victim", { onExit: (_p, e) => exits.push(e) });
    const bystander = s.spawn("bystander");
    const ticks = { victim: 0, bystander: 0, timer: 0 };
    function* ticker(key: "victim" | "bystander"): GoroutineBody {
      for (;;) {
        yield sleep(1000);
        ticks[key]++;
      }
    }
    function* poison(): GoroutineBody {
      yield sleep(5500);
      const account = (yield call(2, () => undefined)) as { plan: { name: string } } | undefined;
      ticks.victim += account!.plan.name.length;
    }
    s.go(victim, "tick", ticker("victim"));
    s.go(victim, "deliver sched-1", poison(), { context: { schedule: "sched-1", account: "a-1" } });
    s.timer(victim, 30_000, () => ticks.timer++);
    s.go(bystander, "tick", ticker("bystander"));
    const outcome = s.run();
    expect(outcome.reason).toBe("horizon");
    expect(ticks.victim).toBe(5);
    expect(ticks.timer).toBe(0);
    expect(ticks.bystander).toBe(60);
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ reason: "panic", goroutine: "deliver sched-1", at: 5502 });
    expect(exits[0].context).toEqual({ schedule: "sched-1", account: "a-1" });
    // What was thrown is the exit callback's, and not kept with the dead process for the rest of the run.
    expect(exits[0].thrown).toBeInstanceOf(TypeError);
    expect(victim.exit).toMatchObject({ reason: "panic", thrown: undefined });
    expect(exits[0].error).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(victim.state).toBe("dead");
    expect(bystander.state).toBe("running");
  });

  it("try/catch inside the same goroutine recovers; try/catch around go() in the parent does not", () => {
    const s = sim();
    const recovered = s.spawn("recovers");
    const wrongLevel = s.spawn("wrong-level");
    const caught: string[] = [];
    function* boom(): GoroutineBody {
      yield sleep(10);
      throw new Error("nil dereference");
    }
    function* safe(): GoroutineBody {
      try {
        yield* boom();
      } catch (error) {
        caught.push(String(error));
      }
    }
    function* dispatcher(): GoroutineBody {
      try {
        s.go(wrongLevel, "task", boom());
      } catch (error) {
        caught.push(`dispatcher: ${String(error)}`);
      }
      yield sleep(1000);
    }
    s.go(recovered, "task", safe());
    s.go(wrongLevel, "dispatcher", dispatcher());
    s.run();
    expect(caught).toEqual(["Error: nil dereference"]);
    expect(recovered.state).toBe("running");
    expect(wrongLevel.state).toBe("dead");
    expect(wrongLevel.exit?.goroutine).toBe("task");
  });

  it("a broken simulator invariant halts the run with the seed instead of killing a process", () => {
    const s = sim();
    const p = s.spawn("p");
    function* bad(): GoroutineBody {
      yield sleep(10);
      throw new InvariantViolation("two owners of partition 3");
    }
    s.go(p, "bad", bad());
    const outcome = s.run();
    expect(outcome.reason).toBe("halted");
    expect(outcome.detail).toContain("seed 7");
    expect(outcome.detail).toContain("two owners of partition 3");
    expect(p.state).toBe("running");
  });

  it("a sink that throws stops the run and its error reaches the caller: neither a panic nor a halt", () => {
    const s = sim();
    const p = s.spawn("p");
    const full = new Error("ENOSPC: no space left on device");
    let written = 0;
    s.trace.addSink({
      onEvent: () => {
        if (++written === 3) throw full;
      },
    });
    const caught: unknown[] = [];
    let ran = 0;
    function* emitting(): GoroutineBody {
      for (;;) {
        yield sleep(1000);
        ran++;
        try {
          s.emit("tick");
        } catch (error) {
          caught.push(error); // recovery in the code under test must not see the sink's error
        }
      }
    }
    s.go(p, "emitter", emitting());
    expect(() => s.run()).toThrow(full);
    expect(caught).toEqual([]);
    expect(p.state).toBe("running");
    expect(ran).toBe(3); // stopped after the event whose emit failed
    expect(() => s.run()).toThrow(full);
  });

  it("pause holds a process's events and runs them late, in order; a kill while paused drops them", () => {
    const s = sim();
    const p = s.spawn("p");
    const q = s.spawn("q");
    const seen: [string, number][] = [];
    for (const t of [100, 200, 300]) s.timer(p, t, () => seen.push(["p", s.now]));
    s.timer(q, 250, () => seen.push(["q", s.now]));
    s.at(50, () => s.pause(p));
    s.at(1000, () => s.resume(p));
    const r = s.spawn("r");
    s.timer(r, 500, () => seen.push(["r", s.now]));
    s.at(400, () => s.pause(r));
    s.at(600, () => s.kill(r));
    s.run();
    expect(seen).toEqual([
      ["q", 250],
      ["p", 1000],
      ["p", 1000],
      ["p", 1000],
    ]);
    expect(r.state).toBe("dead");
  });

  it("cancel drops an event, and a stale handle does nothing once its slot is reused", () => {
    const s = sim();
    const ran: string[] = [];
    const first = s.at(10, () => ran.push("first"));
    s.cancel(first);
    s.run();
    const later = s.at(s.now, () => ran.push("reused"));
    s.cancel(first);
    s.runUntil(s.now);
    // The cancelled event never ran; cancelling its stale handle again did not touch the new one.
    expect(ran).toEqual(["reused"]);
    expect(later).not.toBe(first);
  });
});

// Shows pause, resume, kill, cancel and goroutine ops behave like their Go/POSIX namesakes, down to the edge cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  call,
  type GoroutineBody,
  type Op,
  type ProcessExit,
  park,
  Simulation,
  sleep,
  type TimerHandle,
} from "../../src/kernel/index.js";

function newSim(horizonMs = 100_000, maxEvents = 100_000) {
  return new Simulation({ seed: 11, startMs: 0, limits: { horizonMs, maxEvents } });
}

describe("pause and resume", () => {
  it("a goroutine asleep across a pause wakes at resume, and its later sleeps count from there", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const woke: number[] = [];
    function* loop(): GoroutineBody {
      for (let i = 0; i < 3; i++) {
        yield sleep(100);
        woke.push(sim.now);
      }
    }
    sim.go(p, "loop", loop());
    sim.at(150, () => sim.pause(p));
    sim.at(1000, () => sim.resume(p));
    sim.run();
    expect(woke).toEqual([100, 1000, 1100]);
  });

  it("events parked during a pause run at resume in their order, after what was already due then", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const order: string[] = [];
    for (const [t, name] of [
      [300, "p3"],
      [100, "p1"],
      [200, "p2"],
    ] as const)
      sim.timer(p, t, () => order.push(name));
    sim.at(50, () => sim.pause(p));
    sim.at(500, () => order.push("world"));
    sim.at(500, () => sim.resume(p));
    sim.at(500, () => order.push("after resume"));
    sim.run();
    expect(order).toEqual(["world", "after resume", "p1", "p2", "p3"]);
  });

  it("cancel works on a timer that came due while its process was paused", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const ran: string[] = [];
    const doomed = sim.timer(p, 100, () => ran.push("doomed"));
    sim.timer(p, 200, () => ran.push("kept"));
    sim.at(50, () => sim.pause(p));
    sim.at(300, () => sim.cancel(doomed));
    sim.at(400, () => sim.resume(p));
    sim.run();
    expect(ran).toEqual(["kept"]);
  });

  it("a kill while paused drops the parked events, and the queue drains", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    let ran = 0;
    for (let t = 10; t <= 100; t += 10) sim.timer(p, t, () => ran++);
    sim.at(5, () => sim.pause(p));
    sim.at(200, () => sim.kill(p));
    sim.at(300, () => sim.resume(p));
    const outcome = sim.runUntil(1000);
    expect(ran).toBe(0);
    expect(outcome.reason).toBe("idle");
    expect(sim.pending).toBe(0);
    expect(p.state).toBe("dead");
  });

  it("pause and resume of a dead or running process change nothing", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    sim.resume(p);
    expect(p.state).toBe("running");
    sim.kill(p);
    sim.pause(p);
    sim.resume(p);
    expect(p.state).toBe("dead");
  });
});

describe("cancel", () => {
  type Op = { kind: "at"; delay: number } | { kind: "cancel"; which: number } | { kind: "run"; ms: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("at" as const), delay: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ kind: fc.constant("cancel" as const), which: fc.nat() }),
    fc.record({ kind: fc.constant("run" as const), ms: fc.integer({ min: 0, max: 20 }) }),
  );

  it("runs exactly the events not cancelled before their time, whatever the slot reuse", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const sim = newSim(1_000_000, 1_000_000);
        const handles: TimerHandle[] = [];
        const due: number[] = [];
        const ran: number[] = [];
        const cancelled = new Set<number>();
        for (const op of ops) {
          if (op.kind === "at") {
            const id = handles.length;
            due.push(sim.now + op.delay);
            handles.push(sim.at(sim.now + op.delay, () => ran.push(id)));
          } else if (op.kind === "cancel" && handles.length > 0) {
            const id = op.which % handles.length;
            sim.cancel(handles[id]);
            // Cancelling a handle whose event already ran is a no-op, even if its slot is reused.
            if (!ran.includes(id)) cancelled.add(id);
          } else if (op.kind === "run") {
            sim.runUntil(sim.now + op.ms);
          }
        }
        sim.runUntil(sim.now + 100);
        const expected = due
          .map((t, id) => ({ t, id }))
          .filter(({ id }) => !cancelled.has(id))
          .sort((a, b) => a.t - b.t || a.id - b.id)
          .map(({ id }) => id);
        expect(ran).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("a handle from a dead process's timer, or any made-up handle, cancels nothing", () => {
    const sim = newSim();
    const dead = sim.spawn("dead");
    sim.kill(dead);
    const handle = sim.timer(dead, 10, () => {});
    const ran: string[] = [];
    sim.at(10, () => ran.push("x"));
    for (const h of [handle, -1, Number.NaN, 2 ** 52, 12.5]) sim.cancel(h);
    sim.run();
    expect(ran).toEqual(["x"]);
  });

  it("an event cancelling itself while it runs does nothing to the event reusing its slot", () => {
    const sim = newSim();
    const ran: string[] = [];
    let self: TimerHandle = -1;
    self = sim.at(10, () => {
      sim.at(20, () => ran.push("next"));
      sim.cancel(self);
      ran.push("self");
    });
    sim.run();
    expect(ran).toEqual(["self", "next"]);
  });
});

describe("goroutines", () => {
  it("park resumes once, at the time of the first wake, with its value; a wake after a kill is ignored", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const q = sim.spawn("q");
    const got: [number, unknown][] = [];
    let wakeP: ((v?: unknown) => void) | null = null;
    let wakeQ: ((v?: unknown) => void) | null = null;
    function* waiter(register: (w: (v?: unknown) => void) => void): GoroutineBody {
      const v = yield park(register);
      got.push([sim.now, v]);
    }
    sim.go(
      p,
      "wait",
      waiter((w) => (wakeP = w)),
    );
    sim.go(
      q,
      "wait",
      waiter((w) => (wakeQ = w)),
    );
    sim.at(100, () => wakeP!("first"));
    sim.at(200, () => wakeP!("second"));
    sim.at(50, () => sim.kill(q));
    sim.at(60, () => wakeQ!("too late"));
    sim.run();
    expect(got).toEqual([[100, "first"]]);
    expect(p.goroutines).toBe(0);
  });

  it("a call's completion that throws is thrown at the yield, where the goroutine may recover", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const seen: string[] = [];
    function* body(): GoroutineBody {
      try {
        yield call(5, () => {
          throw new Error("connection refused");
        });
      } catch (error) {
        seen.push(`${sim.now}: ${(error as Error).message}`);
      }
      seen.push(String(yield call(5, () => 42)));
    }
    sim.go(p, "io", body());
    sim.run();
    expect(seen).toEqual(["5: connection refused", "42"]);
    expect(p.state).toBe("running");
  });

  it("yielding something that is not an op, or a NaN sleep, panics that goroutine's process (the run goes on)", () => {
    const sim = newSim();
    const exits: ProcessExit[] = [];
    const a = sim.spawn("a", { onExit: (_p, e) => exits.push(e) });
    const b = sim.spawn("b", { onExit: (_p, e) => exits.push(e) });
    const c = sim.spawn("c");
    let recovered = "";
    function* notAnOp(): GoroutineBody {
      yield 42 as unknown as Op;
    }
    function* nanSleep(): GoroutineBody {
      yield sleep(Number.NaN);
    }
    function* recovers(): GoroutineBody {
      try {
        yield { kind: "nap" } as unknown as Op;
      } catch (error) {
        recovered = (error as Error).message;
      }
      yield sleep(10);
    }
    sim.go(a, "bad-op", notAnOp());
    sim.go(b, "nan", nanSleep());
    sim.go(c, "careful", recovers());
    const outcome = sim.run();
    expect(outcome.reason).toBe("horizon");
    expect(exits.map((e) => [e.reason, e.goroutine])).toEqual([
      ["panic", "bad-op"],
      ["panic", "nan"],
    ]);
    expect(exits[0].error).toBe(
      "TypeError: goroutine bad-op yielded 42, which is not an Op (yield rt.sleep(ms), or yield* a blocking call)",
    );
    expect(exits[1].error).toBe(
      "TypeError: goroutine nan yielded sleep(NaN), expected a finite number of ms",
    );
    expect(recovered).toBe(
      'goroutine careful yielded an object with kind "nap", which is not an Op (yield rt.sleep(ms), or yield* a blocking call)',
    );
    expect(c.state).toBe("running");
  });

  it("a sleep for ever, or for a time given as text, panics saying the time as it was given", () => {
    const errors: string[] = [];
    for (const ms of [Number.POSITIVE_INFINITY, "1000", undefined]) {
      const sim = newSim();
      const p = sim.spawn("p", { onExit: (_p, e) => errors.push(e.error ?? "") });
      sim.go(
        p,
        "waits",
        (function* (): GoroutineBody {
          yield sleep(ms as number);
        })(),
      );
      sim.run();
    }
    expect(errors).toEqual([
      "TypeError: goroutine waits yielded sleep(Infinity), expected a finite number of ms",
      'TypeError: goroutine waits yielded sleep("1000"), expected a finite number of ms',
      "TypeError: goroutine waits yielded sleep(undefined), expected a finite number of ms",
    ]);
  });

  it("what a goroutine yields that is not an op is said, with what to yield instead", () => {
    const yielded: [unknown, string][] = [
      [
        Promise.resolve(1),
        "yielded a Promise, which is not an Op: async functions and await are not supported, the simulation drives generators (function*): yield rt.sleep(ms), and yield* a blocking call",
      ],
      [
        (function* () {})(),
        "yielded a generator, which is not an Op: a blocking call is a generator, to run with yield*, not yield (yield* rt.store.getAccount(id))",
      ],
      [undefined, "yielded undefined, which is not an Op (yield rt.sleep(ms), or yield* a blocking call)"],
      [
        "a\u001b[2J",
        'yielded "a\\u001b[2J", which is not an Op (yield rt.sleep(ms), or yield* a blocking call)',
      ],
      [
        new Proxy(
          {},
          {
            getOwnPropertyDescriptor: () => {
              throw new Error("trap");
            },
          },
        ),
        "yielded an object, which is not an Op (yield rt.sleep(ms), or yield* a blocking call)",
      ],
    ];
    for (const [value, said] of yielded) {
      const sim = newSim();
      const p = sim.spawn("p");
      sim.go(
        p,
        "g",
        (function* (): GoroutineBody {
          yield value as Op;
        })(),
      );
      sim.run();
      expect(p.exit?.error).toBe(`TypeError: goroutine g ${said}`);
    }
  });

  it("a NaN timer delay is thrown to its caller: inside a goroutine, a panic", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    function* body(): GoroutineBody {
      yield sleep(1);
      sim.timer(p, Number.NaN, () => {});
    }
    sim.go(p, "arm", body());
    sim.run();
    expect(p.exit?.reason).toBe("panic");
    expect(p.exit?.error).toMatch(/^RangeError: timer delay is not a number/);
  });

  it("a goroutine that kills its own process and then throws or returns ends it once, with no negative count", () => {
    const sim = newSim();
    const exits: ProcessExit[] = [];
    const p = sim.spawn("p", { onExit: (_proc, e) => exits.push(e) });
    const q = sim.spawn("q", { onExit: (_proc, e) => exits.push(e) });
    function* thenThrow(): GoroutineBody {
      yield sleep(1);
      sim.kill(p);
      throw new Error("after death");
    }
    function* thenReturn(): GoroutineBody {
      yield sleep(1);
      sim.kill(q);
    }
    sim.go(p, "suicide", thenThrow());
    sim.go(q, "suicide", thenReturn());
    sim.run();
    expect(exits.map((e) => e.reason)).toEqual(["killed", "killed"]);
    expect(p.goroutines).toBe(0);
    expect(q.goroutines).toBe(0);
  });

  it("go() on a dead process returns false and runs nothing; stop() ends a process with reason stopped", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    let ran = false;
    sim.stop(p);
    expect(p.exit?.reason).toBe("stopped");
    function* body(): GoroutineBody {
      ran = true;
      yield sleep(1);
    }
    expect(sim.go(p, "late", body())).toBe(false);
    sim.run();
    expect(ran).toBe(false);
  });

  it("running names the goroutine and its context while it runs, and nothing in plain events", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const seen: unknown[] = [];
    function* body(): GoroutineBody {
      seen.push({ label: sim.running?.label, context: sim.running?.context });
      yield sleep(1);
      seen.push(sim.running?.label);
    }
    sim.go(p, "task", body(), { context: { schedule: "s1" } });
    sim.at(5, () => seen.push(sim.running));
    sim.run();
    expect(seen).toEqual([{ label: "task", context: { schedule: "s1" } }, "task", null]);
  });

  it("a goroutine's cause follows setCause, and events it schedules inherit it", () => {
    const sim = newSim();
    const p = sim.spawn("p");
    const root = sim.emit("root.happened");
    function* body(): GoroutineBody {
      const step = sim.emit("step.one");
      sim.setCause(step);
      yield sleep(1);
      sim.emit("step.two");
      sim.after(1, () => sim.emit("later"));
    }
    const events: { type: string; cause: number | null }[] = [];
    sim.trace.addSink({ onEvent: (e) => events.push({ type: e.type, cause: e.cause }) });
    sim.go(p, "task", body(), { cause: root });
    sim.run();
    expect(events).toEqual([
      { type: "step.one", cause: root },
      { type: "step.two", cause: root + 1 },
      { type: "later", cause: root + 1 },
    ]);
  });

  it("at() in the past is a simulator bug: it halts the run and names the seed", () => {
    const sim = newSim();
    sim.at(100, () => sim.at(50, () => {}));
    const outcome = sim.run();
    expect(outcome.reason).toBe("halted");
    expect(outcome.detail).toMatch(/seed 11: InvariantViolation: event scheduled in the past: 50 < 100/);
    expect(sim.run().reason).toBe("halted");
  });

  it("stepping one event at a time gives the same trace as run()", () => {
    const build = () => {
      const sim = newSim(10_000);
      const p = sim.spawn("p");
      function* body(n: number): GoroutineBody {
        for (let i = 0; i < 5; i++) {
          yield sleep(sim.random.stream("x").int(1, 100));
          sim.emit("tick", { n, i });
        }
      }
      for (let n = 0; n < 3; n++) sim.go(p, `g${n}`, body(n));
      return sim;
    };
    const ran = build();
    ran.run();
    const stepped = build();
    let steps = 0;
    while (stepped.step()) steps++;
    expect(stepped.trace.hash).toBe(ran.trace.hash);
    expect(stepped.events).toBe(ran.events);
    expect(steps).toBeGreaterThan(0);
  });
});

// Shows that the Runtime port fences a scheduler's own mistakes: a task reused after its commit can neither commit again nor make its schedule skip a due, and garbage handed to the port is a panic of the caller, never a corrupt due queue.
import { describe, expect, it } from "vitest";
import type { GoroutineBody } from "../../src/kernel/index.js";

import { bundledSchedulers } from "../../src/schedulers/index.js";
import type {
  Call,
  FaultPoint,
  Message,
  Runtime,
  ScheduleInfo,
  Scheduler,
  SchedulerFactory,
  TaskTx,
} from "../../src/world/runtime.js";
import { World } from "../../src/world/world.js";
import { eventsOf, MIN, reportOf, runWorld, smallWorldConfig } from "../world/helpers.js";

/** A scheduler that claims due work every second and runs `task` on each claimed task. */
function taskScheduler(name: string, task: (rt: Runtime, tx: TaskTx) => GoroutineBody): SchedulerFactory {
  function* main(rt: Runtime): GoroutineBody {
    for (;;) {
      const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
      if (err === null) for (const tx of claim.tasks) rt.go(`${name} ${tx.task}`, task(rt, tx), tx);
      yield rt.sleep(1000);
    }
  }
  return { name, description: name, fixes: [], create: () => ({ name, fixes: [], main }) };
}

/** A careless scheduler: after committing a task, it restarts it and commits it again. */
function carelessScheduler(outcomes: [Error | null, Error | null][]): SchedulerFactory {
  function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
    const first = yield* tx.commit();
    const again = yield* tx.restart().commit();
    outcomes.push([first, again]);
    yield rt.sleep(0);
  }
  return taskScheduler("careless", task);
}

describe("a scheduler misusing its tasks", () => {
  it("cannot commit a task twice, and its schedules advance one due at a time", () => {
    const outcomes: [Error | null, Error | null][] = [];
    const config = smallWorldConfig({ scheduler: "careless", deleteAtMs: null, durationMs: 6 * MIN });
    const { events, world } = runWorld(config, undefined, [carelessScheduler(outcomes)]);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.filter(([first]) => first !== null)).toEqual([]);
    const seconds = outcomes.map(([, again]) => again);
    expect(seconds.map((e) => e?.message ?? "ok").filter((m) => !/no longer claimed/.test(m))).toEqual([]);
    // Every due of every schedule committed exactly once, with no gap between dues.
    const byschedule = new Map<string, number[]>();
    for (const c of eventsOf(events, "task.committed"))
      byschedule.set(c.schedule, [...(byschedule.get(c.schedule) ?? []), c.due]);
    for (const [schedule, dues] of byschedule) {
      expect(new Set(dues).size, schedule).toBe(dues.length);
      const next = eventsOf(events, "task.committed").filter((c) => c.schedule === schedule);
      for (let i = 1; i < next.length; i++) expect(next[i].due, schedule).toBe(next[i - 1].next);
    }
    world.store.verify();
  });
});

/** A message of the task's schedule, named after the task, with 3 retries (its destination is not judged by these calls). */
function bareMessage(tx: TaskTx): Message {
  return { id: tx.task, schedule: tx.schedule, account: tx.account, destination: "x", body: "", retries: 3 };
}

/** A scheduler that asks for a retry of one schedule's deliveries at a time it computed as NaN. */
function nanRetryScheduler(caught: Error[] | null): SchedulerFactory {
  function* task(_rt: Runtime, tx: TaskTx): GoroutineBody {
    const message = bareMessage(tx);
    if (tx.schedule === "sched-000002") {
      if (caught === null) tx.retryLater(message, 1, Number.NaN);
      else
        try {
          tx.retryLater(message, 1, Number.NaN);
        } catch (e) {
          caught.push(e as Error);
        }
    }
    yield* tx.commit();
  }
  return taskScheduler("nan-retry", task);
}

describe("a scheduler handing the port a NaN retry time", () => {
  const config = smallWorldConfig({ scheduler: "nan-retry", deleteAtMs: null, durationMs: 6 * MIN });

  it("panics in the calling task, naming the call and the bad value", () => {
    const { events, world } = runWorld(config, undefined, [nanRetryScheduler(null)]);
    const crashes = eventsOf(events, "worker.crashed").filter((c) => c.reason === "panic");
    expect(crashes.length).toBeGreaterThan(0);
    for (const crash of crashes) {
      expect(crash.schedule).toBe("sched-000002");
      expect(crash.error).toMatch(/TypeError: tx\.retryLater: atMs is NaN, expected a finite number/);
    }
    world.store.verify();
  });

  it("queues nothing, so the schedule's partition goes on firing when the scheduler catches it", () => {
    const caught: Error[] = [];
    const { events, world } = runWorld(config, undefined, [nanRetryScheduler(caught)]);
    expect(caught.length).toBeGreaterThan(3);
    const partition = world.store.schedules.get("sched-000002")!.partition;
    const inPartition = [...world.store.schedules.values()].filter((s) => s.partition === partition);
    expect(inPartition.length).toBeGreaterThan(1);
    const lastDue = config.startMs + config.durationMs - 2 * MIN;
    const committed = eventsOf(events, "task.committed");
    for (const s of inPartition)
      expect(
        committed.some((c) => c.schedule === s.id && c.due >= lastDue),
        s.id,
      ).toBe(true);
    world.store.verify();
  });
});

/** A scheduler whose `main` returns `made(rt)` in place of a generator. */
function notAGeneratorScheduler(made: (rt: Runtime) => unknown): SchedulerFactory {
  const main = (rt: Runtime) => made(rt) as GoroutineBody;
  return {
    name: "not-gen",
    description: "",
    fixes: [],
    create: () => ({ name: "not-gen", fixes: [], main }),
  };
}

/** The panics of a two-minute world whose scheduler's `main(rt)` returns what `made(rt)` does. */
function panicsOf(made: (rt: Runtime) => unknown): { goroutine?: string; error?: string }[] {
  const config = smallWorldConfig({ scheduler: "not-gen", deleteAtMs: null, durationMs: 2 * MIN });
  const { events } = runWorld(config, undefined, [notAGeneratorScheduler(made)]);
  const crashes = eventsOf(events, "worker.crashed").filter((c) => c.reason === "panic");
  expect(crashes.length).toBeGreaterThan(0);
  return crashes.map((c) => ({ goroutine: c.goroutine, error: c.error }));
}

/** Every panic of such a world is the scheduler goroutine's, with `error`. */
function expectSchedulerPanics(made: (rt: Runtime) => unknown, error: string): void {
  for (const crash of panicsOf(made)) expect(crash).toEqual({ goroutine: "scheduler", error });
}

describe("a goroutine body that is not a generator", () => {
  it("from main is a panic of the scheduler goroutine saying what main returned", () => {
    for (const crash of panicsOf(() => ({ hello: 1 })))
      expect(crash).toEqual({
        goroutine: "scheduler",
        error: "TypeError: main(rt) returned an object, expected a generator (function*)",
      });
  });

  it("from a factory whose create gives no scheduler is a panic of the scheduler goroutine saying what create returned", () => {
    for (const [made, said] of [
      [null, "null"],
      [undefined, "undefined"],
      [{ name: "x" }, "an object without main(rt)"],
    ] as const) {
      const factory: SchedulerFactory = {
        name: "no-scheduler",
        description: "",
        fixes: [],
        create: () => made as unknown as Scheduler,
      };
      const config = smallWorldConfig({ scheduler: "no-scheduler", deleteAtMs: null, durationMs: 2 * MIN });
      const crashes = eventsOf(runWorld(config, undefined, [factory]).events, "worker.crashed");
      expect(crashes.length).toBeGreaterThan(0);
      for (const crash of crashes)
        expect({ reason: crash.reason, goroutine: crash.goroutine, error: crash.error }).toEqual({
          reason: "panic",
          goroutine: "scheduler",
          error: `TypeError: create([]) returned ${said}, expected a scheduler { name, fixes, main(rt) }`,
        });
    }
  });

  it("from main that returns an async generator is a panic of the scheduler goroutine saying so, not an error of the simulator", () => {
    async function* loop(rt: Runtime) {
      for (;;) yield rt.sleep(1000);
    }
    expectSchedulerPanics(
      (rt) => loop(rt),
      "TypeError: main(rt) returned an async generator (async function*: a blocking call is `yield*`, not `await`), expected a generator (function*)",
    );
  });

  it("given to rt.go as an async generator is a panic of the caller saying so", () => {
    async function* task(rt: Runtime) {
      yield rt.sleep(1);
    }
    const made = function* (rt: Runtime): GoroutineBody {
      rt.go("x", task(rt) as unknown as GoroutineBody);
      yield rt.sleep(1000);
    };
    expectSchedulerPanics(
      made,
      'TypeError: rt.go("x", …) was given an async generator (async function*: a blocking call is `yield*`, not `await`), expected a generator',
    );
  });

  it("given to rt.go is a panic of the caller saying what it was given", () => {
    const made = function* (rt: Runtime): GoroutineBody {
      rt.go("x", 42 as unknown as GoroutineBody);
      yield rt.sleep(1000);
    };
    expectSchedulerPanics(made, 'TypeError: rt.go("x", …) was given a number, expected a generator');
  });
});

describe("rt.sleep given a time that is not a finite number", () => {
  it("is a panic of the caller naming the call and the value as it was given", () => {
    for (const [ms, said] of [
      [Number.POSITIVE_INFINITY, "Infinity"],
      ["1000", '"1000"'],
      [Number.NaN, "NaN"],
    ] as const) {
      const made = function* (rt: Runtime): GoroutineBody {
        for (;;) yield rt.sleep(ms as number);
      };
      expectSchedulerPanics(made, `TypeError: rt.sleep: ms is ${said}, expected a finite number`);
    }
  });

  it("but a negative time returns at once, as Go's time.Sleep does", () => {
    const waits: number[] = [];
    const made = function* (rt: Runtime): GoroutineBody {
      for (;;) {
        const before = rt.monotonicMs();
        yield rt.sleep(-5);
        waits.push(rt.monotonicMs() - before);
        yield rt.sleep(10_000);
      }
    };
    const config = smallWorldConfig({ scheduler: "not-gen", deleteAtMs: null, durationMs: 2 * MIN });
    const { events } = runWorld(config, undefined, [notAGeneratorScheduler(made)]);
    expect(eventsOf(events, "worker.crashed")).toEqual([]);
    expect(waits.length).toBeGreaterThan(10);
    expect(new Set(waits)).toEqual(new Set([0]));
  });
});

describe("a call the Runtime port does not have", () => {
  it("is a panic of the caller naming the call and what the port has, not V8's `(intermediate value) is not iterable`", () => {
    const made = function* (rt: Runtime): GoroutineBody {
      // A typo of claimDue, as an author writes it from memory.
      yield* (
        rt.store as unknown as { claimDueTasks(p: readonly number[], n: number): GoroutineBody }
      ).claimDueTasks(rt.ownedPartitions(), 10);
      yield rt.sleep(1000);
    };
    expectSchedulerPanics(
      made,
      "TypeError: rt.store.claimDueTasks is not part of the Runtime port (rt.store has getAccount, listSchedules, claimDue)",
    );
  });

  it("on rt itself names the calls rt has", () => {
    const made = function* (rt: Runtime): GoroutineBody {
      yield (rt as unknown as { after(ms: number): ReturnType<Runtime["sleep"]> }).after(1000);
    };
    for (const crash of panicsOf(made))
      expect(crash.error).toBe(
        "TypeError: rt.after is not part of the Runtime port (rt has worker, options, concurrency, now, monotonicMs, sleep, go, ownedPartitions, leaseExpiresAt, store, http, log, errors, faultPoint)",
      );
  });
});

describe("the guard on the Runtime port", () => {
  it("is on a module's port, and not on the bundled schedulers', which never read a name it lacks", () => {
    const world = new World(smallWorldConfig({ deleteAtMs: null }), {
      schedulers: new Map([...bundledSchedulers(), ["mine", { ...taskScheduler("mine", function* () {}) }]]),
    });
    expect(world.guardsPort({ name: "mine", fixes: [] })).toBe(true);
    expect(world.guardsPort({ name: "v1", fixes: [] })).toBe(false);
    expect(world.guardsPort({ name: "v2", fixes: ["early-return"] })).toBe(false);
  });
});

describe("an effect buffered on a finished task", () => {
  /** Commits first, then asks for a retry: a scheduler that advances the schedule before delivering. */
  function commitFirstScheduler(): SchedulerFactory {
    function* task(_rt: Runtime, tx: TaskTx): GoroutineBody {
      yield* tx.commit();
      tx.deadLetter(
        { id: tx.task, schedule: tx.schedule, account: tx.account, destination: "x", body: "", retries: 0 },
        1,
      );
    }
    return taskScheduler("commit-first", task);
  }

  it("is a panic of the caller, not an effect silently lost", () => {
    const config = smallWorldConfig({ scheduler: "commit-first", deleteAtMs: null, durationMs: 2 * MIN });
    const { events } = runWorld(config, undefined, [commitFirstScheduler()]);
    const crashes = eventsOf(events, "worker.crashed").filter((c) => c.reason === "panic");
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes[0].error).toMatch(
      /^TypeError: tx\.deadLetter: the transaction of task sched-\d+@\d{4}-\d\d-\d\dT[\d:.]+Z has finished \(committed\); an effect buffered now would never apply: call tx\.deadLetter before tx\.commit\(\)$/,
    );
    expect(eventsOf(events, "delivery.dead-lettered")).toEqual([]);
  });
});

describe("a blocking call made without yield*", () => {
  it("is a panic of the caller saying to yield* it, not a TypeError about what destructuring got", () => {
    const made = function* (rt: Runtime): GoroutineBody {
      // `yield*` forgotten: destructuring iterates the call's generator itself, so the store never sees it.
      const [claim, err] = rt.store.claimDue(rt.ownedPartitions(), 10) as unknown as [unknown, Error | null];
      if (err !== null) rt.log.warn(`claim failed: ${err.message}`);
      void claim;
      yield rt.sleep(1000);
    };
    expectSchedulerPanics(
      made,
      "TypeError: rt.store.claimDue(…) was iterated, not yielded to the runtime, so it never ran: call it with yield* (const [value, err] = yield* rt.store.claimDue(…))",
    );
  });
});

describe("a scheduler whose main(rt) returns", () => {
  it("is traced and told: the worker stays up and claims nothing more, which the lanes cannot show", () => {
    // The loop forgotten: one claim, then main returns.
    const made = function* (rt: Runtime): GoroutineBody {
      yield* rt.store.claimDue(rt.ownedPartitions(), 10);
    };
    const config = smallWorldConfig({ scheduler: "not-gen", deleteAtMs: null, durationMs: 2 * MIN });
    const { events } = runWorld(config, undefined, [notAGeneratorScheduler(made)]);
    const returned = eventsOf(events, "scheduler.returned");
    expect(returned.map((e) => e.worker).sort()).toEqual(["w1", "w2", "w3", "w4"]);
    expect(returned[0]).toMatchObject({ incarnation: 1 });
    const { timeline } = reportOf(events);
    expect(timeline.map((e) => e.text)).toContain(
      "w1's scheduler returned from main(rt): it claims no work until its process restarts",
    );
  });
});

describe("a send the port cannot vouch for", () => {
  /** The message a task of schedule `s` delivers, as v2 builds it. */
  function messageOf(tx: TaskTx, s: ScheduleInfo = tx.work.schedule): Message {
    return {
      id: `${s.id}@${tx.due}/m${tx.attempt}`,
      schedule: s.id,
      account: s.account,
      destination: s.destination,
      body: "",
      retries: 3,
    };
  }

  /** A scheduler whose tasks of `sched-000002` send `send(tx, kept)` (kept: the task of another schedule seen first). */
  function sendingScheduler(
    name: string,
    send: (tx: TaskTx, kept: TaskTx) => { on: TaskTx; message: Message; attempt?: number },
    commitFirst = false,
  ): SchedulerFactory {
    let kept: TaskTx | null = null;
    function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
      if (commitFirst) yield* tx.commit();
      if (tx.schedule !== "sched-000002") kept ??= tx;
      else if (kept !== null) {
        const { on, message, attempt } = send(tx, kept);
        yield* rt.http.post(on, message, attempt ?? 0);
      }
      if (!commitFirst) yield* tx.commit();
    }
    return taskScheduler(name, task);
  }

  /** The errors of the panics of a two-minute world run by `factory`, each in the calling task. */
  function refusalsOf(factory: SchedulerFactory): string[] {
    const config = smallWorldConfig({ scheduler: factory.name, deleteAtMs: null, durationMs: 2 * MIN });
    const { events } = runWorld(config, undefined, [factory]);
    const crashes = eventsOf(events, "worker.crashed").filter((c) => c.reason === "panic");
    expect(crashes.length).toBeGreaterThan(0);
    for (const crash of crashes) expect(crash.schedule).toBe("sched-000002");
    // Refused before it left: the destination never got the message.
    expect(eventsOf(events, "delivery.sent").filter((e) => e.schedule === "sched-000002")).toEqual([]);
    return crashes.map((c) => c.error ?? "");
  }

  it("numbered as no attempt a fire can send ends its process, naming the attempts it may: 0 to the schedule's retries", () => {
    // Past the retries, below the first, not whole, not a number: each a number the checks would
    // read as the message's history (a send numbered 7, then one numbered 0, delivered twice).
    for (const [attempt, said] of [
      [7, "7"],
      [-1, "-1"],
      [0.5, "0.5"],
      ["1", '"1"'],
    ] as const) {
      const errors = refusalsOf(
        sendingScheduler("post-attempt", (tx) => ({
          on: tx,
          message: messageOf(tx),
          attempt: attempt as number,
        })),
      );
      expect(errors[0]).toBe(
        `TypeError: rt.http.post: attempt is ${said}, expected an integer from 0 to 3 (0: the first attempt; 3: schedule sched-000002's retries)`,
      );
    }
  });

  it("numbered before the retry its task runs ends its process", () => {
    // The fire asks for retry 2 of its message (its send failed, say); the retry task then sends
    // it as attempt 1, a number the task before it had.
    function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
      if (tx.schedule === "sched-000002") {
        const work = tx.work;
        if (work.kind === "fire") tx.retryLater(messageOf(tx), 2, rt.now() + 1000);
        else yield* rt.http.post(tx, work.message, work.attempt - 1);
      }
      yield* tx.commit();
    }
    expect(refusalsOf(taskScheduler("post-retry-below", task))[0]).toMatch(
      /^TypeError: rt\.http\.post: attempt is 1, expected an integer from 2 to 3 \(2: retry 2, the one task \S+ runs; 3: schedule sched-000002's retries\)$/,
    );
  });

  it("on a finished transaction is a panic of the caller, as an effect buffered on one is", () => {
    const errors = refusalsOf(
      sendingScheduler("post-after-commit", (tx) => ({ on: tx, message: messageOf(tx) }), true),
    );
    expect(errors[0]).toMatch(
      /^TypeError: rt\.http\.post: the transaction of task sched-000002@\d{4}-\d\d-\d\dT[\d:.]+Z has finished \(committed\); a message sent now would be no task's delivery: send before tx\.commit\(\)$/,
    );
  });

  it("of another schedule's message is a panic naming both schedules and accounts", () => {
    const errors = refusalsOf(
      sendingScheduler("post-other", (tx, kept) => ({ on: tx, message: messageOf(tx, kept.work.schedule) })),
    );
    expect(errors[0]).toMatch(
      /^TypeError: rt\.http\.post: message sched-[\w-]+@\d{4}-\d\d-\d\dT[\d:.]+Z\/m1 is schedule sched-[\w-]+'s of account acct-[\w-]+, not task sched-000002@\d{4}-\d\d-\d\dT[\d:.]+Z's \(schedule sched-000002 of account acct-\d+\)$/,
    );
  });

  it("to another destination than the schedule's is a panic naming both", () => {
    const errors = refusalsOf(
      sendingScheduler("post-elsewhere", (tx) => ({
        on: tx,
        message: { ...messageOf(tx), destination: "https://attacker.example/hook" },
      })),
    );
    expect(errors[0]).toMatch(
      /^TypeError: rt\.http\.post: message sched-000002@\d{4}-\d\d-\d\dT[\d:.]+Z\/m1 goes to https:\/\/attacker\.example\/hook, not to schedule sched-000002's destination https:\/\/\S+$/,
    );
  });
});

describe("a refused send inside a task that recovers every panic", () => {
  /** Sends a message to the attacker's hook on every task of `sched-000002`, in a try that swallows what it throws. */
  function swallowingScheduler(caught: unknown[]): SchedulerFactory {
    function* task(rt: Runtime, tx: TaskTx): GoroutineBody {
      if (tx.schedule === "sched-000002")
        try {
          const s = tx.work.schedule;
          const message = {
            id: tx.task,
            schedule: s.id,
            account: s.account,
            destination: "https://attacker.example/hook",
            body: "",
            retries: 3,
          };
          yield* rt.http.post(tx, message, 0);
        } catch (e) {
          caught.push(e);
        }
      yield* tx.commit();
    }
    return taskScheduler("swallowing", task);
  }

  it("ends its process, as Go's fatal errors do: recovered, the refusal would hide the send from every property", () => {
    const caught: unknown[] = [];
    const config = smallWorldConfig({ scheduler: "swallowing", deleteAtMs: null, durationMs: 2 * MIN });
    const { events } = runWorld(config, undefined, [swallowingScheduler(caught)]);
    expect(caught).toEqual([]);
    const crashes = eventsOf(events, "worker.crashed").filter((c) => c.reason === "panic");
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes[0]).toMatchObject({
      schedule: "sched-000002",
      goroutine: expect.stringMatching(/^swallowing sched-000002@/),
    });
    expect(crashes[0].error).toMatch(
      /^TypeError: rt\.http\.post: message sched-000002@\d{4}-\d\d-\d\dT[\d:.]+Z goes to https:\/\/attacker\.example\/hook/,
    );
    expect(eventsOf(events, "delivery.sent").filter((e) => e.schedule === "sched-000002")).toEqual([]);
  });
});

/** Buffers `effects(tx, message)` on every task of `sched-000002`, catching what the port throws, then commits. */
function effectsScheduler(
  name: string,
  caught: Error[],
  effects: (tx: TaskTx, message: Message) => void,
): SchedulerFactory {
  function* task(_rt: Runtime, tx: TaskTx): GoroutineBody {
    const message = bareMessage(tx);
    if (tx.schedule === "sched-000002")
      try {
        effects(tx, message);
      } catch (e) {
        caught.push(e as Error);
      }
    yield* tx.commit();
  }
  return taskScheduler(name, task);
}

/** What the port threw at `effects` in a two-minute world, and the `delivery.failed` events traced. */
function effectsRun(effects: (tx: TaskTx, message: Message) => void): { caught: Error[]; failed: number } {
  const caught: Error[] = [];
  const config = smallWorldConfig({ scheduler: "effects", deleteAtMs: null, durationMs: 2 * MIN });
  const { events } = runWorld(config, undefined, [effectsScheduler("effects", caught, effects)]);
  return { caught, failed: eventsOf(events, "delivery.failed").length };
}

describe("one failure asking for more than one retry", () => {
  const later = (tx: TaskTx) => tx.due + 60_000;

  it("is a panic of the caller at the second retry or dead letter of a message in one transaction", () => {
    for (const [second, call] of [
      [(tx: TaskTx, m: Message) => tx.retryLater(m, 1, later(tx)), "retryLater"],
      [(tx: TaskTx, m: Message) => tx.deadLetter(m, 1), "deadLetter"],
    ] as const) {
      const { caught, failed } = effectsRun((tx, m) => {
        tx.retryLater(m, 1, later(tx));
        second(tx, m);
      });
      expect(caught.length).toBeGreaterThan(0);
      for (const e of caught)
        expect(e.message).toMatch(
          new RegExp(
            `^tx\\.${call}: message sched-000002@\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z already has a retry in this transaction; one failed send asks for one retry or one dead letter$`,
          ),
        );
      // The first retry of each task stands, traced once: nothing of the refused call was buffered.
      expect(failed).toBe(caught.length);
    }
  });

  it("is a panic of the caller for a retry numbered past the message's retries", () => {
    const { caught, failed } = effectsRun((tx, m) => tx.retryLater(m, 4, later(tx)));
    expect(caught.length).toBeGreaterThan(0);
    for (const e of caught)
      expect(e.message).toMatch(
        /^tx\.retryLater: attempt 4 is past message sched-000002@\d{4}-\d\d-\d\dT[\d:.]+Z's 3 retries; dead-letter it instead$/,
      );
    expect(failed).toBe(0);
  });

  it("reads the retries from the schedule as the store has it, not from a message the module raised", () => {
    const { caught, failed } = effectsRun((tx, m) => tx.retryLater({ ...m, retries: 10 }, 4, later(tx)));
    expect(caught.length).toBeGreaterThan(0);
    for (const e of caught)
      expect(e.message).toMatch(
        /^tx\.retryLater: attempt 4 is past schedule sched-000002's 3 retries \(message sched-000002@\d{4}-\d\d-\d\dT[\d:.]+Z says 10\); dead-letter it instead$/,
      );
    expect(failed).toBe(0);
  });

  it("is not a retry of another message, nor one within the message's retries", () => {
    const { caught, failed } = effectsRun((tx, m) => {
      tx.retryLater(m, 3, later(tx));
      tx.retryLater({ ...m, id: `${m.id}.other` }, 1, later(tx));
    });
    expect(caught).toEqual([]);
    expect(failed).toBeGreaterThan(0);
  });
});

describe("arguments the port would take for something else", () => {
  it("to a call of the scheduler goroutine are its panic, naming the call and what it was given", () => {
    const calls: [string, (rt: Runtime) => Call<unknown> | undefined, string][] = [
      [
        "partitions as text",
        (rt) => rt.store.claimDue("0,1" as unknown as number[], 5),
        'rt.store.claimDue: partitions is "0,1", expected a list of partition numbers',
      ],
      [
        "no partitions",
        (rt) => rt.store.claimDue(null as unknown as number[], 5),
        "rt.store.claimDue: partitions is null, expected a list of partition numbers",
      ],
      [
        "a partition as text",
        (rt) => rt.store.claimDue(["0"] as unknown as number[], 5),
        'rt.store.claimDue: partitions[0] is "0", expected an integer >= 0',
      ],
      [
        "an account id as a number",
        (rt) => rt.store.getAccount(42 as unknown as string),
        "rt.store.getAccount: accountId is 42, expected a string",
      ],
      [
        "an account id as a list",
        (rt) => rt.store.listSchedules([] as unknown as string),
        "rt.store.listSchedules: accountId is an array, expected a string",
      ],
      [
        "a partition as text, for its lease",
        (rt) => {
          rt.leaseExpiresAt("3" as unknown as number);
          return undefined;
        },
        'rt.leaseExpiresAt: partition is "3", expected an integer >= 0',
      ],
      [
        "a fault point without its task",
        (rt) => rt.faultPoint("before-commit", null as unknown as TaskTx),
        "rt.faultPoint: tx is not a task the port handed out (rt.store.claimDue, tx.restart and tx.rollback give one)",
      ],
    ];
    for (const [what, call, said] of calls) {
      const made = function* (rt: Runtime): GoroutineBody {
        for (;;) {
          const blocking = call(rt);
          if (blocking) yield* blocking;
          yield rt.sleep(1000);
        }
      };
      for (const crash of panicsOf(made))
        expect(crash, what).toEqual({ goroutine: "scheduler", error: `TypeError: ${said}` });
    }
  });

  it("a misspelt fault point is a panic naming the points, with the one meant, not a point no fault can reach", () => {
    const task = function* (rt: Runtime, tx: TaskTx): GoroutineBody {
      yield* rt.faultPoint("before-deliver" as FaultPoint, tx);
      yield* tx.commit();
    };
    const config = smallWorldConfig({ scheduler: "typo", deleteAtMs: null, durationMs: 2 * MIN });
    const crashes = eventsOf(
      runWorld(config, undefined, [taskScheduler("typo", task)]).events,
      "worker.crashed",
    );
    expect(crashes.length).toBeGreaterThan(0);
    for (const crash of crashes)
      expect(crash.error).toBe(
        'TypeError: rt.faultPoint: point is "before-deliver", expected one of before-account-read, after-account-read, before-delivery, after-delivery, before-commit (did you mean "before-delivery"?)',
      );
  });

  it("to a task's effects are the task's panic, and nothing is buffered", () => {
    const effects: [string, (tx: TaskTx, m: Message) => void, RegExp][] = [
      [
        "a schedule id as a number",
        (tx) => tx.deleteSchedule(42 as unknown as string),
        /^tx\.deleteSchedule: scheduleId is 42, expected a string$/,
      ],
      [
        "a body that is no text",
        (tx, m) => tx.retryLater({ ...m, body: 5 as unknown as string }, 1, tx.due + 60_000),
        /^tx\.retryLater: message sched-000002@\S+ has body 5, expected a string$/,
      ],
      [
        "a message without retries",
        (tx, m) => tx.deadLetter({ ...m, retries: undefined as unknown as number }, 1),
        /^tx\.deadLetter: message sched-000002@\S+ has retries undefined, expected an integer >= 0$/,
      ],
    ];
    for (const [what, effect, said] of effects) {
      const { caught, failed } = effectsRun(effect);
      expect(caught.length, what).toBeGreaterThan(0);
      for (const e of caught) expect(e.message, what).toMatch(said);
      expect(failed, what).toBe(0);
    }
  });

  it("to a send end the process before it leaves, as other refused sends do", () => {
    const sends: [string, (tx: TaskTx) => [Message, number], RegExp][] = [
      [
        "a body that is a number",
        (tx) => [
          { ...bareMessage(tx), destination: tx.work.schedule.destination, body: 42 as unknown as string },
          0,
        ],
        /^TypeError: rt\.http\.post: message sched-000002@\S+ has body 42, expected a string$/,
      ],
      [
        "a negative attempt",
        (tx) => [{ ...bareMessage(tx), destination: tx.work.schedule.destination }, -1],
        /^TypeError: rt\.http\.post: attempt is -1, expected an integer from 0 to 3 \(0: the first attempt; 3: schedule sched-000002's retries\)$/,
      ],
    ];
    for (const [what, send, said] of sends) {
      const task = function* (rt: Runtime, tx: TaskTx): GoroutineBody {
        if (tx.schedule === "sched-000002") yield* rt.http.post(tx, ...send(tx));
        yield* tx.commit();
      };
      const config = smallWorldConfig({ scheduler: "sends", deleteAtMs: null, durationMs: 2 * MIN });
      const { events } = runWorld(config, undefined, [taskScheduler("sends", task)]);
      const crashes = eventsOf(events, "worker.crashed");
      expect(crashes.length, what).toBeGreaterThan(0);
      for (const crash of crashes) expect(crash.error, what).toMatch(said);
      expect(
        eventsOf(events, "delivery.sent").filter((e) => e.schedule === "sched-000002"),
        what,
      ).toEqual([]);
    }
  });

  it("to the error reporter are a panic, rather than fields of another kind in the trace", () => {
    const reports: [string, (rt: Runtime, tx: TaskTx) => void, string][] = [
      [
        "no task",
        (rt) => rt.errors.recoveredPanic(new Error("x"), null as unknown as TaskTx, 1, null),
        "rt.errors.recoveredPanic: tx is not a task the port handed out (rt.store.claimDue, tx.restart and tx.rollback give one)",
      ],
      [
        "an attempt as text",
        (rt, tx) => rt.errors.recoveredPanic(new Error("x"), tx, "1" as unknown as number, null),
        'rt.errors.recoveredPanic: attempt is "1", expected an integer >= 0',
      ],
      [
        "a retry for ever",
        (rt, tx) => rt.errors.recoveredPanic(new Error("x"), tx, 1, Number.POSITIVE_INFINITY),
        "rt.errors.recoveredPanic: retryInMs is Infinity, expected a finite number >= 0",
      ],
    ];
    for (const [what, report, said] of reports) {
      const caught: string[] = [];
      const task = function* (rt: Runtime, tx: TaskTx): GoroutineBody {
        try {
          report(rt, tx);
        } catch (e) {
          caught.push((e as Error).message);
        }
        yield* tx.commit();
      };
      const config = smallWorldConfig({ scheduler: "reports", deleteAtMs: null, durationMs: 2 * MIN });
      const { events } = runWorld(config, undefined, [taskScheduler("reports", task)]);
      expect(caught.length, what).toBeGreaterThan(0);
      expect(new Set(caught), what).toEqual(new Set([said]));
      expect(eventsOf(events, "panic.recovered"), what).toEqual([]);
    }
  });
});

/** A scheduler of `main` alone under `name`, and a three-minute world of `workers` that runs it. */
function ownMainWorld(name: string, main: Scheduler["main"], workers: number) {
  const factory: SchedulerFactory = {
    name,
    description: name,
    fixes: [],
    create: () => ({ name, fixes: [], main }),
  };
  return {
    factory,
    config: smallWorldConfig({ scheduler: name, workers, deleteAtMs: null, durationMs: 3 * MIN }),
  };
}

describe("a scheduler that keeps a runtime in a module-level variable", () => {
  it("panics where one worker's code calls another worker's runtime, naming both processes", () => {
    let shared: Runtime | null = null; // set by each main: the last worker's runtime
    function* task(tx: TaskTx): GoroutineBody {
      yield* tx.commit();
    }
    function* main(rt: Runtime): GoroutineBody {
      shared = rt;
      for (;;) {
        const [claim, err] = yield* rt.store.claimDue(rt.ownedPartitions(), rt.concurrency);
        if (err === null) for (const tx of claim.tasks) shared!.go(`t ${tx.task}`, task(tx), tx);
        yield rt.sleep(1000);
      }
    }
    const { factory, config } = ownMainWorld("shared-rt", main, 3);
    const { events } = runWorld(config, undefined, [factory]);
    const crashes = eventsOf(events, "worker.crashed").filter((c) => c.reason === "panic");
    expect(crashes.length).toBeGreaterThan(0);
    const said =
      /TypeError: rt\.go: called by code of (w\d#\d+) with the runtime of (w\d#\d+)(, whose process has died)?: each process has its own rt, the one main\(rt\) is given \(a module-level variable that keeps one is shared by all the simulated workers\)/;
    for (const crash of crashes) {
      const [, caller, owner] = said.exec(crash.error ?? "") ?? [];
      expect(caller, crash.error).toMatch(new RegExp(`^${crash.worker}#`));
      expect(owner).not.toBe(caller);
    }
    // The worker whose runtime was kept runs its own tasks; the others die at their first go.
    expect(new Set(crashes.map((c) => c.worker)).size).toBeGreaterThan(1);
    expect(eventsOf(events, "task.committed").length).toBeGreaterThan(0);
  });

  it("panics where a restarted worker's code calls its dead process's runtime", () => {
    const kept = new Map<string, Runtime>();
    let died = false;
    function* main(given: Runtime): GoroutineBody {
      const rt = kept.get(given.worker) ?? given;
      kept.set(given.worker, rt);
      for (let tick = 0; ; tick++) {
        rt.ownedPartitions();
        if (tick === 5 && rt.worker === "w1" && !died) {
          died = true;
          throw new Error("die once");
        }
        yield rt.sleep(1000);
      }
    }
    const { factory, config } = ownMainWorld("old-rt", main, 2);
    const crashes = eventsOf(runWorld(config, undefined, [factory]).events, "worker.crashed");
    const [first, ...later] = crashes;
    expect(first.error).toMatch(/Error: die once/);
    // Each later process of w1 dies at its first call of the first process's runtime.
    expect(later.length).toBeGreaterThan(0);
    for (const [k, c] of later.entries())
      expect(c.error).toContain(
        `TypeError: rt.ownedPartitions: called by code of w1#${k + 2} with the runtime of w1#1, whose process has died: each process has its own rt, the one main(rt) is given`,
      );
  });
});

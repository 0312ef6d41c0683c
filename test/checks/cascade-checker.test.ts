// Shows how panic deaths group into a cascade: distinct workers per poison task, not deaths, not schedules.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { judgeExpectations } from "../../src/explore/expectations.js";
import { at, TraceBuilder } from "./trace-builder.js";

describe("cascade checker", () => {
  it("counts a poison schedule killing two workers as a cascade of depth 2", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 10 });
    b.ready("w1");
    b.ready("w2");
    const first = b.at(at(1)).panic("w1", "s-poison", "acct-gone", at(1));
    const second = b.at(at(2)).panic("w2", "s-poison", "acct-gone", at(1));
    b.at(at(3)).ready("w1", 2);
    b.at(at(4)).panic("w1", "s-poison", "acct-gone", at(1), { incarnation: 2 });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.cascade).toBe(true);
    expect(metrics.cascadeDepth).toBe(2);
    expect(metrics.cascadeWorkers).toEqual(["w1", "w2"]);
    expect(metrics.panicDeaths).toBe(3);
    expect(metrics.crashes).toBe(3);
    expect(metrics.poisonSchedules).toEqual(["s-poison"]);
    expect(metrics.firstPanicAt).toBe("2026-05-08T09:01:00.000Z");
    const noCascade = verdicts.find((v) => v.property === "no-cascade")!;
    expect(noCascade.ok).toBe(false);
    expect(noCascade.detail).toBe(
      "schedule s-poison killed 2 workers in turn: w1 at 09:01:00, w2 at 09:02:00 (3 panic deaths in task s-poison@2026-05-08T09:01:00Z)",
    );
    expect(noCascade.events).toEqual([first, second]);
  });

  it("does not join two panics of one schedule's tasks for different due times into a cascade", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 20 });
    b.ready("w1");
    b.ready("w2");
    // Two injected panics armed minutes apart, each in its own task: each kills one worker.
    const first = b.at(at(5)).panic("w1", "sx", "acct-x", at(5));
    b.at(at(6)).ready("w1", 2);
    b.at(at(12)).panic("w2", "sx", "acct-x", at(12));
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.cascade).toBe(false);
    expect(metrics.cascadeDepth).toBe(1);
    expect(metrics.cascadeWorkers).toEqual(["w1"]);
    expect(metrics.panicDeaths).toBe(2);
    expect(metrics.poisonSchedules).toEqual(["sx"]);
    expect(verdicts.find((v) => v.property === "no-cascade")).toEqual({
      property: "no-cascade",
      ok: true,
      exercised: true,
      detail:
        "no task killed more than one worker: sx@2026-05-08T09:05:00Z killed w1, sx@2026-05-08T09:12:00Z killed w2 (separate panics, not a cascade)",
      events: [first],
    });
  });

  it("counts one worker crash-looping as depth 1, not a cascade", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1, horizonMin: 10 });
    b.ready("w1");
    for (let i = 1; i <= 3; i++) {
      b.at(at(2 * i)).panic("w1", "s-poison", "acct-gone", at(1), { incarnation: i });
      b.at(at(2 * i + 1)).ready("w1", i + 1);
    }
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.cascade).toBe(false);
    expect(metrics.cascadeDepth).toBe(1);
    expect(metrics.panicDeaths).toBe(3);
    const noCascade = verdicts.find((v) => v.property === "no-cascade")!;
    expect(noCascade.ok).toBe(true);
    expect(noCascade.detail).toContain("crash loop");
    const noPanicDeath = verdicts.find((v) => v.property === "no-panic-death")!;
    expect(noPanicDeath.ok).toBe(false);
    expect(noPanicDeath.detail).toMatch(/^3 worker processes died of a panic: w1 at 09:02:00 in/);
    expect(noPanicDeath.events).toHaveLength(3);
  });

  it("names the goroutine of a panic death outside any task (a scheduler's main loop)", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1, horizonMin: 10 });
    b.ready("w1");
    const died = b.at(at(3)).emit("worker.crashed", {
      worker: "w1",
      incarnation: 1,
      reason: "panic",
      error: "TypeError: Cannot read properties of undefined (reading 'boom')",
      goroutine: "scheduler",
    });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.panicDeaths).toBe(1);
    expect(metrics.cascadeDepth).toBe(0);
    expect(verdicts.find((v) => v.property === "no-panic-death")).toMatchObject({
      ok: false,
      detail: "1 worker process died of a panic: w1 at 09:03:00 in goroutine scheduler",
      events: [died],
    });
  });

  it("does not hold plainly when panics outside any task killed several workers: it says it cannot judge them", () => {
    const b = fleetOf(3);
    // A scheduler running tasks inline in its main loop: the trace names the goroutine, not the task.
    for (const [minute, worker] of [
      [1, "w1"],
      [2, "w3"],
      [3, "w2"],
    ] as const)
      b.at(at(minute)).emit("worker.crashed", panicOutsideTasks(worker));
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.panicDeaths).toBe(3);
    expect(metrics.cascadeDepth).toBe(0);
    // One task run inline may have killed all three in turn: an ok here would prove nothing.
    expect(verdicts.find((v) => v.property === "no-cascade")).toEqual({
      property: "no-cascade",
      ok: true,
      exercised: false,
      detail:
        "not exercised: 3 panic deaths outside any task's goroutine (in goroutine scheduler, on 3 workers) were not judged, since the trace does not say which task each process was running; with them, panics killed 3 workers, possibly one task in turn. Pass each task as rt.go's third argument (rt.go(label, body, tx)), in a goroutine of its own rather than inline in a loop, so that a panic names its task. Of the panics in tasks: no panic in a task killed any worker",
      events: [],
    });
    const [expectation] = judgeExpectations(
      [{ kind: "property", variant: "fixed", property: "no-cascade", holds: true }],
      "fixed",
      metrics,
      verdicts,
    );
    expect(expectation).toMatchObject({ ok: true, notExercised: true, actual: "holds (not exercised)" });
  });

  it("says how many panic deaths it did not judge beside a verdict on those it did", () => {
    const b = fleetOf(2);
    const first = b.at(at(1)).panic("w1", "sx", "acct-x", at(1));
    b.at(at(2)).ready("w1", 2);
    b.at(at(3)).emit("worker.crashed", panicOutsideTasks("w1", 2));
    expect(noCascadeOf(b)).toEqual(
      held(
        true,
        "panics stayed on one worker: sx killed w1 once (a crash loop, not a cascade); 1 panic death outside any task's goroutine (in goroutine scheduler, on 1 worker): not judged, as the trace does not say which task, if any, each process had under way",
        [first],
      ),
    );
  });

  it("does not hold plainly when a panic outside any task killed another worker than a task's panic did", () => {
    const b = fleetOf(2);
    const first = b.at(at(1)).panic("w1", "sx", "acct-x", at(1));
    // w2's death may have been sx's too, run inline: sx may have killed both in turn.
    b.at(at(2)).emit("worker.crashed", panicOutsideTasks("w2"));
    expect(noCascadeOf(b)).toEqual(
      held(
        false,
        "not exercised: 1 panic death outside any task's goroutine (in goroutine scheduler, on 1 worker) was not judged, since the trace does not say which task each process was running; with it, panics killed 2 workers, possibly one task in turn. Pass each task as rt.go's third argument (rt.go(label, body, tx)), in a goroutine of its own rather than inline in a loop, so that a panic names its task. Of the panics in tasks: panics stayed on one worker: sx killed w1 once (a crash loop, not a cascade)",
        [first],
      ),
    );
  });

  it("counts kills as crashes but not as panic deaths, and recovered panics apart", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2 });
    b.ready("w1");
    b.ready("w2");
    b.at(at(1)).killed("w1");
    b.at(at(2)).emit("panic.recovered", {
      worker: "w2",
      schedule: "s1",
      account: "a1",
      partition: 0,
      due: at(2),
      task: `s1@${at(2)}`,
      error: "TypeError: boom",
      attempt: 1,
      retryInMs: 1000,
    });
    const { metrics, verdicts } = computeReport(b.events);
    expect(metrics.crashes).toBe(1);
    expect(metrics.panicDeaths).toBe(0);
    expect(metrics.cascadeDepth).toBe(0);
    expect(metrics.panicsRecovered).toBe(1);
    expect(metrics.firstPanicAt).toBe("2026-05-08T09:02:00.000Z");
    expect(verdicts.find((v) => v.property === "no-panic-death")).toMatchObject({
      ok: true,
      detail: "no worker process died of a panic; 1 panic was recovered inside their task",
    });
    expect(verdicts.find((v) => v.property === "no-cascade")).toMatchObject({ ok: true, events: [] });
  });

  it("says both properties are not exercised when nothing could panic, and exercised when something could", () => {
    const judged = (build: (b: TraceBuilder) => void) => {
      const b = new TraceBuilder();
      b.start({ workers: 2, horizonMin: 10 });
      b.ready("w1");
      b.ready("w2");
      b.schedule("s1", "a1");
      build(b);
      const { verdicts } = computeReport(b.events);
      return ["no-cascade", "no-panic-death"].map((p) => verdicts.find((v) => v.property === p)!);
    };
    for (const v of judged((b) => b.at(at(1)).fired("s1", "a1", at(1)))) {
      expect(v).toMatchObject({ ok: true, exercised: false });
      expect(v.detail).toMatch(/^not exercised: no task panicked/);
    }
    // A deleted account's schedule fired: the path of the May 8 panic, fixed or not.
    const deleted = judged((b) => {
      b.at(at(1)).emit("account.deleted", { account: "a1", schedules: 1 });
      b.at(at(2)).fired("s1", "a1", at(2));
    });
    for (const v of deleted) expect(v).toMatchObject({ ok: true, exercised: true });
    const injected = judged((b) =>
      b.at(at(1)).emit("fault.injected", {
        fault: "inject-panic",
        worker: "w1",
        detail: "panic injected at before-delivery",
        probe: 1,
        schedule: "s1",
        task: `s1@${at(1)}`,
      }),
    );
    for (const v of injected) expect(v).toMatchObject({ ok: true, exercised: true });
    const died = judged((b) => b.at(at(1)).panic("w1", "s1", "a1", at(1)));
    expect(died.map((v) => [v.ok, v.exercised])).toEqual([
      [true, true],
      [false, true],
    ]);
  });
});

/** A started trace of `workers` workers, each ready. */
/** The `no-cascade` verdict of the trace `b` has written. */
function noCascadeOf(b: TraceBuilder) {
  return computeReport(b.events).verdicts.find((v) => v.property === "no-cascade");
}

/** A `no-cascade` verdict that holds, `exercised` or not, saying `detail`. */
function held(exercised: boolean, detail: string, events: number[]) {
  return { property: "no-cascade", ok: true, exercised, detail, events };
}

function fleetOf(workers: number): TraceBuilder {
  const b = new TraceBuilder();
  b.start({ workers, horizonMin: 10 });
  for (let i = 1; i <= workers; i++) b.ready(`w${i}`);
  return b;
}

/** A process of `worker` (its first by default) dying of a panic in its scheduler goroutine, which names no task. */
function panicOutsideTasks(worker: string, incarnation = 1) {
  return {
    worker,
    incarnation,
    reason: "panic" as const,
    error: "TypeError: Cannot read properties of undefined (reading 'id')",
    goroutine: "scheduler",
  };
}

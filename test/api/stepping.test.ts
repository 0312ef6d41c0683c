// Shows the README's stepping API at work in a model-based test (fc.commands), with only what the package exports: buildWorld's world is started, run a stretch at a time and given operator actions (ActionSpec), each applied or refused as a model of its schedules and fleet says; perform refuses what is not an action, or a world not started or stopped, tracing nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ActionSpec,
  applyVariant,
  buildWorld,
  compileScenario,
  parseScenario,
  runWorld,
  type TraceEvent,
  type TraceSink,
} from "../../src/index.js";

/** Two workers and three named schedules, with no timeline of its own: the test's actions are all. */
const WORLD = `
name: stepped
description: A world stepped by a model-based test.
workload:
  named:
    - { id: acct-a, schedules: [{ id: s-1, cron: "* * * * *" }, { id: s-2, cron: "*/2 * * * *" }] }
    - { id: acct-b, schedules: [{ id: s-3, cron: "* * * * *" }] }
  accounts: 3
fleet: { workers: 2, partitions: 4, startupTime: 5s }
start: 2026-05-08T09:30:00Z
duration: 10m
seed: 1
`;
const SCHEDULES = ["s-1", "s-2", "s-3"];
const SLOT_STATES = ["serving", "starting", "backoff", "stopping", "stopped"];

type World = ReturnType<typeof buildWorld>;

interface Model {
  now: number;
  readonly horizon: number;
  /** Schedules that exist, and whether each is paused. */
  readonly schedules: Map<string, boolean>;
  workers: number;
}

/** The operator actions the world traced: each applied, or refused with its reason. */
class Actions implements TraceSink {
  readonly seen: TraceEvent[] = [];
  onEvent(e: TraceEvent): void {
    if (e.type === "operator.action") this.seen.push(e);
  }
}

interface Real {
  readonly world: World;
  readonly actions: Actions;
}

/** Actions the world applied and refused over all runs: the model was checked both ways. */
const tally = { applied: 0, refused: 0, advanced: 0 };

/** Performs `action` and says whether the world applied it (its `operator.action` event). */
function performed(r: Real, action: ActionSpec): boolean {
  const before = r.actions.seen.length;
  r.world.perform(action);
  expect(r.actions.seen.length).toBe(before + 1);
  const applied = r.actions.seen[before].applied !== false;
  tally[applied ? "applied" : "refused"]++;
  return applied;
}

function checkFleet(m: Model, r: Real): void {
  const slots = r.world.activeSlots();
  expect(slots).toHaveLength(m.workers);
  for (const slot of slots) expect(SLOT_STATES).toContain(slot.state);
  expect(r.world.workersUp()).toBeLessThanOrEqual(slots.length);
}

class Advance implements fc.Command<Model, Real> {
  constructor(readonly seconds: number) {}
  check = (m: Readonly<Model>) => m.now + this.seconds * 1000 < m.horizon;
  run(m: Model, r: Real): void {
    const outcome = r.world.runUntil(m.now + this.seconds * 1000);
    expect(outcome.reason).toBe("paused");
    expect(outcome.now).toBe(m.now + this.seconds * 1000);
    m.now = outcome.now;
    tally.advanced++;
    checkFleet(m, r);
  }
  toString = () => `advance ${this.seconds} s`;
}

class PauseSchedule implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly paused: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const schedule = SCHEDULES[this.target];
    const state = m.schedules.get(schedule);
    // Refused (404) when deleted, and as a no-op when paused or resumed already.
    const applies = state !== undefined && state !== this.paused;
    expect(performed(r, { action: "pause-schedule", schedule, paused: this.paused })).toBe(applies);
    if (applies) m.schedules.set(schedule, this.paused);
  }
  toString = () => `${this.paused ? "pause" : "resume"} ${SCHEDULES[this.target]}`;
}

class DeleteSchedule implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const schedule = SCHEDULES[this.target];
    expect(performed(r, { action: "delete-schedule", schedule })).toBe(m.schedules.has(schedule));
    m.schedules.delete(schedule);
  }
  toString = () => `delete ${SCHEDULES[this.target]}`;
}

class Scale implements fc.Command<Model, Real> {
  constructor(readonly workers: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    expect(performed(r, { action: "scale", workers: this.workers })).toBe(true);
    m.workers = this.workers;
    checkFleet(m, r);
  }
  toString = () => `scale to ${this.workers}`;
}

/** An action of the wrong shape: a TypeError or RangeError naming the field, and nothing traced. */
class Malformed implements fc.Command<Model, Real> {
  constructor(readonly which: number) {}
  check = () => true;
  run(_m: Model, r: Real): void {
    const [action, said] = [
      [
        { action: "pause-schedule", schedule: "s-1" },
        "action.paused: expected true or false, found undefined",
      ],
      [{ action: "scale", workers: -1 }, "action.workers: expected a whole number from 0 to 256, found -1"],
      [{ action: "restart" }, "action.action: expected one of delete-account, create-account,"],
    ][this.which] as [ActionSpec, string];
    const before = r.actions.seen.length;
    expect(() => r.world.perform(action)).toThrow(said);
    expect(r.actions.seen.length).toBe(before);
  }
  toString = () => `malformed ${this.which}`;
}

const commands = fc.commands(
  [
    fc.integer({ min: 1, max: 90 }).map((s) => new Advance(s)),
    fc.tuple(fc.nat({ max: 2 }), fc.boolean()).map(([t, p]) => new PauseSchedule(t, p)),
    fc.nat({ max: 2 }).map((t) => new DeleteSchedule(t)),
    fc.integer({ min: 1, max: 4 }).map((n) => new Scale(n)),
    fc.nat({ max: 2 }).map((w) => new Malformed(w)),
  ],
  { maxCommands: 12 },
);

describe("stepping a world (buildWorld, start, runUntil, perform, activeSlots, workersUp)", () => {
  const parsed = parseScenario(WORLD, "stepped.yaml");
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
  const compiled = applyVariant(compileScenario(parsed.scenario), "fixed")!;

  it("agrees with a model of its schedules and fleet, action by action", () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const actions = new Actions();
        const world = buildWorld(compiled, { watchers: [actions] });
        world.start();
        const model: Model = {
          now: compiled.config.startMs,
          horizon: world.horizonMs,
          schedules: new Map(SCHEDULES.map((s) => [s, false])),
          workers: 2,
        };
        fc.modelRun(() => ({ model, real: { world, actions } }), cmds);
        // Once the run has stopped (its horizon), it takes no action.
        const end = world.runUntil(world.horizonMs);
        expect(end.reason).toBe("horizon");
        expect(() => world.perform({ action: "scale", workers: 1 })).toThrow(
          /^perform: the run has stopped \(horizon/,
        );
        world.finish(end);
        expect(() => world.perform({ action: "scale", workers: 1 })).toThrow("perform: the run has finished");
      }),
      { numRuns: 20, seed: 1 },
    );
    expect(tally.applied).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.advanced).toBeGreaterThan(5);
  });

  it("refuses an action before the world has started, tracing nothing", () => {
    const actions = new Actions();
    const world = buildWorld(compiled, { watchers: [actions] });
    expect(() => world.perform({ action: "kill-worker", worker: "w1" })).toThrow(
      "perform: the world has not started: call start() or runUntil(t) first",
    );
    world.runUntil(compiled.config.startMs + 30_000);
    expect(world.workersUp()).toBe(2);
    // A worker that is not there is the control plane's refusal: traced, and nothing changes.
    world.perform({ action: "kill-worker", worker: "w9" });
    expect(actions.seen.map((e) => [e.detail, e.applied, e.reason])).toEqual([
      ["kill-worker w9", false, "no worker w9 in the fleet"],
    ]);
    expect(() => world.perform({ action: "deploy", scheduler: "v3", fixes: [], stepDelayMs: 0 })).toThrow(
      /^unknown scheduler "v3"/,
    );
    expect(() =>
      world.perform({ action: "deploy", scheduler: "v2", fixes: ["early-retur"], stepDelayMs: 0 }),
    ).toThrow('action.fixes: v2 lists no fix "early-retur"');
    // A scheduler's options are text, numbers or true/false, as a scenario's are.
    expect(() =>
      world.perform({
        action: "deploy",
        scheduler: "v2",
        fixes: [],
        stepDelayMs: 0,
        options: { tickMs: { every: 1 } } as never,
      }),
    ).toThrow("action.options.tickMs: expected text, a number or true/false, found an object");
    expect(actions.seen).toHaveLength(1);
  });

  it("finishes only with what a run call returned, tracing nothing for anything else", () => {
    const actions = new Actions();
    const ends: TraceEvent[] = [];
    const world = buildWorld(compiled, { watchers: [actions, { onEvent: (e) => ends.push(e) }] });
    const outcome = world.runUntil(compiled.config.startMs + 30_000);
    expect(() => world.finish("done" as never)).toThrow(
      'outcome: expected the RunOutcome a run call returned (runUntil, run), with a reason and events, found "done"',
    );
    expect(() => (world.finish as () => void)()).toThrow(
      "outcome: expected the RunOutcome a run call returned",
    );
    expect(() => world.finish({ ...outcome, reason: "stopped" } as never)).toThrow(
      'outcome.reason: expected one of "horizon", "paused", "idle", "max-events", "wall-budget", "halted", "stack-overflow", found "stopped"',
    );
    expect(() => world.finish({ ...outcome, events: -1 })).toThrow(
      "outcome.events: expected a whole count of events, found -1",
    );
    expect(ends.filter((e) => e.type === "run.finished")).toEqual([]);
    world.finish(outcome);
    const finished = ends.filter((e) => e.type === "run.finished");
    expect(finished.map((e) => [e.reason, e.events])).toEqual([["paused", outcome.events]]);
  });

  it("refuses, building nothing, a compiled scenario whose scheduler or deploy is given a fix it does not list", () => {
    const config = compiled.config;
    const misspelt = {
      ...compiled,
      config: { ...config, scheduler: { name: "v2", fixes: ["early-retrun"] } },
    };
    expect(() => buildWorld(misspelt)).toThrow(
      'config.scheduler.fixes: v2 lists no fix "early-retrun" (its fixes: early-return, panic-recovery)',
    );
    // v1 lists none; the deploy is the timeline's second action, after a pause.
    const timeline = [
      { atMs: config.startMs + 60_000, action: "pause-schedule", schedule: "s-1" },
      {
        atMs: config.startMs + 120_000,
        action: "deploy",
        scheduler: "v1",
        fixes: ["early-return"],
        stepDelayMs: 0,
      },
    ] as const;
    const deploying = { ...compiled, config: { ...config, timeline } } as unknown as typeof compiled;
    expect(() => runWorld(deploying)).toThrow(
      'config.timeline[1].fixes: v1 lists no fix "early-return" (its fixes: none)',
    );
  });

  it("refuses a runUntil time that is no whole ms since the epoch from the run's start, running nothing", () => {
    const actions = new Actions();
    const world = buildWorld(compiled, { watchers: [actions] });
    const start = compiled.config.startMs;
    const expected = `t: expected a time in whole ms since the epoch, from the run's start (${start}, 2026-05-08T09:30:00.000Z) on, found`;
    for (const [t, found] of [
      [undefined, "undefined"],
      ["10:00", '"10:00"'],
    ] as const)
      expect(() => world.runUntil(t as never)).toThrow(new TypeError(`${expected} ${found}`));
    for (const t of [Number.NaN, 1.5, -5, 60_000, start + 0.5])
      expect(() => world.runUntil(t)).toThrow(new RangeError(`${expected} ${t}`));
    // None of them started the world.
    expect(() => world.perform({ action: "kill-worker", worker: "w1" })).toThrow(/has not started/);
    expect(world.runUntil(start).now).toBe(start);
    const stepped = world.runUntil(start + 30_000);
    expect(stepped.reason).toBe("paused");
    // A time already passed, from the start on, still runs nothing.
    expect(world.runUntil(start + 1000)).toMatchObject({
      reason: "paused",
      now: stepped.now,
      events: stepped.events,
    });
  });

  it("refuses an action once a trace sink has thrown, which stopped the run", () => {
    let events = 0;
    const failing: TraceSink = {
      onEvent() {
        if (++events === 20) throw new Error("sink boom");
      },
    };
    const world = buildWorld(compiled, { sinks: [failing] });
    expect(() => world.runUntil(compiled.config.startMs + 60_000)).toThrow(/sink boom/);
    expect(() => world.perform({ action: "kill-worker", worker: "w1" })).toThrow(
      "perform: the run has stopped (a trace sink threw)",
    );
  });
});

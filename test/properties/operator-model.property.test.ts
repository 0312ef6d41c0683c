// Shows, model-based (fc.commands), that operator actions on a running world with the fixed scheduler agree with a simple model of which schedules exist and fire.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDocument, type ScenarioDocument } from "../../src/explore/generate/document.js";
import { buildWorld } from "../../src/explore/run.js";
import type { TraceEvent, TraceSink } from "../../src/kernel/index.js";
import { applyVariant } from "../../src/scenario/compile.js";
import type { ActionSpec } from "../../src/world/config.js";
import { fireTimesBetween, parseCron } from "../../src/world/cron.js";
import type { World } from "../../src/world/world.js";
import { Reached, runsOf, seedOf } from "./support.js";

const START_MS = Date.UTC(2026, 4, 8, 9, 30, 0);
const CRONS = ["* * * * *", "*/2 * * * *", "*/5 * * * *"];
/** A due is checked once this long has passed (the SLO plus slack). */
const SETTLE_MS = 70_000;

interface ModelSchedule {
  readonly account: string;
  readonly cron: string;
  paused: boolean;
  /** Since when it has been firing (created or resumed), if not paused. */
  activeSince: number;
}

/** The reference: which accounts and schedules should exist, and which should fire. */
interface Model {
  now: number;
  nextId: number;
  readonly accounts: Set<string>;
  readonly schedules: Map<string, ModelSchedule>;
  /** Schedules deleted by an operator, and when. */
  readonly deletedSchedules: Map<string, number>;
  /** Accounts deleted, and when; their schedules go at their next due (lazy cleanup). */
  readonly deletedAccounts: Map<string, number>;
  /** Schedules of deleted accounts not known to be cleaned yet, with their model state. */
  readonly orphans: Map<string, ModelSchedule & { readonly deletedAt: number }>;
}

/** What the world did, per schedule. */
class Recorder implements TraceSink {
  /** schedule -> due -> acked at */
  readonly acked = new Map<string, Map<number, number>>();
  /** schedule -> dues sent */
  readonly sent = new Map<string, number[]>();

  onEvent(e: TraceEvent): void {
    if (e.type === "delivery.acked") {
      const m = this.acked.get(String(e.schedule)) ?? new Map<number, number>();
      if (!m.has(Number(e.due))) m.set(Number(e.due), e.t);
      this.acked.set(String(e.schedule), m);
    }
    if (e.type === "delivery.sent") {
      const list = this.sent.get(String(e.schedule)) ?? [];
      list.push(Number(e.due));
      this.sent.set(String(e.schedule), list);
    }
  }
}

interface Real {
  readonly world: World;
  readonly recorder: Recorder;
  readonly reached: Reached;
}

function perform(real: Real, model: Model, action: ActionSpec): void {
  real.world.at(model.now, () => real.world.perform(action));
  real.world.runUntil(model.now);
}

function fires(cron: string, fromMs: number, toMs: number): number[] {
  return fireTimesBetween(parseCron(cron), fromMs, toMs, 10_000);
}

class CreateAccount implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const id = `acct-${m.nextId++}`;
    perform(r, m, { action: "create-account", account: id });
    m.accounts.add(id);
  }
  toString = () => "create-account";
}

class CreateSchedule implements fc.Command<Model, Real> {
  constructor(
    readonly account: number,
    readonly cron: number,
  ) {}
  check = (m: Readonly<Model>) => m.accounts.size > 0;
  run(m: Model, r: Real): void {
    const account = [...m.accounts][this.account % m.accounts.size];
    const id = `sched-${m.nextId++}`;
    const cron = CRONS[this.cron];
    perform(r, m, { action: "create-schedule", schedule: id, account, cron });
    m.schedules.set(id, { account, cron, paused: false, activeSince: m.now });
  }
  toString = () => `create-schedule(${this.account}, ${CRONS[this.cron]})`;
}

class DeleteSchedule implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}
  check = (m: Readonly<Model>) => m.schedules.size > 0;
  run(m: Model, r: Real): void {
    const id = [...m.schedules.keys()][this.target % m.schedules.size];
    perform(r, m, { action: "delete-schedule", schedule: id });
    m.schedules.delete(id);
    m.deletedSchedules.set(id, m.now);
    r.reached.hit("a schedule deleted");
  }
  toString = () => `delete-schedule(${this.target})`;
}

class PauseSchedule implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly paused: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.schedules.size > 0;
  run(m: Model, r: Real): void {
    const id = [...m.schedules.keys()][this.target % m.schedules.size];
    perform(r, m, { action: "pause-schedule", schedule: id, paused: this.paused });
    const s = m.schedules.get(id)!;
    if (s.paused !== this.paused) {
      s.paused = this.paused;
      s.activeSince = m.now;
    }
  }
  toString = () => `${this.paused ? "pause" : "resume"}-schedule(${this.target})`;
}

class DeleteAccount implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}
  check = (m: Readonly<Model>) => m.accounts.size > 0;
  run(m: Model, r: Real): void {
    const id = [...m.accounts][this.target % m.accounts.size];
    perform(r, m, { action: "delete-account", account: id });
    m.accounts.delete(id);
    m.deletedAccounts.set(id, m.now);
    for (const [sid, s] of [...m.schedules]) {
      if (s.account !== id) continue;
      m.schedules.delete(sid);
      m.orphans.set(sid, { ...s, deletedAt: m.now });
    }
  }
  toString = () => `delete-account(${this.target})`;
}

class Advance implements fc.Command<Model, Real> {
  constructor(readonly seconds: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const from = m.now;
    const to = from + this.seconds * 1000;
    r.world.runUntil(to);
    m.now = to;
    const settled = to - SETTLE_MS;
    const { acked, sent } = r.recorder;
    // Every active schedule delivered each due of the window (once settled).
    for (const [id, s] of m.schedules) {
      if (s.paused) continue;
      for (const due of fires(s.cron, Math.max(from, s.activeSince + 1000), settled)) {
        expect(
          acked.get(id)?.has(due),
          `${id} (${s.cron}) due ${new Date(due).toISOString()} not delivered by ${new Date(to).toISOString()}`,
        ).toBe(true);
        r.reached.hit("a due delivered");
      }
    }
    // Deleted schedules and schedules of deleted accounts send nothing due after the deletion.
    for (const [id, at] of m.deletedSchedules) {
      expect(
        (sent.get(id) ?? []).filter((d) => d > at),
        `${id} sent after its deletion`,
      ).toEqual([]);
    }
    for (const [id, o] of m.orphans) {
      expect(
        (sent.get(id) ?? []).filter((d) => d > o.deletedAt),
        `${id} sent after its account's deletion`,
      ).toEqual([]);
      if (!o.paused && fires(o.cron, o.deletedAt, settled).length > 0) {
        expect(
          r.world.store.schedules.has(id),
          `${id} came due after its account's deletion but was not cleaned up`,
        ).toBe(false);
        m.orphans.delete(id);
        r.reached.hit("a deleted account's schedule cleaned up");
      }
    }
    // Paused schedules send nothing due while paused.
    for (const [id, s] of m.schedules) {
      if (!s.paused) continue;
      expect(
        (sent.get(id) ?? []).filter((d) => d > s.activeSince && d <= to),
        `${id} sent while paused`,
      ).toEqual([]);
    }
    // The store holds exactly the model's accounts, and its schedules plus the orphans not yet cleaned.
    expect(new Set(r.world.store.accounts.keys())).toEqual(m.accounts);
    const expected = new Set([
      ...m.schedules.keys(),
      ...[...m.orphans.keys()].filter((id) => r.world.store.schedules.has(id)),
    ]);
    expect(new Set(r.world.store.schedules.keys())).toEqual(expected);
  }
  toString = () => `advance(${this.seconds}s)`;
}

function worldDocument(): ScenarioDocument {
  return {
    name: "operator-model",
    description: "A small world for the model-based test of operator actions.",
    seed: 3,
    start: "2026-05-08T09:30:00Z",
    duration: "6h",
    fleet: { workers: 3, partitions: 8, leaseTtl: "10s", heartbeat: "2s", rebalanceInterval: "5s" },
    scheduler: { version: "v2", fixes: ["early-return", "panic-recovery"] },
    workload: {
      accounts: 0,
      destination: { latency: "20ms", failureRate: 0 },
      named: [
        { id: "acct-a", schedules: [{ id: "sched-a", cron: "* * * * *" }] },
        { id: "acct-b", schedules: [{ id: "sched-b", cron: "*/2 * * * *" }] },
      ],
    },
    alerts: [],
  };
}

describe("operator actions against a reference model", () => {
  it("schedules exist and fire as the model says", () => {
    const compiled = compileDocument(worldDocument());
    if (!compiled.ok) throw new Error(compiled.problems.join("; "));
    const input = applyVariant(compiled.compiled, "fixed")!;
    const reached = new Reached("operator model");
    const commands = [
      fc.constant(new CreateAccount()),
      fc.tuple(fc.nat(9), fc.nat(CRONS.length - 1)).map(([a, c]) => new CreateSchedule(a, c)),
      fc.nat(9).map((t) => new DeleteSchedule(t)),
      fc.tuple(fc.nat(9), fc.boolean()).map(([t, p]) => new PauseSchedule(t, p)),
      fc.nat(9).map((t) => new DeleteAccount(t)),
      fc.integer({ min: 30, max: 8 * 60 }).map((s) => new Advance(s)),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 30 }), (cmds) => {
        const recorder = new Recorder();
        const world = buildWorld(input, { sinks: [recorder] });
        world.start();
        const model: Model = {
          now: START_MS,
          nextId: 1,
          accounts: new Set(["acct-a", "acct-b"]),
          schedules: new Map([
            ["sched-a", { account: "acct-a", cron: "* * * * *", paused: false, activeSince: START_MS }],
            ["sched-b", { account: "acct-b", cron: "*/2 * * * *", paused: false, activeSince: START_MS }],
          ]),
          deletedSchedules: new Map(),
          deletedAccounts: new Map(),
          orphans: new Map(),
        };
        reached.case();
        fc.modelRun(() => ({ model, real: { world, recorder, reached } }), cmds);
        // A last settle, so every command sequence ends with a check.
        new Advance(SETTLE_MS / 1000 + 60).run(model, { world, recorder, reached });
      }),
      { numRuns: runsOf(25, 300), ...seedOf(8) },
    );
    reached.expectAll();
  });
});

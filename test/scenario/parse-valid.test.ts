// Shows that a complete scenario parses to the expected normalised values, and what every default is.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario, type Scenario } from "../../src/scenario/index.js";

const FIXTURE = "test/scenario/fixtures/complete.yaml";
const at = (h: number, m: number, s = 0) => Date.UTC(2026, 4, 8, h, m, s);
const START = at(9, 30);
const plus = (minutes: number) => START + minutes * 60_000;

function parseOk(text: string, file = "test.yaml"): Scenario {
  const result = parseScenario(text, file);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join("\n"));
  return result.scenario;
}

const MINIMAL =
  "name: tiny\ndescription: The smallest scenario.\nstart: 2026-05-08T09:30:00Z\nduration: 10m\n";

describe("a complete scenario", () => {
  const scenario = parseOk(readFileSync(FIXTURE, "utf8"), FIXTURE);
  const { source, ...data } = scenario;

  it("keeps the identity and the facts", () => {
    expect(data.name).toBe("qstash-2026-05-08");
    expect(data.sources).toEqual([
      "Upstash status page, incident #2151",
      "Upstash root-cause write-up, 2026-05-12",
    ]);
    expect(data.assumptions).toHaveLength(1);
    expect(data.onCallAssumptions).toEqual(["Ownership is by leased partitions"]);
    expect(data.seed).toBe(20260508);
    expect(source.file).toBe(FIXTURE);
  });

  it("converts the run window, fleet, scheduler, store and workload", () => {
    expect(data.startMs).toBe(START);
    expect(data.durationMs).toBe(50 * 60_000);
    expect(data.endMs).toBe(plus(50));
    expect(data.fleet).toEqual({
      workers: 8,
      partitions: 64,
      leaseTtlMs: 30_000,
      heartbeatMs: 5_000,
      rebalanceIntervalMs: 10_000,
      startupTimeMs: 20_000,
      shutdownGraceMs: 30_000,
      concurrency: 100,
      supervisor: { backoffInitialMs: 10_000, backoffMaxMs: 300_000, resetAfterMs: 600_000 },
    });
    expect(data.scheduler).toEqual({
      kind: "builtin",
      version: "v2",
      fixes: [],
      options: { tickMs: 500, refreshMs: 5000, panicAttemptsMax: 5 },
    });
    expect(data.store).toEqual({ latencyMs: 2, failureRate: 0 });
    expect(data.workload).toEqual({
      accounts: 50,
      schedulesPerAccount: { min: 1, max: 4 },
      cron: [
        { expr: "* * * * *", weight: 3 },
        { expr: "*/5 * * * *", weight: 2 },
        { expr: "CRON_TZ=America/New_York 0 9 * * *", weight: 1 },
      ],
      destination: { latencyMs: 80, jitter: 0.5, failureRate: 0, timeoutMs: 30_000 },
      retries: 3,
      named: [
        {
          id: "acct-deleted",
          schedules: [
            { id: "sched-poison-1", cron: "* * * * *", destination: "https://example.invalid/hook" },
            { id: "sched-poison-2", cron: "*/2 * * * *", destination: null },
          ],
        },
      ],
    });
  });

  it("places every timeline action at its absolute time and keeps the text", () => {
    expect(data.timeline).toEqual([
      { atMs: at(9, 44, 30), atText: "09:44:30", action: "delete-account", account: "acct-deleted" },
      { atMs: plus(20), atText: "+20m", action: "create-account", account: "acct-new" },
      {
        atMs: plus(21),
        atText: "+21m",
        action: "create-schedule",
        schedule: "sched-new",
        account: "acct-new",
        cron: "*/10 * * * *",
        destination: null,
      },
      { atMs: plus(22), atText: "+22m", action: "pause-schedule", schedule: "sched-new", paused: true },
      { atMs: plus(23), atText: "+23m", action: "quarantine-schedule", schedule: "sched-poison-1" },
      { atMs: plus(24), atText: "+24m", action: "delete-schedule", schedule: "sched-new" },
      { atMs: plus(25), atText: "+25m", action: "kill-worker", worker: "w3" },
      { atMs: plus(26), atText: "+26m", action: "pause-worker", worker: "random", durationMs: 20_000 },
      { atMs: plus(27), atText: "+27m", action: "scale", workers: 10 },
      { atMs: plus(28), atText: "+28m", action: "restart-worker", worker: "w1" },
      {
        atMs: plus(36),
        atText: "+36m",
        action: "deploy",
        scheduler: { kind: "builtin", version: "v2", fixes: ["early-return", "panic-recovery"], options: {} },
        stepDelayMs: 15_000,
      },
    ]);
  });

  it("converts every fault", () => {
    expect(data.faults).toEqual([
      { atMs: plus(1), atText: "+1m", fault: "kill-worker", worker: "random" },
      { atMs: plus(2), atText: "+2m", fault: "pause-worker", worker: "w2", durationMs: 5_000 },
      { atMs: plus(3), atText: "+3m", fault: "store-latency", durationMs: 60_000, latencyMs: 50 },
      { atMs: plus(4), atText: "+4m", fault: "store-outage", durationMs: 10_000 },
      {
        atMs: plus(5),
        atText: "+5m",
        fault: "clock-skew",
        worker: "w4",
        skewMs: -5_000,
        durationMs: 120_000,
      },
      {
        atMs: plus(6),
        atText: "+6m",
        fault: "inject-panic",
        point: "before-delivery",
        schedule: "sched-poison-2",
        account: null,
        probability: 0.5,
        count: 2,
      },
      { atMs: plus(7), atText: "+7m", fault: "hang", schedule: "sched-poison-2", durationMs: null },
      {
        atMs: plus(8),
        atText: "+8m",
        fault: "http-errors",
        durationMs: 120_000,
        rate: 0.2,
        status: 503,
        account: null,
      },
      {
        atMs: plus(9),
        atText: "+9m",
        fault: "http-timeouts",
        durationMs: 60_000,
        rate: 0.1,
        account: "acct-deleted",
      },
    ]);
  });

  it("converts observability, chapters, expectations and limits", () => {
    expect(data.sloMs).toBe(60_000);
    expect(data.sampleIntervalMs).toBe(10_000);
    expect(data.alerts).toEqual([
      { name: "worker-crash-rate", metric: "crashesLastMinute", op: ">=", threshold: 3, forMs: 0 },
    ]);
    expect(data.chapters).toEqual([
      {
        atMs: at(9, 46),
        atText: "09:46",
        title: "The pager goes off",
        text: "Crash-rate alert on the US scheduler fleet.",
        question: "What do you check first?",
      },
      { atMs: at(10, 6), atText: "10:06", title: "The fix", text: "Both fixes roll out.", question: null },
    ]);
    expect(data.expect).toEqual([
      { kind: "metric", variant: "buggy", metric: "cascadeDepth", op: ">=", value: 4, valueText: null },
      { kind: "metric", variant: "fixed", metric: "deliveries.late", op: "==", value: 0, valueText: null },
      { kind: "metric", variant: "fixed", metric: "alertAt", op: "==", value: null, valueText: null },
      { kind: "metric", variant: "buggy", metric: "alertAt", op: "<=", value: at(9, 50), valueText: "09:50" },
      { kind: "metric", variant: "buggy", metric: "fullOutageMs", op: ">", value: 300_000, valueText: "5m" },
      { kind: "property", variant: "fixed", property: "no-cascade", holds: true },
      { kind: "property", variant: "buggy", property: "no-cascade", holds: false },
    ]);
    expect(data.limits).toEqual({ maxEvents: 50_000_000, wallBudgetMs: 600_000 });
  });

  it("locates expectations and fields at the lines they were written on", () => {
    const lines = readFileSync(FIXTURE, "utf8").split("\n");
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(source.locate(["expect", 0])).toEqual({ line: lineOf("metric: cascadeDepth"), column: 5 });
    expect(source.locate(["expect", 5, "property"])?.line).toBe(lineOf("property: no-cascade, holds: true"));
    expect(source.locate(["fleet", "leaseTtl"])).toEqual({ line: lineOf("leaseTtl:"), column: 13 });
    expect(source.locate(["fleet"])).toEqual({ line: lineOf("fleet:"), column: 1 });
    expect(source.locate(["workload", "named", 0, "schedules", 1, "id"])?.line).toBe(
      lineOf("sched-poison-2, cron"),
    );
    expect(source.locate(["slo"])?.line).toBe(lineOf("slo: 60s"));
    expect(source.locate(["fleet", "nope"])).toBeNull();
    expect(source.locate(["expect", 99])).toBeNull();
  });
});

describe("defaults", () => {
  it("fills every optional field of a minimal scenario", () => {
    const { source, ...data } = parseOk(MINIMAL);
    expect(source.locate(["fleet"])).toBeNull();
    expect(data).toEqual({
      name: "tiny",
      description: "The smallest scenario.",
      sources: [],
      assumptions: [],
      onCallAssumptions: null,
      seed: 1,
      startMs: START,
      durationMs: 600_000,
      endMs: plus(10),
      fleet: {
        workers: 4,
        partitions: 32,
        leaseTtlMs: 30_000,
        heartbeatMs: 5_000,
        rebalanceIntervalMs: 10_000,
        startupTimeMs: 15_000,
        shutdownGraceMs: 30_000,
        concurrency: 64,
        supervisor: { backoffInitialMs: 10_000, backoffMaxMs: 300_000, resetAfterMs: 600_000 },
      },
      scheduler: { kind: "builtin", version: "v2", fixes: [], options: {} },
      store: { latencyMs: 2, failureRate: 0 },
      workload: {
        accounts: 0,
        schedulesPerAccount: { min: 1, max: 3 },
        cron: [{ expr: "* * * * *", weight: 1 }],
        destination: { latencyMs: 80, jitter: 0.5, failureRate: 0, timeoutMs: 30_000 },
        retries: 3,
        named: [],
      },
      timeline: [],
      faults: [],
      sloMs: 60_000,
      sampleIntervalMs: 10_000,
      alerts: [{ name: "worker-crash-rate", metric: "crashesLastMinute", op: ">=", threshold: 3, forMs: 0 }],
      chapters: [],
      expect: [],
      limits: { maxEvents: 50_000_000, wallBudgetMs: 600_000 },
    });
  });

  it("fills defaults inside partly written sections", () => {
    const s = parseOk(
      `${MINIMAL}fleet: { workers: 2, supervisor: { backoffMax: 1m } }\nworkload: { schedulesPerAccount: { max: 5 } }\n`,
    );
    expect(s.fleet.workers).toBe(2);
    expect(s.fleet.partitions).toBe(32);
    expect(s.fleet.supervisor).toEqual({
      backoffInitialMs: 10_000,
      backoffMaxMs: 60_000,
      resetAfterMs: 600_000,
    });
    expect(s.workload.schedulesPerAccount).toEqual({ min: 1, max: 5 });
  });

  it("takes a backoff that starts at its cap: a constant delay between restarts", () => {
    const s = parseOk(`${MINIMAL}fleet: { supervisor: { backoffInitial: 30s, backoffMax: 30s } }\n`);
    expect(s.fleet.supervisor).toEqual({
      backoffInitialMs: 30_000,
      backoffMaxMs: 30_000,
      resetAfterMs: 600_000,
    });
  });

  it("defaults a pause to paused, a deploy's step delay, an injected panic's odds and an http error's status", () => {
    const s = parseOk(`${MINIMAL}workload: { named: [{ id: a1, schedules: [{ id: s1, cron: "* * * * *" }] }] }
timeline:
  - { at: "+1m", action: pause-schedule, schedule: s1 }
  - { at: "+2m", action: deploy, module: ./my-scheduler.js, fixes: [panic-recovery, early-return, panic-recovery] }
faults:
  - { at: "+3m", fault: inject-panic, point: after-account-read }
  - { at: "+4m", fault: http-errors, duration: 1m, rate: 0.5 }
expect:
  - { variant: fixed, property: deterministic }
`);
    expect(s.timeline[0]).toMatchObject({ action: "pause-schedule", paused: true });
    expect(s.timeline[1]).toEqual({
      atMs: plus(2),
      atText: "+2m",
      action: "deploy",
      scheduler: {
        kind: "module",
        module: "./my-scheduler.js",
        // A module's fixes keep the written order until it is loaded: a run puts them in its own.
        fixes: ["panic-recovery", "early-return"],
        options: {},
      },
      stepDelayMs: 15_000,
    });
    expect(s.faults[0]).toMatchObject({ schedule: null, account: null, probability: 1, count: 1 });
    expect(s.faults[1]).toMatchObject({ status: 503 });
    expect(s.expect[0]).toEqual({
      kind: "property",
      variant: "fixed",
      property: "deterministic",
      holds: true,
    });
  });

  it("accepts a user scheduler module at the top level", () => {
    const s = parseOk(`${MINIMAL}scheduler: { module: ./sched.js, options: { depth: 3 } }\n`);
    expect(s.scheduler).toEqual({ kind: "module", module: "./sched.js", fixes: [], options: { depth: 3 } });
  });

  it("accepts expectations on the panics a scheduler recovered and the tasks it quarantined", () => {
    // A scheduler that retries a poison task forever, without back-off, keeps its workers alive:
    // only these counts tell it from one that gives the task up after a bounded number of attempts.
    const s = parseOk(`${MINIMAL}expect:
  - { variant: fixed, metric: panicsRecovered, op: "<=", value: 10 }
  - { variant: fixed, metric: tasksQuarantined, op: ">=", value: 1 }
`);
    expect(s.expect).toEqual([
      { kind: "metric", variant: "fixed", metric: "panicsRecovered", op: "<=", value: 10, valueText: null },
      { kind: "metric", variant: "fixed", metric: "tasksQuarantined", op: ">=", value: 1, valueText: null },
    ]);
  });

  it("accepts every time form, at both edges of the run", () => {
    const s = parseOk(`${MINIMAL}chapters:
  - { at: "09:30", title: a, text: "" }
  - { at: 2026-05-08T09:40:00Z, title: b, text: "" }
  - { at: "+10m", title: c, text: "" }
  - { at: "09:35:15", title: d, text: "" }
  - { at: 2026-05-08T09:31:00.250Z, title: e, text: "" }
`);
    expect(s.chapters.map((c) => c.atMs)).toEqual([START, plus(10), plus(10), at(9, 35, 15), plus(1) + 250]);
  });
});

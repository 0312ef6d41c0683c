// Shows that a parsed Scenario varied in code is checked as a scenario file is before it runs: each bad value throws a TypeError or RangeError naming its field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareVariants,
  compileScenario,
  generators,
  parseScenario,
  runScenario,
  type Scenario,
} from "../../src/index.js";
import { scenarioValueIssues } from "../../src/scenario/scenario-values.js";

const TINY = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");
const parsed = parseScenario(TINY, "tiny.yaml");
if (!parsed.ok) throw new Error("tiny.yaml must parse");
const sc = parsed.scenario;

/** The scenario with `change` laid over it, as code varies one (no type stops a wrong value there). */
function varied(change: Record<string, unknown>): Scenario {
  return { ...sc, ...change } as unknown as Scenario;
}

describe("a parsed Scenario's values", () => {
  it("are those of a file: a scenario parseScenario gave, or compileDocument, passes as it is", () => {
    expect(scenarioValueIssues(sc)).toEqual([]);
    const qstash = "scenarios/qstash-2026-05-08.yaml";
    const big = parseScenario(readFileSync(join(import.meta.dirname, "..", "..", qstash), "utf8"), qstash);
    expect(big.ok && scenarioValueIssues(big.scenario)).toEqual([]);
    expect(() => compileScenario(sc)).not.toThrow();
  });

  it("may lack onCallAssumptions, as a Scenario saved or written before that field does", () => {
    const { onCallAssumptions: _dropped, ...older } = sc;
    expect(scenarioValueIssues(older as Scenario)).toEqual([]);
    expect(runScenario(older as Scenario).report.traceHash).toBe(runScenario(sc).report.traceHash);
  });

  it("are those of a file for every generated world: deploys, every fault, endless skews and hangs", () => {
    const docs = fc.sample(generators.scenarioArbitrary(generators.PROPERTY_SIZED), { seed: 7, numRuns: 40 });
    const kinds = new Set<string>();
    for (const doc of docs) {
      const compiled = generators.compileDocument(doc);
      if (!compiled.ok) throw new Error(compiled.problems.join("; "));
      for (const f of compiled.scenario.faults) kinds.add(f.fault);
      expect(scenarioValueIssues(compiled.scenario)).toEqual([]);
    }
    expect(kinds.size).toBeGreaterThan(5);
  });

  it.each([
    [
      "seed -1",
      { seed: -1 },
      RangeError,
      "source.seed: too small (expected a whole number from 0 to 9007199254740991, found -1)",
    ],
    ["seed 1.5", { seed: 1.5 }, RangeError, "source.seed: wrong type (expected a whole number, found 1.5)"],
    [
      "sloMs 0",
      { sloMs: 0 },
      RangeError,
      "source.sloMs: the duration must be longer than 0 (expected a whole number of ms above 0, found 0)",
    ],
    ["sloMs 1.5", { sloMs: 1.5 }, RangeError, "source.sloMs: expected a whole number of ms, found 1.5"],
    [
      "workers 2.5",
      { fleet: { ...sc.fleet, workers: 2.5 } },
      RangeError,
      "source.fleet.workers: wrong type (expected a whole number, found 2.5)",
    ],
    [
      "workers 0",
      { fleet: { ...sc.fleet, workers: 0 } },
      RangeError,
      "source.fleet.workers: too small (expected a whole number from 1 to 256, found 0)",
    ],
    [
      "partitions 0",
      { fleet: { ...sc.fleet, partitions: 0 } },
      RangeError,
      "source.fleet.partitions: too small (expected a whole number from 1 to 4096, found 0)",
    ],
    [
      "leaseTtlMs 0",
      { fleet: { ...sc.fleet, leaseTtlMs: 0 } },
      RangeError,
      "source.fleet.leaseTtlMs: the duration must be longer than 0",
    ],
    [
      "heartbeat past the lease",
      { fleet: { ...sc.fleet, heartbeatMs: 60_000 } },
      RangeError,
      "source.fleet.heartbeatMs: the heartbeat (1m) must be shorter than the lease (30s)",
    ],
    [
      'workers "3"',
      { fleet: { ...sc.fleet, workers: "3" } },
      TypeError,
      'source.fleet.workers: wrong type (expected a whole number, found "3")',
    ],
    [
      "seed left out",
      { seed: undefined },
      TypeError,
      "source.seed: missing: a parsed Scenario has every field",
    ],
    [
      "a misspelt field",
      { fleet: { ...sc.fleet, worker: 3 } },
      TypeError,
      "source.fleet.worker: no such field of a parsed Scenario — did you mean workers?",
    ],
    [
      "an unknown action",
      { timeline: [{ ...sc.timeline[0], action: "delete-acount" }] },
      RangeError,
      'source.timeline[0].action: expected one of delete-account, create-account, create-schedule, delete-schedule, pause-schedule, quarantine-schedule, deploy, kill-worker, pause-worker, scale, restart-worker, found "delete-acount" — did you mean delete-account?',
    ],
    [
      "an account no one has",
      { timeline: [{ ...sc.timeline[0], account: "acct-nope" }] },
      RangeError,
      'source.timeline[0].account: no account has the id "acct-nope"',
    ],
    [
      "a time before the start",
      { timeline: [{ ...sc.timeline[0], atMs: 0 }] },
      RangeError,
      "source.timeline[0].atMs: 1970-01-01T00:00:00Z is before the run starts",
    ],
    [
      "a description that is a number",
      { description: 5 },
      TypeError,
      "source.description: wrong type (expected text, found 5)",
    ],
    [
      "a hundred million accounts",
      { workload: { ...sc.workload, accounts: 100_000_000 } },
      RangeError,
      "source.workload.accounts: the workload has up to 300,000,001 schedules, more than the cap of 200,000: lower workload.accounts (now 100,000,000) or workload.schedulesPerAccount.max (now 3)\n",
    ],
    [
      "durationMs without endMs",
      { durationMs: 60_000 },
      RangeError,
      "source.endMs: expected startMs + durationMs, 1778233260000: set endMs with durationMs, found 1778233920000",
    ],
  ])("refuses %s, naming the field", (_, change, kind, message) => {
    const scenario = varied(change);
    expect(() => runScenario(scenario, { variant: "fixed" })).toThrow(kind);
    expect(() => runScenario(scenario, { variant: "fixed" })).toThrow(message);
    expect(() => compareVariants(scenario)).toThrow(message);
    expect(() => compileScenario(scenario)).toThrow(message.replace(/^source/, "scenario"));
  });

  it("leaves a generated id a seed names to the seed that runs: a Scenario parsed at seed 3 runs at seed 3", () => {
    // Two accounts of one to three schedules: seed 1 generates three, seed 3 six.
    const text = `name: seedref
description: names a generated schedule that some seeds generate
seed: 1
start: 2026-05-08T09:40:00Z
duration: 5m
fleet: { workers: 2, partitions: 4, startupTime: 5s }
workload:
  accounts: 2
  schedulesPerAccount: { min: 1, max: 3 }
timeline:
  - { at: "+1m", action: delete-schedule, schedule: sched-000005 }
`;
    expect(parseScenario(text, "seedref.yaml", { seed: 1 }).ok).toBe(false);
    const atThree = parseScenario(text, "seedref.yaml", { seed: 3 });
    if (!atThree.ok) throw new Error(atThree.issues.map((i) => i.message).join("; "));
    const { report } = runScenario(atThree.scenario, { seed: 3 });
    expect(report.seed).toBe(3);
    // Compiled as it is, it runs at its own seed, 1, which generates no sched-000005.
    expect(() => compileScenario(atThree.scenario)).toThrow(
      'scenario.timeline[0].schedule: no schedule has the id "sched-000005" with seed 1',
    );
    expect(() => runScenario(atThree.scenario)).toThrow(RangeError);
  });

  it("holds a Scenario parsed under raised caps to those caps, one varied in code to the defaults", () => {
    const big = `${TINY.replace(/^expect:[\s\S]*$/m, "").replace("accounts: 30", "accounts: 120000")}`;
    const caps = { schedulesMax: 1_000_000, eventsMax: 10_000_000_000, memoryBytesMax: 1e12 };
    const parsedBig = parseScenario(big, "big.yaml", { caps });
    if (!parsedBig.ok) throw new Error(parsedBig.issues.map((i) => i.message).join("; "));
    expect(scenarioValueIssues(parsedBig.scenario)).toEqual([]);
    expect(scenarioValueIssues({ ...parsedBig.scenario }).map((i) => i.path.join("."))).toContain(
      "workload.accounts",
    );
  });

  it("says every problem, one line each, and how many", () => {
    const scenario = varied({ sloMs: 0, fleet: { ...sc.fleet, workers: 0 } });
    expect(() => runScenario(scenario)).toThrow(
      /^source\.fleet\.workers: too small .*\nsource\.sloMs: the duration must be longer than 0 .*\n\(2 problems with the Scenario's values\)$/,
    );
  });

  it("copies with structuredClone or JSON, each copy run and checked as the Scenario is", () => {
    // A function among its fields made structuredClone throw a DataCloneError.
    const clone = structuredClone(sc);
    const json = JSON.parse(JSON.stringify(sc)) as Scenario;
    const hash = runScenario(sc, { variant: "fixed" }).report.traceHash;
    expect(runScenario(clone, { variant: "fixed" }).report.traceHash).toBe(hash);
    expect(runScenario(json, { variant: "fixed" }).report.traceHash).toBe(hash);
    // A copy varied is checked as the Scenario varied is: said, not `locate is not a function`.
    for (const copy of [sc, clone, json]) {
      expect(() => runScenario({ ...copy, sloMs: 0 })).toThrow(
        /^source\.sloMs: the duration must be longer than 0 /,
      );
      expect(() => runScenario({ ...copy, limits: { ...copy.limits, maxEvents: 100 } })).toThrow(
        /^source\.workload\.accounts: a run would process about [\d,]+ events .* more than 2 times limits\.maxEvents \(100\)/,
      );
    }
    // The parsed Scenario, and one spread from it, still place their lines.
    expect(sc.source.locate(["fleet"])).toEqual({ line: 8, column: 8 });
    expect({ ...sc, sloMs: 2000 }.source.locate(["fleet"])).toEqual({ line: 8, column: 8 });
  });

  it("takes a valid variation, and runs it as the same text would run", () => {
    const scenario = varied({ fleet: { ...sc.fleet, workers: 2 } });
    const text = parseScenario(TINY.replace("workers: 3", "workers: 2"), "tiny.yaml");
    if (!text.ok) throw new Error("the varied text must parse");
    const fromCode = runScenario(scenario, { variant: "fixed" });
    const fromText = runScenario(text.scenario, { variant: "fixed" });
    expect(fromCode.report.run.workers).toBe(2);
    expect(fromCode.report.traceHash).toBe(fromText.report.traceHash);
  });
});

// Shows that a reproducer names its failure and says only what changes its run: `aftershock run` gives the same verdict and trace hash with the fields it drops as without them.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ExploreCommandOptions,
  exploreCommand,
  type OnInterrupt,
} from "../../src/cli/commands/explore.js";
import type { CliContext } from "../../src/cli/context.js";
import { explore } from "../../src/explore/explore.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import { documentYaml } from "../../src/explore/generate/document-yaml.js";
import { reproducerDocument } from "../../src/explore/reproducer.js";
import { withoutDeadSettings } from "../../src/explore/reproducer-world.js";
import type { RunReport } from "../../src/report/run-report.js";
import { capturingContext, cli, tmp } from "./cli-helpers.js";
import { EARLY_RETURN_PLAN, runDocument, smallDocument } from "./helpers.js";

/** `aftershock run` of a document written to a file: its verdicts and trace hash. */
async function runFile(
  doc: ScenarioDocument,
  name: string,
): Promise<Pick<RunReport, "traceHash" | "verdicts">> {
  const file = join(tmp(), name);
  writeFileSync(file, documentYaml(doc));
  const r = await cli("run", file, "--json");
  const { traceHash, verdicts } = JSON.parse(r.out) as RunReport;
  return { traceHash, verdicts };
}

describe("a shrunk reproducer", () => {
  it("is named for its failure, drops the generated workload's settings once none is generated, and runs the same", async () => {
    const outcome = await explore({ plan: EARLY_RETURN_PLAN, runs: 30, shrinkRunsMax: 80 });
    const failure = outcome.failures[0];
    expect(failure.shrink?.steps).toBeGreaterThan(0);
    const doc = reproducerDocument(failure, {
      variant: "early-return",
      origin: "generated worlds (seed 2)",
    })!;
    expect(doc.name).toBe(`no-cascade-early-return-run-${failure.run}`);
    // The shrink left no generated accounts: the mix and counts that would draw them say nothing.
    expect(doc.workload?.accounts ?? 0).toBe(0);
    expect(doc.workload?.cron).toBeUndefined();
    expect(doc.workload?.schedulesPerAccount).toBeUndefined();
    // Named schedules still deliver: their destination and retries change the run, and stay.
    expect(doc.workload?.named?.length).toBeGreaterThan(0);
    expect(doc.workload?.destination).toBeDefined();
    expect(doc.workload?.retries).toBeDefined();

    // The same reproducer with the settings dropped, as the generator wrote them and otherwise:
    // the same run, to the trace, as the header of the file says.
    const trimmed = await runFile(doc, "trimmed.yaml");
    expect(trimmed.traceHash).toBe(failure.documentRun?.traceHash);
    for (const [i, dropped] of [
      { schedulesPerAccount: { min: 0, max: 0 }, cron: [{ expr: "* * * * *", weight: 1 }] },
      { schedulesPerAccount: { min: 2, max: 5 }, cron: [{ expr: "*/7 * * * *", weight: 3 }] },
    ].entries()) {
      const whole = await runFile({ ...doc, workload: { ...doc.workload, ...dropped } }, `whole-${i}.yaml`);
      expect(whole).toEqual(trimmed);
    }
    expect(trimmed.verdicts.find((v) => v.property === "no-cascade")?.ok).toBe(false);
  });
});

describe("the settings of deliveries", () => {
  /** A small world whose accounts have no schedule, and none generated. */
  function noSchedules(over: Partial<ScenarioDocument> = {}): ScenarioDocument {
    const doc = smallDocument();
    const workload = { ...doc.workload, accounts: 0, retries: 5, named: [{ id: "acct-a", schedules: [] }] };
    return { ...doc, workload, ...over };
  }

  it("are dropped where no schedule exists, with the same run", () => {
    const doc = noSchedules();
    const trimmed = withoutDeadSettings(doc);
    expect(trimmed.workload).toEqual({ accounts: 0, named: [{ id: "acct-a", schedules: [] }] });
    expect(runDocument(trimmed, "buggy").report.traceHash).toBe(runDocument(doc, "buggy").report.traceHash);
  });

  it("stay where the timeline creates a schedule", () => {
    const create = {
      at: "+1m",
      action: "create-schedule",
      account: "acct-a",
      schedule: "s-new",
      cron: "* * * * *",
    };
    const doc = noSchedules({ timeline: [create] as ScenarioDocument["timeline"] });
    const trimmed = withoutDeadSettings(doc);
    expect(trimmed.workload?.destination).toEqual(doc.workload?.destination);
    expect(trimmed.workload?.retries).toBe(5);
    // Dropped, the destination and retries would change the run: the schedule delivers.
    const defaults = { ...doc, workload: { ...doc.workload, destination: undefined, retries: undefined } };
    expect(runDocument(defaults, "buggy").report.traceHash).not.toBe(
      runDocument(doc, "buggy").report.traceHash,
    );
  });
});

describe("the reproducers of one exploration", () => {
  it("each name their world as their file, so that the gate takes their folder whole", async () => {
    const out = tmp();
    const args = ["--generated", "--variant", "buggy", "--runs", "6", "--keep-going", "--shrink-runs", "4"];
    const report = JSON.parse((await cli("explore", ...args, "--out", out, "--json")).out) as ExploreReport;
    // Shrunk and unshrunk alike (--shrink-max 1 leaves the later ones as found).
    const more = await cli("explore", ...args, "--shrink-max", "1", "--seed", "2", "--out", out, "--json");
    const files = [report, JSON.parse(more.out) as ExploreReport].flatMap((r) =>
      r.failures.map((f) => f.reproducer!),
    );
    expect(files.length).toBeGreaterThanOrEqual(4);
    const names = files.map((file) => /^name: (.*)$/m.exec(readFileSync(file, "utf8"))?.[1]);
    expect(names).toEqual(files.map((file) => basename(file, ".yaml")));
    const gate = await cli("gate", out, "--jobs", "1");
    // The reproducers fail their expectations (their failures are not fixed): exit 1, not a refusal.
    expect(gate.code).toBe(1);
    expect(gate.err).not.toContain("is also the name of");
  });
});

/** The progress line explore prints (stderr not a terminal) when a run has failed. */
const FAILED_LINE = /^aftershock explore: run \d+ \(seed \d+\) failed /m;

/**
 * `aftershock explore … --json --jobs 1 --keep-going` into a fresh folder, with `stop` called once
 * its second failure is said, so that the failures found are written without a shrink: `stop`
 * spends the time budget (a fake clock) or presses Ctrl-C.
 */
async function exploreCutAtSecondFailure(
  scenario: string | undefined,
  options: ExploreCommandOptions,
  stop: "time-budget" | "interrupted",
): Promise<ExploreReport> {
  const { ctx, captured } = capturingContext();
  let failures = 0;
  let now = 0;
  let interrupt: Parameters<OnInterrupt>[0] = () => {};
  const watched: CliContext = {
    ...ctx,
    now: () => now,
    err: (text) => {
      ctx.err(text);
      if (!FAILED_LINE.test(text) || ++failures !== 2) return;
      if (stop === "time-budget") now = 61_000;
      else setImmediate(() => interrupt());
    },
  };
  const onInterrupt: OnInterrupt = (handler) => {
    interrupt = handler;
    return () => {};
  };
  const all = { ...options, jobs: "1", keepGoing: true, timeBudget: "60s", out: tmp(), json: true };
  const r = captured(await exploreCommand(watched, scenario, all, onInterrupt));
  const report = JSON.parse(r.out) as ExploreReport;
  expect(report.failures.length, r.err).toBeGreaterThanOrEqual(2);
  // Not shrunk: its budget was spent (`exhausted`) before its first run, by what `cutBy` says.
  for (const f of report.failures)
    expect(f.shrink, r.err).toEqual({ runs: 0, steps: 0, exhausted: true, cutBy: stop });
  // Its file says so as the report does: not shrunk, never "shrunk in 0 steps".
  const cut = stop === "time-budget" ? "the time budget was spent" : "interrupted";
  for (const f of report.failures) {
    const description = /^description: (.*)$/m.exec(readFileSync(f.reproducer!, "utf8"))?.[1] ?? "";
    expect(description).toContain(`, not shrunk (${cut} before its shrink began: a rerun may shrink it)`);
    expect(description).not.toContain("shrunk in");
  }
  return report;
}

/** The gate of the folder every reproducer of `report` is in: each fails its property, none is refused. */
async function expectGatedTogether(report: ExploreReport): Promise<void> {
  const files = report.failures.map((f) => f.reproducer!);
  const names = files.map((file) => /^name: (.*)$/m.exec(readFileSync(file, "utf8"))?.[1]);
  expect(names).toEqual(files.map((file) => basename(file, ".yaml")));
  const gate = await cli("gate", join(files[0], ".."), "--jobs", "1", "--json");
  expect(gate.err).not.toContain("is also the name of");
  expect(gate.code, gate.err).toBe(1);
  const suites = (JSON.parse(gate.out) as { suites: { name: string }[] }).suites;
  expect(suites.map((s) => s.name).sort()).toEqual(names.sort());
}

describe("the reproducers of one exploration left unshrunk", () => {
  const tiny = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");

  it("are named as their files when the time budget was spent before their shrink, so the gate takes their folder whole", async () => {
    const options = { generated: true, variant: "buggy", runs: "40" };
    await expectGatedTogether(await exploreCutAtSecondFailure(undefined, options, "time-budget"));
  });

  it("are named as their files when Ctrl-C came before their shrink", async () => {
    const options = { generated: true, variant: "buggy", runs: "40" };
    await expectGatedTogether(await exploreCutAtSecondFailure(undefined, options, "interrupted"));
  });

  it("are named as their files in a scenario's seeds too, out of time or interrupted", async () => {
    const options = { variant: "buggy", runs: "10", properties: "no-panic-death" };
    await expectGatedTogether(await exploreCutAtSecondFailure(tiny, options, "time-budget"));
    await expectGatedTogether(await exploreCutAtSecondFailure(tiny, options, "interrupted"));
  });

  it("are named as their files past --shrink-max, in a scenario's seeds", async () => {
    const out = tmp();
    const sweep = ["--variant", "buggy", "--runs", "4", "--properties", "no-panic-death", "--jobs", "1"];
    const shrinks = ["--keep-going", "--shrink-runs", "5", "--shrink-max", "1"];
    const r = await cli("explore", tiny, ...sweep, ...shrinks, "--out", out, "--json");
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.failures.filter((f) => f.shrink === null).length, r.err).toBeGreaterThan(0);
    await expectGatedTogether(report);
  });
});

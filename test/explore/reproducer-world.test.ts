// Shows that a reproducer names its failure and says only what changes its run: `aftershock run` gives the same verdict and trace hash with the fields it drops as without them.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { documentYaml, type ScenarioDocument } from "../../src/explore/generate/document.js";
import { reproducerDocument } from "../../src/explore/reproducer.js";
import { withoutDeadSettings } from "../../src/explore/reproducer-world.js";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, tmp } from "./cli-helpers.js";
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
    const outcome = await explore({ plan: EARLY_RETURN_PLAN, runs: 30, shrinkRunsMax: 60 });
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
    const args = ["--generated", "--variant", "buggy", "--runs", "6", "--keep-going", "--shrink-runs", "10"];
    const report = JSON.parse((await cli("explore", ...args, "--out", out, "--json")).out) as ExploreReport;
    // Shrunk and unshrunk alike (--shrink-max 1 leaves the later ones as found).
    const more = await cli("explore", ...args, "--shrink-max", "1", "--seed", "2", "--out", out, "--json");
    const files = [report, JSON.parse(more.out) as ExploreReport].flatMap((r) =>
      r.failures.map((f) => f.reproducer!),
    );
    expect(files.length).toBeGreaterThanOrEqual(4);
    const names = files.map((file) => /^name: (.*)$/m.exec(readFileSync(file, "utf8"))?.[1]);
    expect(names).toEqual(files.map((file) => basename(file, ".yaml")));
    const gate = await cli("gate", out);
    // The reproducers fail their expectations (their failures are not fixed): exit 1, not a refusal.
    expect(gate.code).toBe(1);
    expect(gate.err).not.toContain("is also the name of");
  });
});

// Scheduler modules made from the shipped example with one bug planted, and what a property test of them reads: shared by the tests that show a property catching such a module.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { expect } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, moduleFailure } from "./cli-helpers.js";

const example = join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs");
/** The line of the shipped example where bug 1 is planted (its early return went missing). */
const bugOne =
  "    // BUG: the early return went missing here; execution carries on with a missing account.\n";

/**
 * Writes `dir/name`: the example with its early return put back (bug 1 fixed), then `edit`, which
 * plants the bug under test, applied to its text.
 */
export function plantedModule(dir: string, name: string, edit: (text: string) => string): string {
  const text = readFileSync(example, "utf8");
  expect(text).toContain(bugOne);
  const fixed = text.replace(bugOne, "    yield* commit(rt, tx);\n    return;\n");
  const planted = edit(fixed);
  expect(planted, "the edit planted nothing").not.toBe(fixed);
  const file = join(dir, name);
  writeFileSync(file, planted);
  return file;
}

export function verdict(report: RunReport, property: string): RunReport["verdicts"][number] {
  const v = report.verdicts.find((x) => x.property === property);
  if (v === undefined) throw new Error(`no verdict for ${property}`);
  return v;
}

/** Fails unless every verdict of `report` but `property`'s holds: nothing else would have noticed. */
export function expectOthersHold(report: RunReport, property: string): void {
  for (const v of report.verdicts)
    if (v.property !== property) expect(v.ok, `${v.property}: ${v.detail}`).toBe(true);
}

/**
 * Runs `reproducer`'s world with the fixed v2 in the place of its module `moduleName` (as the
 * reproducer names it, from its folder), and returns the report.
 */
export async function runWithV2(reproducer: string, moduleName: string): Promise<RunReport> {
  const text = readFileSync(reproducer, "utf8");
  const moduleLine = `scheduler:\n  module: ${moduleName}\n`;
  expect(text).toContain(moduleLine);
  const withV2 = reproducer.replace(/\.yaml$/, "-v2.yaml");
  writeFileSync(withV2, text.replace(moduleLine, "scheduler:\n  version: v2\n"));
  const fixed = await cli("run", withV2, "--json");
  const report = JSON.parse(fixed.out) as RunReport;
  expect(report.variant).toMatchObject({ scheduler: "v2", fixes: ["early-return", "panic-recovery"] });
  return report;
}

/** What `caughtAlone` found: the reproducer's report, its failing verdict, and the same world with v2. */
export interface CaughtAlone {
  readonly report: RunReport;
  readonly failed: RunReport["verdicts"][number];
  readonly kept: RunReport;
}

/**
 * Explores the planted `module` (its file name `name`, in `dir`) until it fails, and checks what
 * each such test checks: the failure is `property`'s, its reproducer replays as written (exit 1)
 * with that verdict failed and every other one holding (nothing else would have noticed), and the
 * same world with the fixed v2 in the module's place is run too.
 */
export async function caughtAlone(dir: string, module: string, property: string): Promise<CaughtAlone> {
  const failure = await moduleFailure(module, join(dir, "repro"), { jobs: 1, shrinkRuns: 40 });
  return failedAlone(failure, module, property);
}

/**
 * What `caughtAlone` checks of a failure explore found in the planted `module`, however it
 * explored (generated worlds, or the seeds of a scenario naming the module).
 */
export async function failedAlone(
  failure: ExploreReport["failures"][number],
  module: string,
  property: string,
): Promise<CaughtAlone> {
  expect(failure.kind).toBe(property);
  expect(failure.reproducerMismatch).toBeNull();
  const replay = await cli("run", failure.reproducer!, "--json");
  expect(replay.code, replay.err).toBe(1);
  const report = JSON.parse(replay.out) as RunReport;
  const failed = verdict(report, property);
  expect(failed.ok).toBe(false);
  expectOthersHold(report, property);
  const kept = await runWithV2(failure.reproducer!, `../${basename(module)}`);
  return { report, failed, kept };
}

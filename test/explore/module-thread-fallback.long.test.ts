// Shows a scheduler module that will not load on a worker thread explored with two jobs: in this thread, finding what one worker thread finds, as module-thread-fallback.test.ts shows with one job.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { tmp } from "./cli-helpers.js";

const dir = tmp();
const example = readFileSync(join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs"), "utf8");
/** The shipped example, and a copy that will not load on a worker thread (Node refuses chdir there). */
const onAnyThread = join(dir, "example.mjs");
const mainThreadOnly = join(dir, "chdir.mjs");
writeFileSync(onAnyThread, example);
writeFileSync(mainThreadOnly, `process.chdir(process.cwd());\n${example}`);

/** `aftershock explore` as a process of its own: a thread's exit reaches it as it would a user's. */
function explore(module: string, ...more: string[]): { code: number; report: ExploreReport } {
  const out = join(dir, `out-${more.join("-")}-${module.endsWith("chdir.mjs") ? "chdir" : "example"}`);
  const r = cliBuilt([
    ...["explore", "--generated", "--scheduler", module, "--runs", "12"],
    // Seed 2: its fourth run fails, after three that pass on the same thread.
    ...["--seed", "2", "--shrink-runs", "10", "--out", out, "--json", ...more],
  ]);
  // A process ended by a signal (`code` -1: Node aborting) is a failure too, not an empty report.
  expect([0, 1], r.err).toContain(r.code);
  return { code: r.code, report: JSON.parse(r.out) as ExploreReport };
}

/** What a report found, apart from how it ran (a run traces its module's name, and the two files' differ). */
const findings = (report: ExploreReport) =>
  report.failures.map((f) => ({ run: f.run, kind: f.kind, shrink: f.shrink, exact: f.reproducerMismatch }));

describe.skipIf(!BUILT)("where a scheduler module's runs go (needs dist/)", () => {
  // Two processes of their own, one after the other: more than a minute on two busy cores.
  it("with two jobs, in this thread when the module will not load on one, finding what a worker thread finds", () => {
    const threaded = explore(onAnyThread, "--jobs", "1");
    expect(threaded.report.pool).toEqual({ kind: "worker-threads", threads: 1, note: null });
    expect(threaded.code).toBe(1);
    const twoJobs = explore(mainThreadOnly, "--jobs", "2");
    expect(twoJobs.report.pool.kind).toBe("in-process");
    expect(findings(twoJobs.report)).toEqual(findings(threaded.report));
  }, 180_000);
});

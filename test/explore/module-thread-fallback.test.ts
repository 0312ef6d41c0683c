// Shows where explore runs a scheduler module's runs: on a worker thread even with one job, in this thread with a note saying why when the module will not load on a thread (it calls process.chdir as it loads), with the same findings either way (with two jobs too: module-thread-fallback.long.test.ts); that a shard given no runs starts no thread; and that the gate, which needs the threads, refuses such a module saying why.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { cli, tmp } from "./cli-helpers.js";

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
    "explore",
    "--generated",
    "--scheduler",
    module,
    "--runs",
    "12",
    // Seed 2: its fourth run fails, after three that pass on the same thread. Shrunk alike
    // wherever it runs: ten of the shrink's runs show it as well as the default 300.
    "--seed",
    "2",
    "--shrink-runs",
    "10",
    "--out",
    out,
    "--json",
    ...more,
  ]);
  // A process ended by a signal (`code` -1: Node aborting) is a failure too, not an empty report.
  expect([0, 1], r.err).toContain(r.code);
  return { code: r.code, report: JSON.parse(r.out) as ExploreReport };
}

/**
 * What a report found, apart from how it ran: its failures' runs and kinds, and how their shrinks
 * went (not their trace hashes: a run traces its module's name, and the two files' names differ).
 */
const findings = (report: ExploreReport) =>
  report.failures.map((f) => ({ run: f.run, kind: f.kind, shrink: f.shrink, exact: f.reproducerMismatch }));

describe.skipIf(!BUILT)("where a scheduler module's runs go (needs dist/)", () => {
  it("on a worker thread with one job; in this thread, saying why, when the module will not load on one; finding the same", () => {
    const threaded = explore(onAnyThread, "--jobs", "1");
    expect(threaded.report.pool).toEqual({ kind: "worker-threads", threads: 1, note: null });
    const here = explore(mainThreadOnly, "--jobs", "1");
    expect(here.report.pool).toEqual({
      kind: "in-process",
      threads: 1,
      note: "worker threads unavailable (process.chdir() is not supported in workers); running in this thread",
    });
    // The example's bug 1 fails in these worlds: found alike, in the same runs and worlds.
    expect(threaded.code).toBe(1);
    expect(here.code).toBe(1);
    expect(findings(here.report)).toEqual(findings(threaded.report));
  }, 60_000);

  it("gate, whose module runs need worker threads, refuses such a module, saying it loaded here but not on one", () => {
    const tiny = join(import.meta.dirname, "../cli/fixtures/tiny.yaml");
    const r = cliBuilt(["gate", tiny, "--scheduler", mainThreadOnly, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "the scheduler module threw while loading: process.chdir() is not supported in workers (on a worker thread, where the gate runs scheduler modules, though it loaded on the main thread: a module must not call what worker threads do not support, such as process.chdir)",
    );
  }, 60_000);

  it("a shard given no runs starts no thread", async () => {
    // Of 12 runs, shard 13/13 has none. No thread to watch: the CLI in this process says it as well.
    const empty = await cli(
      ...["explore", "--generated", "--scheduler", onAnyThread, "--runs", "12", "--seed", "2"],
      ...["--shard", "13/13", "--jobs", "1", "--out", join(dir, "out-empty"), "--json"],
    );
    expect(empty.code, empty.err).toBe(0);
    expect((JSON.parse(empty.out) as ExploreReport).pool).toEqual({
      kind: "in-process",
      threads: 0,
      note: null,
    });
  }, 60_000);
});

// Shows where explore runs a scheduler module's runs: on a worker thread even with one job, in this thread with a note saying why when the module will not load on a thread (it calls process.chdir as it loads), with the same findings either way (with two jobs too: module-thread-fallback.long.test.ts); that a shard given no runs starts no thread; and that the gate, which needs the threads, refuses such a module saying why.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { cli } from "./cli-helpers.js";
import { dir, explore, exploreHere, findings, mainThreadOnly, onAnyThread } from "./thread-fallback.js";

describe.skipIf(!BUILT)("where a scheduler module's runs go (needs dist/)", () => {
  it("on a worker thread with one job; in this thread, saying why, when the module will not load on one; finding the same", async () => {
    const threaded = await exploreHere(onAnyThread, "--jobs", "1");
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

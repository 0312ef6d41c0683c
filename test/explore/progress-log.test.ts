// Shows what explore prints on a stderr that is not a terminal (a CI log): a start line, each of the first failing runs as it ends, shrinks, a count every 30 s, and what is under way once the search is over; and on a terminal, the same after the bar on one line redrawn in place.
import { describe, expect, it } from "vitest";
import { ProgressLog } from "../../src/cli/commands/explore.js";
import { main } from "../../src/cli/main.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { capturingContext, cli, tmp } from "./cli-helpers.js";

function fakeLog() {
  const { ctx, captured } = capturingContext();
  let now = 0;
  const log = new ProgressLog({ ...ctx, now: () => now });
  const advance = (ms: number) => (now += ms);
  /** `ms` later, the heartbeat's tick. */
  const tickAfter = (ms: number) => {
    advance(ms);
    log.tick();
  };
  return { log, lines: () => captured(0).err.trim().split("\n"), advance, tickAfter };
}

describe("explore's progress log", () => {
  it("says runs are under way every 30 s with no run ending, and which shrink is while shrinking", () => {
    const { log, lines, advance } = fakeLog();
    log.started("a scenario, 4 runs, 2 jobs");
    advance(29_999);
    log.tick();
    advance(1);
    log.tick();
    log.progress({ done: 1, planned: 4, failures: 0 });
    advance(30_000);
    log.tick();
    advance(10_000);
    log.tick();
    log.shrinking({ run: 0, kind: "no-cascade" });
    advance(60_000);
    log.tick();
    expect(lines()).toEqual([
      "aftershock explore: exploring a scenario, 4 runs, 2 jobs",
      "aftershock explore: runs under way, none done yet",
      "aftershock explore: 1 of 4 runs done, 0 failed; runs under way",
      "aftershock explore: shrinking the no-cascade failure of run 0",
      "aftershock explore: shrinking the no-cascade failure of run 0: still under way",
    ]);
  });

  it("says a shrink is under way only while it is, then that the reproducers are being written", () => {
    const { log, lines, tickAfter } = fakeLog();
    log.progress({ done: 4, planned: 4, failures: 2 });
    log.searched();
    log.shrinking({ run: 0, kind: "no-cascade" });
    tickAfter(30_000);
    // Its shrink over, run 0's reproducer is replayed and written, then run 3's (past --shrink-max).
    for (const _ of [0, 3]) {
      log.described();
      tickAfter(30_000);
    }
    const shrinking = "shrinking the no-cascade failure of run 0";
    const replaying = "replaying the failures and writing their reproducers: still under way";
    expect(lines()).toEqual(
      [shrinking, `${shrinking}: still under way`, replaying, replaying].map(
        (l) => `aftershock explore: ${l}`,
      ),
    );
  });

  it("says the failures are replayed after a search whose failures are not shrunk, not that runs are", () => {
    const { log, lines, tickAfter } = fakeLog();
    log.progress({ done: 3, planned: 3, failures: 1 });
    log.searched();
    tickAfter(30_000);
    expect(lines()).toEqual([
      "aftershock explore: replaying the failures and writing their reproducers: still under way",
    ]);
  });

  it("names the first ten failing runs, then only counts them, and counts every 30 s", () => {
    const { log, lines, advance } = fakeLog();
    log.started("generated worlds, variant buggy, seed 1, 100 runs, 1 job");
    for (let run = 0; run < 12; run++)
      log.progress({
        done: run + 1,
        planned: 100,
        failures: run + 1,
        failed: { run, seed: 7 + run, kinds: ["no-cascade"] },
      });
    log.progress({ done: 13, planned: 100, failures: 12 });
    advance(29_999);
    log.progress({ done: 14, planned: 100, failures: 12 });
    advance(1);
    log.progress({ done: 15, planned: 100, failures: 12 });
    log.shrinking({ run: 0, kind: "no-cascade" });
    const printed = lines();
    expect(printed[0]).toBe(
      "aftershock explore: exploring generated worlds, variant buggy, seed 1, 100 runs, 1 job",
    );
    const failed = printed.filter((l) => / failed no-cascade · /.test(l));
    expect(failed).toHaveLength(10);
    expect(failed[0]).toBe(
      "aftershock explore: run 0 (seed 7) failed no-cascade · 1 of 100 runs done, 1 failed",
    );
    expect(failed[9]).toMatch(
      /^aftershock explore: run 9 \(seed 16\) .*\(further failing runs are only counted\)$/,
    );
    expect(printed.slice(11)).toEqual([
      "aftershock explore: 15 of 100 runs done, 12 failed",
      "aftershock explore: shrinking the no-cascade failure of run 0",
    ]);
  });

  it("and the report agree: later failing runs left out without --keep-going are counted in the report", async () => {
    const args = ["explore", "single-worker-crash-loop", "--variant", "buggy", "--runs", "6", "--jobs", "2"];
    const r = await cli(...args, "--shrink-runs", "0", "--out", tmp());
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain("Failures (1)");
    // Every run of this scenario fails: the runs under way beside the first failure all finish.
    const named = r.err.split("\n").filter((l) => / failed no-panic-death/.test(l));
    const said =
      /(\d+) later failing runs? not reported \(without --keep-going only the first failure counts\)/.exec(
        r.out,
      );
    expect(said, r.out).not.toBeNull();
    expect(Number(said![1])).toBeGreaterThanOrEqual(Math.max(1, named.length - 1));
  });

  it("counts no later failing run with one job: no run is under way beside the failing one", async () => {
    const args = ["explore", "single-worker-crash-loop", "--variant", "buggy", "--runs", "10", "--jobs", "1"];
    const r = await cli(...args, "--shrink-runs", "0", "--out", tmp());
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain("Failures (1)");
    expect(r.out).toContain("1 of 10 runs");
    expect(r.out).not.toMatch(/later failing run/);
  });

  it("is what explore prints on stderr when it is not a terminal, one line per failing run found", async () => {
    const r = await cli(
      "explore",
      "--generated",
      "--variant",
      "buggy",
      "--keep-going",
      "--runs",
      "8",
      "--jobs",
      "1",
      "--shrink-runs",
      "0",
      "--out",
      tmp(),
      "--json",
    );
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.failures.length).toBeGreaterThan(0);
    const failed = r.err
      .split("\n")
      .filter((l) => /^aftershock explore: run \d+ \(seed \d+\) failed /.test(l));
    expect(failed).toHaveLength(report.failures.length);
    for (const f of report.failures)
      expect(
        failed.some((l) => l.startsWith(`aftershock explore: run ${f.run} (seed ${f.seed}) failed `)),
      ).toBe(true);
    expect(r.err.split("\n")[0]).toMatch(
      /^aftershock explore: exploring generated worlds, variant buggy, seed 1, 8 runs, 1 job$/,
    );
  });

  it("starts one job, unasked, for a few generated worlds, and says so", async () => {
    // Two runs: the old default, the cores, would have started two threads on any machine of two.
    const r = await cli("explore", "--generated", "--runs", "2", "--out", tmp(), "--json");
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as ExploreReport).pool).toMatchObject({ kind: "in-process", threads: 1 });
    expect(r.err.split("\n")[0]).toBe(
      "aftershock explore: exploring generated worlds, variant fixed, seed 1, 2 runs, 1 job",
    );
  });

  it("names the jobs the pool starts: at most one per run of the shard", async () => {
    // Four runs, shard 2/4: one run (seed 2) here, so one job, whatever --jobs says.
    const r = await cli(
      "explore",
      "--generated",
      "--runs",
      "4",
      "--shard",
      "2/4",
      "--jobs",
      "4",
      "--out",
      tmp(),
      "--json",
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.pool.threads).toBe(1);
    expect(r.err.split("\n")[0]).toBe(
      "aftershock explore: exploring generated worlds, variant fixed, seed 1, 4 runs, shard 2/4, 1 job",
    );
  });
});

describe("explore's status on a terminal", () => {
  it("redraws each shrink and the replay of the failures in place, and clears the line at the end", async () => {
    const { ctx, captured } = capturingContext();
    const out = tmp();
    // Six runs of seed 1 find two failures (runs 3 and 5): each is shrunk, then replayed.
    const argv = ["explore", "--generated", "--variant", "buggy", "--runs", "6", "--keep-going"];
    const code = await main([...argv, "--shrink-runs", "4", "--jobs", "1", "--out", out], {
      ...ctx,
      errIsTty: true,
      errColumns: () => 120,
    });
    const err = captured(code).err;
    // The bar itself goes to the real stderr; the statuses after it go through the context.
    const statuses = err.split("\r\x1b[K").filter((s) => s !== "");
    expect(statuses.some((s) => s.startsWith("shrinking the "))).toBe(true);
    expect(statuses.some((s) => s.startsWith("replaying the failures and writing their reproducers"))).toBe(
      true,
    );
    // Each a line redrawn in place: none ends in a newline, none is left behind at the end.
    expect(statuses.filter((s) => s.endsWith("\n"))).toEqual([]);
    expect(err.endsWith("\r\x1b[K")).toBe(true);
  });
});

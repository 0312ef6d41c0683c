// Shows that explore's results do not depend on jobs or shards: the same runs, the same first failure, the same counts, and shards that partition the runs; and how many jobs it starts unasked.
import { describe, expect, it } from "vitest";
import { renderExplore } from "../../src/cli/commands/explore.js";
import {
  DEFAULT_JOBS_MAX,
  defaultJobs,
  type ExploreConstraints,
  explore,
  exploreJobs,
  GENERATED_RUNS_PER_JOB,
} from "../../src/explore/explore.js";
import { type ExploreTarget, exploreReport, mergeExploreReports } from "../../src/explore/explore-report.js";
import { exploreSeedsOf } from "../../src/explore/gate.js";
import { compileDocument, sized, TEST_SIZED } from "../../src/explore/generate/index.js";
import { defaultWorkerFile } from "../../src/explore/pool.js";
import type { RunPlan } from "../../src/explore/run-one.js";
import {
  generationSeed,
  parseShard,
  shardRunCount,
  shardRuns,
  sweepBaseMax,
} from "../../src/explore/seeds.js";
import { plainPaint } from "../../src/report/paint.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { EARLY_RETURN_PLAN, smallDocument } from "./helpers.js";

const ONE = { index: 1, count: 1 };

const buggyPlan: RunPlan = {
  mode: "generated",
  variant: "buggy",
  properties: ["no-panic-death"],
  constraints: sized(TEST_SIZED, { durationMsMin: 10 * 60_000, durationMsMax: 15 * 60_000 }),
  seed: 1,
};

/** Explores 10 runs of `buggyPlan` on a fake clock, with a time budget of 60 s. */
function exploreBudgeted(clock: () => number, over: Partial<ExploreConstraints>) {
  return explore({ plan: buggyPlan, runs: 10, wallClock: clock, timeBudgetMs: 60_000, ...over });
}

const fixedPlan: RunPlan = {
  mode: "generated",
  variant: "fixed",
  properties: ["no-cascade", "no-panic-death", "deleted-schedules-cleaned"],
  constraints: sized(TEST_SIZED, { durationMsMin: 10 * 60_000, durationMsMax: 15 * 60_000 }),
  seed: 5,
};

function target(plan: RunPlan, runs: number): ExploreTarget {
  return {
    mode: "generated",
    scenario: "generated",
    source: null,
    variant: plan.variant,
    seed: plan.mode === "generated" ? plan.seed : 0,
    runs,
    properties: plan.properties,
    constraints: plan.mode === "generated" ? plan.constraints : null,
  };
}

describe("seeds and shards", () => {
  it("shards partition the runs, in order", () => {
    const all = [1, 2, 3].flatMap((i) => shardRuns(10, { index: i, count: 3 }));
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shardRuns(10, { index: 2, count: 3 })).toEqual([1, 4, 7]);
    expect(shardRuns(5)).toEqual([0, 1, 2, 3, 4]);
  });

  it("counts a shard's runs as it lists them", () => {
    for (const runs of [0, 1, 2, 3, 7, 40])
      for (const count of [1, 2, 3, 5])
        for (let index = 1; index <= count; index++)
          expect(shardRunCount(runs, { index, count })).toBe(shardRuns(runs, { index, count }).length);
  });

  it("parses i/n and refuses anything else", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "2", "a/b", "2/0", "-1/3"]) expect(parseShard(bad)).toBeNull();
  });

  it("generation seeds are stable (a change would change every explored world)", () => {
    expect([0, 1, 2].map((i) => generationSeed(1, i))).toMatchInlineSnapshot(`
      [
        685408112,
        1572653331,
        1199058289,
      ]
    `);
    expect(generationSeed(2 ** 40 + 1, 0)).not.toBe(generationSeed(1, 0));
  });
});

describe("explore", () => {
  it("counts every run and property, and finds nothing wrong with the fixed scheduler", async () => {
    const outcome = await explore({ plan: fixedPlan, runs: 6 });
    expect(outcome.completed).toBe(6);
    expect(outcome.stoppedBy).toBe("done");
    expect(outcome.failures).toEqual([]);
    // Exercised only where something could panic: 2 of these worlds had no panic, injected or
    // not, and no fire of a deleted account's schedule.
    expect(outcome.properties["no-cascade"]).toEqual({ checked: 6, failed: 0, exercised: 4 });
    expect(outcome.properties["no-panic-death"]).toEqual({ checked: 6, failed: 0, exercised: 4 });
    expect(outcome.pool).toEqual({ kind: "in-process", threads: 1, note: null });
  });

  it("stops at the earliest failure, shrinks it, whatever the number of jobs", async () => {
    // A short shrink will do: its result, not its depth, is what is compared across jobs.
    const one = await explore({ plan: EARLY_RETURN_PLAN, runs: 30, shrinkRunsMax: 3 });
    expect(one.stoppedBy).toBe("failure");
    expect(one.failures).toHaveLength(1);
    const failure = one.failures[0];
    expect(failure.kind).toBe("no-cascade");
    expect(one.completed).toBe(failure.run + 1);
    expect(failure.document).not.toBeNull();
    expect(failure.documentRun?.failed).toContain("no-cascade");
    expect(failure.shrink?.steps).toBeGreaterThan(0);
    // Worker threads run the compiled dist/ (this file runs from source): after changing the
    // simulator, build first (npm test does), or the two sides simulate different code.
    const two = await explore({ plan: EARLY_RETURN_PLAN, runs: 30, jobs: 2, shrinkRunsMax: 3 });
    if (two.pool.note !== null) console.info(`[explore] ${two.pool.note}`);
    expect(two.completed).toBe(one.completed);
    expect(two.failures.map((f) => [f.run, f.kind, f.traceHash, f.documentRun?.traceHash])).toEqual(
      one.failures.map((f) => [f.run, f.kind, f.traceHash, f.documentRun?.traceHash]),
    );
    expect(two.properties).toEqual(one.properties);
  });

  it("rates the search by every run it finished, those after the first failure too", async () => {
    const one = await explore({ plan: EARLY_RETURN_PLAN, runs: 30, shrinkRunsMax: 0 });
    // One run at a time: nothing is under way beside the failing run.
    expect(one.laterRuns).toBe(0);
    // On worker threads, runs beside the first failing one finish too: 1 counted, 4 more run.
    const report = exploreReport(
      target(EARLY_RETURN_PLAN, 30),
      ONE,
      { ...one, completed: 1, searchMs: 1000 },
      new Map(),
    );
    expect(renderExplore(report, plainPaint, 3, 4)).toContain("1 of 30 runs in 1.0 s · 5.0 runs/s");
    expect(renderExplore(report, plainPaint)).toContain("1 of 30 runs in 1.0 s · 1.0 runs/s");
    // A slow world's rate is said in two figures, not rounded to nothing.
    const slow = exploreReport(
      target(EARLY_RETURN_PLAN, 30),
      ONE,
      { ...one, completed: 4, searchMs: 115_300 },
      new Map(),
    );
    expect(renderExplore(slow, plainPaint)).toContain("4 of 30 runs in 115.3 s · 0.035 runs/s");
  });

  it("keeps going to collect every failure, and shards merge into the whole", async () => {
    const runs = 8;
    const whole = await explore({ plan: EARLY_RETURN_PLAN, runs, keepGoing: true, shrinkRunsMax: 0 });
    expect(whole.completed).toBe(runs);
    const shards = await Promise.all(
      [1, 2, 3].map((index) =>
        explore({
          plan: EARLY_RETURN_PLAN,
          runs,
          keepGoing: true,
          shrinkRunsMax: 0,
          shard: { index, count: 3 },
        }),
      ),
    );
    const reports = shards.map((o, i) =>
      exploreReport(target(EARLY_RETURN_PLAN, runs), { index: i + 1, count: 3 }, o, new Map()),
    );
    const merged = mergeExploreReports([reports[2], reports[0], reports[1]]);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.report.completed).toBe(runs);
    expect(merged.report.shards).toEqual({ count: 3, present: [1, 2, 3], missing: [] });
    expect(merged.report.properties).toEqual(whole.properties);
    expect(merged.report.failures.map((f) => [f.run, f.traceHash])).toEqual(
      whole.failures.map((f) => [f.run, f.traceHash]),
    );
    expect(mergeExploreReports([reports[0], reports[0]]).ok).toBe(false);
    const other = exploreReport(target(fixedPlan, runs), { index: 2, count: 3 }, shards[1], new Map());
    expect(mergeExploreReports([reports[0], other])).toMatchObject({ ok: false });
  });

  it("stops dispatching when the time budget runs out", async () => {
    let now = 0;
    const outcome = await explore({
      plan: fixedPlan,
      runs: 50,
      timeBudgetMs: 1000,
      wallClock: () => now,
      onProgress: () => {
        now += 400;
      },
    });
    expect(outcome.stoppedBy).toBe("time-budget");
    // Runs in this thread go one at a time: started at 0, 400 and 800 ms; none at 1200.
    expect(outcome.completed).toBe(3);
  });

  it("ends shrinking within the time budget: the budget bounds the whole exploration", async () => {
    let now = 0;
    const outcome = await exploreBudgeted(() => now, {
      shrinkTimeMsMax: 10 * 60_000,
      // The search took no (fake) time; the budget is spent by the time shrinking starts.
      onShrink: () => {
        now = 61_000;
      },
    });
    expect(outcome.stoppedBy).toBe("failure");
    expect(outcome.failures[0].shrink).toMatchObject({ exhausted: true, steps: 0 });
  });

  it("says a failure the time budget left no time to shrink was not shrunk, and no time went shrinking", async () => {
    let now = 0;
    const outcome = await exploreBudgeted(() => now, {
      onProgress: (p) => {
        now = p.failures > 0 ? 61_000 : now + 1_000;
      },
      // Replaying the failure for its reproducer takes time, which is not shrinking.
      onFailure: () => {
        now += 1_500;
      },
    });
    const text = renderExplore(exploreReport(target(buggyPlan, 10), ONE, outcome, new Map()), plainPaint);
    expect(text).toContain("not shrunk: the time budget was spent before its shrink began");
    expect(text).not.toContain("shrunk in 0 steps");
    expect(text).toContain("(+ 1.5 s replaying the failures)");
    const passing = await explore({ plan: fixedPlan, runs: 2, wallClock: () => (now += 10) });
    const quiet = renderExplore(exploreReport(target(fixedPlan, 2), ONE, passing, new Map()), plainPaint);
    expect(quiet).not.toContain("replaying the failures");
  });

  it("counts the failures past --shrink-max apart from the shrinks the time budget cut short, each with what would shrink more", async () => {
    let now = 0;
    const outcome = await exploreBudgeted(() => now, {
      keepGoing: true,
      shrinkFailuresMax: 1,
      // The budget is spent as the search ends: the first failure's shrink never begins.
      onProgress: (p) => {
        if (p.done === p.planned) now = 61_000;
      },
    });
    expect(outcome.failures.length).toBeGreaterThan(2);
    expect(outcome.failures[0].shrink?.cutBy).toBe("time-budget");
    const report = exploreReport(target(buggyPlan, 10), ONE, outcome, new Map());
    const text = renderExplore(report, plainPaint);
    // The failures past --shrink-max were never to be shrunk, whatever the budget: counted as the
    // JSON counts them; the one the budget cut, apart.
    const past = report.failuresUnshrunk!;
    expect(past).toBe(outcome.failures.length - 1);
    expect(text).toContain(
      `\n  ${past} failures left unshrunk, in their original world: --shrink-max 1 shrinks the first failure (raise it, and the time budget, to shrink more)\n`,
    );
    expect(text).toMatch(
      /\n {2}1 shrink cut short by the time budget, before it began \(a bigger --time-budget shrinks more\)$/,
    );
    expect(text).not.toContain("the time budget was spent before the first");
  });

  it("says only --shrink-max for the failures past it when the time budget cut no shrink", async () => {
    const outcome = await exploreBudgeted(() => 0, {
      keepGoing: true,
      shrinkFailuresMax: 1,
      shrinkRunsMax: 5,
    });
    expect(outcome.failures.some((f) => f.shrink?.cutBy === "time-budget")).toBe(false);
    const text = renderExplore(exploreReport(target(buggyPlan, 10), ONE, outcome, new Map()), plainPaint);
    expect(text).toContain("--shrink-max 1 shrinks the first failure (raise it to shrink more)");
    expect(text).not.toContain("time budget");
    // --shrink-max 0 shrinks none: not "the first 0 failures".
    const none = exploreReport(target(buggyPlan, 10), ONE, { ...outcome, shrinkFailuresMax: 0 }, new Map());
    const noneText = renderExplore({ ...none, failuresUnshrunk: outcome.failures.length }, plainPaint);
    expect(noneText).toContain(
      "in their original world: --shrink-max 0 shrinks none (raise it to shrink some)",
    );
    expect(noneText).not.toContain("first 0");
  });

  it("spends one run on a generated failure it has no time left to shrink: the run that names its reproducer", async () => {
    const v2 = bundledSchedulers().get("v2")!;
    let creates = 0;
    const counting = {
      ...v2,
      create: (fixes: readonly string[]) => {
        creates++;
        return v2.create(fixes);
      },
    };
    const schedulers = new Map([["v2", counting]]);
    let now = 0;
    let searched = 0;
    const outcome = await explore({
      plan: buggyPlan,
      runs: 10,
      schedulers,
      wallClock: () => now,
      timeBudgetMs: 60_000,
      // The budget runs out as the failure is found: nothing is left for shrinking.
      onProgress: (p) => {
        searched = creates;
        if (p.failures > 0) now = 61_000;
      },
    });
    expect(outcome.failures).toHaveLength(1);
    const [failure] = outcome.failures;
    expect(failure.shrink).toEqual({ runs: 0, steps: 0, exhausted: true, cutBy: "time-budget" });
    // Its world named for its failure (the name is in the trace): one of its own among the
    // exploration's reproducers, so that they gate together. No shrink ran.
    expect(failure.document?.name).toBe(`no-panic-death-buggy-run-${failure.run}`);
    expect(failure.documentRun?.traceHash).not.toBe(failure.traceHash);
    // That run created the world's schedulers (one per worker started), after the search.
    expect(creates).toBeGreaterThan(searched);
  });

  it("starts no more worker threads than the runs of its shard", async () => {
    const outcome = await explore({
      plan: fixedPlan,
      runs: 5,
      jobs: 8,
      shard: { index: 1, count: 2 },
      shrinkRunsMax: 0,
    });
    if (outcome.pool.note !== null) console.info(`[explore] ${outcome.pool.note}`);
    else expect(outcome.pool).toMatchObject({ kind: "worker-threads", threads: 3 });
    expect(outcome.completed).toBe(3);
    // The rule the CLI's start line names the jobs by.
    expect(exploreJobs({ runs: 5, jobs: 8, shard: { index: 1, count: 2 } })).toBe(3);
    expect(exploreJobs({ runs: 5, jobs: 8, shard: { index: 2, count: 2 } })).toBe(2);
    expect(exploreJobs({ runs: 5, jobs: 2 })).toBe(2);
    expect(exploreJobs({ runs: 5 })).toBe(1);
    // A shard with no run still opens a pool of one.
    expect(exploreJobs({ runs: 2, jobs: 4, shard: { index: 3, count: 4 } })).toBe(1);
  });

  it("finds the compiled pool worker from source", () => {
    expect(defaultWorkerFile()).toMatch(/dist[/\\]bundle[/\\]cli[/\\]pool-worker\.js$/);
  });
});

describe("the jobs an exploration starts when none are asked for", () => {
  const scenarioPlan = { ...fixedPlan, mode: "scenario", base: null as never, baseSeed: 1 } as RunPlan;

  it("are the cores, at most eight, for a scenario's seeds however few", () => {
    expect(defaultJobs(scenarioPlan, { runs: 3 }, 2)).toBe(2);
    expect(defaultJobs(scenarioPlan, { runs: 3 }, 64)).toBe(DEFAULT_JOBS_MAX);
    expect(defaultJobs(scenarioPlan, { runs: 3 }, 0)).toBe(1);
  });

  it("are one per GENERATED_RUNS_PER_JOB generated worlds of the shard, rounded up, within the same bounds", () => {
    const per = GENERATED_RUNS_PER_JOB;
    expect(defaultJobs(fixedPlan, { runs: 100 }, 2)).toBe(1);
    expect(defaultJobs(fixedPlan, { runs: per }, 2)).toBe(1);
    expect(defaultJobs(fixedPlan, { runs: per + 1 }, 2)).toBe(2);
    expect(defaultJobs(fixedPlan, { runs: 100 * per }, 2)).toBe(2);
    expect(defaultJobs(fixedPlan, { runs: 3 * per }, 64)).toBe(3);
    expect(defaultJobs(fixedPlan, { runs: 100 * per }, 64)).toBe(DEFAULT_JOBS_MAX);
    // Counted in the shard's runs: 4 shards of 4 per runs have `per` runs each.
    expect(defaultJobs(fixedPlan, { runs: 4 * per, shard: { index: 2, count: 4 } }, 8)).toBe(1);
    expect(defaultJobs(fixedPlan, { runs: 4 * per, shard: { index: 2, count: 2 } }, 8)).toBe(2);
    expect(defaultJobs(fixedPlan, { runs: 0 }, 8)).toBe(1);
  });
});

describe("seed sweeps past the largest seed", () => {
  it("are refused by the API before any run, in explore and in the gate's explored seeds", async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const compiled = compileDocument(smallDocument());
    if (!compiled.ok) throw new Error(compiled.problems.join("\n"));
    const plan: RunPlan = {
      mode: "scenario",
      variant: "fixed",
      properties: ["no-cascade"],
      base: compiled.compiled,
      baseSeed: max - 1,
      schedulerModules: [],
    };
    await expect(explore({ plan, runs: 3 })).rejects.toThrow(`pass the largest seed ${max}`);
    expect(() => exploreSeedsOf(max - 1, 2)).toThrow(`pass the largest seed ${max}`);
    expect(exploreSeedsOf(max - 1, 1)).toEqual([max]);
    expect(sweepBaseMax(4)).toBe(max - 3);
  });
});

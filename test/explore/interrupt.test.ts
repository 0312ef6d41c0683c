// Shows that Ctrl-C on explore keeps what was found: the runs stop, the reproducers found so far are written whole, a partial report says so, exit 130.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ExploreCommandOptions,
  exploreCommand,
  type InterruptSignal,
  notReplayed,
  renderExplore,
  underWayWords,
} from "../../src/cli/commands/explore.js";
import { explore } from "../../src/explore/explore.js";
import { type ExploreReport, exploreReport } from "../../src/explore/explore-report.js";
import { sized, TEST_SIZED } from "../../src/explore/generate/index.js";
import type { RunPlan } from "../../src/explore/run-one.js";
import { plainPaint } from "../../src/report/paint.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";
import { capturingContext, onFirstErr, tmp } from "./cli-helpers.js";
import {
  BUGGY_UNTIL_STOPPED,
  BUILT,
  expectWholeReproducers,
  FAILED_LINE,
  interrupted,
} from "./interrupt-binary.js";

/**
 * Runs explore in this thread and fires its Ctrl-C (or `signal`) handler as soon as it says a run
 * failed (runs yield between them), so there is a failure to keep, whatever the machine's speed.
 */
async function interruptAtFirstFailure(options: ExploreCommandOptions, signal?: InterruptSignal) {
  const { ctx, captured } = capturingContext();
  let fire: (signal?: InterruptSignal) => void = () => {};
  let fired = false;
  let removed = false;
  const onInterrupt = (handler: (signal?: InterruptSignal) => void) => {
    fire = handler;
    return () => {
      removed = true;
    };
  };
  const watched = onFirstErr(ctx, FAILED_LINE, () => {
    fired = true;
    setImmediate(() => fire(signal));
  });
  const code = await exploreCommand(watched, undefined, options, onInterrupt);
  expect(fired).toBe(true);
  expect(removed).toBe(true);
  return captured(code);
}

/** Generated worlds of the buggy scheduler: the first failures come within a few runs. */
const buggyPlan: RunPlan = {
  mode: "generated",
  variant: "buggy",
  properties: ["no-panic-death"],
  constraints: sized(TEST_SIZED),
  seed: 1,
};

/** The report's target for 10 runs of a buggy plan. */
function buggyTarget(plan: RunPlan) {
  return {
    mode: "generated",
    scenario: "generated",
    source: null,
    variant: "buggy",
    seed: 1,
    runs: 10,
    properties: plan.properties,
    constraints: null,
  } as const;
}

describe("explore interrupted", () => {
  it("says a failure found as it was interrupted was not shrunk because of it", async () => {
    const plan = buggyPlan;
    const signal = new AbortController();
    const outcome = await explore({
      plan,
      runs: 10,
      signal: signal.signal,
      // Ctrl-C as the failing run ends, before the search is over.
      onProgress: (p) => {
        if (p.failed !== undefined) signal.abort();
      },
    });
    expect(outcome.stoppedBy).toBe("interrupted");
    const [failure] = outcome.failures;
    expect(failure.shrink).toEqual({ runs: 0, steps: 0, exhausted: true, cutBy: "interrupted" });
    const target = buggyTarget(plan);
    const text = renderExplore(exploreReport(target, { index: 1, count: 1 }, outcome, new Map()), plainPaint);
    expect(text).toMatch(/ · interrupted after \d+ runs?/);
    // "1 run", "2 runs": the count and its noun agree.
    for (const n of [1, 2]) {
      const report = exploreReport(target, { index: 1, count: 1 }, { ...outcome, completed: n }, new Map());
      expect(renderExplore(report, plainPaint)).toContain(
        ` · interrupted after ${n} ${n === 1 ? "run" : "runs"}\n`,
      );
    }
    expect(text).not.toContain("stopped at the first failure");
    expect(text).toContain("not shrunk: interrupted before its shrink began");
  });

  it("stops starting runs, writes what it found, reports it and returns 130", async () => {
    const options = { generated: true, variant: "buggy", runs: "100000", jobs: "1", keepGoing: true };
    const { code, out, err } = await interruptAtFirstFailure({ ...options, out: tmp(), json: true });
    expect(code, err).toBe(130);
    expect(err).toContain("aftershock: interrupted");
    // --jobs 1 runs in this thread: there is no worker thread to wait for.
    expect(err).toContain("stopping the search (the run under way is cut short)");
    expect(err).not.toContain("worker threads");
    const report = JSON.parse(out) as ExploreReport;
    expect(report.stoppedBy).toBe("interrupted");
    expect(report.completed).toBeLessThan(report.planned);
    expectWholeReproducers(report);
  });

  it("treats SIGTERM (how CI systems cancel a job) as Ctrl-C, and returns 143", async () => {
    const options = { generated: true, variant: "buggy", runs: "100000", jobs: "1", keepGoing: true };
    const { code, out, err } = await interruptAtFirstFailure(
      { ...options, out: tmp(), json: true },
      "SIGTERM",
    );
    expect(code, err).toBe(143);
    expect(err).toContain("aftershock: interrupted by SIGTERM");
    const report = JSON.parse(out) as ExploreReport;
    expect(report.stoppedBy).toBe("interrupted");
    expectWholeReproducers(report);
  });

  it("cuts a shrink short and keeps the failing world found so far", async () => {
    const plan = buggyPlan;
    const search = { plan, runs: 10, shrinkRunsMax: 100_000 };
    const whole = await explore(search);
    const signal = new AbortController();
    const cut = await explore({ ...search, signal: signal.signal, onShrink: () => signal.abort() });
    expect(whole.failures[0].shrink!.runs).toBeGreaterThan(2);
    const [failure] = cut.failures;
    expect(failure.run).toBe(whole.failures[0].run);
    expect(failure.shrink).toMatchObject({ exhausted: true, steps: 0 });
    expect(failure.shrink!.runs).toBeLessThanOrEqual(1);
    expect(failure.document).not.toBeNull();
    expect(failure.documentRun?.failed).toContain("no-panic-death");
    // Every run was counted, so the search did not stop for Ctrl-C; the first line still says
    // the command was interrupted, as it exits 130.
    expect(cut.stoppedBy).toBe("failure");
    const target = buggyTarget(plan);
    const [first] = renderExplore(exploreReport(target, { index: 1, count: 1 }, cut, new Map()), plainPaint)
      .split("\n")
      .slice(1, 2);
    expect(first).toMatch(
      / · stopped at the first failure \(--keep-going to go on\) · interrupted while shrinking$/,
    );
    const budget = {
      ...cut,
      failures: cut.failures.map((f) => ({ ...f, shrink: { ...f.shrink!, cutBy: "time-budget" as const } })),
    };
    const [budgetLine] = renderExplore(
      exploreReport(target, { index: 1, count: 1 }, budget, new Map()),
      plainPaint,
    )
      .split("\n")
      .slice(1, 2);
    expect(budgetLine).toMatch(/ · the time budget cut shrinking short$/);
    // Later still, as the reproducer was replayed: written, not vouched for, and said on the first line.
    const replayCut = new Map([[whole.failures[0], notReplayed("SIGTERM")]]);
    const [replayLine] = renderExplore(
      exploreReport(target, { index: 1, count: 1 }, whole, new Map(), new Map(), replayCut),
      plainPaint,
    )
      .split("\n")
      .slice(1, 2);
    expect(replayLine).toMatch(
      / · stopped at the first failure \(--keep-going to go on\) · interrupted while its reproducers were written$/,
    );
    const [plainLine] = renderExplore(
      exploreReport(target, { index: 1, count: 1 }, whole, new Map()),
      plainPaint,
    )
      .split("\n")
      .slice(1, 2);
    expect(plainLine).not.toContain("interrupted");
  });
});

describe("the interrupt line's words for the runs under way", () => {
  it("says what each signal does where the runs went", () => {
    const words = (
      signal: "SIGINT" | "SIGTERM",
      inThisThread: boolean,
      jobs: number,
      modules: boolean,
      long = false,
    ) => underWayWords(signal, { inThisThread, jobs, modules, long });
    // In this thread: Ctrl-C cuts a bundled scheduler's run short (its guard), another signal waits.
    expect(words("SIGINT", true, 1, false)).toBe("the run under way is cut short");
    expect(words("SIGTERM", true, 1, false)).toBe("the run under way finishes");
    // A module that would not load on a thread, here: every signal waits, but a large world's
    // run, which its guard cuts short at Ctrl-C.
    expect(words("SIGINT", true, 1, true)).toBe("the run under way finishes");
    expect(words("SIGINT", true, 1, true, true)).toBe("the run under way is cut short");
    expect(words("SIGTERM", true, 1, true, true)).toBe("the run under way finishes");
    // A module's one thread: stopped at once, whatever the signal.
    expect(words("SIGTERM", false, 1, true)).toBe("the run under way is cut short");
    expect(words("SIGTERM", false, 2, true)).toBe("runs under way are cut short");
    expect(words("SIGTERM", false, 2, false)).toBe("runs under way on worker threads finish");
    expect(words("SIGINT", false, 2, false, true)).toBe("runs under way are cut short");
  });
});

describe("explore in this thread, interrupted during its last run", () => {
  it("takes the interruption in, rather than returning as if nothing had come", async () => {
    // The abort comes as the run ends (its scheduler queues it, as a signal that came during the
    // run waits for the event loop): the exploration turns the loop before it judges the search.
    const interrupt = new AbortController();
    const name = "module:./aborts.mjs";
    const aborts: SchedulerFactory = {
      name: "aborts",
      description: "queues an abort",
      fixes: [],
      create: () => ({
        name: "aborts",
        fixes: [],
        main: function* (rt) {
          setImmediate(() => interrupt.abort());
          for (;;) yield rt.sleep(1000);
        },
      }),
    };
    const outcome = await explore({
      plan: {
        mode: "generated",
        variant: "fixed",
        properties: ["no-cascade"],
        constraints: sized(TEST_SIZED),
        seed: 1,
        module: { path: "./aborts.mjs", fixes: [] },
      },
      runs: 1,
      jobs: 1,
      shrinkRunsMax: 0,
      schedulers: bundledSchedulers().set(name, aborts),
      signal: interrupt.signal,
    });
    expect(outcome.pool.kind).toBe("in-process");
    expect(outcome.completed).toBe(1);
    expect(interrupt.signal.aborted).toBe(true);
    expect(outcome.stoppedBy).toBe("interrupted");
  });
});

describe.skipIf(!BUILT)("the built binary, sent SIGINT", () => {
  const args = BUGGY_UNTIL_STOPPED;

  // One binary a test: each waits for a failure and then for the reproducers to be written, which
  // on a loaded machine takes a good part of a test's time.
  it("prints the partial report, interrupted after N runs, with the reproducers written, exit 130", async () => {
    const dir = join(tmp(), "ci2");
    const r = await interrupted([...args, "--jobs", "2", "--out", dir]);
    expect(r.signalled, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(130);
    expect(r.stdout).toMatch(/interrupted after \d+ runs/);
    expect(r.stdout).toContain(`reproducer ${dir}`);
  });

  it("sent SIGTERM twice at once (as `timeout` signals the process and its group), still writes the report, exit 143", async () => {
    const dir = join(tmp(), "term2");
    const r = await interrupted([...args, "--jobs", "1", "--out", dir, "--json"], "SIGTERM", 2);
    expect(r.signalled, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(143);
    const report = JSON.parse(r.stdout) as ExploreReport;
    expect(report.stoppedBy).toBe("interrupted");
    expectWholeReproducers(report);
  });
});

// Shows what `why` says when its target names nothing in the run: what it could name instead.
import { describe, expect, it } from "vitest";
import { crashTargetProblem, findCrash } from "../../src/checks/index.js";
import { noSuchTarget } from "../../src/cli/commands/why.js";
import type { TraceEvent } from "../../src/kernel/index.js";

function crash(seq: number, worker: string, reason: string): TraceEvent {
  return { t: seq, seq, type: "worker.crashed", cause: null, worker, reason };
}

const events: TraceEvent[] = [
  { t: 0, seq: 0, type: "run.started", cause: null },
  crash(1, "w3", "panic"),
  crash(2, "w3", "panic"),
  crash(3, "w5", "killed"),
  { t: 4, seq: 4, type: "run.finished", cause: null },
];

const fleet: TraceEvent[] = ["w1", "w2", "w3", "w4", "w5"].map((worker, i) => ({
  t: 0,
  seq: 10 + i,
  type: "worker.started",
  cause: null,
  worker,
}));

describe("why, on a target that names nothing", () => {
  it("says how many crashes a worker had when asked for one beyond them", () => {
    expect(noSuchTarget("w3#9", events, "buggy")).toBe(
      "w3#9: w3 has 2 panic deaths, so #1 to #2 (workers that crashed: w3 (2 panic deaths), w5 (1 crash))",
    );
  });

  it("says where the trace's seqs end for a seq beyond them", () => {
    expect(noSuchTarget("999", events, "buggy")).toBe(
      "999: no event with that seq; this run's trace has seqs 0 to 4",
    );
  });

  it("says what a target may be for a word that is neither", () => {
    for (const target of ["-5", "w99"]) {
      const text = noSuchTarget(target, events, "buggy");
      expect(text).toContain(
        `${target}: no such crash; expected a worker (w3), its nth panic death (w3#2; its nth crash if it never panicked) or a trace seq (0 to 4)`,
      );
      expect(text).toContain("Workers that crashed: w3 (2 panic deaths), w5 (1 crash)");
    }
  });

  it("says no worker crashed when none did", () => {
    expect(noSuchTarget("w1", events.slice(0, 1), "fixed")).toBe(
      "w1: no worker crashed in this run (variant fixed); give a trace seq (0 to 0)",
    );
  });
});

describe("why, on a worker that never crashed", () => {
  const started: TraceEvent = { t: 0, seq: 5, type: "worker.started", cause: null, worker: "w1" };

  it("says that worker never crashed, and which did", () => {
    expect(noSuchTarget("w1", [...events, started], "buggy")).toBe(
      "w1: w1 never crashed in this run (variant buggy); workers that crashed: w3 (2 panic deaths), w5 (1 crash)",
    );
  });

  it("says so when no worker crashed at all", () => {
    expect(noSuchTarget("w1#2", [events[0], started], "fixed")).toBe(
      "w1#2: w1 never crashed in this run (variant fixed); no worker did; give a trace seq (0 to 1)",
    );
  });

  it("points to its kill while frozen, which is no crash, by seq", () => {
    const killed: TraceEvent = {
      t: 5,
      seq: 6,
      type: "worker.stopped",
      cause: null,
      worker: "w1",
      incarnation: 1,
      why: "deploy",
      graceful: false,
    };
    expect(noSuchTarget("w1", [events[0], started, killed], "fixed")).toBe(
      "w1: w1 never crashed in this run (variant fixed); it was killed while frozen at #6 (give that seq); no worker did; give a trace seq (0 to 2)",
    );
  });
});

describe("why, on a worker the fleet never had", () => {
  it("says there is no such worker and which there were, rather than that it never crashed", () => {
    expect(noSuchTarget("w7", [...events, ...fleet], "buggy")).toBe(
      "w7: there is no worker w7 in this run (variant buggy): its workers are w1 to w5; workers that crashed: w3 (2 panic deaths), w5 (1 crash)",
    );
  });

  it("says so when no worker crashed at all", () => {
    expect(noSuchTarget("w0#2", [events[0], ...fleet], "fixed")).toBe(
      "w0#2: there is no worker w0 in this run (variant fixed): its workers are w1 to w5; none crashed; give a trace seq (0 to 5)",
    );
  });

  it("lists the workers when a scale left gaps in their numbers", () => {
    const scaled = [...fleet.slice(0, 2), { ...fleet[0], seq: 20, worker: "w7" }];
    expect(noSuchTarget("w3", [events[0], ...scaled], "fixed")).toContain("its workers are w1, w2, w7;");
  });

  it("says a worker id in capitals that names no worker at all is none, and that ids are lower case", () => {
    expect(noSuchTarget("W9", [...events, ...fleet], "buggy")).toBe(
      "W9: there is no worker W9 in this run (variant buggy): its workers are w1 to w5 (worker ids are lower case); workers that crashed: w3 (2 panic deaths), w5 (1 crash)",
    );
  });

  it("says a worker id in capitals is no worker, and which one is meant", () => {
    expect(noSuchTarget("W3#2", [...events, ...fleet], "buggy")).toBe(
      "W3#2: there is no worker W3 in this run; did you mean w3#2? (worker ids are lower case: w1 to w5)",
    );
  });
});

describe("why's suggestions", () => {
  const run = [...events, ...fleet];

  it("name a crash why finds in the run, in the lower case it takes", () => {
    for (const typed of ["W3#0", "w3#0", "W3#2", "W3"]) {
      const said = crashTargetProblem(typed) ?? noSuchTarget(typed, run, "buggy");
      const suggested = /(?:did you mean (\S+)\?|\((\S+) names its first crash)/.exec(said);
      expect(suggested, `${typed}: ${said}`).not.toBeNull();
      const target = suggested![1] ?? suggested![2];
      expect(findCrash(run, target), `${typed} suggests ${target}`).toBeDefined();
    }
  });

  it("suggest no crash in capitals the run does not have, but say what the lower-case one lacks", () => {
    const said = noSuchTarget("W3#9", run, "buggy");
    expect(said).not.toContain("did you mean");
    expect(said).toBe(
      "W3#9: there is no worker W3 in this run (worker ids are lower case: w1 to w5); and w3#9: w3 has 2 panic deaths, so #1 to #2 (workers that crashed: w3 (2 panic deaths), w5 (1 crash))",
    );
  });
});

describe("why, on a run --until cut short", () => {
  it("says the worker never crashed up to where --until ended the run", () => {
    const started: TraceEvent = { t: 0, seq: 5, type: "worker.started", cause: null, worker: "w1" };
    expect(noSuchTarget("w1", [...events, started], "buggy", undefined, "09:45:00")).toBe(
      "w1: w1 never crashed in this run (variant buggy) up to 09:45:00, where --until ended it; workers that crashed: w3 (2 panic deaths), w5 (1 crash)",
    );
  });

  it("says a worker with one crash has only #1", () => {
    expect(noSuchTarget("w5#2", events, "buggy")).toBe(
      "w5#2: w5 has 1 crash, so only #1 (workers that crashed: w3 (2 panic deaths), w5 (1 crash))",
    );
  });
});

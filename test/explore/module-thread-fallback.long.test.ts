// Shows a scheduler module that will not load on a worker thread explored with two jobs: in this thread, finding what one worker thread finds, as module-thread-fallback.test.ts shows with one job.
import { describe, expect, it } from "vitest";
import { BUILT } from "../gate/helpers.js";
import { explore, findings, mainThreadOnly, onAnyThread } from "./thread-fallback.js";

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

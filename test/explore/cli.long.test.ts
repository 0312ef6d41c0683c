// Shows the built binary exploring a bundled variant with --jobs 2 on two worker threads, with the results of one thread; cli.test.ts explores in one thread, and generated-module.test.ts compares a module's runs on two threads with one.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { cli, tmp } from "./cli-helpers.js";

const BIN = join(import.meta.dirname, "../../bin/aftershock.js");
const BUILT = existsSync(join(import.meta.dirname, "../../dist/bundle/cli/pool-worker.js"));

describe.skipIf(!BUILT)("the built binary, on worker threads", () => {
  it("explores with --jobs 2 on two worker threads, with the same results as one thread", async () => {
    const args = [
      "explore",
      "--generated",
      "--runs",
      "6",
      "--seed",
      "3",
      "--keep-going",
      "--shrink-runs",
      "0",
      "--json",
      "--out",
      tmp(),
    ];
    const two = spawnSync(process.execPath, [BIN, ...args, "--jobs", "2"], { encoding: "utf8" });
    // One thread: this one, as `explore --jobs 1` runs a bundled variant.
    const one = await cli(...args, "--jobs", "1");
    expect(two.status, two.stderr).toBeLessThan(2);
    expect(one.code, one.err).toBe(two.status);
    const a = JSON.parse(two.stdout) as ExploreReport;
    const b = JSON.parse(one.out) as ExploreReport;
    expect(a.pool).toEqual({ kind: "worker-threads", threads: 2, note: null });
    expect(a.properties).toEqual(b.properties);
    expect(a.faultsFired).toEqual(b.faultsFired);
    expect(a.failures.map((f) => f.traceHash)).toEqual(b.failures.map((f) => f.traceHash));
  });
});

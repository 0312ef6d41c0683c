// Shows, in the long tier, the built binary exploring a bundled variant with --jobs 2 on two worker threads, with the results of one thread (cli.test.ts explores in one thread, and generated-module.test.ts compares a module's runs on two threads with one), and the reproducer of a scenario's module that lists no fixes expecting the fixed variant, which the gate judges (cli.test.ts gates a module's reproducer as the buggy variant, and gate-scheduler.test.ts names fixed for such a module).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { documentYaml } from "../../src/explore/generate/document-yaml.js";
import type { RunReport } from "../../src/report/run-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { scenarioWithModule } from "./scenario-module.js";

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

describe("a scenario with its own scheduler module", () => {
  const { dir, doc } = scenarioWithModule();

  it("expects the fixed variant of a module that lists no fixes, the one the gate judges, so gating the reproducer fails", async () => {
    // One scheduler, the one meant to ship: the example's bug, no panic recovery, no fixes listed.
    writeFileSync(
      join(dir, "single.mjs"),
      [
        'import { scheduler as base } from "./bug.mjs";',
        "export const scheduler = { ...base, name: 'single', fixes: [], create: () => base.create([]) };",
        "",
      ].join("\n"),
    );
    const single = join(dir, "single.yaml");
    writeFileSync(
      single,
      documentYaml({
        ...doc,
        scheduler: { module: "./single.mjs" },
        expect: [{ variant: "fixed", property: "deleted-schedules-cleaned", holds: true }],
      } as typeof doc),
    );
    const out = join(dir, "repro-single");
    const r = await cli(
      ...["explore", single, "--runs", "2", "--jobs", "1", "--properties", "deleted-schedules-cleaned"],
      ...["--shrink-runs", "10", "--out", out, "--json"],
    );
    expect(r.code, r.err).toBe(1);
    const [failure] = (JSON.parse(r.out) as ExploreReport).failures;
    expect(failure.kind).toBe("deleted-schedules-cleaned");
    expect(readFileSync(failure.reproducer!, "utf8")).toContain(
      "expect:\n  - variant: fixed\n    property: deleted-schedules-cleaned\n    holds: true\n",
    );
    const run = await cli("run", failure.reproducer!, "--json");
    expect(run.code, run.err).toBe(1);
    expect((JSON.parse(run.out) as RunReport).traceHash).toBe(failure.reproducerTraceHash);
    // The folder is gated as CI gates it: the failing case is named, with the trace `run` replays.
    const gate = await cli("gate", out, "--jobs", "1");
    expect(gate.code, gate.err).toBe(1);
    expect(gate.out).toContain("✗ [fixed] deleted-schedules-cleaned");
    expect(gate.out).toContain(`trace ${failure.reproducerTraceHash}`);
  });
});

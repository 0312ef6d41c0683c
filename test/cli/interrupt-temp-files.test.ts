// Ctrl-C, SIGTERM or SIGHUP (one handler for the three) while `run` streams a trace file (or `compare` a Perfetto file): the run is cut short within a second, large or small, no temporary file is left beside it and the output is not written (stderr says which), and the process ends by the signal. A large run's trace alone cut by SIGTERM or SIGHUP is in interrupt-temp-files.long.test.ts, with the other signals at each point and a shell's view of the status.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT, ENDS_WITHIN_MS, expectSmallRunCut, largeScenario, signalled } from "./signalled.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-interrupt-tmp-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!BUILT)("a signal while run writes a trace file", () => {
  it.each(["SIGINT"] as const)(
    "%s during a small run: cut short at its next turn, nothing left, ended by the signal",
    (signal) => expectSmallRunCut(dir, signal),
    60_000,
  );
});

describe.skipIf(!BUILT)("a signal while a goroutine step never yields", () => {
  it("SIGINT held back until the wall budget stops the step, then nothing is written and the signal ends the process", async () => {
    const module = join(dir, "spin.mjs");
    writeFileSync(
      module,
      'export const scheduler = { name: "spin", description: "loops", fixes: [], create() { return { name: "spin", fixes: [], main: function* (rt) { yield rt.sleep(1000); for (;;) {} } }; } };\n',
    );
    const scenario = join(dir, "spin.yaml");
    writeFileSync(
      scenario,
      `name: spin\ndescription: a scheduler that never yields\nstart: 2026-05-08T09:30:00Z\nduration: 5m\nfleet: { workers: 1, partitions: 1 }\nscheduler: { module: ${module} }\nlimits: { wallBudget: 1s }\n`,
    );
    const r = await signalled(
      dir,
      ["run", scenario, "--trace", "trace.jsonl", "--quiet"],
      "trace.jsonl",
      "SIGINT",
      {
        afterMs: 300,
      },
    );
    expect(r.signal, r.stderr).toBe("SIGINT");
    expect(r.left).toEqual([]);
    expect(r.stderr).not.toContain("stopped early");
    expect(r.stderr).toContain("aftershock: stopped by SIGINT: not written: trace.jsonl\n");
  }, 60_000);
});

describe.skipIf(!BUILT)("SIGTERM or SIGHUP while a large run writes a file on this thread", () => {
  it("run --html --markdown, SIGTERM: names the reports it would have written after the run too", async () => {
    const r = await signalled(
      dir,
      [
        "run",
        largeScenario(dir),
        "--trace",
        "trace.jsonl",
        "--html",
        "r.html",
        "--markdown",
        "r.md",
        "--quiet",
      ],
      "trace.jsonl",
      "SIGTERM",
      "writing",
    );
    expect(r.stderr).toBe("aftershock: stopped by SIGTERM: not written: r.html, r.md, trace.jsonl\n");
    expect(r.signal).toBe("SIGTERM");
    expect(r.left).toEqual([]);
    expect(r.endedAfterMs).toBeLessThan(ENDS_WITHIN_MS);
  }, 90_000);

  it("compare --perfetto, SIGTERM: cut short at once, nothing left, ended by the signal", async () => {
    const r = await signalled(
      dir,
      ["compare", largeScenario(dir), "--perfetto", "trace.json"],
      "trace.json",
      "SIGTERM",
      // The Perfetto file is opened just before the runs and written as each ends: sent as it
      // appears, the signal comes as the first world is built or its run begins.
      { afterMs: 0 },
    );
    expect(r.stderr).toBe("aftershock: stopped by SIGTERM: not written: trace.json\n");
    expect(r.signal).toBe("SIGTERM");
    expect(r.left).toEqual([]);
    expect(r.endedAfterMs).toBeLessThan(ENDS_WITHIN_MS);
  }, 90_000);
});

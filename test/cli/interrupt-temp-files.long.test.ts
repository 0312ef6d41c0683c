// Shows the signals interrupt-temp-files.test.ts sends once in the default run at each other point of a run writing a trace file, all answered by one handler: SIGTERM before a small run, SIGINT during a large one, SIGTERM and SIGHUP as it writes its trace alone (the default run's SIGTERM comes as it writes the trace and two reports); and a shell seeing the status 143 a process ended by SIGTERM has.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BIN,
  BUILT,
  expectSmallRunCut,
  expectTraceWriteCut,
  interrupted,
  largeScenario,
} from "./signalled.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-interrupt-tmp-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!BUILT)("a signal while run writes a trace file", () => {
  it.each(["SIGTERM"] as const)(
    "%s during a small run: cut short at its next turn, nothing left, ended by the signal",
    (signal) => expectSmallRunCut(dir, signal),
    60_000,
  );

  it("SIGINT during a large run: cut short, nothing left, ended by the signal", async () => {
    const r = await interrupted(dir, largeScenario(dir), "SIGINT", 500);
    expect(r.stderr).toBe("aftershock: stopped by SIGINT: not written: trace.jsonl\n");
    expect(r.signal).toBe("SIGINT");
    expect(r.left).toEqual([]);
    // Cut short, not run to its end (a run takes 20 s or more).
    expect(r.endedAfterMs).toBeLessThan(10_000);
  }, 60_000);
});

describe.skipIf(!BUILT)("SIGTERM or SIGHUP while a large run writes a file on this thread", () => {
  it.each(["SIGTERM", "SIGHUP"] as const)(
    "run --trace, %s: cut short at once, nothing left, ended by the signal",
    (signal) => expectTraceWriteCut(dir, signal),
    90_000,
  );

  it("a shell sees the status it expects of a SIGTERM: 143", () => {
    const folder = mkdtempSync(join(dir, "shell-"));
    // The shell sends the signal once the trace's temporary file has something in it.
    const script = `node "${BIN}" run "${largeScenario(dir)}" --trace trace.jsonl --quiet & pid=$!
while ! [ -s "$(ls -A | grep -F .trace.jsonl.tmp- | head -1)" ] 2>/dev/null; do sleep 0.05; done
kill -TERM $pid; wait $pid; echo "status $?"`;
    const r = spawnSync("sh", ["-c", script], { cwd: folder, encoding: "utf8", timeout: 80_000 });
    expect(r.stdout).toBe("status 143\n");
    expect(readdirSync(folder)).toEqual([]);
  }, 90_000);
});

// Shows that a scheduler module whose goroutine loops without yielding or calling anything that can stop it ends every command at its scenario's wall-clock budget, rather than hanging it, and that `run` and `compare` (on its worker thread) say so after 10 s when the budget is further off.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from "vitest";
import { TraceFile } from "../../src/cli/sinks.js";
import { wallGuard } from "../../src/explore/wall-guard.js";
import { Trace } from "../../src/kernel/index.js";
import { tmp } from "../explore/cli-helpers.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";
import { budgetScenarioIn, ENDS_WITHIN_MS, STOPPED, spinIn, timed } from "./spin-module.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const BIN_FILE = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");
let dir: string;
let tiny: string;
beforeAll(() => {
  dir = tmp();
  tiny = readFileSync(TINY, "utf8");
});

/** A fresh copy of the module, for the test `name`: its path. */
const spin = (name: string): string => spinIn(dir, name);

/** tiny.yaml with a 300 ms wall budget and `edit` made, in the module's folder. */
const scenario = (name: string, edit?: (text: string) => string): string => budgetScenarioIn(dir, name, edit);

describe("a scheduler module looping in one goroutine step (for (;;) {})", () => {
  it("run: stops at the budget, names the goroutine, says a bigger budget will not help, exit 2", async () => {
    const trace = join(dir, "run.jsonl");
    const r = await timed("run", scenario("run"), "--scheduler", spin("run"), "--trace", trace);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(STOPPED);
    expect(r.err).toMatch(STOPPED);
    expect(r.err).toContain("A bigger budget will not help: a scheduler goroutine loops without yielding");
    expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
    // The trace is written whole, up to the stop, and closed as for any stop.
    const lines = readFileSync(trace, "utf8").trimEnd().split("\n");
    const events = lines.map((line) => JSON.parse(line) as { seq: number; type: string; reason?: string });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)).toMatchObject({ type: "run.finished", reason: "wall-budget" });
  }, 30_000);

  it("compare: each variant that deploys the module stops at the budget, exit 2", async () => {
    spin("compare");
    const deploying = scenario("compare", (text) =>
      text.replace(
        "timeline:\n",
        'timeline:\n  - { at: "09:41:00", action: deploy, module: ./spin-compare.mjs }\n',
      ),
    );
    const r = await timed("compare", deploying, "--variants", "buggy,fixed");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`\\[buggy\\] stopped early at 09:41:\\d\\d: ${STOPPED.source}`));
    expect(r.err).toMatch(new RegExp(`\\[fixed\\] stopped early at 09:41:\\d\\d: ${STOPPED.source}`));
    expect(r.wallMs).toBeLessThan(2 * ENDS_WITHIN_MS);
  }, 60_000);

  it("explore --jobs 1: the runs are not judged, and the advice is not a bigger budget, exit 2", async () => {
    spin("explore");
    const own = scenario(
      "explore",
      (text) => `${text.replace(/\nexpect:[\s\S]*$/, "\n")}scheduler: { module: ./spin-explore.mjs }`,
    );
    const r = await timed("explore", own, "--runs", "2", "--jobs", "1", "--out", join(dir, "repro"));
    expect(r.code).toBe(2);
    expect(r.out).toContain("2 of 2 runs stopped early and are not judged: run 0 (seed 5)");
    expect(r.err).toMatch(STOPPED);
    expect(r.err).toContain("A bigger budget will not help");
    expect(r.wallMs).toBeLessThan(2 * ENDS_WITHIN_MS);
  }, 60_000);

  it("train: the session's run stops at the budget and says why", async () => {
    const script = join(dir, "script.txt");
    writeFileSync(script, "next\nquit\n");
    const r = await timed("train", scenario("train"), "--scheduler", spin("train"), "--script", script);
    expect(r.out).toMatch(new RegExp(`The run stopped early at 09:40:00: ${STOPPED.source}`));
    // The stop's detail ends its sentence before the next one begins.
    expect(r.out).toMatch(/\)\. compare and score show/);
    expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
  }, 30_000);

  it.skipIf(!BUILT)(
    "run, as a process: exit 2 within seconds, no stack trace (needs dist/)",
    () => {
      const started = performance.now();
      const r = cliBuilt(["run", scenario("process"), "--scheduler", spin("process"), "--quiet"]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(STOPPED);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(performance.now() - started).toBeLessThan(ENDS_WITHIN_MS);
    },
    30_000,
  );
});

describe("a trace file of a run stopped from outside", () => {
  it("is not written when the stop came in the middle of tracing an event, and says so", () => {
    const folder = tmp();
    const path = join(folder, "cut.jsonl");
    const file = new TraceFile(path);
    const trace = new Trace(() => 0);
    trace.addSink(file.sink);
    trace.emit("run.started", null);
    // A sink after the file's that never returns: the event has reached the file, not the rest.
    trace.addSink({
      onEvent: () => {
        for (;;) {}
      },
    });
    expect(wallGuard(() => trace.emit("worker.started", null), 100)).toBe(false);
    trace.cut();
    expect(trace.cutEvent).toBe(1);
    expect(() => file.commit()).toThrow(
      `${path}: not written: the run was stopped by its wall-clock budget while event 1 was being traced, so the trace would not be whole`,
    );
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });
});

/**
 * The module: its scheduler goroutine's step never returns; the test ends the process. It blocks
 * (Atomics.wait on a value nothing changes) rather than spin: to the run the same step that never
 * yields, without a core held for the 10 s the word takes. Before it blocks, its step makes the
 * file `marker`: the process is under way, its start-up done.
 */
function forever(marker: string): string {
  return `import { writeFileSync } from "node:fs";
export const scheduler = { name: "forever", description: "never returns", fixes: [], create() {
  return { name: "forever", fixes: [], main: function* () {
    writeFileSync(${JSON.stringify(marker)}, "");
    // Blocked for good, while the test's process lives: orphaned (the test run ended), it ends.
    const blocked = new Int32Array(new SharedArrayBuffer(4));
    while (process.ppid === ${process.pid}) Atomics.wait(blocked, 0, 0, 1000);
    process.exit(1);
  } };
} };
`;
}

/** A process `command` with the module blocked for good: what it said, and when, as it goes. */
interface Stuck {
  readonly child: ChildProcess;
  /** Its stderr so far. */
  readonly stderr: () => string;
  /** Milliseconds from its start to the word of the stuck step; NaN if it ended or 30 s went by first. */
  readonly saidAfterMs: Promise<number>;
  /** The signal that ended it. */
  readonly closed: Promise<NodeJS.Signals | null>;
  /** Settled once its goroutine's step has begun (and blocked), or it has ended. */
  readonly blocked: Promise<void>;
}

/** The processes of the tests below, by name, started before this file's tests (see `stuck`). */
const started = new Map<string, Stuck>();

/**
 * The stuck processes are started before this file's tests, and waited for until each one's step
 * has blocked (its start-up done, so it takes no core from the tests' own timings): each then waits
 * out its 10 s blocked, not on a core, while the tests above run on this thread, not after them.
 */
beforeAll(async () => {
  if (!BUILT) return;
  started.set("run", startStuck("run", ["--quiet"]));
  started.set("compare", startStuck("compare", []));
  started.set("held", startStuck("run", ["--quiet", "--trace", join(dir, "held.jsonl")], "held"));
  await Promise.all([...started.values()].map((s) => s.blocked));
}, 60_000);
afterAll(() => {
  for (const { child } of started.values()) child.kill("SIGKILL");
});

describe.skipIf(!BUILT)("a goroutine step stuck long before the budget, as a process (needs dist/)", () => {
  // compare runs the module on a worker thread of its own: that thread's run is watched too.
  // Side by side, and beside the tests above: each process waits out its 10 s blocked, not on a core.
  for (const command of ["run", "compare"] as const)
    it.concurrent(`${command}: says which goroutine on which worker has not yielded, after 10 s, long before the budget stops it`, async ({
      expect,
    }) => {
      await saysStuckThenEnds(command, stuck(command), expect);
    }, 60_000);

  it.concurrent("run with an output file: says a signal waits for the step too, the file's cleanup being held", async ({
    expect,
  }) => {
    await saysStuckThenEnds("run", stuck("held"), expect, true);
  }, 60_000);
});

/** The process started for `name` before the tests. */
function stuck(name: string): Stuck {
  const found = started.get(name);
  if (found === undefined) throw new Error(`no process was started for ${name}`);
  return found;
}

/** `command` with the module looping for ever (its files named `name`), started: see `Stuck`. */
function startStuck(command: string, flags: readonly string[], name: string = command): Stuck {
  const module = join(dir, `forever-${name}.mjs`);
  const marker = join(dir, `forever-${name}.blocked`);
  writeFileSync(module, forever(marker));
  const file = join(dir, `forever-${name}.yaml`);
  writeFileSync(file, `${tiny}\nlimits: { wallBudget: 300s }\n`);
  const child = spawn(process.execPath, [BIN_FILE, command, file, "--scheduler", module, ...flags], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const startedAt = performance.now();
  let stderr = "";
  const said = new Promise<number>((done) =>
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (stderr.includes("without yielding")) done(performance.now() - startedAt);
    }),
  );
  const closed = new Promise<NodeJS.Signals | null>((done) => child.on("close", (_, signal) => done(signal)));
  // Waited for 30 s at most: without a word, the process would go on to its budget.
  const gaveUp = new Promise<number>((done) => setTimeout(() => done(Number.NaN), 30_000).unref());
  const saidAfterMs = Promise.race([said, closed.then(() => Number.NaN), gaveUp]);
  const blocked = new Promise<void>((done) => {
    const look = setInterval(() => {
      if (!existsSync(marker) && child.exitCode === null && child.signalCode === null) return;
      clearInterval(look);
      done();
    }, 20);
  });
  return { child, stderr: () => stderr, saidAfterMs, closed, blocked };
}

/** `command`, started as `stuck`: said after 10 s, and ended by SIGTERM at once. */
async function saysStuckThenEnds(
  command: string,
  { child, stderr: said, saidAfterMs: saying, closed }: Stuck,
  expect: ExpectStatic,
  outputs = false,
): Promise<void> {
  try {
    const saidAfterMs = await saying;
    const stderr = said();
    const held = outputs
      ? "; a signal (Ctrl-C, SIGTERM) waits for it too, as an output file is open: nothing is written then (kill -9 does not wait, and leaves a .NAME.tmp-PID file, which the next write removes)"
      : "";
    expect(stderr).toMatch(
      /^aftershock: (run|compare \(module:\.\/forever-compare\.mjs\)): goroutine scheduler on w\d+#\d+ has run 1\d s without yielding \(a loop in the scheduler that never yields\?\); the run goes on until its wall-clock budget \(300000 ms\) stops it/,
    );
    expect(stderr.endsWith(`stops it${held}\n`), stderr).toBe(true);
    // With a file open, its cleanup's handler waits for the step: a signal would too.
    if (outputs) return;
    // Not before the step has run 10 s (the process's start-up comes on top), nor near the budget.
    expect(saidAfterMs).toBeGreaterThanOrEqual(10_000);
    expect(saidAfterMs).toBeLessThan(40_000);
    // Held by the step, the process still ends at once by SIGTERM (no file of its own to remove).
    const sent = performance.now();
    child.kill("SIGTERM");
    expect(await closed).toBe("SIGTERM");
    expect(performance.now() - sent).toBeLessThan(5000);
    // compare's module runs on a thread of its own, and the word names its column.
    const who = command === "compare" ? "compare (module:./forever-compare.mjs)" : command;
    expect(stderr.startsWith(`aftershock: ${who}: `)).toBe(true);
  } finally {
    child.kill("SIGKILL");
  }
}

// Starts explore or gate with one job as a process whose scheduler module's step blocks for good, at a stage of the command the case names, and sends it SIGTERM: for the tests that it ends at once, saying it was interrupted.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { tmp } from "../explore/cli-helpers.js";

const BIN_FILE = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
/**
 * Blocks the calling thread for good (Atomics.wait: no core held meanwhile), first creating the
 * file `AFTERSHOCK_TEST_BLOCKED` names, so that the test knows the step is stuck rather than guessing.
 */
const BLOCK = `import { writeFileSync } from "node:fs";
function block() {
  writeFileSync(process.env.AFTERSHOCK_TEST_BLOCKED, "");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
`;

/** A scheduler goroutine blocked for good. */
const FOREVER = `${BLOCK}export const scheduler = { name: "forever", description: "never returns", fixes: [], create() {
  return { name: "forever", fixes: [], main: function* () { block(); } };
} };
`;

/**
 * A scheduler that panics in the first world it runs in on its thread (so the search finds a
 * failure) and blocks for good in every world from the `AFTERSHOCK_TEST_HANG_FROM`th (default 2):
 * in a shrink. A world is told by its `rt.options`, one object a run, new for each world compiled.
 */
const LATE = `${BLOCK}const seen = new WeakSet();
let worlds = 0;
const hangFrom = Number(process.env.AFTERSHOCK_TEST_HANG_FROM ?? 2);
export const scheduler = { name: "late", description: "panics, then blocks", fixes: [], create() {
  return { name: "late", fixes: [], main: function* (rt) {
    if (!seen.has(rt.options)) {
      seen.add(rt.options);
      worlds++;
    }
    if (worlds >= hangFrom) block();
    yield rt.sleep(1000);
    throw new Error("late: a panic");
  } };
} };
`;

/**
 * A scheduler that panics on the pool's thread (the search's and the shrink's runs) and blocks
 * for good on any thread started after it: the fresh one a module's reproducer is replayed on.
 */
const REPLAY_HANG = `${BLOCK}import { threadId } from "node:worker_threads";
export const scheduler = { name: "replay-hang", description: "panics, then blocks in the replay", fixes: [], create() {
  return { name: "replay-hang", fixes: [], main: function* (rt) {
    if (threadId >= 2) block();
    yield rt.sleep(1000);
    throw new Error("replay-hang: a panic");
  } };
} };
`;

/** `FOREVER` written in `dir`. */
function forever(dir: string): string {
  const module = join(dir, "forever.mjs");
  writeFileSync(module, FOREVER);
  return module;
}

/** `LATE` written in `dir`. */
function late(dir: string): string {
  const module = join(dir, "late.mjs");
  writeFileSync(module, LATE);
  return module;
}

/** The tiny scenario with its scheduler `LATE` (or `module`) beside it, and no expectations. */
function lateScenario(
  dir: string,
  module: { readonly name: string; readonly text: string } = { name: "late.mjs", text: LATE },
): string {
  writeFileSync(join(dir, module.name), module.text);
  const scenario = join(dir, `tiny-${module.name.replace(/\.mjs$/, "")}.yaml`);
  const text = readFileSync(TINY, "utf8").replace(/^expect:[\s\S]*$/m, "");
  writeFileSync(scenario, `${text}\nscheduler: { module: ${module.name} }\n`);
  return scenario;
}

/** Said when SIGTERM comes during a shrink: the search was over, and the reproducer is not vouched for. */
export const SHRINKING = [
  "aftershock: interrupted by SIGTERM: the search was over: cutting short the shrinking of its failures, keeping the smallest found so far, and writing what was found",
  "interrupted while shrinking",
  "not replayed: the exploration was interrupted by SIGTERM before its replay ended",
];

/** A command stuck at one of its stages, and what it says when SIGTERM comes then. */
export interface StuckCase {
  readonly command: "explore" | "gate";
  /** The stage the module's step blocks in. */
  readonly case: string;
  /** The command's arguments, its files written in `dir`. */
  readonly args: (dir: string) => string[];
  /** The `AFTERSHOCK_TEST_HANG_FROM` of `LATE` (2 unless told). */
  readonly hangFrom?: number;
  /** What the command says as it reaches the stage. */
  readonly started: string;
  /** What it says of the signal. */
  readonly said: string | readonly string[];
}

/** A run of an exploration's search of generated worlds. */
export const SEARCH_RUN: StuckCase = {
  command: "explore",
  case: "a run of the search",
  args: (dir: string) => [
    "--generated",
    "--runs",
    "5",
    "--out",
    join(dir, "out"),
    "--scheduler",
    forever(dir),
  ],
  started: "aftershock explore: exploring",
  said: "aftershock: interrupted by SIGTERM: stopping the search (the run under way is cut short) and writing what was found",
};

/** The shrink of a generated world's failure. */
export const GENERATED_SHRINK: StuckCase = {
  command: "explore",
  case: "a generated world's shrink",
  // The shrink's first run, the failing world's own (fast-check's first value).
  args: (dir: string) => ["--generated", "--runs", "5", "--out", join(dir, "out"), "--scheduler", late(dir)],
  started: "aftershock explore: shrinking the no-panic-death failure of run 0",
  said: SHRINKING,
};

/** A scenario's failure, its world run again before the reduction begins. */
export const FAILURE_RUN_AGAIN: StuckCase = {
  command: "explore",
  case: "a scenario's failure run again",
  // A scenario's failure: its world run again before the reduction begins.
  args: (dir: string) => [lateScenario(dir), "--runs", "1", "--out", join(dir, "out")],
  hangFrom: 2,
  started: "aftershock explore: shrinking the no-panic-death failure of run 0",
  said: SHRINKING,
};

/** A world of a scenario failure's reduction. */
export const REDUCTION_WORLD: StuckCase = {
  command: "explore",
  case: "a world of the reduction",
  // A world of the reduction: the failing one ran, and ran again, first.
  args: (dir: string) => [lateScenario(dir), "--runs", "1", "--out", join(dir, "out")],
  hangFrom: 3,
  started: "aftershock explore: shrinking the no-panic-death failure of run 0",
  said: SHRINKING,
};

/** The replay of a reproducer, on a thread of its own. */
export const REPRODUCER_REPLAY: StuckCase = {
  command: "explore",
  case: "a reproducer's replay",
  // The shrink over (one run), its reproducer is replayed on a thread of its own, which blocks.
  args: (dir: string) => [
    lateScenario(dir, { name: "replay-hang.mjs", text: REPLAY_HANG }),
    "--runs",
    "1",
    "--shrink-runs",
    "1",
    "--out",
    join(dir, "out"),
  ],
  started: "aftershock explore: shrinking the no-panic-death failure of run 0",
  said: [
    "aftershock: interrupted by SIGTERM: the search was over: cutting short the replay of its failures' reproducers, which are written unchecked, and writing what was found",
    "interrupted while its reproducers were written",
    "not replayed: the exploration was interrupted by SIGTERM before its replay ended",
  ],
};

/** A run of the gate. */
export const GATE_RUN: StuckCase = {
  command: "gate",
  case: "a run",
  args: (dir: string) => {
    // A wall budget far off: without the thread, the process would wait for it.
    const scenario = join(dir, "tiny.yaml");
    writeFileSync(scenario, `${readFileSync(TINY, "utf8")}\nlimits: { wallBudget: 120s }\n`);
    return [scenario, "--scheduler", forever(dir)];
  },
  started: "aftershock gate:",
  said: "aftershock: interrupted by SIGTERM after 0 of 3 runs; nothing judged or written",
};

/** The case's command started as a process, sent SIGTERM once its step blocked: it ends within seconds, exit 143, saying `said`. */
export async function endsAtOnceOnSigterm({
  command,
  args,
  started,
  said,
  hangFrom,
}: StuckCase): Promise<void> {
  const dir = tmp();
  const argv = [BIN_FILE, command, ...args(dir), "--jobs", "1"];
  const blocked = join(dir, "blocked");
  const env = {
    ...process.env,
    AFTERSHOCK_TEST_HANG_FROM: String(hangFrom ?? 2),
    AFTERSHOCK_TEST_BLOCKED: blocked,
  };
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"], env });
  try {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const closed = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    // The command said it began (or its shrink), and the module's step is blocked: it made its
    // file just before it. A fixed wait instead would send the signal too early on a loaded
    // machine, while the step that is meant to block has not yet begun.
    const began = new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (!output.includes(started) || !existsSync(blocked)) return;
        clearInterval(poll);
        done();
      }, 50);
    });
    await Promise.race([began, closed]);
    await new Promise((done) => setTimeout(done, 200));
    expect(child.exitCode, output).toBeNull();
    const sent = performance.now();
    child.kill("SIGTERM");
    const gaveUp = new Promise<string>((done) => setTimeout(() => done("still running"), 10_000).unref());
    const code = await Promise.race([closed, gaveUp]);
    expect(code, output).toBe(143);
    expect(performance.now() - sent).toBeLessThan(5000);
    for (const words of [said].flat()) expect(output).toContain(words);
  } finally {
    child.kill("SIGKILL");
  }
}

// Shows that internal errors (exit 4) carry the command line that reproduces them: explore's with the seed it explored from even when the command line typed named none, the gate's as typed, and a run the simulator halts (a broken invariant) said so by run, compare and why, seed included.
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { cli, tmp } from "../explore/cli-helpers.js";

// Nothing the user gives breaks the exploration itself, the replay of a reproducer or a gate
// run: a throw stands for aftershock's own failure here.
const broken = vi.hoisted(() => {
  const on = { search: false, replay: false, gate: false, halt: false };
  /** `fn`, which throws what `fail` makes while `on[key]` is set. */
  function breakable<A extends unknown[], R>(key: keyof typeof on, fn: (...a: A) => R, fail: () => Error) {
    return (...args: A): R => {
      if (on[key]) throw fail();
      return fn(...args);
    };
  }
  return { on, breakable };
});
vi.mock("../../src/cli/gate-runner.js", async (original) => {
  const real = await original<typeof import("../../src/cli/gate-runner.js")>();
  const { CliError, EXIT } = await import("../../src/cli/errors.js");
  const fail = () => new CliError("internal error in a gate worker: broken on purpose", EXIT.internal);
  return { ...real, runHere: broken.breakable("gate", real.runHere, fail) };
});
vi.mock("../../src/explore/explore.js", async (original) => {
  const real = await original<typeof import("../../src/explore/explore.js")>();
  const fail = () => new Error("search broken on purpose");
  return { ...real, explore: broken.breakable("search", real.explore, fail) };
});
vi.mock("../../src/explore/reproducer.js", async (original) => {
  const real = await original<typeof import("../../src/explore/reproducer.js")>();
  const fail = () => new Error("replay broken on purpose");
  return { ...real, verifyReproducer: broken.breakable("replay", real.verifyReproducer, fail) };
});

vi.mock("../../src/explore/run.js", async (original) => {
  const real = await original<typeof import("../../src/explore/run.js")>();
  // A run that halts: a broken simulator invariant, reported as the run's outcome.
  const halting = (...args: Parameters<typeof real.runWorld>) => {
    const result = real.runWorld(...args);
    if (!broken.on.halt) return result;
    const outcome = { ...result.outcome, reason: "halted" as const, detail: "invariant broken on purpose" };
    return { ...result, outcome };
  };
  return { ...real, runWorld: halting };
});

// No scenario breaks the simulator on purpose: a throw of this message stands for a broken
// invariant here, as an InvariantViolation does.
vi.mock("../../src/kernel/invariant.js", async (original) => {
  const real = await original<typeof import("../../src/kernel/invariant.js")>();
  return {
    ...real,
    isInvariantViolation: (error: unknown) =>
      real.isInvariantViolation(error) || (error instanceof Error && error.message === "broken on purpose"),
  };
});

const TINY = relative(process.cwd(), join(import.meta.dirname, "fixtures", "tiny.yaml"));
/** The scenario's file, absolute: `TINY` is its path from the working folder, as a command line names it. */
const TINY_FILE = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** Runs the CLI with `what` broken, and mends it after. */
async function brokenRun(what: keyof typeof broken.on, ...argv: string[]) {
  broken.on[what] = true;
  try {
    return await cli(...argv);
  } finally {
    broken.on[what] = false;
  }
}

describe("an internal error of explore", () => {
  it("in the search says the command line that reproduces it, seed added", async () => {
    const r = await brokenRun("search", "explore", TINY, "--runs", "2", "--jobs", "1");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("search broken on purpose");
    expect(r.err).toContain(`\n  aftershock explore ${TINY} --runs 2 --jobs 1 --seed 5\n`);
  });

  it("replaying a reproducer says the command line that reproduces it, seed as typed", async () => {
    const out = tmp();
    // One shrink run: the replay of the reproducer it writes is what breaks.
    const argv = [
      ...["explore", TINY, "--variant", "buggy", "--runs", "1", "--jobs", "1"],
      ...["--shrink-runs", "1", "--seed", "5"],
    ];
    const r = await brokenRun("replay", ...argv, "--out", out);
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("replay broken on purpose");
    expect(r.err).toContain(`\n  aftershock ${argv.join(" ")} --out ${out}\n`);
  });
});

describe("a halted run of explore", () => {
  it("ends its exit-4 message with the command line that reproduces it, seed added", async () => {
    const out = tmp();
    const argv = ["explore", TINY, "--runs", "1", "--jobs", "1", "--shrink-runs", "0", "--out", out];
    const r = await brokenRun("halt", ...argv);
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain(
      "aftershock: internal error (please report it): the simulator halted in run 0 (seed 5): invariant broken on purpose\n",
    );
    expect(r.err).toMatch(
      new RegExp(
        `\\n  aftershock explore ${TINY} --runs 1 --jobs 1 --shrink-runs 0 --out ${out} --seed \\d+\\n$`,
      ),
    );
  });
});

describe("an internal error of the gate", () => {
  it("says the command line typed, which reproduces it (the scenarios hold the seeds)", async () => {
    const r = await brokenRun("gate", "gate", TINY, "--jobs", "1");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error in a gate worker: broken on purpose\n");
    expect(r.err).toContain(`\n  aftershock gate ${TINY} --jobs 1\n`);
  });
});

const dir = tmp();
/** A module whose goroutine throws "broken on purpose", which stands for a broken invariant here. */
const MODULE = join(dir, "breaks.mjs");
writeFileSync(
  MODULE,
  `export default { name: "breaks", fixes: [], create(f) { return { name: "breaks", fixes: f, main: function* (rt) { yield rt.sleep(1000); throw new Error("broken on purpose") } } } }\n`,
);

describe("a run the simulator halts", () => {
  it("is said by run with the command line that reproduces it", async () => {
    const r = await cli("run", TINY_FILE, "--scheduler", MODULE, "--seed", "9");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error: simulator invariant broken, reproduce with seed 9");
    expect(r.err).toContain(`\n  aftershock run ${TINY} --seed 9 --scheduler ${MODULE}\n`);
  });

  it("is said by compare, which said nothing of it, with the command line that reproduces it", async () => {
    // With a report file, every run is in this thread, where a throw stands for a broken invariant.
    const md = join(dir, "compare.md");
    const r = await cli(
      "compare",
      TINY_FILE,
      "--scheduler",
      MODULE,
      "--seed",
      "9",
      "--markdown",
      md,
      "--json",
    );
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error: simulator invariant broken, reproduce with seed 9");
    expect(r.err).toContain(
      `\n  aftershock compare ${TINY} --seed 9 --variants fixed --scheduler ${MODULE}\n`,
    );
  });

  it("is said by why with the command line that reproduces it", async () => {
    const r = await cli("why", TINY_FILE, "w1", "--scheduler", MODULE, "--seed", "9");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error: simulator invariant broken, reproduce with seed 9");
    expect(r.err).toContain(`\n  aftershock why ${TINY} w1 --seed 9 --scheduler ${MODULE}\n`);
  });
});

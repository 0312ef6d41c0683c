// Shows that a run the simulator halts (a broken invariant, exit 4) is reported by run, compare and why with the command line that reproduces it, seed included.
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { cli, tmp } from "../explore/cli-helpers.js";

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

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
/** The scenario as a command line run from the working folder names it. */
const TINY_ARG = relative(process.cwd(), TINY);
const dir = tmp();
const MODULE = join(dir, "breaks.mjs");
writeFileSync(
  MODULE,
  `export default { name: "breaks", fixes: [], create(f) { return { name: "breaks", fixes: f, main: function* (rt) { yield rt.sleep(1000); throw new Error("broken on purpose") } } } }\n`,
);

describe("a run the simulator halts", () => {
  it("is said by run with the command line that reproduces it", async () => {
    const r = await cli("run", TINY, "--scheduler", MODULE, "--seed", "9");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error: simulator invariant broken, reproduce with seed 9");
    expect(r.err).toContain(`\n  aftershock run ${TINY_ARG} --seed 9 --scheduler ${MODULE}\n`);
  });

  it("is said by compare, which said nothing of it, with the command line that reproduces it", async () => {
    // With a report file, every run is in this thread, where a throw stands for a broken invariant.
    const md = join(dir, "compare.md");
    const r = await cli("compare", TINY, "--scheduler", MODULE, "--seed", "9", "--markdown", md, "--json");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error: simulator invariant broken, reproduce with seed 9");
    expect(r.err).toContain(
      `\n  aftershock compare ${TINY_ARG} --seed 9 --variants fixed --scheduler ${MODULE}\n`,
    );
  });

  it("is said by why with the command line that reproduces it", async () => {
    const r = await cli("why", TINY, "w1", "--scheduler", MODULE, "--seed", "9");
    expect(r.code, r.err).toBe(4);
    expect(r.err).toContain("aftershock: internal error: simulator invariant broken, reproduce with seed 9");
    expect(r.err).toContain(`\n  aftershock why ${TINY_ARG} w1 --seed 9 --scheduler ${MODULE}\n`);
  });
});

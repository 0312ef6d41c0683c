// Shows that a simulator failure while explore replays a reproducer is an internal error (exit 4,
// said with the seed), not a note beside an ordinary failure (exit 1).
import { expect, it, vi } from "vitest";
import { cli, tmp } from "./cli-helpers.js";

vi.mock("../../src/explore/reproducer.js", async (actual) => ({
  ...(await actual<typeof import("../../src/explore/reproducer.js")>()),
  verifyReproducer: () => {
    throw new Error("invariant broken in the replay");
  },
}));

it("exits 4 and names the run and seed when the replay of a reproducer fails inside the simulator", async () => {
  const out = tmp();
  // Run 3 of seed 1 is the first whose buggy world has a panic death.
  const args = "explore --generated --variant buggy --runs 4 --jobs 1 --shrink-runs 5 --out";
  const r = await cli(...args.split(" "), out);
  expect(r.err).toMatch(
    /internal error \(please report it\) replaying the reproducer of run \d+ \(seed 1\): invariant broken in the replay/,
  );
  expect(r.out).toContain("no-panic-death in run 3");
  expect(r.code).toBe(4);
});

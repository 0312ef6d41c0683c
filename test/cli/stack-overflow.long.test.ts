// Shows that why, as run in stack-overflow.test.ts, says a scheduler module's stack overflow with no other advice than the overflow's own: its trace ends where the run stopped.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT, cliBuilt } from "../gate/helpers.js";

const SCENARIO = join(import.meta.dirname, "fixtures/deep-recursion/deep.yaml");

describe.skipIf(!BUILT)("a scheduler module that overflows the stack (needs dist/)", () => {
  it("why says no other advice than the overflow's own", () => {
    const why = cliBuilt(["why", SCENARIO, "w1"]);
    expect(why.code, why.err).toBe(2);
    expect(why.err).toMatch(
      /: its trace ends where the run stopped early at 09:31:00: goroutine .* write the recursion as a loop\.\n$/,
    );
  });
});

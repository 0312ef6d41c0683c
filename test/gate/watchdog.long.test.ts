// Shows, with --jobs 2, what watchdog.test.ts shows with --jobs 1: a module's run on a new thread is not made when the wall clock stopped its first.
import { describe, it } from "vitest";
import { BUILT } from "./helpers.js";
import { expectNoFreshRunAfterStoppedFirst } from "./spin-pool.js";

describe.skipIf(!BUILT)(
  "the gate's worker-thread watchdog (skipped without dist/: run `npm run build`)",
  () => {
    it("with --jobs 2, does not make a module's run on a new thread when the wall clock stopped its first", async () => {
      await expectNoFreshRunAfterStoppedFirst(2);
    }, 60_000);
  },
);

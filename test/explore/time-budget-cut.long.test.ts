// Shows, in the long tier, the thread arrangements of time-budget-cut.test.ts's cases that it leaves out: a generated world's run cut short on two threads (one there), and a scenario's seed on one (two there).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { BUILT } from "../gate/helpers.js";
import { expectGeneratedWorldCut, expectScenarioSeedCut, TIMEOUT_MS } from "./budget-cut.js";
import { goroutineModule } from "./goroutine-modules.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-time-budget-cut-long-"));

/** A step that never returns (blocked in Atomics.wait, which the guard stops, without a core held meanwhile). */
const FOREVER = goroutineModule(
  dir,
  "forever",
  "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);",
);

describe.skipIf(!BUILT)("a scheduler module's run still under way when the time budget has ended", () => {
  // Side by side: each waits out its budget blocked, not on a core.
  describe.concurrent("with its step blocked for good", () => {
    it.each([2])(
      "with --jobs %i, is cut short, and a generated world's is not judged, naming the goroutine",
      (jobs) => expectGeneratedWorldCut(FOREVER, jobs),
      TIMEOUT_MS,
    );

    it.each([1])(
      "with --jobs %i, a scenario's seed is not judged when its step never returned",
      (jobs) => expectScenarioSeedCut(FOREVER, jobs),
      TIMEOUT_MS,
    );
  });
});

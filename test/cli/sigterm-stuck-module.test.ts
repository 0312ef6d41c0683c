// Shows that explore and gate with one job end at once on SIGTERM (how CI cancels a job) while a scheduler module's step never returns: the module's runs have a worker thread of their own, so the signal's handler is not held behind the step until the run's wall-clock budget, and each says it was interrupted. So do an exploration's shrinks of a module's failure: their runs go to the pool's thread too, at each stage of a shrink.
import { describe, it } from "vitest";
import { BUILT } from "../gate/helpers.js";
import {
  endsAtOnceOnSigterm,
  GATE_RUN,
  REDUCTION_WORLD,
  REPRODUCER_REPLAY,
  SEARCH_RUN,
} from "./sigterm-stuck.js";

describe.skipIf(!BUILT)("one job, a module whose step never returns, and SIGTERM (needs dist/)", () => {
  // A stage of each kind: the search, a scenario failure's reduction (its world run again first),
  // the reproducer's replay, the gate; the other stages of a shrink in sigterm-stuck-module.long.test.ts.
  it.concurrent.each([SEARCH_RUN, REDUCTION_WORLD, REPRODUCER_REPLAY, GATE_RUN])(
    "$command, stuck in $case, ends within seconds, exit 143, saying it was interrupted",
    endsAtOnceOnSigterm,
    30_000,
  );
});

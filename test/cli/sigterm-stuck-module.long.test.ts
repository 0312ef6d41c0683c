// Shows that explore with one job ends at once on SIGTERM while a scheduler module's step never returns in the other stages of a shrink: a generated world's shrink, and a scenario's failure run again before its reduction; sigterm-stuck-module.test.ts holds the search, a world of the reduction, the replay and the gate.
import { describe, it } from "vitest";
import { BUILT } from "../gate/helpers.js";
import { endsAtOnceOnSigterm, FAILURE_RUN_AGAIN, GENERATED_SHRINK } from "./sigterm-stuck.js";

describe.skipIf(!BUILT)("one job, a module whose step never returns, and SIGTERM (needs dist/)", () => {
  it.concurrent.each([GENERATED_SHRINK, FAILURE_RUN_AGAIN])(
    "$command, stuck in $case, ends within seconds, exit 143, saying it was interrupted",
    endsAtOnceOnSigterm,
    30_000,
  );
});

// Shows the May 8 scenario's fixed run in stretches of the event loop is the same run as one uninterrupted run, as run-in-turns.test.ts shows of its buggy run.
import { describe, it } from "vitest";
import { expectSameRunInTurns } from "./in-turns-case.js";

describe("a run in turns of the event loop", () => {
  it("fixed: the same trace hash and a byte-identical report as one uninterrupted run", async () => {
    await expectSameRunInTurns("fixed");
  }, 60_000);
});

// Shows that a session started with another scheduler than the scenario's says its chapters tell the scenario's story.
import { describe, expect, it } from "vitest";
import { TrainingSession } from "../../src/train/index.js";
import { loadFixture, newSession, play } from "./helpers.js";

function sessionWith(variant: string): TrainingSession {
  const { scenario, input } = loadFixture(undefined, variant);
  return new TrainingSession({ scenario, input });
}

describe("a session on another variant than the scenario's own", () => {
  it("says at each chapter that the story is the scenario's and the screens this world's", () => {
    const [first] = play(sessionWith("fixed"), ["next"]);
    // Before reveal the on-call engineer is told how many fixes, not which: their names tell the cause.
    expect(first.text).toContain(
      "This world starts with v2 (2 fixes), not the scenario's v2 (no fixes): the story above is the scenario's; the screens below are this world's.",
    );
    const [, revealed] = play(sessionWith("fixed"), ["next", "reveal", "next"]).slice(1);
    expect(revealed.text).toContain(
      "This world starts with v2 (early-return, panic-recovery), not the scenario's v2",
    );
  });

  it("names no fix and no fix-named variant in the on-call opening, and both once revealed", () => {
    const { scenario, input } = loadFixture(undefined, "early-return");
    const onCall = new TrainingSession({ scenario, input }).intro();
    expect(onCall).toContain("variant v2 (1 fix)");
    expect(onCall).not.toMatch(/early-return|panic-recovery/);
    const facilitator = new TrainingSession({ scenario, input, facilitator: true }).intro();
    expect(facilitator).toContain("variant early-return (v2, early-return)");
  });

  it("says nothing of the kind when the variant is the scenario's own", () => {
    for (const session of [sessionWith("buggy"), newSession()]) {
      const [first] = play(session, ["next"]);
      expect(first.text).not.toContain("This world starts with");
    }
  });
});

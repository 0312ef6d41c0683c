// Shows that a what-if's reply in the on-call view says the scenario's own timeline goes on without saying what is in it (the deletion that triggers the incident, the fix, when it ships), and that the facilitator's view, and the on-call view after reveal, say it in full.
import { describe, expect, it } from "vitest";
import { TrainingSession } from "../../src/train/index.js";
import { loadFixture, newSession, play } from "./helpers.js";

/** Words of the timeline still to come: the trigger, the fix and when it ships. */
const SPOILERS = /delete-account|acct-deleted|deleted|early-return|panic-recovery|poison|\bnil\b|10:06/i;
const flat = (t: string) => t.replace(/\s+/g, " ");
const FULL =
  "The scenario's own timeline still follows: delete-account acct-deleted at 09:44:40; deploy v2 with early-return, panic-recovery, one worker at a time, each 10s after the one before serves again at 10:06:00.";

describe("a what-if's reply before reveal", () => {
  it("says the timeline goes on and the what-if applies from now, naming nothing in it", () => {
    const [kill] = play(newSession(), ["what-if kill w1"]);
    expect(kill.ok, kill.text).toBe(true);
    expect(kill.text).not.toMatch(SPOILERS);
    expect(flat(kill.text)).toContain(
      "The scenario's own timeline goes on as before: your what-if is added to it at 09:30:00 and replaces none of it",
    );
    // Said alike when nothing is left of the timeline: it tells nothing of what is.
    const { scenario, input } = loadFixture();
    const empty = new TrainingSession({
      scenario,
      input: { ...input, config: { ...input.config, timeline: [] } },
    });
    const [scale] = play(empty, ["what-if scale 6"]);
    expect(flat(scale.text)).toContain("your what-if is added to it at 09:30:00 and replaces none of it");
  });
});

describe("a what-if's reply once revealed", () => {
  it("names the timeline still to come, in the facilitator's view and after reveal", () => {
    const [facilitator] = play(newSession({ facilitator: true }), ["what-if kill w1"]);
    expect(flat(facilitator.text)).toContain(FULL);
    const [, revealed] = play(newSession(), ["reveal", "what-if kill w1"]);
    expect(flat(revealed.text)).toContain(FULL);
  });
});

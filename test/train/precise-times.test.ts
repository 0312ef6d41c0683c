// Shows that moments off the whole second keep their milliseconds, and what-if durations read as durations.
import { describe, expect, it } from "vitest";
import { MIDNIGHT, newSession, play } from "./helpers.js";

describe("times and durations in the session", () => {
  it("shows a chapter's milliseconds, in its title, the prompt and the interval, so it is not taken for another", () => {
    const session = newSession({}, MIDNIGHT);
    const [first] = play(session, ["next"]);
    expect(first.text).toContain("05-08 23:50:00 → 05-08 23:55:10.250");
    expect(first.text).toContain("── Chapter 1 of 3 · 05-08 23:55:10.250 · Just after the deletion");
    expect(session.prompt()).toBe("05-08 23:55:10.250 original> ");
    const [fork] = play(session, ["what-if deploy fixed"]);
    expect(fork.text).toContain("What if, at 05-08 23:55:10.250:");
    const [second] = play(session, ["next"]);
    expect(second.text).toContain("05-08 23:55:10.250 → 05-08 23:58:00");
    expect(session.prompt()).toBe("05-08 23:58:00 fork-1> ");
    // Tab offers the chapter as a moment until and rewind take.
    expect(session.complete("rewind 2026")[0]).toEqual(["2026-05-08T23:55:10.250Z"]);
  });

  it("echoes a deploy's step between workers as a duration", () => {
    const session = newSession({}, MIDNIGHT);
    const [step] = play(session, ["what-if deploy fixed step 1h"]);
    expect(step.text).toContain("deploy v2 with early-return, panic-recovery, 1h between workers");
    expect(step.text).not.toContain("3600000");
  });
});

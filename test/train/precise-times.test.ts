// Shows that moments off the whole second keep their milliseconds, that Tab offers chapter times that name their day when the run spans more than one, and that what-if durations read as durations.
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
    expect(session.complete("rewind 2026-05-08T23:55")[0]).toEqual(["2026-05-08T23:55:10.250Z "]);
  });

  it("names the moment off the whole second with its milliseconds on every screen of now, as the prompt does", () => {
    const session = newSession({}, MIDNIGHT);
    const [, rewound, status, workers] = play(session, [
      "next",
      "rewind 2026-05-08T23:55:09.999Z",
      "status",
      "workers",
    ]);
    expect(session.prompt()).toBe("05-08 23:55:09.999 original> ");
    expect(rewound.text).toContain("\n  05-08 23:55:09.999 · ");
    expect(status.text).toContain("Dashboards at 05-08 23:55:09.999 ");
    expect(workers.text).toContain("Workers at 05-08 23:55:09.999 ");
  });

  it("offers chapter times as ISO instants in a run over more than one day, as times of day in a run within one", () => {
    // A time of day may fall on two days of a longer run, and `until` would take the other one.
    expect(newSession({}, MIDNIGHT).complete("until ")[0]).toEqual([
      "2026-05-08T23:55:10.250Z",
      "2026-05-08T23:58:00Z",
      "2026-05-09T00:05:00Z",
    ]);
    expect(newSession().complete("until ")[0]).toEqual([
      "09:44:40",
      "09:45:05",
      "09:46:00",
      "09:52:00",
      "10:06:00",
      "10:09:00",
    ]);
  });

  it("echoes a deploy's step between workers as a duration", () => {
    const session = newSession({ facilitator: true }, MIDNIGHT);
    const [step] = play(session, ["what-if deploy fixed step 1h"]);
    expect(step.text).toContain(
      "deploy v2 with early-return, panic-recovery, one worker at a time, each 1h after the one before serves again",
    );
    expect(step.text).not.toContain("3600000");
  });
});

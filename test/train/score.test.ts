// Shows that `score` counts missed deliveries beside late ones, and says honestly why its best what-if is best, hindsight included.
import { describe, expect, it } from "vitest";
import { BUNDLED, MIDNIGHT, newSession, play } from "./helpers.js";

describe("score", () => {
  it("shows missed deliveries and does not call a fix worse for delivering late what would be missed", () => {
    const session = newSession({}, MIDNIGHT);
    const [score] = play(session, ["next", "next", "next", "what-if deploy fixed", "score"]).slice(-1);
    expect(score.text).toMatch(/late deliveries\s+missed deliveries\s+panic deaths/);
    const original = /original\s+-\s+not by the end\s+not by the end\s+(\d+)\s+(\d+)\s+(\d+)/.exec(
      score.text,
    );
    expect(original, score.text).not.toBeNull();
    expect(Number(original![2])).toBeGreaterThan(0);
    const fork =
      /fork-1\s+deploy fixed at 05-09 00:05:00\s+05-09 00:05:30\s+\S+\s+(\d+) \(\+\d+\)\s+(\d+) \(-\d+\)/.exec(
        score.text,
      );
    expect(fork, score.text).not.toBeNull();
    const fewer = Number(original![1]) + Number(original![2]) - Number(fork![1]) - Number(fork![2]);
    expect(fewer).toBeGreaterThan(0);
    expect(score.text).toContain(
      `Best: fork-1 (deploy fixed at 05-09 00:05:00): all clear at 05-09 00:05:30 (the original: not by the end), ${fewer} fewer late or missed deliveries.`,
    );
  });

  it("never gives more deliveries, or none fewer, as the reason a what-if is best", () => {
    const session = newSession({}, MIDNIGHT);
    const [score] = play(session, ["what-if deploy fixed", "score"]).slice(-1);
    const best = score.text.split("\n").find((l) => l.includes("Best:"));
    expect(best).toMatch(
      /^ {2}Best: fork-1 \(deploy fixed at 05-08 23:50:00\): no incident at all, \d+ fewer late or missed deliveries\. /,
    );
    expect(best).not.toMatch(/ 0 fewer|more late/);
    // Made before anything went wrong: the score says what it owes to hindsight.
    expect(best).toMatch(
      /\. Made at 05-08 23:50:00, before the first sign of trouble \(05-0[89] \d\d:\d\d:\d\d(\.\d+)?\): hindsight the on-call engineer did not have\.$/,
    );
  });

  it("judges hindsight by the what-if the best line adds, not by one it inherits", () => {
    // fork-1 scales early (before any trouble); fork-2 adds the fix once trouble has shown.
    const session = newSession({}, MIDNIGHT);
    const steps = play(session, ["what-if scale 9", "next", "next", "next", "what-if deploy fixed", "score"]);
    const score = steps[steps.length - 1].text;
    expect(score).toContain("Best: fork-2");
    expect(score).not.toContain("hindsight");
  });

  it("says nothing of hindsight for a what-if made once trouble had shown", () => {
    const session = newSession({}, MIDNIGHT);
    const [score] = play(session, ["next", "next", "next", "what-if deploy fixed", "score"]).slice(-1);
    expect(score.text).toContain("Best: fork-1");
    expect(score.text).not.toContain("hindsight");
  });
});

/** The reply of `score` after the commands, on the bundled scenario. */
function scoreAfter(commands: readonly string[]): string {
  const steps = play(newSession({}, BUNDLED), [...commands, "score"]);
  return steps[steps.length - 1].text;
}

describe("score on the bundled May 8 scenario", () => {
  // A what-if before the first crash can move the incident's start; the best is still the soonest
  // all clear, as the note under the table says, and the time it gains is the all clear's own.
  it("says how much sooner the all clear came, not how much shorter the incident was", () => {
    const score = scoreAfter([
      "next",
      "what-if quarantine sched-deleted-a",
      "what-if quarantine sched-deleted-c",
    ]);
    expect(score).toMatch(/original\s+-\s+10:07:50\s+22m50s/);
    expect(score).toMatch(/fork-2\s+fork-1, then quarantine sched-deleted-c at 09:44:40\s+10:07:00\s+21m /);
    expect(score).toContain(
      "Best: fork-2 (fork-1, then quarantine sched-deleted-c at 09:44:40): all clear 50s sooner,",
    );
  });

  it("ranks by the all clear's moment, then by late and missed deliveries", () => {
    const score = scoreAfter([
      "next",
      "what-if restart w5",
      "what-if restart w3",
      "rewind 09:30",
      "what-if kill w1",
    ]);
    // Both all clear at 10:07:40; the kill at 09:30 starts its incident early but leaves fewer late.
    const fork2 = /fork-2\s+.*?\s+10:07:40\s+\S+ \(\S+\)\s+(\d+) /.exec(score);
    const fork3 = /fork-3\s+kill w1 at 09:30:00\s+10:07:40\s+\S+ \(\S+\)\s+(\d+) /.exec(score);
    expect(fork2, score).not.toBeNull();
    expect(fork3, score).not.toBeNull();
    expect(Number(fork3![1])).toBeLessThan(Number(fork2![1]));
    expect(score).toContain("Best: fork-3 (kill w1 at 09:30:00): all clear 10s sooner,");
  });
});

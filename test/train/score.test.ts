// Shows that `score` counts missed deliveries beside late ones, and says honestly why its best what-if is best.
import { describe, expect, it } from "vitest";
import { MIDNIGHT, newSession, play } from "./helpers.js";

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
      /^ {2}Best: fork-1 \(deploy fixed at 05-08 23:50:00\): no incident at all, \d+ fewer late or missed deliveries\.$/,
    );
    expect(best).not.toMatch(/ 0 fewer|more late/);
  });
});

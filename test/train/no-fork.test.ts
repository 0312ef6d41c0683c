// Shows that `compare` and `score` before any what-if point to one the trainee can make from where they are.
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

describe("compare and score with no fork yet", () => {
  it("refuses compare as not possible yet, not as a command misunderstood", () => {
    const session = newSession();
    const r = session.execute("compare");
    expect(r.ok).toBe(false);
    expect(r.refused).toBe(true);
    expect(r.text).toContain("what-if");
  });

  it("at the end of the run, sends the trainee back with rewind, since a what-if there is refused", () => {
    const session = newSession();
    const toEnd = Array.from({ length: 8 }, () => "next");
    const [whatIf, compare, score] = play(session, [
      ...toEnd,
      "what-if deploy fixed",
      "compare",
      "score",
    ]).slice(-3);
    expect(whatIf.text).toContain("the run is over");
    for (const s of [compare, score]) {
      expect(s.text, s.command).not.toContain("forks the run here");
      expect(s.text, s.command).toMatch(/rewind <time>, then what-if/);
    }
  });
});

// Shows that the on-call view's hints, refusals and compare's notes name no fix and no poison before reveal, and that the facilitator's view names them.
import { describe, expect, it } from "vitest";
import { plainPaint } from "../../src/report/paint.js";
import { termNotes } from "../../src/train/terms.js";
import { newSession, play } from "./helpers.js";

const SPOILERS = /early-return|panic-recovery|poison|\bnil\b|deleted account/i;

describe("a what-if's hints before reveal", () => {
  const typed = ["what-if deploy", "what-if deploy v2 nope", "what-if deploy nope", "what-if quarantine s-1"];

  it("name no fix and no poison; revealed, they list the fixes", () => {
    const onCall = play(newSession(), typed);
    for (const s of onCall) {
      expect(s.ok, s.text).toBe(false);
      expect(s.text).not.toMatch(SPOILERS);
    }
    expect(onCall[0].text).toContain("usage: what-if deploy <buggy|fixed|v1> or deploy v2 <fixes...>");
    expect(onCall[1].text).toContain(
      'unknown fix "nope" (reveal names the fixes; deploy fixed deploys every one)',
    );
    expect(onCall[3].text).toContain("reveal shows the hidden state, schedule ids included");
    const revealed = play(newSession({ facilitator: true }), typed.slice(0, 3));
    for (const s of revealed) expect(s.text).toMatch(/early-return/);
  });
});

describe("compare's note on the cascade", () => {
  it("says what its depth counts without how one task kills worker after worker, until reveal", () => {
    const [onCall] = termNotes(["cascade"], plainPaint, undefined, false);
    const [revealed] = termNotes(["cascade"], plainPaint, undefined, true);
    expect(onCall).toMatch(/^ {2}Cascade: depth n = /);
    expect(onCall).not.toMatch(/task|owner|poison/);
    expect(revealed).toContain("each next owner firing it");
  });
});

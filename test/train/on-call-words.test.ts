// Shows that the on-call view's hints, refusals and deploy lines name no fix and no poison before reveal (a deploy's fixes are counted, as a build's), and that the facilitator's view names them.
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

describe("a deploy of fixes before reveal", () => {
  const script = ["what-if deploy fixed step 0s", "run 1m", "logs 60", "workers"];

  it("counts the fixes in the reply, the logs and the workers, and the facilitator's view names them", () => {
    const [what, , logs, workers] = play(newSession(), script);
    expect(what.text).toContain("What if, at 09:30:00: deploy v2 with 2 fixes, one worker at a time");
    expect(logs.text).toContain("rolling out v2 (2 fixes) to 4 workers");
    expect(logs.text).toContain("process started: scheduler v2 (2 fixes)");
    expect(workers.text).toMatch(/ v2 \(2 fixes\)( |$)/m);
    for (const s of [what, logs, workers]) expect(s.text).not.toMatch(SPOILERS);
    const [full, , fullLogs, fullWorkers] = play(newSession({ facilitator: true }), script);
    expect(full.text).toContain("deploy v2 with early-return, panic-recovery, one worker at a time");
    expect(fullLogs.text).toContain("rolling out v2 (early-return, panic-recovery) to 4 workers");
    expect(fullLogs.text).toContain("process started: scheduler v2 (early-return, panic-recovery)");
    expect(fullWorkers.text).toMatch(/ v2 \(early-return, panic-recovery\)( |$)/m);
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

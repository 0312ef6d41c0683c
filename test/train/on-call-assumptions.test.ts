// Shows that the on-call view's opening lists the assumptions without the cause (the deleted account as the trigger, the fix, when it ships), while the facilitator's opening and reveal give them as written, each once.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED, loadFixture, newSession } from "./helpers.js";

/** Words that tell the May 8 cause, the fix or when it ships. */
const SPOILERS = /deleted|early-return|panic-recovery|poison|\bnil\b|cleanup|10:06|both corrections/i;
const flat = (t: string) => t.replace(/\s+/g, " ");
/** The assumptions an opening lists. */
const listed = (intro: string) => flat(intro.slice(intro.indexOf("Assumptions (ours, not public facts):")));

describe("the assumptions in the on-call view's opening", () => {
  it("tell the system and the team's practice, not the cause, on the bundled scenario and the small one", () => {
    for (const path of [BUNDLED, undefined]) {
      const assumptions = listed(newSession({}, path).intro());
      expect(assumptions).toContain("Assumptions (ours, not public facts):");
      expect(assumptions).not.toMatch(SPOILERS);
      // What the room needs to reason with stays: ownership, commits, detection, the rollout's pace.
      expect(assumptions).toContain("leased partitions");
      expect(assumptions).toContain("leaves it due for the next owner");
      expect(assumptions).toContain("Detection is a crash-rate alert");
      expect(assumptions).toContain("one worker at a time, each 10 s after the one before serves again");
    }
  });

  it("name no time at which a bundled scenario's timeline or faults act, nor a kill to come", () => {
    const dir = join(import.meta.dirname, "..", "..", "scenarios");
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(files).toContain("quiet-day.yaml");
    for (const file of files) {
      const path = join(dir, file);
      const { scenario } = loadFixture(path);
      const assumptions = listed(newSession({}, path).intro());
      const times = [...scenario.timeline, ...scenario.faults].map((a) =>
        new Date(a.atMs).toISOString().slice(11, 16),
      );
      expect(times.length, file).toBeGreaterThan(0);
      for (const time of times) expect(assumptions, `${file}: ${time}`).not.toContain(time);
      expect(assumptions, file).not.toMatch(/\bis killed\b|\bkill(ed)? at\b/i);
    }
  });

  it("are given as written in the facilitator's opening and on reveal", () => {
    const facilitator = listed(newSession({ facilitator: true }).intro());
    expect(facilitator).toContain("it was deleted at 09:44:40, shortly before the first alert");
    expect(facilitator).toContain(
      "The fix is a rolling deploy of v2 with both corrections starting at 10:06",
    );
    const session = newSession();
    const revealed = flat(session.execute("reveal").text);
    expect(revealed).toContain(
      "The assumptions as written (the on-call view showed them without the cause): - Ownership",
    );
    expect(revealed).toContain("The deleted account had three active schedules");
    // Once revealed, an opening (a resumed session's) gives them as written too.
    expect(listed(session.intro(true))).toContain("The deleted account had three active schedules");
  });

  it("are said once to a facilitator, whose opening gave them as written: not again on reveal", () => {
    const session = newSession({ facilitator: true });
    expect(listed(session.intro())).toContain("The deleted account had three active schedules");
    const revealed = flat(session.execute("reveal").text);
    expect(revealed).toContain("What happened (the scenario's account)");
    expect(revealed).not.toContain("The assumptions as written");
    expect(revealed).not.toContain("The deleted account had three active schedules");
  });
});

// Shows a session on the bundled May 8 scenario: its chapters pause the run in order, under the fog of war.
import { describe, expect, it } from "vitest";
import { BUNDLED, newSession, play } from "./helpers.js";

describe("training on the bundled May 8 scenario", () => {
  it("pauses at the first three chapters and reveals the poison schedule only when asked", () => {
    const session = newSession({}, BUNDLED);
    expect(session.intro()).toContain("aftershock train · qstash-2026-05-08");
    const steps = play(session, ["next", "next", "next", "workers", "logs 100"]);
    expect(steps[0].text).toContain("Chapter 1 of 6 · 09:44:40 · A quiet Friday morning");
    expect(steps[1].text).toContain("Chapter 2 of 6 · 09:45:05 · The first worker dies");
    expect(steps[2].text).toContain("Chapter 3 of 6 · 09:46:00 · The pager goes off");
    expect(steps[2].text).toMatch(/FIRING worker-crash-rate since 09:45:\d\d/);
    expect(steps.map((s) => s.text).join("\n")).not.toMatch(/sched-deleted|acct-deleted/);
    expect(play(session, ["reveal"])[0].text).toMatch(
      /poison sched-deleted-[abc] of acct-deleted: killed w\d/,
    );
  });
});

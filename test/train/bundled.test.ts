// Shows a session on the bundled May 8 scenario: its chapters pause the run in order, under the fog of war.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED, newSession, play } from "./helpers.js";

describe("training on the bundled May 8 scenario", () => {
  it("pauses at the first three chapters and reveals the poison schedule only when asked", () => {
    const session = newSession({}, BUNDLED);
    expect(session.intro()).toContain("aftershock train · qstash-2026-05-08");
    const steps = play(session, ["next", "next", "next", "workers", "logs 100"]);
    expect(steps[0].text).toContain("Chapter 1 of 6 · 09:44:40 · A quiet Friday morning");
    expect(steps[1].text).toContain("Chapter 2 of 6 · 09:45:05 · The first workers die");
    expect(steps[2].text).toContain("Chapter 3 of 6 · 09:46:00 · The pager goes off");
    expect(steps[2].text).toMatch(/FIRING worker-crash-rate since 09:45:\d\d/);
    expect(steps.map((s) => s.text).join("\n")).not.toMatch(/sched-deleted|acct-deleted/);
    expect(play(session, ["reveal"])[0].text).toMatch(
      /poison sched-deleted-[abc] of acct-deleted: killed w\d/,
    );
  });

  it("pauses chapter 2 where the facilitator's guide says, with two workers already dead", () => {
    const session = newSession({}, BUNDLED);
    const steps = play(session, ["next", "next", "workers"]);
    expect(steps[1].text).toContain("09:44:40 → 09:45:05 (25s): 2 worker crashes");
    expect(steps[1].text).toMatch(/workers up +\S+ +8 of 8/); // the dashboards have not caught up
    expect(steps[2].text.match(/back-off/g)).toHaveLength(2);
    const guide = readFileSync(join(import.meta.dirname, "..", "..", "docs", "training.md"), "utf8");
    const chapter2 = /\n2\. \*\*([^\n]*)[\s\S]*?\n3\. /.exec(guide);
    expect(chapter2?.[1]).toContain("09:45:05, The first workers die");
    expect(chapter2?.[0]).toContain("pauses at 09:45:05");
    expect(chapter2?.[0]).toContain("two workers have already died");
  });
});

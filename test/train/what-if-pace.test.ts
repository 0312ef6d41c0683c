// Shows that a what-if deploy without a step is paced as the scenario's own deploy (the team's rollout), and as a timeline deploy's default when the scenario has none.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEPLOY_STEP_DELAY_MS_DEFAULT } from "../../src/scenario/index.js";
import { newSession, play, SMALL } from "./helpers.js";

/** The fixture with its own deploy's stepDelay set to `stepDelay`, or its deploy removed (null). */
function fixture(stepDelay: string | null): string {
  const text = readFileSync(SMALL, "utf8");
  const deploy = /^ {2}- \{ at: "10:06:00", action: deploy,.*stepDelay: 10s \}\n/m;
  expect(text).toMatch(deploy);
  const changed =
    stepDelay === null
      ? text.replace(deploy, "")
      : text.replace(deploy, (line) => line.replace("stepDelay: 10s", `stepDelay: ${stepDelay}`));
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-pace-")), "pace.yaml");
  writeFileSync(file, changed);
  return file;
}

/**
 * The first line of the reply to `what-if <words>` at the first chapter of a session of `path`:
 * the action taken (the lines after it name the scenario's own timeline, its deploy's pace too).
 */
function whatIfReply(path: string, words: string): string {
  const steps = play(newSession({}, path), ["next", `what-if ${words}`]);
  for (const s of steps) expect(s.ok, `${s.command}: ${s.text}`).toBe(true);
  const first = steps[1].text.split("\n")[0];
  expect(first).toMatch(/^What if, at \d\d:\d\d:\d\d: /);
  return first;
}

/** A deploy's pace as the session words it, the way the rollout keeps it. */
function paced(step: string): string {
  return `one worker at a time, each ${step} after the one before serves again`;
}

describe("the pace of a what-if deploy without a step", () => {
  it("is the scenario's own deploy's stepDelay", () => {
    const path = fixture("25s");
    expect(whatIfReply(path, "deploy fixed")).toContain(paced("25s"));
    expect(whatIfReply(path, "rollback")).toContain(paced("25s"));
    // A step given wins.
    expect(whatIfReply(path, "deploy fixed step 5s")).toContain(paced("5s"));
  });

  it("is a timeline deploy's default when the scenario deploys nothing", () => {
    const path = fixture(null);
    expect(whatIfReply(path, "deploy fixed")).toContain(paced(`${DEPLOY_STEP_DELAY_MS_DEFAULT / 1000}s`));
  });
});

describe("the pace a what-if reply gives", () => {
  // The rollout waits for a replaced serving worker to be ready before the step: with a 20 s
  // start-up, "10s between workers" would read as twice the pace the logs then show.
  it("says each step comes after the worker before serves again, for the what-if and the deploy still to come", () => {
    // The deploy still to come is the facilitator's to see (the on-call view does not tell it).
    const steps = play(newSession({ facilitator: true }, fixture("25s")), [
      "next",
      "what-if deploy fixed step 0s",
    ]);
    // No delay reads as such, not as "each 0ms after".
    expect(steps[1].text).toContain(
      "early-return, panic-recovery, one worker at a time, each as soon as the one before serves again",
    );
    expect(steps[1].text).not.toContain("0ms");
    expect(steps[1].text).toMatch(
      /still follows: deploy v2 with early-return, panic-recovery, one worker at a time,\s+each 25s after the one before serves again at 10:06:00/,
    );
    expect(steps[1].text).not.toContain("between workers");
  });
});

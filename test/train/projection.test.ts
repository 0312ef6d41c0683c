// Shows that a projection run a slice at a time (so a Ctrl-C can stop it) is the projection run
// straight to the end, and that a session's prepare leaves nothing half made when stopped.
import { describe, expect, it } from "vitest";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { ORIGINAL, projectLine } from "../../src/train/index.js";
import { projectLineInSlices } from "../../src/train/projection.js";
import { loadFixture, newSession, play } from "./helpers.js";

describe("projections in slices", () => {
  it("give the same projection as one straight run, yielding between slices", () => {
    const { input } = loadFixture();
    const options = { schedulers: bundledSchedulers() };
    const line = { name: ORIGINAL, parent: null, interventions: [] };
    const straight = projectLine(input, line, options);
    const run = projectLineInSlices(input, line, options, 60_000);
    let yields = 0;
    let step = run.next();
    for (; !step.done; step = run.next()) yields++;
    expect(yields).toBe(input.config.durationMs / 60_000 - 1);
    expect(step.value).toEqual(straight);
  });

  it("prepare computes what score needs; stopped, it keeps nothing", () => {
    const session = newSession();
    play(session, ["next", "next", "what-if deploy fixed"]);
    const stopped = session.prepare("score");
    for (let i = 0; i < 3; i++) expect(stopped.next().done).toBe(false);
    stopped.return();
    expect(session.record().original).toBeNull();
    expect([...session.prepare("status")]).toEqual([]);
    const yields = [...session.prepare("score")].length;
    expect(yields).toBeGreaterThan(10);
    expect(session.record().original).not.toBeNull();
    expect(session.record().forks[0].outcome).not.toBeNull();
    // Now computed: score needs nothing more, and shows it.
    expect([...session.prepare("score")]).toEqual([]);
    expect(play(session, ["score"])[0].text).toContain("Best: fork-1");
  });
});

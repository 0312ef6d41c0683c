// Shows Tab completion in a training session: a single match comes with its space, and past a command's last word nothing is offered, so a second Tab never types a word twice.
import { describe, expect, it } from "vitest";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { TrainingSession } from "../../src/train/index.js";
import { loadFixture, newSession, play } from "./helpers.js";

describe("Tab completion", () => {
  it("completes a single match with the space after it", () => {
    const session = newSession();
    expect(session.complete("swi")[0]).toEqual(["switch "]);
    expect(session.complete("switch ori")[0]).toEqual(["original "]);
  });

  it("offers nothing past a command's last word: a second Tab types nothing", () => {
    const session = newSession();
    for (const line of [
      "switch original ",
      "help next ",
      "why w1 ",
      "until 09:45 ",
      "run 1m ",
      "compare original fork-1 ",
      "logs w1 40 ",
      "what-if scale 4 ",
      "what-if restart w1 ",
      "what-if rollback step ",
      "what-if deploy fixed step ",
      "what-if quarantine s1 ",
    ])
      expect(session.complete(line)[0], line).toEqual([]);
  });

  it("offers compare's second line from the others", () => {
    const session = newSession();
    expect(session.complete("compare ")[0]).toEqual(["original "]);
    expect(session.complete("compare original ")[0]).toEqual([]);
  });

  it("offers a deploy's fixes once each, once revealed", () => {
    const session = newSession({ facilitator: true });
    expect(session.complete("what-if deploy v2 early-return ")[0]).toEqual(["panic-recovery", "step"]);
    expect(session.complete("what-if deploy v2 ")[0]).toEqual(["early-return", "panic-recovery", "step"]);
  });

  it("offers no fix by name in the on-call view, whose names would tell the cause", () => {
    const session = newSession();
    expect(session.complete("what-if deploy v2 ")[0]).toEqual(["step "]);
    expect(session.complete("what-if deploy ")[0]).toEqual(["buggy", "fixed", "v1", "v2", "step"]);
    // Typed, a fix is taken all the same.
    expect(play(session, ["next", "what-if deploy v2 early-return"])[1].ok).toBe(true);
    session.execute("reveal");
    expect(session.complete("what-if deploy ")[0]).toContain("early-return");
  });

  it("offers `bundled` where a scheduler module stands for the v2 a deploy names", () => {
    const { scenario, input } = loadFixture();
    const schedulers = new Map(bundledSchedulers());
    schedulers.set("module:mine.mjs", schedulers.get("v2")!);
    const scheduler = { name: "module:mine.mjs", fixes: [] };
    const session = new TrainingSession({
      scenario,
      input: { ...input, config: { ...input.config, scheduler } },
      schedulers,
      facilitator: true,
    });
    expect(session.complete("what-if deploy fixed ")[0]).toEqual(["bundled", "step"]);
    expect(session.complete("what-if deploy v2 bundled ")[0]).toEqual([
      "early-return",
      "panic-recovery",
      "step",
    ]);
    expect(session.complete("what-if deploy v1 ")[0]).toEqual(["step "]);
  });

  it("offers no fix after a named variant, which deploy takes with none: only what it accepts", () => {
    const session = newSession({ facilitator: true });
    play(session, ["next"]);
    for (const variant of ["buggy", "fixed", "early-return", "panic-recovery", "v1"]) {
      const offered = session.complete(`what-if deploy ${variant} `)[0].map((w) => w.trim());
      expect(offered, variant).toEqual(["step"]);
    }
    // After v2 each fix offered is one deploy takes.
    const fixes = session.complete("what-if deploy v2 ")[0].filter((w) => w !== "step");
    expect(fixes).toEqual(["early-return", "panic-recovery"]);
    for (const fix of fixes) {
      const [step] = play(session, [`what-if deploy v2 ${fix}`]);
      expect(step.ok, `${fix}: ${step.text}`).toBe(true);
    }
  });
});

describe("Tab on a time", () => {
  it("offers rewind the chapters not ahead of now and until those ahead, no others", () => {
    const session = newSession();
    play(session, ["next", "next"]);
    expect(session.prompt()).toBe("09:45:05 original> ");
    expect(session.complete("rewind ")[0]).toEqual(["09:44:40", "09:45:05"]);
    const ahead = session.complete("until ")[0];
    expect(ahead.length).toBeGreaterThan(0);
    for (const t of ahead) expect(t > "09:45:05", t).toBe(true);
    // At the start, rewind offers no chapter to come.
    expect(newSession().complete("rewind ")[0]).toEqual([]);
  });
});

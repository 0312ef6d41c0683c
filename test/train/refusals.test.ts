// Shows that commands understood but not possible where the session is are refused, not taken for typos: a chapter or an answer before the first chapter, and a what-if on a worker a scale-down removed (a script that meets them does not exit 2).
import { describe, expect, it } from "vitest";
import { newSession } from "./helpers.js";

describe("commands understood but not possible now", () => {
  it("chapter and answer before the first chapter", () => {
    const session = newSession();
    for (const command of ["chapter", "answer the logs first"]) {
      const r = session.execute(command);
      expect(r.ok, r.text).toBe(false);
      expect(r.refused, r.text).toBe(true);
      expect(r.text).toContain("no chapter yet");
    }
  });

  it("a what-if on a worker that a scale-down removed", () => {
    const session = newSession();
    const scaled = session.execute("what-if scale 2");
    expect(scaled.ok, scaled.text).toBe(true);
    session.execute("run 2m");
    for (const [command, verb] of [
      ["what-if kill w4", "kill"],
      ["what-if restart w4", "restart"],
    ]) {
      const r = session.execute(command);
      expect(r.refused, r.text).toBe(true);
      expect(r.text).toBe(`what-if: w4 was removed by a scale-down: it has no process to ${verb}`);
    }
    // A worker the fleet never had is still a hint (a typo, most likely).
    const typo = session.execute("what-if kill w9");
    expect(typo.ok).toBe(false);
    expect(typo.refused).toBeUndefined();
  });
});

// Shows that `chapter` and `answer` in a scenario without chapters say there are none, not that `next` reaches one.
import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/index.js";
import { TrainingSession } from "../../src/train/index.js";
import { loadFixture } from "./helpers.js";

describe("a scenario without chapters", () => {
  it("says so to chapter and answer, before and after next", () => {
    const { scenario, input } = loadFixture();
    const bare: Scenario = { ...scenario, chapters: [] };
    const session = new TrainingSession({ scenario: bare, input });
    for (const when of ["at the start", "at the end"]) {
      if (when === "at the end") session.execute("next");
      for (const command of ["chapter", "answer a poison task"]) {
        const r = session.execute(command);
        expect(r.text, `${command} ${when}`).not.toContain("next runs to the first one");
        expect(r.text, `${command} ${when}`).toContain("this scenario has no chapters");
      }
    }
  });
});

// Shows that the opening says how many chapters pause the run in a sentence that agrees with the count.
import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/index.js";
import { TrainingSession } from "../../src/train/index.js";
import { loadFixture } from "./helpers.js";

function introWith(chapters: number): string {
  const { scenario, input } = loadFixture();
  const cut: Scenario = { ...scenario, chapters: scenario.chapters.slice(0, chapters) };
  return new TrainingSession({ scenario: cut, input }).intro().replace(/\s+/g, " ");
}

describe("the opening's count of chapters", () => {
  it("agrees with one chapter, none and several", () => {
    expect(introWith(1)).toContain("UTC; 1 chapter pauses it.");
    expect(introWith(0)).toContain("UTC; no chapter pauses it.");
    expect(introWith(3)).toContain("UTC; 3 chapters pause it.");
  });
});

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

describe("the write-up in the description", () => {
  const cause = "early return in the deleted-account cleanup path";
  const flat = (t: string) => t.replace(/\s+/g, " ");

  it("is not in the on-call view's opening, which names the scenario and its fleet", () => {
    const { scenario, input } = loadFixture();
    const intro = flat(new TrainingSession({ scenario, input }).intro());
    expect(intro).not.toContain(cause);
    expect(intro).not.toContain("rolled out from 10:06");
    expect(intro).toContain("A replay of may8-small on a fleet of 4 workers, on 2026-05-08.");
    // The assumptions stay: they are ours, and the room must know them.
    expect(intro).toContain("Assumptions (ours, not public facts):");
  });

  it("opens the facilitator's view, and comes with reveal and at the end of the run", () => {
    const { scenario, input } = loadFixture();
    expect(flat(new TrainingSession({ scenario, input, facilitator: true }).intro())).toContain(cause);
    const session = new TrainingSession({ scenario, input });
    expect(flat(session.execute("next").text)).not.toContain(cause);
    expect(flat(session.execute("reveal").text)).toContain(
      `What happened (the scenario's account) ${"A user"}`,
    );
    const ended = new TrainingSession({ scenario, input });
    let end = "";
    for (let i = 0; i < 12 && !end.includes("The run reached its end"); i++)
      end = flat(ended.execute("next").text);
    expect(end).toContain("The run reached its end");
    expect(end).toContain(cause);
    // The debrief gives the assumptions as written, where the on-call view's left the cause out.
    expect(end).toContain("The assumptions as written (the on-call view showed them without the cause):");
    expect(end).toContain("it was deleted at 09:44:40, shortly before the first alert");
  });
});

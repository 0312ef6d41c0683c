// Shows that `help` gives away no chapter's answer: its examples say nothing of the incident's cause.
import { describe, expect, it } from "vitest";
import { plainPaint } from "../../src/report/paint.js";
import { PROMPT_COMMANDS, renderHelp } from "../../src/train/commands.js";

describe("help's examples", () => {
  it("name no cause of the incident a chapter asks the room to find", () => {
    for (const c of PROMPT_COMMANDS) {
      const examples = (renderHelp(plainPaint, c.name) ?? "")
        .split("\n")
        .filter((l) => l.includes("examples:"));
      expect(examples, c.name).toHaveLength(1);
      expect(examples[0], c.name).not.toMatch(/poison|killing workers|nil|deleted account/i);
    }
    expect(renderHelp(plainPaint, "answer")).toContain("examples: answer ");
  });
});

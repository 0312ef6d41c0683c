// Shows that `help` gives away no chapter's answer: its examples say nothing of the incident's cause.
import { describe, expect, it } from "vitest";
import { plainPaint } from "../../src/report/paint.js";
import { PROMPT_COMMANDS, renderHelp } from "../../src/train/commands.js";
import { newSession } from "./helpers.js";

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

describe("help before reveal", () => {
  const SPOILERS = /poison|early-return|panic-recovery|\bnil\b|deleted account|returns early/i;

  it("names no cause, no fix, in the list or any command's detail; revealed, it says them", () => {
    const session = newSession();
    const onCall = [
      session.execute("help").text,
      ...PROMPT_COMMANDS.map((c) => session.execute(`help ${c.name}`).text),
    ];
    for (const text of onCall) expect(text).not.toMatch(SPOILERS);
    expect(session.execute("help reveal").text).toContain(
      "show the hidden state (the causal chain behind each death, the lease tables, the write-up) from now on",
    );
    session.execute("reveal");
    expect(session.execute("help reveal").text).toContain("poison tasks");
    expect(session.execute("help").text).toContain("poison tasks");
    expect(session.execute("help what-if").text).toContain("which returns early for a deleted account");
    expect(newSession({ facilitator: true }).execute("help what-if").text).toContain(
      "deploy v2 early-return",
    );
  });
});

describe("a word that is not a command", () => {
  const hintFor = (line: string) => newSession().execute(line).text;

  it("gets the command meant: two words of one, the start of one, a typo", () => {
    expect(hintFor("what if rollback")).toContain('unknown command "what": did you mean "what-if"?');
    for (const [typed, meant] of [
      ["stat", "status"],
      ["sta", "status"],
      ["work", "workers"],
      ["nxet", "next"],
      ["wokers", "workers"],
    ])
      expect(hintFor(typed), typed).toContain(`unknown command "${typed}": did you mean "${meant}"?`);
  });

  it("is not echoed whole when it is long", () => {
    const text = hintFor("x".repeat(50_000));
    expect(text.length).toBeLessThan(200);
    expect(text).toContain(`unknown command "${"x".repeat(40)}…"`);
  });

  it("help lists the aliases, quit's exit and q among them", () => {
    const quit = renderHelp(plainPaint)!
      .split("\n")
      .find((l) => l.trimStart().startsWith("quit"));
    expect(quit).toContain("leave the session (also exit, q)");
  });
});

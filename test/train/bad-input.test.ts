// Shows that bad commands at the prompt get a one-line hint and never throw, whatever is typed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newSession } from "./helpers.js";

const BAD = [
  "bogus",
  "nxt",
  "run",
  "run 5",
  "run abc",
  "run -5m",
  "until",
  "until 08:00",
  "until 25:00",
  "until 11:30",
  "until tomorrow",
  "rewind",
  "rewind 11:00",
  "rewind 09:00",
  "rewind -2h",
  "logs w99",
  "logs w1 w2",
  "why",
  "why w99",
  "why w1 w2",
  "what-if",
  "what-if deploy",
  "what-if deploy v9",
  "what-if deploy fixed early-return",
  "what-if deploy v2 no-such-fix",
  "what-if deploy fixed step",
  "what-if deploy fixed step forever",
  "what-if scale 0",
  "what-if scale many",
  "what-if scale 4",
  "what-if quarantine nope",
  "what-if restart w9",
  "what-if kill",
  "what-if dance",
  "switch",
  "switch nowhere",
  "compare",
  "compare fork-9",
  "compare original",
  "compare a b c",
  "save",
  "save a b",
  "answer",
  "help nope",
  "status now",
  "next please",
  "chapter",
];

describe("bad commands", () => {
  it("answers each with one line and changes nothing", () => {
    const session = newSession();
    for (const command of BAD) {
      const r = session.execute(command);
      expect(r.ok, command).toBe(false);
      expect(r.text.split("\n"), command).toHaveLength(1);
      expect(r.text.length, command).toBeGreaterThan(10);
      expect(r.effects, command).toEqual([]);
    }
    expect(session.prompt()).toBe("09:30:00 original> ");
    expect(session.record().commands).toEqual([]);
  });

  it("refuses a command holding a control character, and records nothing of it", () => {
    const session = newSession();
    for (const command of ["answer red \u001b[31mtext", "why w1\u0007", "bogus\u009b2J", "answer a\rb"]) {
      const r = session.execute(command);
      expect(r.ok, command).toBe(false);
      expect(r.text, command).toMatch(/^a command cannot hold the control character U\+00/);
      expect(r.text, command).not.toMatch(/\p{Cc}/u);
    }
    // A tab is a space between words, as in a script indented with one.
    expect(session.execute("logs\tw1").ok).toBe(true);
    expect(session.record().commands.map((c) => c.command)).toEqual(["logs\tw1"]);
  });

  it("cuts a long name alike in every hint that quotes it, as an unknown command's", () => {
    const session = newSession();
    const long = "x".repeat(300);
    const cut = `"${"x".repeat(40)}…"`;
    for (const command of [
      long,
      `why ${long}`,
      `switch ${long}`,
      `compare ${long}`,
      `logs ${long}`,
      `logs w1 ${long}`,
      `what-if ${long}`,
      `what-if kill ${long}`,
      `what-if quarantine ${long}`,
      `what-if deploy ${long}`,
      `what-if deploy v2 ${long}`,
      `what-if rollback ${long}`,
      `lines ${long}`,
    ]) {
      const r = session.execute(command);
      expect(r.ok, command).toBe(false);
      expect(r.text, command).toContain(cut);
      expect(r.text.length, command).toBeLessThan(200);
    }
  });

  it("suggests the command meant", () => {
    const session = newSession();
    expect(session.execute("stauts").text).toContain('did you mean "status"?');
    expect(session.execute("what-if deploy fixd").text).toContain('no scheduler "fixd"');
  });

  it("never throws on arbitrary input", () => {
    const session = newSession();
    const words = fc.constantFrom(
      "next",
      "run",
      "until",
      "rewind",
      "logs",
      "why",
      "what-if",
      "switch",
      "save",
      "help",
      "x",
    );
    const line = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.tuple(words, fc.string({ maxLength: 20 })).map(([w, rest]) => `${w} ${rest}`),
    );
    fc.assert(
      fc.property(line, (text) => {
        if (/^\s*(next|run|until|what-if|quit|exit|q|n)\b/i.test(text)) return; // keep time where it is
        const r = session.execute(text);
        if (!r.ok) expect(r.text.split("\n")).toHaveLength(1);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

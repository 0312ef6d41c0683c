// Shows that a saved session's world (seed, variant, scheduler, fixes) is checked on load, at its line and column, so a replay never suggests a command the CLI refuses.
import { describe, expect, it } from "vitest";
import { readScript } from "../../src/train/record.js";

/** A saved session as `save` writes it, with `fields` in place of its world's. */
function session(fields: Record<string, unknown>): string {
  const record = {
    format: "aftershock-training-session",
    version: 2,
    scenario: "may8-small",
    seed: 7,
    variant: "buggy",
    scheduler: { name: "v2", fixes: [] },
    ...fields,
    commands: [{ at: "2026-05-08T09:30:00.000Z", line: "next", command: "next" }],
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

describe("a saved session's world", () => {
  it("is taken as saved when the CLI would take it", () => {
    for (const fields of [
      {},
      { seed: 0, variant: null, scheduler: { name: "v2", fixes: ["panic-recovery"] } },
      { variant: null, scheduler: { name: "v1", fixes: [] } },
      // A scheduler module's own name and fixes: the module is not here to check them against.
      { variant: null, scheduler: { name: "mine", fixes: ["whatever"] } },
    ]) {
      const reading = readScript(session(fields));
      expect(reading, JSON.stringify(fields)).toMatchObject({ ok: true, commands: ["next"] });
    }
  });

  it("is refused where a field holds what the CLI would refuse, saying what it takes", () => {
    const cases: [Record<string, unknown>, number, number, string][] = [
      [
        { seed: -1 },
        5,
        11,
        "a saved session whose seed is -1, which no run has (a seed is a whole number from 0 to 9007199254740991, as --seed takes it)",
      ],
      [{ seed: 1e300 }, 5, 11, "a saved session whose seed is 1e+300, which no run has"],
      [{ seed: "7" }, 5, 11, 'a saved session whose seed is "7", which no run has'],
      [
        { variant: "bogus" },
        6,
        14,
        'a saved session whose variant is "bogus", which is not one (variants: buggy, fixed, early-return, panic-recovery, v1)',
      ],
      [
        { variant: null, scheduler: { name: 3, fixes: [] } },
        8,
        13,
        "a saved session whose scheduler is 3, not a name",
      ],
      [
        { scheduler: { name: "v9", fixes: [] } },
        8,
        13,
        'a saved session whose scheduler "v9" is not the one its variant buggy runs (v2)',
      ],
      [
        { variant: null, scheduler: { name: "v2", fixes: ["nope"] } },
        10,
        7,
        'a saved session whose scheduler v2 has no fix "nope" (fixes of v2: early-return, panic-recovery)',
      ],
      [
        { variant: null, scheduler: { name: "v1", fixes: ["early-return"] } },
        10,
        7,
        'a saved session whose scheduler v1 has no fix "early-return" (v1 has no fixes)',
      ],
      [
        { scheduler: { name: "v2", fixes: ["early-return"] } },
        9,
        14,
        "a saved session whose fixes (early-return) are not those its variant buggy runs (none)",
      ],
      [
        { variant: null, scheduler: { name: "v2", fixes: "early-return" } },
        9,
        14,
        'a saved session whose fixes are "early-return", not a list of names',
      ],
    ];
    for (const [fields, line, column, message] of cases) {
      const reading = readScript(session(fields));
      expect(reading, JSON.stringify(fields)).toMatchObject({ ok: false, line, column });
      expect(reading.ok ? "" : reading.message, JSON.stringify(fields)).toContain(message);
    }
  });

  it("is refused at the command a hand edit broke, not at the top of the file", () => {
    const commands = [
      { at: "2026-05-08T09:30:00.000Z", line: "original", command: "next" },
      { at: "2026-05-08T09:44:40.000Z", line: "original", command: null },
    ];
    const text = `${JSON.stringify({ format: "aftershock-training-session", version: 4, commands }, null, 2)}\n`;
    // Line 13 is the second command's `"command": null`.
    expect(readScript(text)).toMatchObject({
      ok: false,
      line: 13,
      column: 18,
      message: "a saved session whose command 2 is null, not a `command` string",
    });
    const unnamed = text.replace('"command": null', '"comand": "answer foo"');
    expect(readScript(unnamed)).toMatchObject({
      ok: false,
      line: 10,
      message: "a saved session whose command 2 has no `command` string",
    });
  });
});

// Shows the option parsers' messages: a bad --until says what is wrong with it, without contradiction, and a whole number past 2^53 - 1 says that maximum.
import { describe, expect, it } from "vitest";
import { parseCount, parseSeed, parseUntil } from "../../src/cli/args.js";

const START = Date.UTC(2026, 4, 8, 9, 30);
const END = Date.UTC(2026, 4, 8, 10, 0);

function message(text: string): string {
  try {
    parseUntil(text, START, END);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`--until ${text} was accepted`);
}

describe("--until", () => {
  it("takes a time after the start, up to the end", () => {
    expect(parseUntil("09:45", START, END)).toBe(START + 15 * 60_000);
    expect(parseUntil("10:00", START, END)).toBe(END);
    expect(parseUntil("09:45:00.250", START, END)).toBe(START + 15 * 60_000 + 250);
  });

  it("says a time at or before the start must be after it, and a later one is after the end", () => {
    expect(message("09:30")).toBe(
      "--until: 09:30 is the start of the run: it must be after the start (the run is 2026-05-08T09:30:00Z to 2026-05-08T10:00:00Z)",
    );
    expect(message("09:00")).toBe(
      "--until: 09:00 does not fall within the run (the run is 2026-05-08T09:30:00Z to 2026-05-08T10:00:00Z): a time of day is read as its first occurrence at or after the start; write an ISO instant or +offset from the start",
    );
    expect(message("11:00")).toContain("11:00 is after the run ends");
    expect(message("+0s")).toContain("+0s is the start of the run");
    // The start is the time to say: the instant given is already written out.
    expect(message("2026-05-08T09:00:00Z")).toBe(
      "--until: 2026-05-08T09:00:00Z is before the start (2026-05-08T09:30:00Z): it must be after the start (the run is 2026-05-08T09:30:00Z to 2026-05-08T10:00:00Z)",
    );
  });

  it("reads a time of day as its first occurrence at or after the start: the next day's after midnight", () => {
    const start = Date.UTC(2026, 4, 8, 23, 50);
    const end = Date.UTC(2026, 4, 9, 0, 10);
    expect(parseUntil("00:05", start, end)).toBe(Date.UTC(2026, 4, 9, 0, 5));
    expect(parseUntil("23:55", start, end)).toBe(Date.UTC(2026, 4, 8, 23, 55));
    expect(() => parseUntil("23:49", start, end)).toThrow("does not fall within the run");
  });

  it("says what to write when the time's form is wrong and there is an obvious fix", () => {
    expect(message("14m")).toBe("--until: an offset from the start begins with + — did you mean +14m?");
    expect(message("9:45am")).toBe(
      "--until: a time of day is written on the 24-hour clock, in UTC — did you mean 09:45?",
    );
    expect(message("noon")).not.toContain("did you mean");
  });
});

describe("--seed, --runs, --explore", () => {
  it("take whole numbers up to 2^53 - 1, and say that maximum of one past it", () => {
    expect(parseSeed("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseCount("9007199254740991", "--runs")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseSeed("9007199254740992")).toThrow(
      '--seed: expected a whole number from 0 to 2^53 - 1 (9007199254740991), found "9007199254740992"',
    );
    for (const flag of ["--runs", "--explore"])
      expect(() => parseCount("99999999999999999999", flag)).toThrow(
        `${flag}: expected a whole number from 1 to 2^53 - 1 (9007199254740991), found "99999999999999999999"`,
      );
    // What is no whole number at all is said as before.
    expect(() => parseSeed("-1")).toThrow('--seed: expected a whole number ≥ 0, found "-1"');
    expect(() => parseCount("0", "--runs")).toThrow('--runs: expected a whole number ≥ 1, found "0"');
  });
});

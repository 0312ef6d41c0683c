// Shows the memoised cron fire times agree with croner itself, for any query order and distance in time, and that a bad expression is refused with what is wrong in its own terms.
import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CronError, fireTimesBetween, nextFireAfter, parseCron } from "../../src/world/cron.js";
import { cronFieldProblem } from "../../src/world/cron-field-problem.js";

const EXPRS = ["* * * * *", "*/5 * * * *", "0 * * * *", "30 2 * * *", "CRON_TZ=America/New_York 0 9 * * 1-5"];

function direct(text: string, after: number): number {
  const spec = parseCron(text);
  const cron =
    spec.timezone === null
      ? new Cron(spec.pattern, { paused: true, utcOffset: 0, mode: "5-part" })
      : new Cron(spec.pattern, { paused: true, timezone: spec.timezone, mode: "5-part" });
  return cron.nextRun(new Date(after))!.getTime();
}

describe("cron fire times", () => {
  it("match croner for queries in any order, near and years apart", () => {
    const when = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2034, 0, 1) });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...EXPRS), when), { minLength: 1, maxLength: 30 }),
        (queries) => {
          for (const [text, t] of queries) expect(nextFireAfter(parseCron(text), t)).toBe(direct(text, t));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("enumerates a window in order, every fire strictly after the last", () => {
    const spec = parseCron("*/5 * * * *");
    const from = Date.UTC(2026, 4, 8, 9, 30);
    const fires = fireTimesBetween(spec, from, from + 3_600_000);
    expect(fires).toHaveLength(12);
    expect(fires[0]).toBe(from + 5 * 60_000);
    for (let i = 1; i < fires.length; i++) expect(fires[i] - fires[i - 1]).toBe(5 * 60_000);
  });

  it("enumerates a long window as croner does, across the growing chunks it computes ahead", () => {
    // A day of every-minute fires takes chunks of 16, 32, ... 256 times: none lost or repeated.
    for (const text of ["* * * * *", "CRON_TZ=Europe/Berlin */10 * * * *"]) {
      const from = Date.UTC(2026, 4, 8, 9, 30);
      const fires = fireTimesBetween(parseCron(text), from, from + 86_400_000);
      const spec = parseCron(text);
      const cron = new Cron(spec.pattern, {
        paused: true,
        mode: "5-part",
        ...(spec.timezone === null ? { utcOffset: 0 } : { timezone: spec.timezone }),
      });
      const expected = cron.nextRuns(fires.length + 1, new Date(from)).map((d) => d.getTime());
      expect(fires).toEqual(expected.filter((t) => t <= from + 86_400_000));
      expect(fires.length).toBe(text.startsWith("*") ? 1440 : 144);
    }
  });

  it("rejects bad expressions with what is wrong", () => {
    expect(() => parseCron("61 * * * *")).toThrow(CronError);
    expect(() => parseCron("* * * *")).toThrow(/^4 fields, not 5$/);
    expect(() => parseCron("CRON_TZ=Mars/Olympus 0 9 * * *")).toThrow(/unknown time zone/);
    expect(() => parseCron("CRON_TZ= * * * * *")).toThrow(/^no time zone after CRON_TZ=$/);
    expect(() => parseCron("CRON_TZ=")).toThrow(/^no time zone after CRON_TZ=$/);
  });

  it("says which field is wrong in the field's own numbers, not croner's", () => {
    const cases: [string, string][] = [
      ["61 * * * *", "minute 61 is out of range (0-59)"],
      ["1-70 * * * *", "minute 70 is out of range (0-59)"],
      ["0 24 * * *", "hour 24 is out of range (0-23)"],
      ["0 0 0 * *", "day-of-month 0 is out of range (1-31)"],
      ["0 0 32 * *", "day-of-month 32 is out of range (1-31)"],
      ["0 0 * 13 *", "month 13 is out of range (1-12)"],
      ["0 0 * * 8", "day-of-week 8 is out of range (0-7, Sunday is 0 or 7)"],
      ["0 x * * *", 'the hour field "x" is not a number, a range (1-5), a list (1,15) or a step (*/5)'],
      [
        "0 0 * * MON-FOO",
        'the day-of-week field "MON-FOO" is not a number or name (MON), a range (1-5), a list (1,15) or a step (*/5)',
      ],
      ["5-1 * * * *", "the minute range 5-1 ends before it starts (write the smaller value first)"],
      ["*/0 * * * *", 'a step of 0 in the minute field "*/0" (a step is 1 or more)'],
      ["0 0 * * */8", 'a step of 8 in the day-of-week field "*/8" is more than the 7 values it steps over'],
      ["5/5 * * * *", 'a step from a single value in the minute field "5/5": write 5-59/5 to step from 5 on'],
      ["1,,2 * * * *", 'the minute field "1,,2" has an empty entry (a list is written 1,15)'],
      [
        "0 0 * * 5#6",
        "day-of-week 5#6: the nth weekday of a month is 1 to 5, or L for the last (5#1 is the first, 5#L the last)",
      ],
      [
        "0 0 * * 1#2,FRI#0",
        "day-of-week FRI#0: the nth weekday of a month is 1 to 5, or L for the last (FRI#1 is the first, FRI#L the last)",
      ],
      ["0 0 * * 8#2", "day-of-week 8 is out of range (0-7, Sunday is 0 or 7)"],
    ];
    for (const [text, message] of cases) expect(() => parseCron(text), text).toThrow(new CronError(message));
    // croner's own forms still parse: names, `?`, last day, nearest weekday, nth weekday.
    for (const text of [
      "30 9 * * MON-FRI",
      "0 0 1 JAN,jul *",
      "0 0 ? * *",
      "0 0 LW * *",
      "0 0 * * 5L",
      "0 0 * * 1#2",
    ])
      expect(parseCron(text).pattern, text).toBe(text);
    expect(parseCron("*/60 * * * *").pattern).toBe("*/60 * * * *");
  });

  it("never refuses a field croner takes: its own numbers are only for what croner refuses too", () => {
    const atoms = [
      "*",
      "?",
      "0",
      "1",
      "7",
      "12",
      "13",
      "24",
      "31",
      "32",
      "59",
      "60",
      "L",
      "15W",
      "5L",
      "1#2",
      "MON",
      "jul",
      "FOO",
      "-1",
      "",
    ];
    const atom = fc.constantFrom(...atoms);
    const item = fc.oneof(
      atom,
      fc.tuple(atom, atom).map(([a, b]) => `${a}-${b}`),
      fc.tuple(atom, fc.constantFrom("0", "1", "2", "7", "8", "61")).map(([a, s]) => `${a}/${s}`),
      fc.tuple(atom, atom).map(([a, b]) => `${a},${b}`),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 5, maxLength: 5 }), (fields) => {
        let croner = true;
        try {
          new Cron(fields.join(" "), { paused: true, utcOffset: 0, mode: "5-part" });
        } catch {
          croner = false;
        }
        return !croner || cronFieldProblem(fields) === null;
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it("gives an example or the expression to write only where it adds something", () => {
    const adviceOf = (text: string) => {
      try {
        parseCron(text);
      } catch (error) {
        if (error instanceof CronError) return { message: error.message, ...error.advice };
      }
      throw new Error(`${text} parsed`);
    };
    expect(adviceOf("61 * * * *")).toEqual({ message: "minute 61 is out of range (0-59)" });
    expect(adviceOf("0 0 30 2 *")).toEqual({ message: "never fires: February has no 30th" });
    expect(adviceOf("* * * *")).toEqual({
      message: "4 fields, not 5",
      expected: 'minute hour day-of-month month day-of-week, like "*/5 * * * *"',
    });
    expect(adviceOf("CRON_TZ=Europe/Paris 0 */5 * * * *")).toEqual({
      message: "6 fields: a leading seconds field is not supported (schedules fire on the minute)",
      suggestion: '"CRON_TZ=Europe/Paris */5 * * * *"',
    });
    // A sixth field that is a year is said to be one; a fix is suggested only if it parses.
    expect(adviceOf("0 0 1 1 * 2030")).toEqual({
      message: "6 fields: a trailing year field is not supported (schedules repeat every year)",
      suggestion: '"0 0 1 1 *"',
    });
    expect(adviceOf("0 0 31 2 * 2030")).toEqual({
      message: "6 fields: a trailing year field is not supported (schedules repeat every year)",
    });
    expect(adviceOf("0 0 0 1 1 99")).toEqual({
      message: "6 fields: a leading seconds field is not supported (schedules fire on the minute)",
    });
    // A zone prefix alone has no fields after it; the prefix is never counted as one.
    expect(adviceOf("CRON_TZ=Europe/Berlin")).toEqual({
      message: "no fields after CRON_TZ=Europe/Berlin: the five fields come after the zone",
      expected: 'minute hour day-of-month month day-of-week, like "CRON_TZ=Europe/Paris 0 9 * * *"',
    });
    expect(adviceOf(" CRON_TZ=Europe/Berlin  ").message).toBe(
      "no fields after CRON_TZ=Europe/Berlin: the five fields come after the zone",
    );
    expect(adviceOf("CRON_TZ=Europe/Berlin 0 9").message).toBe("2 fields after CRON_TZ=Europe/Berlin, not 5");
    // One field is one field.
    expect(adviceOf("0").message).toBe("1 field, not 5");
    expect(adviceOf("CRON_TZ=Europe/Berlin */5").message).toBe("1 field after CRON_TZ=Europe/Berlin, not 5");
    expect(adviceOf("CRON_TZ=Mars/Olympus 0 9 * * *")).toEqual({
      message: 'unknown time zone "Mars/Olympus" after CRON_TZ=',
      expected: "an IANA zone name, like Europe/Paris or America/New_York",
      zone: "Mars/Olympus",
    });
  });

  it("refuses an expression that never fires, with the months and days that cannot meet", () => {
    expect(() => parseCron("0 0 30 2 *")).toThrow(/^never fires: February has no 30th$/);
    expect(() => parseCron("0 0 31 4 *")).toThrow(/^never fires: April has no 31st$/);
    expect(() => parseCron("0 0 30,31 2 *")).toThrow(/^never fires: February has no 30th or 31st$/);
    expect(() => parseCron("0 0 31 4,6 *")).toThrow(/^never fires: April and June have no 31st$/);
    // The weekday nearest a day names that day, wherever it falls in January (Sunday 30 January 2000 → the 31st).
    expect(() => parseCron("0 9 30W 2 *")).toThrow(/^never fires: February has no 30th$/);
    expect(() => parseCron("0 9 30W,31 2 *")).toThrow(/^never fires: February has no 30th or 31st$/);
    // A leap day fires every four years; a weekday alongside the day widens it (either matches).
    for (const text of ["0 0 29 2 *", "0 0 30 2 1", "0 0 31 * *"]) expect(parseCron(text).pattern).toBe(text);
  });

  it("says what to write for a TZ= prefix, and writes the nicknames out as five fields", () => {
    expect(() => parseCron("TZ=America/New_York 0 0 * * *")).toThrow(
      new CronError("the time-zone prefix is CRON_TZ=, not TZ=", {
        suggestion: '"CRON_TZ=America/New_York 0 0 * * *"',
      }),
    );
    // Any spelling of the prefix, and a zone written bare, keep the zone in the fix: taken for a
    // leading seconds field, the zone would be dropped from it.
    const adviceOf = (text: string) => {
      try {
        parseCron(text);
      } catch (error) {
        if (error instanceof CronError) return [error.message, error.advice.suggestion];
      }
      throw new Error(`${text} parsed`);
    };
    const berlin = '"CRON_TZ=Europe/Berlin 0 9 * * *"';
    for (const [text, prefix] of [
      ["tz=Europe/Berlin 0 9 * * *", "tz="],
      ["cron_tz=Europe/Berlin 0 9 * * *", "cron_tz="],
      ["CRON_TZ:Europe/Berlin  0 9 * * *", "CRON_TZ:"],
    ]) {
      expect(adviceOf(text)).toEqual([`the time-zone prefix is CRON_TZ=, not ${prefix}`, berlin]);
    }
    expect(adviceOf("Europe/Berlin 0 9 * * *")).toEqual([
      '"Europe/Berlin" is a time zone: it is written as a prefix, CRON_TZ=Europe/Berlin',
      berlin,
    ]);
    expect(adviceOf("europe/berlin 0 9 * * *")[1]).toBe(berlin);
    // An alias stays as written; a fix that would be refused in turn is not offered.
    expect(adviceOf("Asia/Kolkata 0 9 * * *")[1]).toBe('"CRON_TZ=Asia/Kolkata 0 9 * * *"');
    expect(adviceOf("TZ=Europe/Berln 0 9 * * *")).toEqual([
      "the time-zone prefix is CRON_TZ=, not TZ=",
      undefined,
    ]);
    expect(adviceOf("SHELL=/bin/sh 0 9 * * *")[0]).toBe(
      "SHELL= is no part of a cron expression: the only prefix is CRON_TZ=<zone>",
    );
    // A zone written after the fields, with a prefix or without, is no seconds field either.
    for (const text of [
      "0 9 * * * CRON_TZ=Europe/Berlin",
      "0 9 * * * TZ=Europe/Berlin",
      "0 9 * * * europe/berlin",
    ]) {
      expect(adviceOf(text), text).toEqual([
        "the time zone is written before the fields, as a prefix: CRON_TZ=Europe/Berlin",
        berlin,
      ]);
    }
    // A leading seconds field is still one.
    expect(adviceOf("0 0 9 * * *")[1]).toBe('"0 9 * * *"');
    const day = Date.UTC(2026, 4, 8);
    const cases: [string, string, string][] = [
      ["@hourly", "0 * * * *", "2026-05-08T01:00:00.000Z"],
      ["@daily", "0 0 * * *", "2026-05-09T00:00:00.000Z"],
      ["@midnight", "0 0 * * *", "2026-05-09T00:00:00.000Z"],
      ["@weekly", "0 0 * * 0", "2026-05-10T00:00:00.000Z"],
      ["@monthly", "0 0 1 * *", "2026-06-01T00:00:00.000Z"],
      ["@yearly", "0 0 1 1 *", "2027-01-01T00:00:00.000Z"],
      ["@annually", "0 0 1 1 *", "2027-01-01T00:00:00.000Z"],
      ["CRON_TZ=Europe/Paris @daily", "0 0 * * *", "2026-05-08T22:00:00.000Z"],
    ];
    for (const [text, pattern, next] of cases) {
      const spec = parseCron(text);
      expect(spec.pattern).toBe(pattern);
      expect(new Date(nextFireAfter(spec, day) ?? 0).toISOString()).toBe(next);
    }
    expect(() => parseCron("@reboot")).toThrow(/^@reboot runs at start-up/);
    expect(() => parseCron("@often")).toThrow(/^unknown nickname @often$/);
  });

  it("takes canonical time zones and their aliases, as the formatter does", () => {
    // ICU lists one name per zone (Asia/Calcutta here); the others (US/Eastern, Asia/Kolkata)
    // are left to the formatter. Both paths must be taken for this to test anything.
    const zones = ["Asia/Calcutta", "Asia/Kolkata", "US/Eastern", "Europe/Paris"];
    for (const zone of zones) expect(parseCron(`CRON_TZ=${zone} 0 9 * * *`).timezone).toBe(zone);
    const listed = new Set(Intl.supportedValuesOf("timeZone"));
    expect(zones.filter((z) => listed.has(z)).length).toBeGreaterThan(0);
    expect(zones.filter((z) => !listed.has(z)).length).toBeGreaterThan(0);
    expect(() => parseCron("CRON_TZ=asia/nowhere 0 9 * * *")).toThrow(/unknown time zone/);
  });
});

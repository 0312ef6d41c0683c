// Shows the memoised cron fire times agree with croner itself, for any query order and distance in time.
import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CronError, fireTimesBetween, nextFireAfter, parseCron } from "../../src/world/cron.js";

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
    expect(() => parseCron("* * * *")).toThrow(/expected 5 fields/);
    expect(() => parseCron("CRON_TZ=Mars/Olympus 0 9 * * *")).toThrow(/unknown time zone/);
    expect(() => parseCron("CRON_TZ= * * * * *")).toThrow(/^empty time zone after CRON_TZ=/);
    expect(() => parseCron("CRON_TZ=")).toThrow(/^empty time zone after CRON_TZ=/);
  });

  it("refuses an expression that never fires, with the months and days that cannot meet", () => {
    expect(() => parseCron("0 0 30 2 *")).toThrow(/^never fires: February has no 30th$/);
    expect(() => parseCron("0 0 31 4 *")).toThrow(/^never fires: April has no 31st$/);
    expect(() => parseCron("0 0 30,31 2 *")).toThrow(/^never fires: February has no 30th or 31st$/);
    expect(() => parseCron("0 0 31 4,6 *")).toThrow(/^never fires: April and June have no 31st$/);
    // A leap day fires every four years; a weekday alongside the day widens it (either matches).
    for (const text of ["0 0 29 2 *", "0 0 30 2 1", "0 0 31 * *"]) expect(parseCron(text).pattern).toBe(text);
  });

  it("says what to write for a TZ= prefix, and writes the nicknames out as five fields", () => {
    expect(() => parseCron("TZ=America/New_York 0 0 * * *")).toThrow(
      /^the time-zone prefix is CRON_TZ=, not TZ= \(write "CRON_TZ=America\/New_York"\)$/,
    );
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
    expect(() => parseCron("@often")).toThrow(/^unknown nickname "@often"/);
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

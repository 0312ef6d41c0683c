// Shows cron fires across daylight-saving shifts follow one rule (Vixie cron's) whatever the spelling, checked against hand-computed instants.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fireTimesBetween, makeFireStepper, nextFireAfter, parseCron } from "../../src/world/cron.js";

interface Case {
  readonly zone: string;
  readonly from: string;
  readonly to: string;
  /** Expression (without CRON_TZ) to its fires in (from, to], as UTC HH:MM. */
  readonly fires: Record<string, string>;
}

// Local times of each shift, 2026:
// New York   Mar 8  02:00 EST -> 03:00 EDT (07:00Z)   Nov 1  02:00 EDT -> 01:00 EST (06:00Z)
// Berlin     Mar 29 02:00 CET -> 03:00 CEST (01:00Z)  Oct 25 03:00 CEST -> 02:00 CET (01:00Z)
// Lord Howe  Oct 4  02:00 +10:30 -> 02:30 +11 (Oct 3 15:30Z)
//            Apr 5  02:00 +11 -> 01:30 +10:30 (Apr 4 15:00Z)
const CASES: Case[] = [
  {
    zone: "America/New_York",
    from: "2026-03-08T04:00Z",
    to: "2026-03-08T09:00Z",
    fires: {
      "0 2 * * *": "07:00",
      "30 2 * * *": "07:00",
      "0,30 2 * * *": "07:00",
      "*/30 2 * * *": "07:00",
      "30 2-3 * * *": "07:00 07:30",
      "0 2-3 * * *": "07:00",
      "30 * * * *": "04:30 05:30 06:30 07:30 08:30",
      "30 0-23 * * *": "04:30 05:30 06:30 07:30 08:30",
    },
  },
  {
    zone: "America/New_York",
    from: "2026-11-01T03:00Z",
    to: "2026-11-01T09:00Z",
    fires: {
      "30 1 * * *": "05:30",
      "0,30 1 * * *": "05:00 05:30",
      "*/30 1 * * *": "05:00 05:30",
      "30 1-2 * * *": "05:30 07:30",
      "30 * * * *": "03:30 04:30 05:30 06:30 07:30 08:30",
      "0 */1 * * *": "04:00 05:00 06:00 07:00 08:00 09:00",
    },
  },
  {
    zone: "Europe/Berlin",
    from: "2026-03-28T22:00Z",
    to: "2026-03-29T03:00Z",
    fires: {
      "0 2 * * *": "01:00",
      "30 2 * * *": "01:00",
      "0,30 2 * * *": "01:00",
      "30 2-3 * * *": "01:00 01:30",
      "30 * * * *": "22:30 23:30 00:30 01:30 02:30",
    },
  },
  {
    zone: "Europe/Berlin",
    from: "2026-10-24T22:00Z",
    to: "2026-10-25T03:00Z",
    fires: {
      "30 2 * * *": "00:30",
      "0,30 2 * * *": "00:00 00:30",
      "30 2-3 * * *": "00:30 02:30",
      "30 * * * *": "22:30 23:30 00:30 01:30 02:30",
    },
  },
  {
    zone: "Australia/Lord_Howe",
    from: "2026-10-03T13:00Z",
    to: "2026-10-03T17:00Z",
    fires: {
      "0 2 * * *": "15:30",
      "15 2 * * *": "15:30",
      "30 2 * * *": "15:30",
      "0,30 2 * * *": "15:30",
      "30 2-3 * * *": "15:30 16:30",
      "0 2-3 * * *": "15:30 16:00",
      "0 * * * *": "13:30 14:30 16:00 17:00",
      "15 * * * *": "13:45 14:45 16:15",
    },
  },
  {
    zone: "Australia/Lord_Howe",
    from: "2026-04-04T13:00Z",
    to: "2026-04-04T17:00Z",
    fires: {
      "30 1 * * *": "14:30",
      "0,30 1 * * *": "14:00 14:30",
      "30 1-2 * * *": "14:30 16:00",
      "30 * * * *": "13:30 14:30 15:00 16:00 17:00",
      "45 * * * *": "13:45 14:45 15:15 16:15",
    },
  },
];

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe("cron across daylight-saving shifts", () => {
  for (const c of CASES) {
    it(`fires at the hand-computed instants in ${c.zone} from ${c.from}`, () => {
      const got: Record<string, string> = {};
      for (const expr of Object.keys(c.fires)) {
        const spec = parseCron(`CRON_TZ=${c.zone} ${expr}`);
        got[expr] = fireTimesBetween(spec, Date.parse(c.from), Date.parse(c.to)).map(hhmm).join(" ");
      }
      expect(got).toEqual(c.fires);
    });
  }

  it("gives the memoised fire times the step-by-step computation gives, for queries in any order", () => {
    const exprs = CASES.flatMap((c) => Object.keys(c.fires).map((e) => `CRON_TZ=${c.zone} ${e}`));
    const when = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...exprs), when), { minLength: 1, maxLength: 30 }),
        (queries) => {
          for (const [text, t] of queries) {
            const spec = parseCron(text);
            expect(nextFireAfter(spec, t)).toBe(makeFireStepper(spec)(t));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("fires a fixed-time schedule once a day, every day of a year with both shifts", () => {
    for (const zone of ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]) {
      for (const expr of ["30 2 * * *", "0,30 1 * * *", "15 1-2 * * *"]) {
        const spec = parseCron(`CRON_TZ=${zone} ${expr}`);
        const fires = fireTimesBetween(spec, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
        const perDay = expr.startsWith("30") ? 1 : 2;
        expect(fires.length, `${zone} ${expr}`).toBe(365 * perDay);
      }
    }
  });
});

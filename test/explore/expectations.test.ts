// A property expectation that holds only because the run never exercised the property says so, in the gate's and run's words alike, rather than pass as a check that was made.
import { describe, expect, it } from "vitest";
import type { Metrics, Verdict } from "../../src/checks/types.js";
import { judgeExpectation, metricValue } from "../../src/explore/expectations.js";
import { METRIC_PATHS } from "../../src/scenario/vocabulary.js";
import { reportOf, runWorld, smallWorldConfig } from "../world/helpers.js";

const METRICS = {} as Metrics;

function verdict(exercised: boolean | undefined): Verdict {
  return {
    property: "deleted-schedules-cleaned",
    ok: true,
    detail:
      exercised === false
        ? "not exercised: no account was deleted"
        : "every deleted account's schedules were cleaned up",
    events: [],
    ...(exercised === undefined ? {} : { exercised }),
  };
}

describe("judgeExpectation of a property", () => {
  const expectation = {
    kind: "property",
    variant: "fixed",
    property: "deleted-schedules-cleaned",
    holds: true,
  } as const;

  it("passes an unexercised property that must hold, and says it was not exercised and why", () => {
    const r = judgeExpectation(expectation, 0, METRICS, [verdict(false)]);
    expect(r.ok).toBe(true);
    expect(r.message).toBe(
      "deleted-schedules-cleaned holds as expected, but was not exercised in this run: no account was deleted",
    );
    expect(r.actual).toBe("holds (not exercised)");
  });

  it("keeps the plain words for a property the run exercised", () => {
    for (const exercised of [true, undefined]) {
      const r = judgeExpectation(expectation, 0, METRICS, [verdict(exercised)]);
      expect(r.message).toBe("deleted-schedules-cleaned holds as expected");
      expect(r.actual).toBe("holds");
    }
  });

  it("fails an unexercised property that must fail, saying why it held", () => {
    const r = judgeExpectation({ ...expectation, holds: false }, 0, METRICS, [verdict(false)]);
    expect(r.ok).toBe(false);
    expect(r.message).toContain("but it holds: not exercised: no account was deleted");
  });
});

describe("judgeExpectation of a duration metric", () => {
  const bound = (value: number, valueText: string | null, op: "<" | "==" = "<") =>
    ({ kind: "metric", variant: "buggy", metric: "lagP99MsMax", op, value, valueText }) as const;
  const lag = (ms: number) => ({ lagP99MsMax: ms, fullOutageMs: 0 }) as unknown as Metrics;

  it("shows the measure as a duration beside a bound written as one, in terminal, Markdown and JUnit text alike", () => {
    const met = judgeExpectation(bound(900_000, "15m"), 0, lag(634_107), []);
    expect(met.actual).toBe("10m34s");
    expect(met.message).toBe("lagP99MsMax = 10m34s (< 15m)");
    const failed = judgeExpectation(bound(300_000, "5m"), 0, lag(634_107), []);
    expect(failed.actual).toBe("10m34s");
    expect(failed.message).toBe("expected lagP99MsMax < 5m, measured 10m34s");
    const none = judgeExpectation({ ...bound(60_000, "1m"), metric: "fullOutageMs" }, 0, lag(634_107), []);
    expect(none.actual).toBe("0ms");
  });

  it("writes the measure exactly where rounding would make it read as the bound itself", () => {
    const r = judgeExpectation(bound(634_000, "10m34s"), 0, lag(634_107), []);
    expect(r.ok).toBe(false);
    expect(r.message).toBe("expected lagP99MsMax < 10m34s, measured 10m34s107ms");
    expect(judgeExpectation(bound(634_000, "10m34s", "=="), 0, lag(634_000), []).actual).toBe("10m34s");
  });

  it("keeps milliseconds beside a bound written as a number of them", () => {
    const r = judgeExpectation(bound(900_000, null), 0, lag(634_107), []);
    expect(r.actual).toBe("634107");
    expect(r.message).toBe("lagP99MsMax = 634107 (< 900000)");
  });
});

describe("the metrics an expectation may name", () => {
  it("are every one measured by the checks: each path reads a value in a report", () => {
    const { events } = runWorld(smallWorldConfig({ workers: 2, accounts: 4, durationMs: 8 * 60_000 }));
    const metrics = reportOf(events).metrics;
    const unmeasured = METRIC_PATHS.filter((path) => metricValue(metrics, path) === undefined);
    expect(unmeasured, "in METRIC_KINDS (src/scenario/vocabulary.ts) but not in the checks' Metrics").toEqual(
      [],
    );
  });
});

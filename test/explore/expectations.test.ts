// A property expectation that holds only because the run never exercised the property says so, in the gate's and run's words alike, rather than pass as a check that was made.
import { describe, expect, it } from "vitest";
import type { Metrics, Verdict } from "../../src/checks/types.js";
import { judgeExpectation } from "../../src/explore/expectations.js";

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

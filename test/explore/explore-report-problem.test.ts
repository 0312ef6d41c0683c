// Shows that a file given as an explore report is told apart from one by what it lacks or holds: another kind, no version, another version.
import { describe, expect, it } from "vitest";
import { EXPLORE_REPORT_VERSION, exploreReportProblem } from "../../src/explore/explore-report.js";

describe("exploreReportProblem", () => {
  it("says what is wrong in words, never `undefined`", () => {
    const kind = "aftershock.explore";
    expect(exploreReportProblem([])).toBe("not a JSON object");
    expect(exploreReportProblem({ kind: "other" })).toContain('not an explore report (kind is "other"');
    expect(exploreReportProblem({ kind })).toBe(
      `an explore report without its version (expected "version": ${EXPLORE_REPORT_VERSION}): cut short, or not written by aftershock explore --json?`,
    );
    expect(exploreReportProblem({ kind, version: 9 })).toBe(
      `an explore report of version 9, which this aftershock does not read (it reads version ${EXPLORE_REPORT_VERSION}): merge it with the aftershock that wrote it`,
    );
    expect(exploreReportProblem({ kind, version: "1" })).toContain('an explore report of version "1"');
    expect(exploreReportProblem({ kind, version: EXPLORE_REPORT_VERSION })).toBeNull();
  });
});

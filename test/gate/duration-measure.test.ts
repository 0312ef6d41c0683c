// Shows the gate's JUnit and summary write a duration metric's measure as a duration beside a bound written as one, never as a bare count of ms.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, FIXTURES } from "./helpers.js";

describe("a gate expectation on a duration metric", () => {
  it("says what it measured as a duration, in the JUnit failure, the case details and the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-gate-duration-"));
    const source = readFileSync(join(FIXTURES, "fail", "small-false.yaml"), "utf8");
    const scenario = join(dir, "lag.yaml");
    const expectations = [
      "expect:",
      '  - { variant: buggy, metric: lagP99MsMax, op: "<", value: 1s }',
      '  - { variant: buggy, metric: fullOutageMs, op: "<", value: 1h }',
      '  - { variant: buggy, metric: fullOutageMs, op: ">=", value: 0 }',
      "",
    ].join("\n");
    writeFileSync(scenario, `${source.slice(0, source.indexOf("expect:"))}${expectations}`);
    const junit = join(dir, "gate.xml");
    const r = await cli(["gate", scenario, "--junit", junit]);
    expect(r.code, r.err).toBe(1);
    const xml = readFileSync(junit, "utf8");
    const duration = "(?:\\d+h)?(?:\\d+m)?(?:\\d+(?:\\.\\d)?s)?(?:\\d+ms)?";
    expect(xml).toMatch(new RegExp(`<failure message="expected lagP99MsMax &lt; 1s, measured ${duration} `));
    expect(xml).toMatch(new RegExp(`\\nmeasured: ${duration}\\n`));
    expect(xml).not.toMatch(/measured:? \d+[\s"<]/);
    expect(xml).toMatch(new RegExp(`fullOutageMs = ${duration} \\(&lt; 1h\\)`));
    expect(r.out).toMatch(new RegExp(`expected lagP99MsMax < 1s, measured ${duration} `));
    // A bound written in ms: JUnit keeps the message as judged, the terminal writes durations, as run does.
    expect(xml).toMatch(/fullOutageMs = \d+ \(&gt;= 0\)/);
    expect(r.out).toMatch(new RegExp(`fullOutageMs >= 0 +fullOutageMs = ${duration} \\(>= 0ms\\)\n`));
  });
});

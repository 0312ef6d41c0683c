// Shows the gate's terminal, JUnit and Markdown summary write a duration metric's measure as a duration beside a bound written as one, never as a bare count of ms; and that what the gate shows people of an expectation is what `run` shows of it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, FIXTURES } from "./helpers.js";

describe("a gate expectation on a duration metric", () => {
  it("says what it measured as run does, in the terminal, the JUnit failure, the case details and the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-gate-duration-"));
    const source = readFileSync(join(FIXTURES, "fail", "small-false.yaml"), "utf8");
    const scenario = join(dir, "lag.yaml");
    const expectations = [
      "expect:",
      '  - { variant: buggy, metric: lagP99MsMax, op: "<", value: 1s }',
      '  - { variant: buggy, metric: fullOutageMs, op: "<", value: 1h }',
      '  - { variant: buggy, metric: fullOutageMs, op: ">=", value: 0 }',
      '  - { variant: buggy, metric: firstPanicAt, op: "<=", value: "09:55" }',
      "",
    ].join("\n");
    writeFileSync(scenario, `${source.slice(0, source.indexOf("expect:"))}${expectations}`);
    const junit = join(dir, "gate.xml");
    const markdown = join(dir, "gate.md");
    const r = await cli(["gate", scenario, "--junit", junit, "--markdown", markdown]);
    expect(r.code, r.err).toBe(1);
    const xml = readFileSync(junit, "utf8");
    const md = readFileSync(markdown, "utf8");
    const duration = "(?:\\d+h)?(?:\\d+m)?(?:\\d+(?:\\.\\d)?s)?(?:\\d+ms)?";
    expect(xml).toMatch(new RegExp(`<failure message="expected lagP99MsMax &lt; 1s, measured ${duration} `));
    expect(xml).toMatch(new RegExp(`\\nmeasured: ${duration}\\n`));
    expect(xml).not.toMatch(/measured:? \d+[\s"<]/);
    expect(xml).toMatch(new RegExp(`fullOutageMs = ${duration} \\(&lt; 1h\\)`));
    expect(r.out).toMatch(new RegExp(`expected lagP99MsMax < 1s, measured ${duration} `));
    // A bound written in ms: the measure stays in ms, as the scenario wrote the bound, everywhere.
    expect(xml).toMatch(/fullOutageMs = \d+ \(&gt;= 0\)/);
    expect(r.out).toMatch(/fullOutageMs >= 0 +fullOutageMs = \d+ \(>= 0\)\n/);
    expect(md).toMatch(/fullOutageMs = \d+ \(&gt;= 0\)/);
    // A time: ISO in JUnit (a tool reads it), the run's clock where people read it.
    expect(xml).toMatch(/firstPanicAt = 2026-05-08T\d\d:\d\d:\d\d\.\d{3}Z \(&lt;= 09:55\)/);
    const panicAt = /firstPanicAt = (\d\d:\d\d:\d\d(?:\.\d{3})?) \(<= 09:55\)\n/.exec(r.out)?.[1];
    expect(panicAt, r.out).toBeDefined();
    expect(md).toContain(`firstPanicAt = ${panicAt} (&lt;= 09:55)`);
    expect(md).not.toMatch(/firstPanicAt = 2026/);

    // `run` of the same variant writes each measure as the gate wrote it.
    const run = await cli(["run", scenario, "--variant", "buggy"]);
    const outage = /fullOutageMs >= 0 +fullOutageMs = (\d+) /.exec(r.out)?.[1];
    expect(run.out).toMatch(new RegExp(`fullOutageMs >= 0 +measured ${outage}\n`));
    expect(run.out).toMatch(new RegExp(`firstPanicAt <= 09:55 +measured ${panicAt}\n`));
  });
});

// Shows that the options given a bundled scheduler are checked where written (known names, numbers in range, the counts whole), that the README lists them so, and that a module's stay free-form.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssues, parseScenario, type ScenarioIssue } from "../../src/scenario/index.js";
import { BUNDLED_SCHEDULER_OPTIONS, optionRangeText } from "../../src/schedulers/options.js";

const HEAD = "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\n";

/** The scenario's issues, its warnings included (the only ones of a scenario that runs). */
function issuesOf(text: string): readonly ScenarioIssue[] {
  const result = parseScenario(HEAD + text, "s.yaml");
  return result.ok ? result.warnings : result.issues;
}

describe("options of the bundled schedulers", () => {
  it("refuses a loop period of 0 or less, which would spin at one instant until the event limit", () => {
    for (const tickMs of ["0", "-5"]) {
      const issues = issuesOf(`scheduler:\n  options: { tickMs: ${tickMs} }\n`);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        line: 6,
        column: 22,
        path: ["scheduler", "options", "tickMs"],
        code: "out-of-range",
        expected: "a number, 1 or more",
        found: tickMs,
      });
      expect(issues[0].message).toBe(
        "scheduler.options.tickMs: must be 1 or more (tickMs is the scheduler loop's period, in milliseconds)",
      );
    }
    // A fraction is a period as good as a whole number: taken. A count must be whole: v1 claims
    // with its batch as a limit, which a fraction fails every time.
    expect(issuesOf("scheduler: { options: { refreshMs: 1.5 } }\n")).toEqual([]);
    for (const count of ["v1BatchMax: 1.5", "panicAttemptsMax: 2.5"]) {
      const [issue] = issuesOf(`scheduler: { version: v1, options: { ${count} } }\n`);
      expect(issue, count).toMatchObject({
        code: "out-of-range",
        expected: "a whole number from 1 to 9007199254740991",
      });
      expect(issue.message, count).toMatch(/must be a whole number/);
    }
    // A count too large for a double to hold exactly is whole, but not the count written.
    const [huge] = issuesOf("scheduler: { options: { panicAttemptsMax: 1e20 } }\n");
    expect(huge).toMatchObject({ code: "out-of-range", found: "1e20" });
    expect(huge.message).toMatch(/^scheduler\.options\.panicAttemptsMax: must be 9007199254740991 or less /);
    // Infinity is the schema's to refuse, with no warning beside it.
    const infinite = issuesOf("scheduler: { options: { refreshMs: 1e400 } }\n");
    expect(infinite.map((i) => i.severity ?? "error")).toEqual(["error"]);
  });

  it("warns of a number written as text, which they take their default for, and of a name they do not read, each with the fix", () => {
    const issues = issuesOf(
      'scheduler: { version: v2, options: { panicAttemptsMax: "5", panicAttemptMax: 5 } }\n',
    );
    expect(issues.map((i) => [i.line, i.column, i.severity, i.code, i.path.join("."), i.suggestion])).toEqual(
      [
        [5, 56, "warning", "wrong-type", "scheduler.options.panicAttemptsMax", "5"],
        [5, 61, "warning", "unknown-key", "scheduler.options.panicAttemptMax", "panicAttemptsMax"],
      ],
    );
    expect(issues[0].message).toBe(
      "scheduler.options.panicAttemptsMax: not a number, so the bundled schedulers take their default (3) (panicAttemptsMax is the attempts of a panicking task before v2 quarantines its schedule)",
    );
    expect(issues[1].message).toBe(
      'scheduler.options: unknown option "panicAttemptMax" of the bundled schedulers, which ignore it (a scheduler module run in v2\'s place with --scheduler reads its options as its own)',
    );
    // A name the bundled schedulers do not read runs (a module in v2's place may read it).
    const result = parseScenario(`${HEAD}scheduler: { version: v2, options: { knob: 7 } }\n`, "s.yaml");
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((w) => w.path.join("."))).toEqual(["scheduler.options.knob"]);
    // Names every object has are names like any other: not options of the bundled schedulers.
    const inherited = parseScenario(
      `${HEAD}scheduler: { version: v2, options: { constructor: 0, toString: 1 } }\n`,
      "s.yaml",
    );
    expect(inherited.ok && inherited.warnings.map((w) => w.path.join("."))).toEqual([
      "scheduler.options.constructor",
      "scheduler.options.toString",
    ]);
  });

  it("checks the options of a deploy of a bundled scheduler, and takes every bundled option whichever version runs", () => {
    const deploy = (options: string, what = "scheduler: v1") =>
      issuesOf(`timeline:\n  - { at: "+1m", action: deploy, ${what}, options: ${options} }\n`);
    expect(deploy("{ v1BatchMx: 3 }").map((i) => i.suggestion)).toEqual(["v1BatchMax"]);
    // A variant may run the other version with the same options.
    expect(deploy("{ v1BatchMax: 3, refreshMs: 5000, panicRetryBaseMs: 0 }")).toEqual([]);
    expect(deploy("{ anything: text }", "module: ./m.js")).toEqual([]);
  });

  it("leaves a scheduler module's options free-form", () => {
    const result = parseScenario(
      `${HEAD}scheduler: { module: ./m.js, options: { tickMs: 0, mode: fast } }\n`,
      "s.yaml",
    );
    expect(result.ok, result.ok ? "" : formatIssues(result.issues)).toBe(true);
  });

  it("knows exactly the options the bundled schedulers read", () => {
    const read = ["v1", "v2"].flatMap((v) =>
      [
        ...readFileSync(`src/schedulers/${v}.ts`, "utf8").matchAll(
          /numberOption\(rt\.options, "(\w+)", ([\d_]+)\)/g,
        ),
      ].map((m): [string, number] => [m[1], Number(m[2].replaceAll("_", ""))]),
    );
    expect(Object.keys(BUNDLED_SCHEDULER_OPTIONS).sort()).toEqual([...new Set(read.map(([n]) => n))].sort());
    // With the defaults the warnings say they take.
    for (const [name, fallback] of read) expect(BUNDLED_SCHEDULER_OPTIONS[name].default, name).toBe(fallback);
  });

  it("are listed in the README as they are checked: each default, range, and whether it is whole", () => {
    const readme = readFileSync("README.md", "utf8");
    const rows = [
      ...readme.matchAll(/^\| `(\w+)` \| (\d+) \| .*\(((?:a whole number|a number)[^()]*)\) \|$/gm),
    ];
    expect(rows.map((m) => m[1]).sort()).toEqual(Object.keys(BUNDLED_SCHEDULER_OPTIONS).sort());
    for (const [, name, fallback, range] of rows) {
      const option = BUNDLED_SCHEDULER_OPTIONS[name];
      expect([Number(fallback), range], name).toEqual([option.default, optionRangeText(option)]);
    }
  });
});

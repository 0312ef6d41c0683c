// Shows the programmatic API: runScenario and compareVariants return data, and bad text becomes a ScenarioError.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  bundledSchedulers,
  compareVariants,
  DEFAULT_PROPERTIES,
  explore,
  generators,
  parseScenario,
  runScenario,
  type Scenario,
  ScenarioError,
  type SchedulerFactory,
} from "../../src/index.js";
import { cli as runCli } from "../explore/cli-helpers.js";

const TINY = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");

describe("programmatic API", () => {
  it("runs a scenario from its text and judges the variant's expectations", () => {
    const { report, expectations } = runScenario(TINY, { variant: "buggy" }, "tiny.yaml");
    expect(report.metrics.cascade).toBe(true);
    expect(expectations.map((e) => [e.name, e.ok])).toEqual([["no-cascade fails", true]]);
    const again = runScenario(TINY, { variant: "buggy" }, "tiny.yaml");
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
  });

  it("runs a scenario as its own scheduler's variant, as run does: the same report, its expectations judged", async () => {
    const file = join(import.meta.dirname, "..", "..", "scenarios", "quiet-day.yaml");
    const { report, expectations } = runScenario(readFileSync(file, "utf8"), {}, file);
    const cli = await runCli("run", file, "--json");
    expect(JSON.stringify(report)).toBe(JSON.stringify(JSON.parse(cli.out)));
    expect(report.variant.name).toBe("buggy");
    // Its expectations of the buggy variant, each judged: none skipped for want of a variant name.
    const parsed = parseScenario(readFileSync(file, "utf8"), file);
    if (!parsed.ok) throw new Error("quiet-day.yaml does not parse");
    const own = parsed.scenario.expect.filter((e) => e.variant === "buggy");
    expect(own.length).toBeGreaterThan(0);
    expect(expectations).toHaveLength(own.length);
    for (const e of expectations) expect(e.ok, e.name).toBe(true);
  });

  it("judges no expectation of a run cut short, by untilMs or a limit, as run does", () => {
    const start = parseScenario(TINY, "tiny.yaml");
    if (!start.ok) throw new Error("tiny.yaml does not parse");
    const untilMs = start.scenario.startMs + 60_000;
    const cut = runScenario(TINY, { variant: "buggy", untilMs }, "tiny.yaml").expectations;
    expect(cut.length).toBeGreaterThan(0);
    for (const e of cut) expect(e.notJudged).toMatch(/^untilMs stops the run before the scenario's end/);
    const limited = runScenario(`${TINY}limits: { maxEvents: 4300 }\n`, { variant: "buggy" }, "tiny.yaml");
    expect(limited.report.run.judged).toBe(false);
    for (const e of limited.expectations)
      expect(e.notJudged).toMatch(/^a limit stopped the run early \(hit the event limit/);
    // A whole run is judged.
    for (const e of runScenario(TINY, { variant: "buggy" }, "tiny.yaml").expectations)
      expect(e.notJudged).toBeUndefined();
  });

  it("honours seed and until", () => {
    const base = runScenario(TINY, { variant: "fixed" }).report;
    const seeded = runScenario(TINY, { variant: "fixed", seed: 99 }).report;
    expect(seeded.seed).toBe(99);
    expect(seeded.traceHash).not.toBe(base.traceHash);
    const cut = runScenario(TINY, { variant: "fixed", untilMs: Date.parse("2026-05-08T09:45:00Z") }).report;
    expect(cut.run.end).toBe("2026-05-08T09:45:00.000Z");
    expect(cut.events).toBeLessThan(base.events);
  });

  it("compares variants on one world and finds the divergence after the deletion", () => {
    const { reports, divergence } = compareVariants(TINY, ["buggy", "fixed"]);
    expect(reports.map((r) => r.variant.name)).toEqual(["buggy", "fixed"]);
    expect(divergence).not.toBeNull();
    expect(divergence!.t).toBeGreaterThanOrEqual(Date.parse("2026-05-08T09:42:30Z"));
  });

  it("throws a ScenarioError carrying every issue for bad text", () => {
    try {
      runScenario("name: x\nstart: nope\n", {}, "bad.yaml");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).issues.length).toBeGreaterThan(1);
      expect((error as ScenarioError).issues[0].file).toBe("bad.yaml");
    }
  });

  it("refuses a seed or an end the CLI would refuse, and an empty list of variants", () => {
    for (const seed of [-1, 1.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => runScenario(TINY, { variant: "fixed", seed }), String(seed)).toThrow(
        /^seed: expected a whole number from 0 to 2\^53 - 1, found /,
      );
    const start = Date.parse("2026-05-08T09:40:00Z"); // tiny.yaml's start
    for (const untilMs of [start - 1, start, Number.NaN, start + 60_000.5, start + 999 * 60_000])
      expect(() => runScenario(TINY, { variant: "fixed", untilMs }), String(untilMs)).toThrow(
        /^untilMs: expected a time in whole ms after the run's start, up to its end \(2026-05-08T09:40:00.000Z \.\. /,
      );
    expect(() => compareVariants(TINY, [])).toThrow(/^variants: name at least one variant/);
  });

  it("says how to pass a scenario's own scheduler module, which it cannot load itself", () => {
    const own = `${TINY}\nscheduler: { module: ./mine.mjs }\n`; // tiny.yaml names no scheduler
    expect(() => runScenario(own, {}, "own.yaml")).toThrow(
      'unknown scheduler "module:./mine.mjs" (known: v1, v2); load the module and pass it in the run\'s `schedulers` under the name "module:./mine.mjs"',
    );
  });

  it("does what the README's example does: explore generated worlds, and run a module's scenario", async () => {
    const { failures } = await explore({
      plan: {
        mode: "generated",
        variant: "early-return",
        properties: DEFAULT_PROPERTIES,
        constraints: generators.sized(generators.PROPERTY_SIZED),
        seed: 1,
      },
      runs: 20,
      shrinkFailuresMax: 0,
    });
    expect(failures.length).toBeGreaterThan(0);
    const own = `${TINY}\nscheduler: { module: ./mine.mjs, fixes: [early-return, panic-recovery] }\n`;
    // As a user imports their module: the example's (JavaScript, so typed here by hand).
    const example = join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs");
    const { scheduler } = (await import(example)) as { scheduler: SchedulerFactory };
    const schedulers = bundledSchedulers().set("module:./mine.mjs", scheduler);
    const { report } = runScenario(own, { schedulers }, "own.yaml");
    expect(report.variant).toEqual({
      name: null,
      scheduler: "module:./mine.mjs",
      fixes: ["early-return", "panic-recovery"],
    });
  });

  it("refuses an exploration plan the CLI's flags would refuse, before any run", async () => {
    const plan = {
      mode: "generated" as const,
      variant: "fixed" as const,
      properties: DEFAULT_PROPERTIES,
      constraints: generators.sized(generators.PROPERTY_SIZED),
      seed: 1,
    };
    await expect(explore({ plan: { ...plan, variant: "nope" as "fixed" }, runs: 1 })).rejects.toThrow(
      /^plan\.variant: "nope" is no variant \(buggy, fixed, early-return, panic-recovery, v1\)$/,
    );
    await expect(
      explore({ plan: { ...plan, properties: ["bogus" as "no-cascade"] }, runs: 1 }),
    ).rejects.toThrow(/^plan\.properties: no property "bogus" \(no-cascade, /);
    await expect(explore({ plan, runs: 0 })).rejects.toThrow(/^runs: expected a whole number ≥ 1, found 0$/);
    await expect(explore({ plan: { ...plan, seed: -1 }, runs: 1 })).rejects.toThrow(
      /^plan\.seed: expected a whole number from 0 to 2\^53 - 1, found -1$/,
    );
    await expect(explore({ plan, runs: 2, shard: { index: 5, count: 2 } })).rejects.toThrow(
      /^shard: expected index from 1 to count \(--shard i\/n\), found 5\/2$/,
    );
    // A budget without a clock would be ignored in silence (the library reads no real clock).
    await expect(explore({ plan, runs: 1, timeBudgetMs: 500 })).rejects.toThrow(
      /^timeBudgetMs needs wallClock, the real clock to hold it to/,
    );
    await expect(explore({ plan, runs: 1, shrinkTimeMsMax: 500 })).rejects.toThrow(
      /^shrinkTimeMsMax needs wallClock/,
    );
    const clocked = await explore({ plan, runs: 1, timeBudgetMs: 60_000, wallClock: () => 0 });
    expect(clocked.completed).toBe(1);
  });

  it("says so when given parseScenario's result in place of its scenario", () => {
    const parsed = parseScenario(TINY, "tiny.yaml");
    expect(parsed.ok).toBe(true);
    const slip = parsed as unknown as Scenario; // as plain JavaScript would pass it
    expect(() => runScenario(slip)).toThrow(
      /^source: parseScenario's result, not a Scenario: pass its `scenario` \(or the text\)$/,
    );
    expect(() => compareVariants(slip)).toThrow(/^source: parseScenario's result/);
    // A failed parse passed on throws its issues, as the text would.
    const bad = parseScenario("name: x\nstart: nope\n", "bad.yaml");
    expect(() => runScenario(bad as unknown as Scenario)).toThrow(ScenarioError);
    expect(() => runScenario(null as unknown as Scenario)).toThrow(/^source: expected a scenario's text/);
    if (parsed.ok) expect(runScenario(parsed.scenario, { variant: "fixed" }).report.run.judged).toBe(true);
  });
});

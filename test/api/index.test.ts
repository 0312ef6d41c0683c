// Shows the programmatic API: runScenario and compareVariants return data, and bad text becomes a ScenarioError.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyVariant,
  bundledSchedulers,
  type CompiledScenario,
  compareRuns,
  compareVariants,
  compileScenario,
  DEFAULT_PROPERTIES,
  type ExploreFailure,
  type ExploreTarget,
  explore,
  exploreReport,
  type FaultKindTally,
  generators,
  type MergeResult,
  mergeExploreReports,
  parseScenario,
  runScenario,
  runWorld,
  type Scenario,
  ScenarioError,
  type SchedulerFactory,
  type Shard,
  type StoppedFirst,
  type WrittenReproducer,
  withEnd,
  withSeed,
} from "../../src/index.js";
import { VARIANT_NAMES } from "../../src/scenario/variants.js";
import { cli as runCli } from "../explore/cli-helpers.js";
import { spyRegistry } from "./spy-registry.js";

const TINY = readFileSync(join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml"), "utf8");

/** A plan exploring generated worlds of `constraints` with the fixed variant, every property. */
function fixedPlan(constraints: generators.ScenarioConstraints, seed: number) {
  return {
    mode: "generated" as const,
    variant: "fixed" as const,
    properties: DEFAULT_PROPERTIES,
    constraints,
    seed,
  };
}

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
    // `run --json` is the report and, after it, the expectations the API returns beside it,
    // byte for byte as the README says to write them.
    expect(`${JSON.stringify({ ...report, expectations }, null, 2)}\n`).toBe(cli.out);
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
    const { reports, divergence, stoppedFirst, stops } = compareVariants(TINY, ["buggy", "fixed"]);
    expect(reports.map((r) => r.variant.name)).toEqual(["buggy", "fixed"]);
    expect(divergence).not.toBeNull();
    // Typed with the exported StoppedFirst (the typecheck shows it is exported): neither stopped.
    const stopsTyped: readonly StoppedFirst[] = stops;
    expect([stoppedFirst, stopsTyped]).toEqual([null, []]);
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

  it("refuses a fix the scenario gives its module that the module does not list, at its line, as run refuses it", async () => {
    const own = `${TINY}\nscheduler: { module: ./mine.mjs, fixes: [early-retrun] }\n`;
    const { schedulers, made } = await spyRegistry("module:./mine.mjs");
    const said = 'own.yaml:21:42: scheduler.fixes[0]: ./mine.mjs has no fix "early-retrun"';
    expect(() => runScenario(own, { schedulers }, "own.yaml")).toThrow(ScenarioError);
    expect(() => runScenario(own, { schedulers }, "own.yaml")).toThrow(said);
    expect(() => compareVariants(own, ["fixed"], { schedulers }, "own.yaml")).toThrow(said);
    // Only the registry's check of create ran: no run gave the module a fix it does not know.
    expect(made.flat()).not.toContain("early-retrun");
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
      new RegExp(`^plan\\.variant: "nope" is no variant \\(${VARIANT_NAMES.join(", ")}\\)$`),
    );
    // A name near one is said, as the CLI's --variant and run's options.variant say it.
    await expect(explore({ plan: { ...plan, variant: "fixd" as "fixed" }, runs: 1 })).rejects.toThrow(
      new RegExp(
        `^plan\\.variant: "fixd" is no variant \\(${VARIANT_NAMES.join(", ")}\\) — did you mean fixed\\?$`,
      ),
    );
    await expect(
      explore({ plan: { ...plan, properties: ["bogus" as "no-cascade"] }, runs: 1 }),
    ).rejects.toThrow(/^plan\.properties: no property "bogus" \(no-cascade, /);
    // A name near one is said, as the CLI's --properties says it.
    await expect(
      explore({ plan: { ...plan, properties: ["no-cascde" as "no-cascade"] }, runs: 1 }),
    ).rejects.toThrow(
      /^plan\.properties: no property "no-cascde" \(no-cascade, .*\) — did you mean no-cascade\?$/,
    );
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
      "source: expected a scenario's text or a parsed Scenario, found parseScenario's result: pass its `scenario` (when `ok`)",
    );
    expect(() => compareVariants(slip)).toThrow(/^source: expected .*, found parseScenario's result/);
    // A failed parse passed on throws its issues, as the text would.
    const bad = parseScenario("name: x\nstart: nope\n", "bad.yaml");
    expect(() => runScenario(bad as unknown as Scenario)).toThrow(ScenarioError);
    expect(() => runScenario(null as unknown as Scenario)).toThrow(/^source: expected a scenario's text/);
    if (parsed.ok) expect(runScenario(parsed.scenario, { variant: "fixed" }).report.run.judged).toBe(true);
  });

  it("says what was given in place of a scenario, a compiled one or a list of variants, in words, not as a property read", () => {
    const doc = fc.sample(generators.scenarioArbitrary(generators.TEST_SIZED), { seed: 1, numRuns: 1 })[0];
    const asScenario = doc as unknown as Scenario;
    const documentSaid =
      "found a scenario document (a file's data): pass generators.compileDocument(doc).scenario (when `ok`), or parseScenario of its text";
    expect(() => runScenario(asScenario)).toThrow(TypeError);
    expect(() => runScenario(asScenario)).toThrow(documentSaid);
    expect(() => compareVariants(asScenario)).toThrow(documentSaid);
    expect(() => compileScenario(asScenario)).toThrow(
      `scenario: expected a parsed Scenario, ${documentSaid}`,
    );
    const wrapped = generators.compileDocument(doc);
    expect(wrapped.ok).toBe(true);
    // Its `scenario` makes it look like parseScenario's result: it is named as what it is.
    expect(() => runScenario(wrapped as unknown as Scenario)).toThrow(
      "source: expected a scenario's text or a parsed Scenario, found compileDocument's result: pass its `scenario` (when `ok`)",
    );
    if (wrapped.ok) expect(runScenario(wrapped.scenario, { variant: "fixed" }).report.run.judged).toBe(true);
    expect(() => runWorld(wrapped as unknown as CompiledScenario)).toThrow(
      "input: expected a compiled scenario (compileScenario's result), found compileDocument's result: pass its `compiled` (when `ok`)",
    );
    if (!wrapped.ok) return;
    const unknown = applyVariant(wrapped.compiled, "bogus");
    expect(unknown).toBeNull();
    expect(() => runWorld(unknown!)).toThrow(
      "input: expected a compiled scenario (compileScenario's result), found null (applyVariant gives null for a name that is no variant)",
    );
    expect(() => compareVariants(TINY, "fixed" as unknown as string[])).toThrow(
      'variants: expected a list of variant names, e.g. ["buggy", "fixed"], found "fixed"',
    );
    // The compiled document runs.
    expect(runWorld(wrapped.compiled).report.run.judged).toBe(true);
  });

  it("says a file's path given in place of its text is one, with how to read it", () => {
    const said =
      'source: expected a scenario\'s text or a parsed Scenario, found a file\'s path ("scenarios/quiet-day.yaml"): the library reads no file, pass its text (readFileSync(path, "utf8")) and the path as fileName';
    expect(() => runScenario("scenarios/quiet-day.yaml")).toThrow(new TypeError(said));
    expect(() => compareVariants("scenarios/quiet-day.yaml")).toThrow(new TypeError(said));
    expect(() => runScenario("/home/me/proj/own.yml")).toThrow(
      /found a file's path \("\/home\/me\/proj\/own.yml"\)/,
    );
    // A one-line mapping is a scenario's text, its issues said as such.
    expect(() => runScenario("name: own.yaml")).toThrow(ScenarioError);
  });

  it("parseScenario refuses what is not its text or its file's name, saying which, not failing inside the parser", () => {
    const bytes = Buffer.from(TINY) as unknown as string; // readFileSync(path) without "utf8"
    const asBytes =
      'text: expected the scenario\'s YAML or JSON text, found a Buffer (bytes, not text): read the file as text, readFileSync(path, "utf8")';
    expect(() => parseScenario(bytes, "tiny.yaml")).toThrow(new TypeError(asBytes));
    expect(() => parseScenario(undefined as unknown as string, "tiny.yaml")).toThrow(
      new TypeError("text: expected the scenario's YAML or JSON text, found undefined"),
    );
    // Without a name, its issues would be placed in `undefined`, and its Scenario refused later.
    const unnamed = 'fileName: expected the name of the file the text is from (e.g. "own.yaml"), found';
    expect(() => (parseScenario as (text: string) => unknown)(TINY)).toThrow(
      new TypeError(`${unnamed} undefined`),
    );
    expect(() => parseScenario(TINY, { caps: {} } as unknown as string)).toThrow(
      new TypeError(`${unnamed} an object with \`caps\``),
    );
    // runScenario says a Buffer as parseScenario does.
    expect(() => runScenario(bytes)).toThrow(
      /^source: expected a scenario's text or a parsed Scenario, found a Buffer \(bytes, not text\): read the file as text, readFileSync\(path, "utf8"\)$/,
    );
  });

  it("parseScenario refuses options and caps of the wrong shape naming them, not reading them as none", () => {
    const parse = (options: unknown) => () =>
      parseScenario(TINY, "tiny.yaml", options as Parameters<typeof parseScenario>[2]);
    const capsAre =
      "options.caps: expected { schedulesMax, eventsMax, memoryBytesMax, textCharsMax }, each a whole number ≥ 1 (any left out takes its default), found";
    expect(parse({ caps: 5 })).toThrow(new TypeError(`${capsAre} 5`));
    expect(parse({ caps: null })).toThrow(new TypeError(`${capsAre} null`));
    expect(parse({ caps: [1] })).toThrow(new TypeError(`${capsAre} an array`));
    expect(parse({ caps: { schedulsMax: 10 } })).toThrow(
      new TypeError("options.caps.schedulsMax: no such cap — did you mean schedulesMax?"),
    );
    const wanted = `expected a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER for no cap), found`;
    expect(parse({ caps: { schedulesMax: "10" } })).toThrow(
      new TypeError(`options.caps.schedulesMax: ${wanted} "10"`),
    );
    expect(parse({ caps: { schedulesMax: null } })).toThrow(
      new TypeError(`options.caps.schedulesMax: ${wanted} null`),
    );
    expect(parse({ caps: { schedulesMax: Number.NaN } })).toThrow(
      new RangeError(`options.caps.schedulesMax: ${wanted} NaN`),
    );
    expect(parse({ caps: { eventsMax: 1.5 } })).toThrow(
      new RangeError(`options.caps.eventsMax: ${wanted} 1.5`),
    );
    expect(parse({ caps: { memoryBytesMax: 0 } })).toThrow(RangeError);
    expect(parse(5)).toThrow(new TypeError("options: expected { caps, seed }, found 5"));
    expect(parse({ cap: {} })).toThrow(new TypeError("options.cap: no such option — did you mean caps?"));
    // Left out, or undefined as a spread leaves them, they take their defaults.
    expect(parse({ caps: { textCharsMax: undefined }, seed: undefined })().ok).toBe(true);
    expect(parse({ caps: { schedulesMax: 10 } })().ok).toBe(false);
  });

  it("parseScenario refuses a seed option it does not take, which judged the names of ids at no seed", () => {
    // Each was taken without a word, and the ids the file names judged at no seed that runs.
    const parse = (seed: unknown) => () =>
      parseScenario(TINY, "tiny.yaml", { seed } as Parameters<typeof parseScenario>[2]);
    const expected =
      'options.seed: expected a seed (a whole number from 0 to 2^53 - 1), "every-seed" or a sweep { first, count }, found';
    expect(parse("3")).toThrow(new TypeError(`${expected} "3"`));
    expect(parse(null)).toThrow(new TypeError(`${expected} null`));
    expect(parse(-1)).toThrow(
      new RangeError("options.seed: expected a whole number from 0 to 2^53 - 1, found -1"),
    );
    expect(parse(1.5)).toThrow(RangeError);
    expect(parse({ first: "a", count: 2 })).toThrow(
      new TypeError('options.seed.first: expected a whole number from 0 to 2^53 - 1, found "a"'),
    );
    expect(parse({ count: 0 })).toThrow(
      new RangeError("options.seed.count: expected the number of seeds, a whole number ≥ 1, found 0"),
    );
    for (const seed of [3, "every-seed", { count: 2 }, { first: 4, count: 2 }, undefined])
      expect(parse(seed)().ok, JSON.stringify(seed)).toBe(true);
  });

  it("says text given in place of a scenario quoted and cut short, with what to do with it", () => {
    const file = readFileSync(
      join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml"),
      "utf8",
    );
    const messageOf = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        return (error as Error).message;
      }
      throw new Error("expected a TypeError");
    };
    const world = messageOf(() => runWorld(file as unknown as CompiledScenario));
    expect(world).toBe(
      'input: expected a compiled scenario (compileScenario\'s result), found text ("# yaml-language-server: $schema=../schema/scenario.schema..."): parse and compile it (compileScenario), or run it with runScenario',
    );
    const long = messageOf(() => compileScenario("x".repeat(20_000) as unknown as Scenario));
    expect(long).toBe(
      `scenario: expected a parsed Scenario, found text ("${"x".repeat(57)}..."): parse it (parseScenario), or run it with runScenario`,
    );
    expect(long.length).toBeLessThan(200);
  });

  it("makes and merges explore reports from outcomes, as the README says, with the types exported", async () => {
    const plan = fixedPlan(generators.TEST_SIZED, 3);
    const target: ExploreTarget = {
      mode: "generated",
      scenario: "generated",
      source: null,
      variant: "fixed",
      seed: 3,
      runs: 4,
      properties: DEFAULT_PROPERTIES,
      constraints: generators.TEST_SIZED,
    };
    const reports = [];
    for (const index of [1, 2]) {
      const shard: Shard = { index, count: 2 };
      const outcome = await explore({ plan, runs: 4, shard });
      // Typed with the exported FaultKindTally (the typecheck shows it is exported).
      const byKind: Readonly<Record<string, FaultKindTally>> = outcome.faultsByKind;
      for (const tally of Object.values(byKind)) expect(tally.fired).toBeLessThanOrEqual(tally.planned);
      const written = new Map<ExploreFailure, WrittenReproducer>();
      reports.push(exploreReport(target, shard, outcome, written));
    }
    expect(reports.map((r) => r.completed)).toEqual([2, 2]);
    const merged: MergeResult = mergeExploreReports(reports, ["one.json", "two.json"]);
    expect(merged.ok && merged.report.completed).toBe(4);
    expect(merged.ok && merged.report.shards).toEqual({ count: 2, present: [1, 2], missing: [] });
  });

  it("refuses a seed or an end that the CLI would refuse, in withSeed and withEnd too", () => {
    const parsed = parseScenario(TINY, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const compiled = compileScenario(parsed.scenario);
    for (const seed of [Number.NaN, -1, 1.5])
      expect(() => withSeed(compiled, seed), String(seed)).toThrow(
        `seed: expected a whole number from 0 to 2^53 - 1, found ${String(seed)}`,
      );
    const { startMs, durationMs } = compiled.config;
    for (const until of [Number.NaN, startMs - 1000, startMs, startMs + durationMs + 1])
      expect(() => withEnd(compiled, until), String(until)).toThrow(
        /^untilMs: expected a time in whole ms after the run's start, up to its end/,
      );
    expect(withEnd(compiled, startMs + 60_000).config.durationMs).toBe(60_000);
    expect(withEnd(compiled, startMs + durationMs).config.durationMs).toBe(durationMs);
  });

  it("refuses a parsed Scenario in withSeed, applyVariant and withEnd, as runWorld does, not later in the world", () => {
    const parsed = parseScenario(TINY, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const asCompiled = parsed.scenario as unknown as CompiledScenario;
    const found = "found a parsed Scenario: compile it first (compileScenario), or run it with runScenario";
    expect(() => runWorld(asCompiled)).toThrow(
      `input: expected a compiled scenario (compileScenario's result), ${found}`,
    );
    const said = `compiled: expected a compiled scenario (compileScenario's result), ${found}`;
    for (const [name, call] of [
      ["withSeed", () => withSeed(asCompiled, 1)],
      ["applyVariant", () => applyVariant(asCompiled, "fixed")],
      ["withEnd", () => withEnd(asCompiled, parsed.scenario.startMs + 60_000)],
    ] as const) {
      expect(call, name).toThrow(TypeError);
      expect(call, name).toThrow(said);
    }
    // applyVariant's null for a name that is no variant, passed on.
    expect(() => withSeed(applyVariant(compileScenario(parsed.scenario), "bogus")!, 1)).toThrow(
      "compiled: expected a compiled scenario (compileScenario's result), found null (applyVariant gives null for a name that is no variant)",
    );
  });

  it("refuses one compiled scenario in compareRuns in place of a list, saying to put it in one", () => {
    const parsed = parseScenario(TINY, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const compiled = compileScenario(parsed.scenario);
    const expected =
      'inputs: expected a list of compiled scenarios (compileScenario\'s results, e.g. [applyVariant(c, "buggy"), applyVariant(c, "fixed")]), found';
    const one = () => compareRuns(compiled as unknown as CompiledScenario[]);
    expect(one).toThrow(TypeError);
    expect(one).toThrow(`${expected} a compiled scenario: put it in a list, [compiled]`);
    expect(() => compareRuns("fixed" as unknown as CompiledScenario[])).toThrow(`${expected} "fixed"`);
    // In a list, it runs.
    expect(compareRuns([compiled]).reports).toHaveLength(1);
  });

  it("refuses run and job counts the CLI's flags would refuse, saying what was given", async () => {
    const plan = fixedPlan(generators.TEST_SIZED, 1);
    await expect(explore({ plan, runs: "3" as unknown as number })).rejects.toThrow(
      'runs: expected a whole number ≥ 1, found "3"',
    );
    for (const jobs of [0, 1.5])
      await expect(explore({ plan, runs: 1, jobs })).rejects.toThrow(
        `jobs: expected a whole number ≥ 1, found ${jobs}`,
      );
  });

  it("refuses generator constraints that would make other documents than they say, or none a scenario file takes", async () => {
    const bad: [generators.ScenarioConstraints, string][] = [
      [
        { variant: "bogus" as "fixed" },
        `constraints.variant: expected one of ${VARIANT_NAMES.join(", ")}, found "bogus"`,
      ],
      [
        { start: "yesterday" },
        'constraints.start: expected an ISO instant such as 2026-05-08T09:30:00Z, found "yesterday"',
      ],
      [
        { fleet: { workersMin: 6, workersMax: 2 } },
        "constraints.fleet.workersMin (6) is above constraints.fleet.workersMax (2)",
      ],
      [
        { durationMsMin: 60 * 60_000, durationMsMax: 30 * 60_000 },
        "constraints.durationMsMin (3600000) is above constraints.durationMsMax (1800000)",
      ],
      [
        { timeline: { mustDelete: { atMsMin: 60_000, atMsMax: 1000 } } },
        "constraints.timeline.mustDelete.atMsMin (60000) is above constraints.timeline.mustDelete.atMsMax (1000)",
      ],
      [
        { timeline: { mustDelete: { atMsMin: 500, atMsMax: 900 } } },
        "constraints.timeline.mustDelete.atMsMin..atMsMax: a generated document writes it in whole seconds, and none lies between 500 and 900 ms: widen the range to take one",
      ],
      [
        { fleet: { workersMax: 300 } },
        "constraints.fleet.workersMax: expected at most 256, the most workers a scenario holds, found 300",
      ],
      [
        { sloMs: 0 },
        "constraints.sloMs: expected at least 1 (an SLO of 0 ms makes every delivery late), found 0",
      ],
      [
        { fleet: { workersMin: 0, workersMax: 0 } },
        "constraints.fleet.workersMin: expected at least 1 (a fleet starts with a worker at least), found 0",
      ],
      [
        { faults: { kinds: ["kill_worker" as "kill-worker"] } },
        'constraints.faults.kinds[0]: expected one of kill-worker, pause-worker, store-latency, store-outage, clock-skew, inject-panic, hang, http-errors, http-timeouts, found "kill_worker" — did you mean kill-worker?',
      ],
      [
        { timeline: { kinds: ["deploy"], deployVariants: ["v9" as "v1"] } },
        `constraints.timeline.deployVariants[0]: expected one of ${VARIANT_NAMES.join(", ")}, found "v9" — did you mean v1?`,
      ],
      [
        { faults: { panicPoints: ["nowhere" as "before-commit"] } },
        'constraints.faults.panicPoints[0]: expected one of before-account-read, after-account-read, before-delivery, after-delivery, before-commit, found "nowhere"',
      ],
      [
        { faults: { panicPoints: [] } },
        "constraints.faults.panicPoints: expected one at least of before-account-read, after-account-read, before-delivery, after-delivery, before-commit, found none",
      ],
      [
        { workload: { cron: ["every minute"] } },
        'constraints.workload.cron[0]: bad cron expression "every minute": 2 fields, not 5',
      ],
      [
        { timeline: { kinds: ["nuke" as "scale"] } },
        'constraints.timeline.kinds[0]: expected one of delete-account, create-account, create-schedule, delete-schedule, pause-schedule, deploy, kill-worker, pause-worker, restart-worker, scale, found "nuke"',
      ],
      [{ storeLatencyMsMax: 0.5 }, "constraints.storeLatencyMsMax: expected a whole number of ms, found 0.5"],
      [
        { workload: { accountsMax: 2.5 } },
        "constraints.workload.accountsMax: expected a whole number, found 2.5",
      ],
      [
        { durationMsMin: 61_000, durationMsMax: 119_000 },
        "constraints.durationMsMin..durationMsMax: a generated document writes it in whole minutes (1 at least), and none lies between 61000 and 119000 ms: widen the range to take one",
      ],
      [
        { fleet: { leaseTtlMsMin: 10_500, leaseTtlMsMax: 10_900 } },
        "constraints.fleet.leaseTtlMsMin..leaseTtlMsMax: a generated document writes it in whole seconds (2 at least), and none lies between 10500 and 10900 ms: widen the range to take one",
      ],
      [
        { name: "My World" },
        'constraints.name: expected a scenario name: lowercase letters, digits and dashes, found "My World"',
      ],
      [{ storeFailureRateMax: 2 }, "constraints.storeFailureRateMax: expected at most 1, found 2"],
      [
        { faults: { endpointDownPercent: 150 } },
        "constraints.faults.endpointDownPercent: expected at most 100, found 150",
      ],
      [
        { workload: { accountsMax: -1 } },
        "constraints.workload.accountsMax: expected a finite number ≥ 0, found -1",
      ],
      [
        { timeline: { actionsMax: Number.NaN } },
        "constraints.timeline.actionsMax: expected a finite number ≥ 0, found NaN",
      ],
      [
        { durationMsMax: Number.POSITIVE_INFINITY },
        "constraints.durationMsMax: expected a finite number ≥ 0, found Infinity",
      ],
      [
        { workload: { schedulesMax: 2, namedAccountsMin: 3, namedSchedulesMin: 3 } },
        "constraints.workload.namedAccountsMin × constraints.workload.namedSchedulesMin (3 × 3 = 9 named schedules at least) is above constraints.workload.schedulesMax (2), the cap on all schedules at the start: lower the named minimums or raise the cap",
      ],
      [
        { faults: { panicCountMax: 12 } },
        // Defaults the caller never set are said to be, and both counts are named: one change suffices.
        "constraints.faults.persistentPanicCountMin (11, its default) is not above constraints.faults.panicCountMax (12): a persistent injected panic throws more than a transient one; with constraints.faults.persistentPanicPercent 50 (its default), raise constraints.faults.persistentPanicCountMin and constraints.faults.persistentPanicCountMax to 13 at least, or set persistentPanicPercent to 0",
      ],
      [
        { faults: { persistentPanicCountMin: 2, persistentPanicCountMax: 2, persistentPanicPercent: 10 } },
        "constraints.faults.persistentPanicCountMin (2) is not above constraints.faults.panicCountMax (2, its default): a persistent injected panic throws more than a transient one; with constraints.faults.persistentPanicPercent 10, raise constraints.faults.persistentPanicCountMin and constraints.faults.persistentPanicCountMax to 3 at least, or set persistentPanicPercent to 0",
      ],
      [
        { faults: { panicCountMax: 0, persistentPanicCountMin: 1 } },
        "constraints.faults.persistentPanicCountMin (1) is not above constraints.faults.panicCountMax (0, a transient panic throws once at least)",
      ],
      [
        { faults: { panicCountMax: 11, persistentPanicCountMin: 5 } },
        "raise constraints.faults.persistentPanicCountMin to 12 at least,",
      ],
      [
        { faults: { faultsMax: 0, mustInjectPanic: true, panicCountMax: 12 } },
        "constraints.faults.persistentPanicCountMin (11, its default) is not above constraints.faults.panicCountMax (12)",
      ],
    ];
    // What is not a constraint of the right shape is a TypeError.
    const mistyped: [generators.ScenarioConstraints, string][] = [
      [
        { faults: { kinds: "kill-worker" as unknown as [] } },
        'constraints.faults.kinds: expected a list of kill-worker, pause-worker, store-latency, store-outage, clock-skew, inject-panic, hang, http-errors, http-timeouts, found "kill-worker"',
      ],
      [
        { fleeet: {} } as generators.ScenarioConstraints,
        "constraints.fleeet: no such constraint: did you mean fleet?",
      ],
      [
        { fleet: { workerMin: 3 } } as generators.ScenarioConstraints,
        "constraints.fleet.workerMin: no such constraint: did you mean workersMin?",
      ],
      [
        { faults: { hangForever: "yes" as unknown as boolean } },
        'constraints.faults.hangForever: expected true or false, found "yes"',
      ],
      [
        { timeline: { mustDelete: {} as { atMsMin: number; atMsMax: number } } },
        "constraints.timeline.mustDelete.atMsMin: missing: mustDelete takes { atMsMin, atMsMax }, both (ms from the start)",
      ],
    ];
    // Constraints that ask for the defaults, or bound a kind the section does not draw, are taken.
    for (const constraints of [
      { workload: { namedCron: [] } },
      { workload: { firstNamedCron: "" } },
      { faults: { kinds: ["kill-worker" as const], storeLatencyMsMax: 0 } },
      // No panic is drawn: the persistent panic's counts are not held above panicCountMax.
      { faults: { faultsMax: 0, panicCountMax: 12 } },
      { faults: { kinds: ["kill-worker" as const], panicCountMax: 12 } },
      { timeline: { kinds: ["scale" as const], pauseWorkerMsMax: 0 } },
    ] satisfies generators.ScenarioConstraints[]) {
      const docs = fc.sample(
        generators.scenarioArbitrary(generators.sized(generators.TEST_SIZED, constraints)),
        {
          seed: 1,
          numRuns: 5,
        },
      );
      expect(
        docs.filter((d) => !generators.compileDocument(d).ok),
        JSON.stringify(constraints),
      ).toEqual([]);
    }
    for (const [constraints, said] of mistyped) {
      expect(() => generators.scenarioArbitrary(constraints), said).toThrow(TypeError);
      expect(() => generators.scenarioArbitrary(constraints), said).toThrow(said);
    }
    expect(() => generators.sized(undefined as unknown as generators.ScenarioConstraints)).toThrow(
      "sized: argument 1: expected generator constraints (an object, such as generators.PROPERTY_SIZED), found undefined",
    );
    for (const [constraints, said] of bad) {
      expect(() => generators.scenarioArbitrary(constraints), said).toThrow(said);
      // Named as the plan names them in an exploration.
      const plan = fixedPlan(constraints, 1);
      await expect(explore({ plan, runs: 1 }), said).rejects.toThrow(
        said.replaceAll("constraints.", "plan.constraints."),
      );
    }
    // A section's own arbitrary checks it too.
    expect(() => generators.fleetArbitrary({ workersMin: 6, workersMax: 2 })).toThrow(
      "constraints.workersMin (6) is above constraints.workersMax (2)",
    );
    // Every bundled profile passes, as do bounds at the edges, a section given as null, a total
    // with no bound, and a Min alone past its Max's default, which moves it (10 workers).
    const fine: generators.ScenarioConstraints[] = [
      generators.TEST_SIZED,
      generators.PROPERTY_SIZED,
      { fleet: { workersMin: 2, workersMax: 2 }, sloMs: 1000 },
      { durationMsMin: 60_000, durationMsMax: 60_000, fleet: { leaseTtlMsMin: 2000, leaseTtlMsMax: 2000 } },
      { fleet: null as unknown as undefined, faults: { panicTotalMax: Number.POSITIVE_INFINITY } },
      // The named minimums at the cap; panics that outlast a persistent one's count where none
      // is persistent, or no panic is drawn.
      { workload: { schedulesMax: 9, namedAccountsMin: 3, namedSchedulesMin: 3 } },
      { faults: { panicCountMax: 12, persistentPanicPercent: 0 } },
      { faults: { panicCountMax: 12, kinds: ["kill-worker"] } },
    ];
    for (const profile of fine) expect(() => generators.scenarioArbitrary(profile)).not.toThrow();
    const ten = fc.sample(generators.scenarioArbitrary({ fleet: { workersMin: 10 } }), {
      seed: 1,
      numRuns: 5,
    });
    for (const doc of ten) expect(doc.fleet?.workers).toBe(10);
    // An SLO is written as given, to the ms, not rounded to a second.
    const [slo] = fc.sample(generators.scenarioArbitrary({ sloMs: 1500 }), { seed: 1, numRuns: 1 });
    expect(slo.slo).toBe("1s500ms");
    const compiled = generators.compileDocument(slo);
    expect(compiled.ok && compiled.scenario.sloMs).toBe(1500);
  });
});

// Shows that what a library caller passes in the wrong shape (a scheduler registry entry, run options, an exploration plan) is a TypeError or RangeError naming the argument, before any run, not a failure deep in the world.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bundledSchedulers,
  compareVariants,
  compileScenario,
  DEFAULT_PROPERTIES,
  type ExploreConstraints,
  explore,
  generators,
  parseScenario,
  type RunScenarioOptions,
  runScenario,
  type SchedulerFactory,
  scenarioModuleNaming,
} from "../../src/index.js";
import { spyRegistry } from "./spy-registry.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TINY = readFileSync(join(ROOT, "test", "cli", "fixtures", "tiny.yaml"), "utf8");
const MODULE = "examples/reintroduced-bug1.mjs";
const OWN = `${TINY}scheduler: { module: ./${MODULE} }\n`;

/** A module whose namespace is itself a scheduler (it exports `name`, `fixes` and `create`), as v2 is. */
function selfFactoryModule(): string {
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-self-factory-")), "self.mjs");
  const v2 = pathToFileURL(join(ROOT, "dist", "src", "schedulers", "v2.js")).href;
  writeFileSync(
    file,
    `import { v2 } from ${JSON.stringify(v2)};\nexport const name = "v2";\nexport const fixes = v2.fixes;\nexport function create(fixes) { return v2.create(fixes); }\n`,
  );
  return pathToFileURL(file).href;
}

/** The registry with `entry` under `name`, as plain JavaScript would build it (no type stops it). */
function registryWith(name: string, entry: unknown) {
  return bundledSchedulers().set(name, entry as SchedulerFactory);
}

describe("a scheduler registry entry that is not a SchedulerFactory", () => {
  it("is refused naming its key, before any run, not traced as the scheduler's panics", async () => {
    const namespace = await import(join(ROOT, MODULE));
    const said = (key: string) =>
      `options.schedulers.get("${key}"): a module's namespace, not a scheduler: register its \`scheduler\` export`;
    // In a bundled variant's place: without the check every run panicked in `create`, a verdict against v2.
    expect(() => runScenario(TINY, { variant: "fixed", schedulers: registryWith("v2", namespace) })).toThrow(
      said("v2"),
    );
    // Under a module's name: without the check, a TypeError from the gate's judging of it.
    const key = `module:./${MODULE}`;
    expect(() => runScenario(OWN, { schedulers: registryWith(key, namespace) }, "own.yaml")).toThrow(
      TypeError,
    );
    expect(() => runScenario(OWN, { schedulers: registryWith(key, namespace) }, "own.yaml")).toThrow(
      said(key),
    );
    expect(() => compareVariants(TINY, ["fixed"], { schedulers: registryWith("v2", namespace) })).toThrow(
      said("v2"),
    );
    await expect(
      explore({ plan: GENERATED, runs: 1, schedulers: registryWith("v2", namespace) }),
    ).rejects.toThrow('schedulers.get("v2"): a module\'s namespace, not a scheduler');
    // The CLI's rule for a loaded module, word for word.
    const twice = { name: "x", fixes: ["a", "a"], create: () => ({}) };
    expect(() => runScenario(TINY, { schedulers: registryWith("v2", twice) })).toThrow(
      'options.schedulers.get("v2"): not a scheduler: `fixes` names "a" twice',
    );
    expect(() => runScenario(TINY, { schedulers: registryWith("v2", { name: "x" }) })).toThrow(
      'options.schedulers.get("v2"): not a scheduler: `create(fixes)` must be a function',
    );
    // What the CLI loaded before the registry was checked still runs: a description that is not
    // text, a factory with a field named `scheduler`, a namespace that is itself a factory.
    const v2 = bundledSchedulers().get("v2")!;
    for (const entry of [
      { ...v2, description: 7 },
      { ...v2, scheduler: "meta" },
      await import(selfFactoryModule()),
    ])
      expect(
        runScenario(TINY, { variant: "fixed", schedulers: registryWith("v2", entry) }).report.run.judged,
      ).toBe(true);
    // Its `scheduler` export runs, as the README registers it.
    const fine = runScenario(OWN, { schedulers: registryWith(key, namespace.scheduler) }, "own.yaml");
    expect(fine.report.run.judged).toBe(true);
  });

  it("whose create throws, or makes no scheduler, is refused as the CLI refuses such a module, before any run", async () => {
    const v2 = bundledSchedulers().get("v2")!;
    const throws = {
      name: "v2",
      fixes: v2.fixes,
      create: () => {
        throw new Error("create boom");
      },
    };
    // A thrown value that is no Error is said by what it holds, not as `[object Object]`.
    const throwsObject = {
      name: "v2",
      fixes: v2.fixes,
      create: () => {
        throw { code: 8 };
      },
    };
    const noMain = { name: "v2", fixes: v2.fixes, create: () => ({ name: "v2", fixes: [] }) };
    // Thrown only for one set of fixes the CLI tries: each alone.
    const onOneFix = {
      ...v2,
      create: (fixes: readonly string[]) => {
        if (fixes.length === 1 && fixes[0] === v2.fixes[0]) throw new Error("one fix boom");
        return v2.create(fixes);
      },
    };
    const events: unknown[] = [];
    const sinks = [{ onEvent: (e: unknown) => events.push(e) }];
    const cases: [unknown, string][] = [
      [throws, 'options.schedulers.get("v2"): not a scheduler: create([]) threw: create boom'],
      [
        throwsObject,
        'options.schedulers.get("v2"): not a scheduler: create([]) threw: { code: 8 } (not an Error)',
      ],
      [
        noMain,
        'options.schedulers.get("v2"): not a scheduler: create([]) returned a scheduler whose `main` is nothing',
      ],
      [
        onOneFix,
        `options.schedulers.get("v2"): not a scheduler: create(${JSON.stringify([v2.fixes[0]])}) threw: one fix boom`,
      ],
    ];
    for (const [entry, said] of cases) {
      const schedulers = registryWith("v2", entry);
      expect(() => runScenario(TINY, { variant: "fixed", schedulers, sinks })).toThrow(TypeError);
      expect(() => runScenario(TINY, { variant: "fixed", schedulers, sinks })).toThrow(said);
      expect(() => compareVariants(TINY, ["buggy", "fixed"], { schedulers, sinks })).toThrow(said);
    }
    // Nothing ran: no world traced an event.
    expect(events).toEqual([]);
    await expect(
      explore({ plan: GENERATED, runs: 1, schedulers: registryWith("v2", throws) }),
    ).rejects.toThrow('schedulers.get("v2"): not a scheduler: create([]) threw: create boom');
  });
});

describe("run options in the wrong shape", () => {
  it.each([
    [
      "a variant for the options",
      "fixed",
      TypeError,
      'options: expected an object of run options (variant, seed, untilMs, schedulers, sinks, watchers, …), found "fixed" (a variant goes as { variant: "fixed" })',
    ],
    [
      "an unknown variant",
      { variant: "bogus" },
      RangeError,
      'options.variant: expected one of buggy, fixed, early-return, panic-recovery, v1 (or none, for the scenario\'s own scheduler), found "bogus"',
    ],
    [
      // As the CLI's --variant fixd suggests.
      "a misspelt variant",
      { variant: "fixd" },
      RangeError,
      'options.variant: expected one of buggy, fixed, early-return, panic-recovery, v1 (or none, for the scenario\'s own scheduler), found "fixd" — did you mean fixed?',
    ],
    [
      "a misspelt option",
      { varient: "fixed" },
      TypeError,
      "options.varient: no such option — did you mean variant?",
    ],
    [
      "an object for the registry",
      { schedulers: {} },
      TypeError,
      "options.schedulers: expected a Map of scheduler names to SchedulerFactory (bundledSchedulers() and its set(name, factory)), found an empty object",
    ],
    [
      "a sink outside a list",
      { sinks: { onEvent() {} } },
      TypeError,
      "options.sinks: expected a list of trace sinks (objects with onEvent(event)), found an object with `onEvent`: put the sink in a list, [sink]",
    ],
    [
      "a sink without onEvent",
      { sinks: [{}] },
      TypeError,
      "options.sinks[0]: expected a trace sink, an object with onEvent(event), found an empty object",
    ],
  ])("says so for %s", (_, options, kind, said) => {
    const given = options as unknown as RunScenarioOptions;
    expect(() => runScenario(TINY, given)).toThrow(kind);
    expect(() => runScenario(TINY, given)).toThrow(said);
  });

  it("a seed or end of another type is said as what it is, not String() of it (which says 1 for 1n, or throws)", () => {
    const said = (seed: unknown) => {
      try {
        runScenario(TINY, { seed } as unknown as RunScenarioOptions);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return (e as Error).message.replace(/^seed: expected a whole number from 0 to 2\^53 - 1, found /, "");
      }
      return "ran";
    };
    expect(said(1n)).toBe("1n");
    expect(said([1])).toBe("an array");
    expect(said({ seed: 1 })).toBe("an object with `seed`");
    expect(said(Object.create(null))).toBe("an empty object");
    expect(() => runScenario(TINY, { untilMs: Object.create(null) })).toThrow(
      /^untilMs: expected a time in whole ms after the run's start, up to its end \(.*\), found an empty object$/,
    );
    expect(() => runScenario(TINY, { untilMs: "2026-05-08T10:00:00Z" as unknown as number })).toThrow(
      /, found "2026-05-08T10:00:00Z"$/,
    );
  });

  it("a wall clock that gives no number, which would keep no budget, is a TypeError at the run's start", () => {
    // `Date` called is a string, easy to type for `Date.now`; NaN compares false with every deadline.
    for (const wallClock of [Date as unknown as () => number, () => Number.NaN]) {
      expect(() => runScenario(TINY, { wallClock })).toThrow(TypeError);
      expect(() => runScenario(TINY, { wallClock })).toThrow(
        /^wallClock: expected the real time in ms, a finite number \(a monotonic clock's reading\), found .+: the wall budget cannot be kept$/,
      );
    }
    // A clock that gives numbers runs as before.
    expect(runScenario(TINY, { wallClock: () => performance.now() }).report.run.judged).toBe(true);
  });

  it("a file name that is not text, in runScenario and compareVariants alike", () => {
    const said = 'fileName: expected the scenario file\'s path (text, e.g. "own.yaml"), found 42';
    expect(() => runScenario(TINY, {}, 42 as unknown as string)).toThrow(new TypeError(said));
    expect(() => compareVariants(TINY, ["fixed"], {}, 42 as unknown as string)).toThrow(new TypeError(said));
  });

  it("in compareVariants: a variant in the options, or one no scheduler has in the list", () => {
    const options = { variant: "fixed" } as unknown as RunScenarioOptions;
    expect(() => compareVariants(TINY, ["buggy"], options)).toThrow(
      'options.variant: compareVariants takes its variants as its second argument, e.g. compareVariants(text, ["buggy", "fixed"])',
    );
    expect(() => compareVariants(TINY, ["buggy", "fixd"])).toThrow(
      'variants: expected names from buggy, fixed, early-return, panic-recovery, v1, found "fixd" — did you mean fixed?',
    );
    // An option left undefined is none: options built by spreading may carry one.
    const spread = { seed: 7, variant: undefined, varient: undefined } as unknown as RunScenarioOptions;
    expect(compareVariants(TINY, ["fixed"], spread).reports[0].seed).toBe(7);
  });
});

/** A generated plan as the README's example gives it. */
const GENERATED = {
  mode: "generated",
  variant: "fixed",
  properties: DEFAULT_PROPERTIES,
  constraints: generators.TEST_SIZED,
  seed: 1,
} as const;

describe("an exploration plan in the wrong shape", () => {
  it.each([
    [
      "no plan",
      {},
      'plan: expected a RunPlan, { mode: "generated", variant, properties, constraints, seed } or { mode: "scenario", variant, properties, base, baseSeed }, found undefined',
    ],
    [
      "a plan without properties",
      { plan: { mode: "generated", variant: "fixed", constraints: {}, seed: 1 }, runs: 1 },
      'plan.properties: missing (a generated plan is { mode: "generated", variant, properties, constraints, seed }: DEFAULT_PROPERTIES names them all)',
    ],
    [
      "a mode there is not",
      { plan: { mode: "random", variant: "fixed", properties: DEFAULT_PROPERTIES }, runs: 1 },
      'plan.mode: expected "generated" (worlds the generators draw) or "scenario" (seeds of one compiled scenario), found "random"',
    ],
    [
      "a scenario plan without its base",
      { plan: { mode: "scenario", variant: "fixed", properties: DEFAULT_PROPERTIES, baseSeed: 1 }, runs: 1 },
      'plan.base: missing (a scenario plan is { mode: "scenario", variant, properties, base, baseSeed }: base is compileScenario(scenario))',
    ],
    // A misspelt option or plan field would be ignored, the exploration run with the default.
    ["a misspelt option", { plan: GENERATED, runs: 1, job: 2 }, "job: no such option — did you mean jobs?"],
    [
      "an option named for its flag",
      { plan: GENERATED, runs: 1, shrinkRuns: 0 },
      "shrinkRuns: no such option — did you mean shrinkRunsMax?",
    ],
    [
      "an option in other case",
      { plan: GENERATED, runs: 1, keepgoing: true },
      "keepgoing: no such option — did you mean keepGoing?",
    ],
    [
      // workerFile, the project's own (its tests' and bench's), is taken but not offered.
      "an option like none",
      { plan: GENERATED, runs: 1, zzzzzz: 1 },
      "zzzzzz: no such option (the options are plan, runs, jobs, shard, keepGoing, timeBudgetMs, runCutGraceMs, wallClock, schedulers, shrinkRunsMax, shrinkTimeMsMax, shrinkFailuresMax, document, onProgress, onPool, onSearched, onShrink, signal, onFailure, reproducerName)",
    ],
    [
      "a misspelt plan field",
      { plan: { ...GENERATED, seeed: 2 }, runs: 1 },
      "plan.seeed: no such field of a generated plan — did you mean seed?",
    ],
    [
      // Its missing `seed` is the same slip: the misspelling is said, not the field missing.
      "a misspelt plan field in place of the right one",
      { plan: { ...GENERATED, seed: undefined, seeed: 2 }, runs: 1 },
      "plan.seeed: no such field of a generated plan — did you mean seed?",
    ],
    [
      "a field of the other kind of plan in place of its own",
      { plan: { ...GENERATED, seed: undefined, baseSeed: 2 }, runs: 1 },
      "plan.baseSeed: a field of a scenario plan, not of a generated plan (its fields are mode, variant, properties, schedulerModules, module, constraints, seed)",
    ],
    [
      "a misspelt field of a scenario plan in place of the right one",
      {
        plan: { mode: "scenario", variant: "fixed", properties: DEFAULT_PROPERTIES, baseSeed: 1, bsae: {} },
        runs: 1,
      },
      "plan.bsae: no such field of a scenario plan — did you mean base?",
    ],
    [
      "a field of the other kind of plan",
      { plan: { ...GENERATED, baseSeed: 2 }, runs: 1 },
      "plan.baseSeed: a field of a scenario plan, not of a generated plan (its fields are mode, variant, properties, schedulerModules, module, constraints, seed)",
    ],
    [
      "a field like none",
      { plan: { ...GENERATED, xyzzyxyzzy: 2 }, runs: 1 },
      "plan.xyzzyxyzzy: no such field of a generated plan (the fields of a generated plan are mode, variant, properties, schedulerModules, module, constraints, seed)",
    ],
    // Refused before any run, not as run 0's Error from deep in its world's drawing.
    [
      "a module given as its path alone",
      { plan: { ...GENERATED, module: "./mine.mjs" }, runs: 1 },
      'plan.module: expected { path, fixes } (the module\'s path and the fixes create is given), found "./mine.mjs"',
    ],
    [
      "a module without its fixes",
      { plan: { ...GENERATED, module: { path: "./mine.mjs" } }, runs: 1 },
      "plan.module: expected { path, fixes } (the module's path and the fixes create is given), found an object with `path`",
    ],
    // Each would run every search in this thread without a word, or load on no thread with a
    // note naming the package's own folder.
    [
      "scheduler modules given as one entry, not a list",
      {
        plan: { ...GENERATED, schedulerModules: { name: "module:./mine.mjs", url: "file:///p/mine.mjs" } },
        runs: 1,
      },
      "plan.schedulerModules: expected a list of { name, url } (the name the runs give the module, and the file: URL worker threads import it from), found an object with `name`, `url`",
    ],
    [
      "a scheduler module without its name",
      { plan: { ...GENERATED, schedulerModules: [{ url: "file:///p/mine.mjs" }] }, runs: 1 },
      'plan.schedulerModules[0].name: expected the name the runs give the module (e.g. "module:./mine.mjs"), found undefined',
    ],
    [
      "a scheduler module's URL given as a URL object",
      {
        plan: {
          ...GENERATED,
          schedulerModules: [{ name: "module:./mine.mjs", url: new URL("file:///p/mine.mjs") }],
        },
        runs: 1,
      },
      'plan.schedulerModules[0].url: expected the file: URL worker threads import the module from, as text (import.meta.resolve("./mine.mjs"), or pathToFileURL(file).href), found a URL: give its href',
    ],
    [
      "a scheduler module's URL given as a relative path",
      {
        plan: { ...GENERATED, schedulerModules: [{ name: "module:./mine.mjs", url: "./mine.mjs" }] },
        runs: 1,
      },
      'plan.schedulerModules[0].url: expected the file: URL worker threads import the module from, as text (import.meta.resolve("./mine.mjs"), or pathToFileURL(file).href), found "./mine.mjs"',
    ],
  ])("says so for %s", async (_, given, said) => {
    await expect(explore(given as unknown as ExploreConstraints)).rejects.toThrow(TypeError);
    await expect(explore(given as unknown as ExploreConstraints)).rejects.toThrow(said);
  });

  it("a module's fix it does not list is refused before any run, as run --scheduler --fix and a deploy refuse it", async () => {
    const { schedulers, made } = await spyRegistry("module:./mine.mjs");
    const plan = { ...GENERATED, module: { path: "./mine.mjs", fixes: ["early-retrun"] } };
    const explored = explore({ plan, runs: 1, schedulers });
    await expect(explored).rejects.toThrow(RangeError);
    await expect(explored).rejects.toThrow(
      'plan.module.fixes: module:./mine.mjs lists no fix "early-retrun" (its fixes: early-return, panic-recovery) — did you mean early-return?',
    );
    // Only the registry's check of create ran: no run gave the module a fix it does not know.
    expect(made.flat()).not.toContain("early-retrun");
  });

  it("a scenario plan whose module is given a fix it does not list is refused before any run, as run refuses the file", async () => {
    const { schedulers, made } = await spyRegistry("module:./mine.mjs");
    const parsed = parseScenario(
      `${TINY}scheduler: { module: ./mine.mjs, fixes: [early-retrun] }\n`,
      "own.yaml",
    );
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("; "));
    const base = compileScenario(parsed.scenario, scenarioModuleNaming("own.yaml"));
    const plan = {
      mode: "scenario",
      variant: null,
      properties: DEFAULT_PROPERTIES,
      base,
      baseSeed: 1,
    } as const;
    const explored = explore({ plan, runs: 1, schedulers });
    await expect(explored).rejects.toThrow(RangeError);
    await expect(explored).rejects.toThrow(
      'plan.base.config.scheduler.fixes: module:./mine.mjs lists no fix "early-retrun" (its fixes: early-return, panic-recovery)',
    );
    expect(made.flat()).not.toContain("early-retrun");
  });

  it("takes an option or field left undefined, as a spread leaves it", async () => {
    const outcome = await explore({ plan: { ...GENERATED, module: undefined }, runs: 1, jobs: undefined });
    expect(outcome.failures).toEqual([]);
  });
});

/**
 * The CI gate as data: which runs a set of scenarios needs (`planGate`), one run
 * (`executeGateRun`), and what the runs add up to (`judgeGate`): one test case per expectation,
 * per determinism check, per golden hash and per explored seed, grouped by scenario, with the
 * exit code of DESIGN.md. Where the runs happen (in this thread or a pool) and how the results
 * are written is the CLI's business; the order of everything here follows the scenarios and
 * their `expect` lists, never the order in which runs finish.
 */
import { type Divergence, deterministicVerdict } from "../checks/deterministic.js";
import { loopAdvice, stopLimit, stoppedEarly } from "../checks/run-info.js";
import type { Verdict } from "../checks/types.js";
import { isoOf, plural } from "../kernel/time.js";
import { type CommandText, commandLine, commandTextString } from "../report/command-line.js";
import { expectationMessageShown } from "../report/expectation-words.js";
import { REFUSED_BEFORE_ANY_RUN } from "../report/gate-summary.js";
import { clockOfRuns } from "../report/judged.js";
import type { RunReport } from "../report/run-report.js";
import { applyVariant, type CompiledScenario, withSeed } from "../scenario/compile.js";
import type { Expectation, Scenario } from "../scenario/types.js";
import { TRACE_FORMAT, TRACE_FORMAT_CHANGES } from "../world/events.js";
import {
  type ExpectationResult,
  judgeExpectations,
  leftOutText,
  metricValue,
  type PropertyLeftOut,
  propertiesExpectedToFail,
} from "./expectations.js";
import type { GoldenFile, GoldenVariant } from "./gate-golden.js";
import {
  isModuleScheduler,
  type ModuleStandIn,
  moduleFixesOf,
  type SchedulerSubstitution,
  substituteScheduler,
  variantSkipReason,
} from "./gate-scheduler.js";
import { raiseLimitText } from "./raise-limit.js";
import { buildWorld, type RunInput, type RunOptions, runWorld } from "./run.js";
import { SEED_MAX, sweepBaseMax } from "./seeds.js";

/** Exit codes (DESIGN.md), by severity: the gate exits with the worst of its cases. */
export const GATE_EXIT = { ok: 0, failed: 1, usage: 2, nondeterminism: 3, internal: 4 } as const;
const SEVERITY = [
  GATE_EXIT.ok,
  GATE_EXIT.failed,
  GATE_EXIT.usage,
  GATE_EXIT.nondeterminism,
  GATE_EXIT.internal,
];

/** The variant explored with other seeds, and the properties it must keep. */
export const EXPLORE_VARIANT = "fixed";
export const EXPLORE_PROPERTIES = ["no-cascade", "no-panic-death"] as const;

/**
 * The explored properties a scenario's explored seeds leave out: those it expects not to hold for
 * the explored variant (a bad deploy's scenario expects the fixed variant to cascade).
 */
export function exploreLeftOut(scenario: Scenario): PropertyLeftOut[] {
  return propertiesExpectedToFail(scenario.expect, EXPLORE_VARIANT, EXPLORE_PROPERTIES);
}

/** The explored properties a scenario's explored seeds judge: `EXPLORE_PROPERTIES` less those left out. */
function exploredProperties(scenario: Scenario): string[] {
  const out = exploreLeftOut(scenario).map((p) => p.property);
  return EXPLORE_PROPERTIES.filter((p) => !out.includes(p));
}

/** One scenario to gate. */
export interface GateScenario {
  /** The file, as it should be shown and annotated (relative to the working folder). */
  readonly file: string;
  /**
   * The scenario as a `run` command printed for the user names it, as run and compare do: a
   * bundled scenario by its name, a file by its path from the working folder, or absolute
   * outside it. A `gate` command names `file` (gate takes files, not bundled names).
   */
  readonly argument: string;
  readonly scenario: Scenario;
  readonly compiled: CompiledScenario;
  /** The golden hashes stored beside it, or null when none were recorded. */
  readonly golden: GoldenFile | null;
  /** Where its golden hashes live, for messages. */
  readonly goldenFile: string;
  /**
   * Where `golden` was read from when that is not `goldenFile`: the golden file of the scenario
   * file's earlier name (renamed, its golden file left behind), which holds this scenario's hashes.
   */
  readonly goldenFrom?: string;
  /**
   * The module gated in place of v2 in its runs, or null for the bundled schedulers: the
   * `--scheduler` module (`GateConstraints.substitution`), else the scenario's own
   * `scheduler: { module }`, gated as `--scheduler` would gate it (its golden hashes pin it).
   */
  readonly substitution: SchedulerSubstitution | null;
  /**
   * The name its runs know that module by (`module:./x.mjs`, its path from the scenario's folder:
   * `ModuleStandIn.name`), which the suite gives as its `scheduler`; without it, its path.
   */
  readonly substitutionName?: string;
}

export interface GateConstraints {
  /** Extra seeds per scenario on which the fixed variant must keep `EXPLORE_PROPERTIES`. */
  readonly exploreSeeds: number;
  /**
   * The `--scheduler` module, in place of v2 (and of a scenario's own module) in every scenario,
   * or null. Golden hashes pin each scenario's own schedulers: they are not compared with one.
   */
  readonly substitution: SchedulerSubstitution | null;
  /** Golden hashes are being rewritten: compare nothing, report what was recorded. */
  readonly updateGolden: boolean;
  /**
   * A gated variant without a golden hash (no golden file, or none for the variant in it) fails
   * its golden case, where it is otherwise skipped: a CI gate whose golden file was deleted fails.
   */
  readonly requireGolden?: boolean;
  /**
   * Whether a variant that runs a scheduler module gets a third run (`fresh`) on a thread that
   * imports the module anew: the first two share one loaded module (so state it keeps from one
   * `create` to the next shows), and would both see whatever its top-level code read at import
   * (`Math.random()`, the clock). Off where no such thread can be had (running from source).
   */
  readonly freshImports?: boolean;
}

export type RunRole = "first" | "second" | "fresh" | "explore";

/**
 * One run the gate needs. `first` and `second` are the same inputs, run twice on one thread;
 * `fresh` is them once more, for a variant that runs a scheduler module, on a thread that has
 * not loaded the module before (see `GateConstraints.freshImports`).
 */
export interface GateRun {
  readonly scenario: number;
  readonly variant: string;
  readonly seed: number;
  readonly role: RunRole;
}

export interface ScenarioPlan {
  /** Variants gated, in the order the `expect` list first names them. */
  readonly gated: readonly string[];
  /** Variants named by `expect` but not gated, with the reason. */
  readonly skipped: ReadonlyMap<string, string>;
  readonly exploreSeeds: readonly number[];
}

export interface GatePlan {
  readonly runs: readonly GateRun[];
  readonly scenarios: readonly ScenarioPlan[];
}

/** What a run hands back (plain data: it crosses worker threads). */
export interface GateRunResult {
  readonly traceHash: string;
  readonly events: number;
  readonly stopReason: string;
  readonly detail: string;
  /** The full report for `first` and `explore` runs; null for `second` and `fresh`, which only need their hash. */
  readonly report: RunReport | null;
  /** Real time the run took (the only nondeterministic field, with `endedAtMs`). */
  readonly wallMs: number;
  /**
   * When the run ended, on the clock of the thread that planned the gate (the runner sets it as
   * each result comes in), so that runs on several threads can be placed on one time line: a
   * suite's time is the span its runs took (`suiteWallMs`). Absent where the runner did not time it.
   */
  readonly endedAtMs?: number;
  /**
   * Not run: the second run of a variant whose first the wall-clock budget stopped (or whose
   * thread the watchdog stopped), its result the first's. Absent for a run made.
   */
  readonly notRun?: true;
}

export type CaseStatus = "passed" | "failed" | "error" | "skipped";
export type CaseKind = "expectation" | "determinism" | "golden" | "explore" | "scenario";

/** One test case of the gate (a JUnit testcase). */
export interface GateCase {
  /** `qstash-2026-05-08 [fixed] no-cascade`. */
  readonly name: string;
  /** `qstash-2026-05-08.fixed`. */
  readonly classname: string;
  readonly kind: CaseKind;
  readonly variant: string | null;
  readonly status: CaseStatus;
  /** One line; for a failed expectation, the measured value beside the bound. */
  readonly message: string;
  /**
   * The message in parts, when it names a command to run (`--update-golden`): `message` is these
   * parts as one string; a format with markup for code (the Markdown summary) sets each command
   * as code and the rest as text.
   */
  readonly messageParts?: CommandText;
  /**
   * The message as people read it, in the terminal and the Markdown summary, where it words a
   * figure otherwise (`alertAt = 09:45:40 (<= 09:48:00)`: a time as the run's clock writes it, as
   * `run` writes it: `expectationMessageShown`); `message` stays as `--json`, JUnit and the
   * annotations give it. Absent: both show `message`.
   */
  readonly shown?: string;
  /** More lines: where, the run's context, how to reproduce. Empty when passed. */
  readonly details: string;
  /**
   * The command that replays the run a failed or unjudged case was judged on, when there is one
   * (also the last line of `details`, after `reproduce: `): the Markdown summary lists it apart.
   */
  readonly reproduce?: string;
  /** Where in the scenario file the case is written (an expectation's line), if anywhere. */
  readonly line: number | null;
  readonly column: number | null;
  /** The exit code this case calls for: 0 when passed or skipped. */
  readonly exitCode: number;
  /** The real time of the run the case was judged on, on its thread; 0 for the cases after its first. */
  readonly wallMs: number;
  /** A passed expectation that checked nothing: its property was not exercised by the run. */
  readonly notExercised?: true;
  /**
   * What an expectation's run measured, as data: a metric's value as the RunReport holds it (a
   * number, a boolean, an ISO time or null), or whether a property held (true or false). Absent
   * where no run judged the case.
   */
  readonly measured?: number | boolean | string | null;
  /** The trace hash of the run the case was judged on (a variant's first run; an explored seed's run), if one was made. */
  readonly traceHash?: string;
  /** For a golden case: the hash its golden file pinned for the variant, or null when it pins none. */
  readonly golden?: string | null;
}

/** The cases of one scenario (a JUnit testsuite). */
export interface GateSuite {
  readonly name: string;
  readonly file: string;
  /** The seed its runs were made at; null for a suite of input the gate refused (no run made). */
  readonly seed: number | null;
  /**
   * The user module gated in place of v2 (`--scheduler`'s, or the scenario's own), if any, by the
   * name its runs know it by (`module:./x.mjs`), the same wherever the gate runs.
   */
  readonly scheduler: string | null;
  /**
   * The scheduler modules its timeline deploys (`module:./mods/x.ts`), each once, in the order it
   * first deploys them; absent or empty for none.
   */
  readonly deploys?: readonly string[];
  readonly cases: readonly GateCase[];
  /** The real time from its first run's start to its last run's end (`suiteWallMs`). */
  readonly wallMs: number;
}

export interface GateCounts {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
}

export interface GateReport {
  readonly suites: readonly GateSuite[];
  readonly counts: GateCounts;
  readonly exitCode: number;
  /** With `updateGolden`: the golden hashes to write, by scenario index (null: nothing to write). */
  readonly golden: readonly (GoldenFile | null)[];
}

/** Where the two runs of a variant first differ (run again by the caller), or null. */
export type LocateDivergence = (scenario: number, variant: string) => Divergence | null;

// ------------------------------------------------------------------------------ plan

/**
 * The seeds explored for a scenario: the ones after its own (`seed + 1` ... `seed + count`), the
 * same consecutive sweep `aftershock explore` makes over a scenario, so a failure found here is
 * found there too and reproduces with `aftershock run FILE --variant fixed --seed S`.
 */
export function exploreSeedsOf(baseSeed: number, count: number): number[] {
  // Past the largest seed `baseSeed + i` rounds and two explored seeds are one (the CLI refuses it).
  if (count > 0 && baseSeed > sweepBaseMax(count + 1))
    throw new Error(`explored seeds ${baseSeed} + 1 to + ${count} pass the largest seed ${SEED_MAX}`);
  return Array.from({ length: count }, (_, i) => baseSeed + i + 1);
}

/** Variants the `expect` list names, in the order it first names them. */
export function expectedVariants(scenario: Scenario): string[] {
  const out: string[] = [];
  for (const e of scenario.expect) if (!out.includes(e.variant)) out.push(e.variant);
  return out;
}

/** Every run the gate needs, in a fixed order: per scenario, each variant twice, then explored seeds. */
export function planGate(scenarios: readonly GateScenario[], c: GateConstraints): GatePlan {
  const runs: GateRun[] = [];
  const plans: ScenarioPlan[] = [];
  scenarios.forEach((gs, index) => {
    const gated: string[] = [];
    const skipped = new Map<string, string>();
    for (const variant of expectedVariants(gs.scenario)) {
      const reason = gs.substitution ? variantSkipReason(gs.substitution, variant) : null;
      if (reason !== null) skipped.set(variant, reason);
      else gated.push(variant);
    }
    for (const variant of gated) {
      runs.push({ scenario: index, variant, seed: gs.compiled.config.seed, role: "first" });
      runs.push({ scenario: index, variant, seed: gs.compiled.config.seed, role: "second" });
      if (c.freshImports === true && runsModule(gs))
        runs.push({ scenario: index, variant, seed: gs.compiled.config.seed, role: "fresh" });
    }
    const exploreSeeds = exploreSeedsOf(gs.compiled.config.seed, c.exploreSeeds);
    // A seed with no property left to judge is a skipped case, not a run.
    if (exploredProperties(gs.scenario).length > 0)
      for (const seed of exploreSeeds)
        runs.push({ scenario: index, variant: EXPLORE_VARIANT, seed, role: "explore" });
    plans.push({ gated, skipped, exploreSeeds });
  });
  return { runs, scenarios: plans };
}

/**
 * Whether a scenario's runs may run a scheduler module: one in v2's place (`--scheduler`, or the
 * scenario's own), or one a deploy of its timeline rolls out.
 */
function runsModule(gs: Pick<GateScenario, "compiled" | "substitution">): boolean {
  const { config } = gs.compiled;
  return (
    gs.substitution !== null || isModuleScheduler(config.scheduler.name) || deployedModules(gs).length > 0
  );
}

/**
 * The scheduler modules the scenario's timeline deploys, each once, with when it first does: the
 * suite and a failed run's details name them beside the scheduler the runs start with.
 */
function deployedModules(gs: Pick<GateScenario, "compiled">): { module: string; atMs: number }[] {
  const out: { module: string; atMs: number }[] = [];
  for (const a of gs.compiled.config.timeline) {
    if (a.action !== "deploy" || !isModuleScheduler(a.scheduler)) continue;
    if (!out.some((d) => d.module === a.scheduler)) out.push({ module: a.scheduler, atMs: a.atMs });
  }
  return out;
}

/** The inputs of one planned run; `substitution` is the module in place of v2, as this scenario names it. */
export function gateRunInput(
  gs: Pick<GateScenario, "compiled">,
  run: Pick<GateRun, "variant" | "seed">,
  substitution: ModuleStandIn | null,
): RunInput {
  let input = applyVariant(gs.compiled, run.variant);
  if (input === null) throw new Error(`unknown variant ${run.variant}`);
  if (run.seed !== input.config.seed) input = withSeed(input, run.seed);
  if (substitution !== null) input = substituteScheduler(input, substitution);
  return input;
}

/**
 * Runs one planned run. A `second` or `fresh` run skips the checkers (only its trace hash is
 * compared), which makes it the cheaper.
 */
export function executeGateRun(
  input: RunInput,
  role: RunRole,
  options: RunOptions,
  now: () => number = () => 0,
): GateRunResult {
  const started = now();
  if (role === "second" || role === "fresh") {
    const world = buildWorld(input, options);
    const outcome = world.run();
    return {
      traceHash: world.sim.trace.hash,
      events: world.sim.trace.length,
      stopReason: outcome.reason,
      detail: outcome.detail,
      report: null,
      wallMs: now() - started,
    };
  }
  const { report } = runWorld(input, options);
  return {
    traceHash: report.traceHash,
    events: report.events,
    stopReason: report.run.stopReason,
    detail: report.run.detail,
    report,
    wallMs: now() - started,
  };
}

// ------------------------------------------------------------------------------ judge

/** Turns the results of a plan's runs (same order as `plan.runs`) into test cases. */
export function judgeGate(
  scenarios: readonly GateScenario[],
  plan: GatePlan,
  results: readonly GateRunResult[],
  c: GateConstraints,
  locate: LocateDivergence,
): GateReport {
  const byKey = new Map<string, GateRunResult>();
  plan.runs.forEach((run, i) => {
    byKey.set(runKey(run), results[i]);
  });
  // Locating a divergence runs the variant twice more: once per variant, however many cases ask.
  const located = new Map<string, Divergence | null>();
  const locateOnce: LocateDivergence = (scenario, variant) => {
    const key = `${scenario}\u0000${variant}`;
    if (!located.has(key)) located.set(key, locate(scenario, variant));
    return located.get(key) ?? null;
  };
  const suites: GateSuite[] = [];
  const golden: (GoldenFile | null)[] = [];
  scenarios.forEach((gs, index) => {
    const judged = judgeScenario(gs, index, plan.scenarios[index], byKey, c, locateOnce);
    suites.push(judged.suite);
    golden.push(judged.golden);
  });
  return { ...summarize(suites), golden };
}

/**
 * The report once the golden file of scenario `index` could not be written (`why`): its golden
 * cases no longer say a hash was recorded; they are errors (exit 2) that say why it was not.
 */
export function goldenNotWritten(report: GateReport, index: number, why: string): GateReport {
  const suites = report.suites.map((suite, i) =>
    i !== index
      ? suite
      : {
          ...suite,
          cases: suite.cases.map((k) =>
            k.kind === "golden" && k.status === "passed"
              ? { ...k, status: "error" as const, message: `not recorded: ${why}`, exitCode: GATE_EXIT.usage }
              : k,
          ),
        },
  );
  return { ...report, ...summarize(suites) };
}

/** A problem of input the gate refused: where it is (a file, or none) and what it says. */
export interface RefusedProblem {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/**
 * The report of input the gate refused before any run (exit `exitCode`, 2): a suite per file with
 * problems (one named `aftershock gate` for those with no file), each problem an error case at its
 * place, so that the JUnit and Markdown reports say the refusal as they say a run's results.
 */
export function refusalReport(problems: readonly RefusedProblem[], exitCode: number): GateReport {
  const byFile = new Map<string, GateCase[]>();
  for (const problem of problems) {
    const file = problem.file ?? "";
    const cases = byFile.get(file) ?? [];
    byFile.set(file, cases);
    const where = problem.line === null ? "" : ` (${problem.line}:${problem.column})`;
    cases.push({
      name: uniqueName(cases, `${file === "" ? "aftershock gate" : file} input refused`),
      classname: file === "" ? "aftershock-gate" : file,
      kind: "scenario",
      variant: null,
      status: "error",
      message: `${problem.message}${where}`,
      details: REFUSED_BEFORE_ANY_RUN,
      line: problem.line,
      column: problem.column,
      exitCode,
      wallMs: 0,
    });
  }
  const suites = [...byFile].map(([file, cases]) => ({
    name: file === "" ? "aftershock gate" : file,
    file,
    seed: null,
    scheduler: null,
    cases,
    wallMs: 0,
  }));
  return { ...summarize(suites), golden: [] };
}

/** The counts and exit code of some suites' cases. */
function summarize(suites: readonly GateSuite[]): Pick<GateReport, "suites" | "counts" | "exitCode"> {
  const all = suites.flatMap((s) => s.cases);
  const counts: GateCounts = {
    tests: all.length,
    passed: all.filter((k) => k.status === "passed").length,
    failed: all.filter((k) => k.status === "failed").length,
    errors: all.filter((k) => k.status === "error").length,
    skipped: all.filter((k) => k.status === "skipped").length,
  };
  return { suites, counts, exitCode: worstExit(all.map((k) => k.exitCode)) };
}

/** The most severe of several exit codes (internal > nondeterminism > failed > ok). */
export function worstExit(codes: readonly number[]): number {
  let worst = 0;
  for (const code of codes) if (SEVERITY.indexOf(code as 0) > SEVERITY.indexOf(worst as 0)) worst = code;
  return worst;
}

function runKey(run: Pick<GateRun, "scenario" | "variant" | "seed" | "role">): string {
  return `${run.scenario}\u0000${run.variant}\u0000${run.seed}\u0000${run.role}`;
}

interface CaseBuilder {
  readonly gs: GateScenario;
  readonly c: GateConstraints;
  readonly cases: GateCase[];
}

function judgeScenario(
  gs: GateScenario,
  index: number,
  plan: ScenarioPlan,
  byKey: ReadonlyMap<string, GateRunResult>,
  c: GateConstraints,
  locate: LocateDivergence,
): { suite: GateSuite; golden: GoldenFile | null } {
  const b: CaseBuilder = { gs, c, cases: [] };
  const seed = gs.compiled.config.seed;
  const name = gs.scenario.name;
  const result = (variant: string, role: RunRole, s = seed) =>
    byKey.get(runKey({ scenario: index, variant, seed: s, role }));
  // Every run of the suite, for its time (`suiteWallMs`).
  const suiteRuns: (GateRunResult | undefined)[] = [];

  if (gs.scenario.expect.length === 0) {
    b.cases.push(
      makeCase(b, "scenario", null, "no expectations", "skipped", {
        message:
          "the scenario has no `expect` list: nothing to gate (add expectations for the variants it should pin)",
      }),
    );
  }

  // Expectations, in document order.
  const firstCaseOf = new Set<string>();
  gs.scenario.expect.forEach((expectation, i) => {
    const before = b.cases.length;
    judgeExpectationCase(expectation, i);
    const run = result(expectation.variant, "first");
    if (plan.skipped.has(expectation.variant) || run === undefined) return;
    // A run stopped early judges nothing: what it measured by then is not the scenario's.
    const measured =
      run.report === null || stopCase(run, gs.scenario) !== null
        ? undefined
        : measuredValue(expectation, run.report);
    attachRun(b, before, run, measured === undefined ? {} : { measured });
  });
  function judgeExpectationCase(expectation: Expectation, i: number): void {
    const variant = expectation.variant;
    const where = gs.scenario.source.locate(["expect", i]);
    const skip = plan.skipped.get(variant);
    const label = expectationLabel(expectation);
    const at = { line: where?.line ?? null, column: where?.column ?? null };
    if (skip !== undefined) {
      b.cases.push(makeCase(b, "expectation", variant, label, "skipped", { message: skip, ...at }));
      return;
    }
    const run = result(variant, "first");
    const first = !firstCaseOf.has(variant);
    firstCaseOf.add(variant);
    const runMs = first && run ? run.wallMs : 0;
    // Before the report is needed: a run stopped early may have none (the pool's watchdog).
    const stopped = run ? stopCase(run, gs.scenario) : null;
    if (run && stopped) {
      b.cases.push(
        makeCase(b, "expectation", variant, label, stopped.status, {
          ...stopped,
          ...at,
          wallMs: runMs,
          reproduce: reproduce(gs, variant, seed),
        }),
      );
      return;
    }
    if (!run || run.report === null) {
      b.cases.push(
        makeCase(b, "expectation", variant, label, "error", {
          message: "the run is missing",
          exitCode: GATE_EXIT.internal,
          ...at,
        }),
      );
      return;
    }
    if (expectation.kind === "property" && isDeterminismExpectation(expectation)) {
      // One run cannot judge it: the variant's two runs do, and this case stands for the check.
      const expected = { holds: expectation.holds, label, ...at, index: i };
      const others = { second: result(variant, "second"), fresh: result(variant, "fresh") };
      judgeDeterminism(b, index, variant, run, others, locate, expected);
      return;
    }
    const judged: ExpectationResult = judgeExpectations(
      gs.scenario.expect,
      variant,
      run.report.metrics,
      run.report.verdicts,
    ).find((r) => r.index === i)!;
    const shown = expectationMessageShown(judged, clockOfRuns([run.report]));
    if (judged.ok) {
      const k = {
        ...makeCase(b, "expectation", variant, judged.name, "passed", {
          message: judged.message,
          ...at,
          wallMs: runMs,
        }),
        ...(shown === judged.message ? {} : { shown }),
      };
      b.cases.push(judged.notExercised ? { ...k, notExercised: true } : k);
      return;
    }
    const cascade = cascadeNote(
      run.report,
      expectation.kind === "property" && expectation.property === "no-cascade",
    );
    const failed = makeCase(b, "expectation", variant, judged.name, "failed", {
      message: `${judged.message}${cascade}`,
      details: [
        `expected: ${judged.name}`,
        `measured: ${judged.actual}`,
        `at: ${gs.file}${where ? `:${where.line}:${where.column}` : ""} (expect[${i}])`,
        runContext(run.report, gs),
      ].join("\n"),
      reproduce: reproduce(gs, variant, seed),
      exitCode: GATE_EXIT.failed,
      ...at,
      wallMs: runMs,
    });
    b.cases.push(shown === judged.message ? failed : { ...failed, shown: `${shown}${cascade}` });
  }

  // Determinism and golden hashes, per gated variant.
  // A golden file holds every gated variant or is not written: these variants keep it unwritten.
  const unrecordable = plan.gated.filter((variant) => {
    const first = result(variant, "first");
    const fresh = result(variant, "fresh");
    return (
      !first ||
      !sameTrace(first, result(variant, "second")) ||
      (fresh !== undefined && !sameTrace(first, fresh)) ||
      stopCase(first, gs.scenario) !== null
    );
  });
  const recorded: Record<string, GoldenVariant> = {};
  for (const variant of plan.gated) {
    const first = result(variant, "first");
    const second = result(variant, "second");
    const fresh = result(variant, "fresh");
    suiteRuns.push(first, second, fresh);
    const before = b.cases.length;
    const deterministic = expectsDeterminism(gs.scenario, variant)
      ? sameTrace(first, second) && (fresh === undefined || sameTrace(first, fresh))
      : judgeDeterminism(b, index, variant, first, { second, fresh }, locate, null);
    attachRun(b, before, first);
    if (!c.substitution && first) {
      if (unrecordable.length === 0) recorded[variant] = { traceHash: first.traceHash, events: first.events };
      const golden = b.cases.length;
      judgeGoldenCase(b, variant, first, deterministic, unrecordable);
      attachRun(b, golden, first, { golden: gs.golden?.variants[variant]?.traceHash ?? null });
    }
  }

  // Explored seeds.
  const leftOut = exploreLeftOut(gs.scenario);
  for (const s of plan.exploreSeeds) {
    if (leftOut.length === EXPLORE_PROPERTIES.length) {
      const message = `not judged: ${leftOut.map(leftOutText).join(", and ")}`;
      b.cases.push(makeCase(b, "explore", EXPLORE_VARIANT, `explore seed ${s}`, "skipped", { message }));
      continue;
    }
    const run = result(EXPLORE_VARIANT, "explore", s);
    suiteRuns.push(run);
    const before = b.cases.length;
    judgeExploreCase(b, run, s);
    attachRun(b, before, run);
  }

  const golden =
    c.updateGolden && !c.substitution && unrecordable.length === 0 && Object.keys(recorded).length > 0
      ? { scenario: name, seed, variants: recorded }
      : null;
  return {
    suite: {
      name,
      file: gs.file,
      seed,
      scheduler: gs.substitution === null ? null : (gs.substitutionName ?? gs.substitution.path),
      deploys: deployedModules(gs).map((d) => d.module),
      cases: b.cases,
      wallMs: suiteWallMs(suiteRuns),
    },
    golden,
  };
}

/**
 * The real time a suite took: from the start of its first run to the end of its last, where the
 * runner placed them on one time line (`endedAtMs`). Its runs may overlap on several threads
 * (`--jobs`), so this is less than the sum of their times, and no more than the gate's own wall
 * time; without that placing, runs are taken to follow one another (the sum).
 */
export function suiteWallMs(runs: readonly (GateRunResult | undefined)[]): number {
  const made = runs.filter((r): r is GateRunResult => r !== undefined);
  if (made.length === 0) return 0;
  if (made.some((r) => r.endedAtMs === undefined)) return made.reduce((sum, r) => sum + r.wallMs, 0);
  const started = Math.min(...made.map((r) => r.endedAtMs! - r.wallMs));
  const ended = Math.max(...made.map((r) => r.endedAtMs!));
  return ended - started;
}

/**
 * Gives the cases made since `from` the trace hash of the run they were judged on (none when it
 * is missing), and `also` (an expectation's measured value, a golden case's pinned hash).
 */
function attachRun(
  b: CaseBuilder,
  from: number,
  run: GateRunResult | undefined,
  also: Pick<GateCase, "measured" | "golden"> = {},
): void {
  for (let k = from; k < b.cases.length; k++) {
    b.cases[k] = { ...b.cases[k], ...(run === undefined ? {} : { traceHash: run.traceHash }), ...also };
  }
}

/** What a run measured for an expectation (`GateCase.measured`): the metric's value, or whether the property held; undefined when not measured. */
function measuredValue(e: Expectation, report: RunReport): GateCase["measured"] {
  if (e.kind === "property") return report.verdicts.find((v) => v.property === e.property)?.ok;
  const value = metricValue(report.metrics, e.metric);
  return value === null || ["number", "boolean", "string"].includes(typeof value)
    ? (value as GateCase["measured"])
    : undefined;
}

/** An `expect` entry on the `deterministic` property: judged by the variant's two runs. */
function isDeterminismExpectation(e: Expectation): boolean {
  return e.kind === "property" && e.property === "deterministic";
}

/** Whether the scenario's `expect` list judges the variant's determinism itself. */
function expectsDeterminism(scenario: Scenario, variant: string): boolean {
  return scenario.expect.some((e) => e.variant === variant && isDeterminismExpectation(e));
}

function sameTrace(first: GateRunResult | undefined, second: GateRunResult | undefined): boolean {
  return (
    first !== undefined &&
    second !== undefined &&
    first.traceHash === second.traceHash &&
    first.events === second.events
  );
}

/** A `deterministic` expectation the determinism case stands for: its outcome, label and place. */
interface DeterminismExpected {
  readonly holds: boolean;
  readonly label: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly index: number;
}

/** The runs of a variant the determinism case compares with its first. */
interface LaterRuns {
  readonly second: GateRunResult | undefined;
  /** On a thread that loaded the scheduler module anew; absent when not planned. */
  readonly fresh: GateRunResult | undefined;
}

/**
 * Compares the runs of a variant (two, or three with a `fresh` one); true when they agree.
 * Without an expectation, they must agree (else exit 3). With one on `deterministic`, the case
 * is that expectation: `holds: true` is the same check, at the expectation's line; `holds: false`
 * passes only when they differ.
 */
function judgeDeterminism(
  b: CaseBuilder,
  index: number,
  variant: string,
  first: GateRunResult | undefined,
  { second, fresh }: LaterRuns,
  locate: LocateDivergence,
  expected: DeterminismExpected | null,
): boolean {
  const wallMs = (second?.wallMs ?? 0) + (fresh?.wallMs ?? 0);
  const holds = expected?.holds ?? true;
  const kind: CaseKind = holds ? "determinism" : "expectation";
  const label = expected?.label ?? "deterministic";
  const at = { line: expected?.line ?? null, column: expected?.column ?? null };
  if (!first || !second) {
    b.cases.push(
      makeCase(b, kind, variant, label, "error", {
        message: "a run is missing",
        exitCode: GATE_EXIT.internal,
        ...at,
      }),
    );
    return false;
  }
  const seed = b.gs.compiled.config.seed;
  const budgeted = [first, second, fresh].find(
    (r) => r?.stopReason === "wall-budget" || r?.stopReason === "stack-overflow",
  );
  if (budgeted !== undefined) {
    // Where a wall-clock budget stops a run depends on the machine's speed, and whether a stack
    // overflows on the thread and the compiler, not on the inputs: two such traces may differ
    // without anything nondeterministic in the simulation.
    const what =
      budgeted.stopReason === "wall-budget" ? "where the wall clock stops a run" : "where a stack overflows";
    const message = `not compared: a run stopped early (${budgeted.detail}), and ${what} is not reproducible`;
    b.cases.push(
      expected === null
        ? makeCase(b, kind, variant, label, "skipped", { message, wallMs })
        : makeCase(b, kind, variant, label, "error", {
            message: `${message}${stopAdvice(budgeted, b.gs.scenario)}`,
            exitCode: GATE_EXIT.usage,
            wallMs,
            ...at,
          }),
    );
    return false;
  }
  const freshDiffers = fresh !== undefined && !sameTrace(first, fresh);
  if (sameTrace(first, second) && !freshDiffers) {
    const runs = fresh === undefined ? "two runs" : `three runs (the third ${FRESH_THREAD})`;
    const same = `${runs} at seed ${seed} gave the same trace (${first.traceHash}, ${first.events} events)`;
    if (holds) {
      b.cases.push(makeCase(b, kind, variant, label, "passed", { message: same, wallMs, ...at }));
      return true;
    }
    const where = `${b.gs.file}${at.line === null ? "" : `:${at.line}:${at.column}`} (expect[${expected!.index}])`;
    b.cases.push(
      makeCase(b, kind, variant, label, "failed", {
        message: `expected deterministic to fail, but it holds: ${same}`,
        details: [`expected: ${label}`, "measured: holds", `at: ${where}`].join("\n"),
        reproduce: gateCommand(b.gs, b.c),
        exitCode: GATE_EXIT.failed,
        wallMs,
        ...at,
      }),
    );
    return true;
  }
  const other = freshDiffers && sameTrace(first, second) ? fresh : second;
  if (!holds) {
    const runs = other === fresh ? `a run ${FRESH_THREAD} and the two before it` : "two runs";
    b.cases.push(
      makeCase(b, kind, variant, label, "passed", {
        message: `deterministic fails as expected: ${runs} at seed ${seed} gave different traces (${first.traceHash}, ${first.events} events vs ${other.traceHash}, ${other.events} events)`,
        wallMs,
        ...at,
      }),
    );
    return false;
  }
  if (other === fresh) {
    // Two more runs in lockstep on one thread would share the module as loaded: nothing to locate.
    b.cases.push(
      makeCase(b, kind, variant, label, "failed", {
        message: `nondeterminism: a run ${FRESH_THREAD} gave a different trace (hash ${fresh.traceHash} vs ${first.traceHash}) from two runs that agree on one thread: something the scheduler module reads as it is imported (Math.random(), say) changes its runs`,
        details: [
          `runs of ${b.gs.scenario.name} [${variant}] at seed ${seed}: the two on one thread agree, the one ${FRESH_THREAD} differs`,
          `run 1: ${first.traceHash} (${first.events} events)`,
          `run 2: ${second.traceHash} (${second.events} events)`,
          `run 3, ${FRESH_THREAD}: ${fresh.traceHash} (${fresh.events} events)`,
          "look at the module's top-level code, and what it imports: a value read there once (a random number, the time) stays for every run that loaded it, and differs in the next process",
        ].join("\n"),
        reproduce: reproduce(b.gs, variant, seed),
        exitCode: GATE_EXIT.nondeterminism,
        wallMs,
        ...at,
      }),
    );
    return false;
  }
  const divergence = locate(index, variant);
  const verdict: Verdict = deterministicVerdict(first.traceHash, second.traceHash, divergence ?? undefined);
  const where =
    divergence === null
      ? [
          "run twice more in lockstep, they did not diverge: the nondeterminism is intermittent, or the module keeps state between runs (a module-level variable), which the two reruns started from alike",
        ]
      : [
          `run twice more in lockstep, they first differ at event #${divergence.seq}${timeOf(divergence)}:`,
          `  one:   ${divergence.a === undefined ? "(its trace had ended)" : JSON.stringify(divergence.a)}`,
          `  other: ${divergence.b === undefined ? "(its trace had ended)" : JSON.stringify(divergence.b)}`,
        ];
  b.cases.push(
    makeCase(b, kind, variant, label, "failed", {
      message: `nondeterminism: ${verdict.detail}`,
      details: [
        `two runs of ${b.gs.scenario.name} [${variant}] at seed ${b.gs.compiled.config.seed} produced different traces`,
        `run 1: ${first.traceHash} (${first.events} events)`,
        `run 2: ${second.traceHash} (${second.events} events)`,
        ...where,
        "something in the run reads the real clock, Math.random, or state kept between runs (module-level variables), or catches a stack overflow of its own (a recursion too deep for some threads)",
      ].join("\n"),
      reproduce: reproduce(b.gs, variant, b.gs.compiled.config.seed),
      exitCode: GATE_EXIT.nondeterminism,
      wallMs,
      ...at,
    }),
  );
  return false;
}

/** Where a variant's `fresh` run was made, as the determinism case says it. */
const FRESH_THREAD = "on a thread that loaded the scheduler module anew";

function timeOf(d: Divergence): string {
  const t = d.a?.t ?? d.b?.t;
  return typeof t === "number" ? ` (t = ${new Date(t).toISOString()})` : "";
}

/**
 * The golden case of a variant. With `updateGolden`, it says what is written: nothing for a run
 * stopped early (an error: the limits must change first), nor for any variant when another one
 * cannot be recorded.
 */
function judgeGoldenCase(
  b: CaseBuilder,
  variant: string,
  run: GateRunResult,
  deterministic: boolean,
  unrecordable: readonly string[],
): void {
  const { gs, c } = b;
  const label = "golden trace hash";
  const update = updateGoldenCommand(gs.file);
  const stopped = stopCase(run, gs.scenario);
  if (stopped !== null) {
    const why =
      run.stopReason === "halted" ? `internal error: ${run.detail}` : `the run stopped early (${run.detail})`;
    b.cases.push(
      c.updateGolden
        ? makeCase(b, "golden", variant, label, "error", {
            message: `not recorded in ${gs.goldenFile}: ${why}${run.stopReason === "halted" ? "; the trace is not the scenario's" : stopLimit(run.stopReason) === "stack" ? "" : `${stopAdvice(run, gs.scenario)}, then update again`}`,
            exitCode: stopped.exitCode,
          })
        : makeCase(b, "golden", variant, label, "skipped", { message: `not compared: ${why}` }),
    );
    return;
  }
  if (c.updateGolden) {
    const old = gs.golden?.variants[variant];
    const others = unrecordable.filter((v) => v !== variant);
    const message = !deterministic
      ? "not recorded: the two runs disagree"
      : others.length > 0
        ? `not recorded: ${gs.goldenFile} is not written, as the runs of ${others.map((v) => `[${v}]`).join(", ")} disagree or stopped early`
        : old === undefined
          ? `recorded ${run.traceHash} (${run.events} events) in ${gs.goldenFile}`
          : updatedMessage(gs, old, run);
    const status = deterministic && others.length === 0 ? "passed" : "skipped";
    b.cases.push(makeCase(b, "golden", variant, label, status, { message }));
    return;
  }
  if (!deterministic) {
    b.cases.push(
      makeCase(b, "golden", variant, label, "skipped", { message: "not compared: the two runs disagree" }),
    );
    return;
  }
  const golden = gs.golden;
  const pinned = golden?.variants[variant];
  if (!golden || !pinned) {
    // A deleted golden file passes the gate, skipped: say so, so that it is noticed; with
    // --require-golden it fails the case.
    const required = c.requireGolden === true;
    b.cases.push(
      makeCase(b, "golden", variant, label, required ? "failed" : "skipped", {
        message: [
          golden
            ? `no golden hash recorded for this variant in ${gs.goldenFile}`
            : `no golden file ${gs.goldenFile} (none recorded yet, or deleted)`,
          required ? ", and --require-golden requires one: run " : ": run ",
          { command: update },
          required ? " to record it, then commit it" : " to pin it",
        ],
        ...(required ? { exitCode: GATE_EXIT.failed } : {}),
      }),
    );
    return;
  }
  const seed = gs.compiled.config.seed;
  const differences = goldenDifferences(golden, pinned, seed, run);
  if (differences.length === 0) {
    b.cases.push(
      makeCase(b, "golden", variant, label, "passed", {
        message: `matches ${gs.goldenFrom ?? gs.goldenFile}: ${run.traceHash}`,
      }),
    );
    return;
  }
  const pinnedAt = `${pinned.traceHash} (${pinned.events} events, seed ${golden.seed})`;
  const now = `${run.traceHash} (${run.events} events, seed ${seed})`;
  const said = [
    `golden: ${pinnedAt} in ${gs.goldenFrom ?? gs.goldenFile}`,
    `now:    ${now}`,
    `differs: ${differences.join(", ")}`,
  ];
  if (pinned.traceHash !== run.traceHash) {
    const changed = hashChange(gs, variant, golden, pinned, run, seed);
    b.cases.push(
      makeCase(b, "golden", variant, label, "failed", {
        message: changed.message,
        details: [...said, ...changed.details].join("\n"),
        ...(changed.reproduce === undefined ? {} : { reproduce: changed.reproduce }),
        exitCode: GATE_EXIT.failed,
      }),
    );
    return;
  }
  b.cases.push(
    makeCase(b, "golden", variant, label, "failed", {
      message: [
        `${gs.goldenFrom ?? gs.goldenFile} disagrees with the run, whose trace hash ${run.traceHash} it matches: ${differences.join(", ")}: ${
          pinned.events !== run.events
            ? "one trace cannot have two event counts, so the golden file was edited or damaged"
            : "the golden file was edited, or this trace does not depend on the seed"
        }; rewrite it with `,
        { command: update },
      ],
      details: [
        ...said,
        "a golden file pins the trace hash, the event count and the seed together.",
        `to rewrite it: ${update}, then commit ${gs.goldenFile}`,
      ].join("\n"),
      exitCode: GATE_EXIT.failed,
    }),
  );
}

/** What a golden case whose trace hash changed says: its message, its details after the hashes, the run to trace. */
interface HashChange {
  readonly message: CommandText;
  readonly details: readonly string[];
  readonly reproduce?: string;
}

/**
 * Why a variant's trace hash differs from its golden's, most likely cause first: a golden of a
 * newer trace format (pinned by a newer aftershock: pinning it again here would downgrade it, so
 * it is not suggested), the seed, an older trace format, or the behaviour. The message is short
 * enough for a Markdown summary's cell to keep the verdict and the command whole; the hashes and
 * the reasoning are in the details.
 */
function hashChange(
  gs: GateScenario,
  variant: string,
  golden: GoldenFile,
  pinned: GoldenVariant,
  run: GateRunResult,
  seed: number,
): HashChange {
  const update = updateGoldenCommand(gs.file);
  const pinnedFormat = golden.traceFormat ?? 1;
  const front = "trace hash changed: ";
  if (pinnedFormat > TRACE_FORMAT)
    return {
      message: [
        `${front}the golden is of trace format ${pinnedFormat}, newer than the format ${TRACE_FORMAT} this aftershock writes, so an older aftershock than the one that pinned it runs this gate; gate with that version or a later one`,
      ],
      details: [
        `hashes of two trace formats cannot be compared, so this aftershock cannot tell whether the behaviour changed; pinned again here, the golden would go back to format ${TRACE_FORMAT}.`,
      ],
    };
  const intended = (what: string): CommandText => [`${what}, run `, { command: update }, " and commit it"];
  const commit = (what: string) => `${what}: ${update}, then commit ${gs.goldenFile}`;
  if (golden.seed !== seed)
    return {
      message: [
        `${front}the scenario's seed changed (golden ${golden.seed}, now ${seed}), and another seed gives another trace; `,
        ...intended("if that is intended"),
      ],
      details: [
        "the golden hash was recorded at another seed: every hash of the scenario changes with its seed.",
        commit("if that is intended"),
      ],
    };
  const traced = {
    reproduce: commandLine([...runCommand(gs, variant, seed), "--trace", "new.jsonl"]),
    seeWhat: "to see what changed, trace the run below here and at the previous commit",
  };
  const recovered = recoveredPanics(run);
  const edit = `an edit of ${gs.file}, or a change to the world, the checks or a scheduler,`;
  const since = formatsSince(pinnedFormat);
  if (formatMayExplain(pinnedFormat, run)) {
    const formats = `${front}the golden was pinned under trace format ${pinnedFormat} and this aftershock writes format ${TRACE_FORMAT}`;
    // Its own counts say whether the format alone may explain it: then nothing is to be intended.
    const alone = pinned.events === run.events;
    const pin = `to pin it in format ${TRACE_FORMAT}`;
    const same =
      recovered > 0
        ? `this run recovered ${plural(recovered, "panic")} with the golden's event count`
        : "this run has the golden's event count";
    return {
      message: alone
        ? [`${formats}: ${same}, so its behaviour is likely unchanged; `, ...intended(pin)]
        : [
            `${formats}, and the event count differs, so the behaviour changed too; `,
            ...intended("if that is intended"),
          ],
      details: [
        `the trace format changed since the golden was pinned (${formatChanges(pinnedFormat)}); ${edit} may also have changed what this scenario does.`,
        commit(alone ? pin : "if that is intended"),
        traced.seeWhat,
      ],
      reproduce: traced.reproduce,
    };
  }
  // In a user's repository the scenario is as likely to have changed as aftershock.
  return {
    message: [
      `${front}the simulated behaviour of ${gs.scenario.name} [${variant}] changed; `,
      ...intended("if that is intended"),
    ],
    details: [
      `${
        since.length > 0
          ? `the golden's trace format ${pinnedFormat} differs from format ${TRACE_FORMAT} only in ${since.map((f) => FORMAT_REACH[f]!.only).join(" and ")}, and ${since.map((f) => FORMAT_REACH[f]!.none).join(", and ")}: `
          : ""
      }${edit} changed what this scenario does.`,
      ...(pinned.events === run.events && modulePanics(run) ? [MODULE_PANIC_TEXT] : []),
      commit("if that is intended"),
      traced.seeWhat,
    ],
    reproduce: traced.reproduce,
  };
}

/**
 * Said of a run of a scheduler module that panicked with the golden's event count: the trace names
 * where each panic was thrown in the module, so an edit that moves that line changes the hash alone.
 */
const MODULE_PANIC_TEXT =
  "the run has the golden's event count and its module panicked: each panic is traced with where in the module it was thrown (file:line:column), so an edit of the module that only moves the line that panics (a comment added above it) changes the hash too.";

/** The panics a run recovered. */
function recoveredPanics(run: GateRunResult): number {
  return run.report?.metrics.panicsRecovered ?? 0;
}

/** The store-latency faults a run injected (each traced as a `fault.injected`). */
function storeLatencies(run: GateRunResult): number {
  return run.report?.faults.fired["store-latency"] ?? 0;
}

/** What a trace format changed the hash of, as far as a run's report tells (see `FORMAT_REACH`). */
export interface FormatReach {
  /** Whether the format changed the hash of this run: it traced an event the format changed. */
  readonly affects: (run: GateRunResult) => boolean;
  /** The runs it changed, in words: "runs that recover a panic". */
  readonly only: string;
  /** That this run is none of them, in words: "this run recovered none". */
  readonly none: string;
}

/**
 * The runs whose hash each trace format after the first changed, told from a run's report. Add a
 * format's entry when you raise `TRACE_FORMAT` (src/world/events.ts): without one, the format is
 * taken to change any run's hash, and a golden of an older format is judged by its event count
 * alone (equal: the format likely explains the new hash), never said to be a change of behaviour.
 */
export const FORMAT_REACH: Readonly<Record<number, FormatReach>> = {
  // Format 2 touched `panic.recovered` alone: a run without one hashes alike under formats 1 and 2.
  2: {
    affects: (run) => recoveredPanics(run) > 0,
    only: "runs that recover a panic",
    none: "this run recovered none",
  },
  // Format 3 touched the `durationMs` of a store-latency's `fault.injected` alone.
  3: {
    affects: (run) => storeLatencies(run) > 0,
    only: "runs with a store-latency fault",
    none: "this run had none",
  },
  // Format 4 added a `location` to the panics of a scheduler module alone.
  4: {
    affects: (run) => modulePanics(run),
    only: "runs of a scheduler module that panic",
    none: "this run had no panic of a module",
  },
};

/**
 * Whether a run may have traced a panic of a scheduler module: it panicked (a death or a recovered
 * panic), and ran a module, from its start or deployed (its report names it, in its variant or its
 * key events). Told generously: a run this wrongly counts in is judged by its event count.
 */
function modulePanics(run: GateRunResult): boolean {
  const report = run.report;
  if (report === null) return true;
  if (report.metrics.panicDeaths + report.metrics.panicsRecovered === 0) return false;
  return (
    report.variant.scheduler.startsWith("module:") || report.timeline.some((e) => e.text.includes("module:"))
  );
}

/** The trace formats after `pinned`, up to `current`, in order. */
function formatsSince(pinned: number, current = TRACE_FORMAT): number[] {
  const since: number[] = [];
  for (let f = pinned + 1; f <= current; f++) since.push(f);
  return since;
}

/**
 * Whether the formats after a golden's `pinned` one (up to `current`) may explain a run's new
 * hash: one of them changed the hash of runs such as this one, or has no entry in `reach` to say
 * it did not.
 */
export function formatMayExplain(
  pinned: number,
  run: GateRunResult,
  current = TRACE_FORMAT,
  reach: Readonly<Record<number, FormatReach>> = FORMAT_REACH,
): boolean {
  return formatsSince(pinned, current).some((f) => reach[f]?.affects(run) ?? true);
}

/** What the trace formats after `pinned` changed, in order. */
function formatChanges(pinned: number): string {
  return formatsSince(pinned)
    .map((f) => `${f}: ${TRACE_FORMAT_CHANGES[f] ?? "see the trace catalogue"}`)
    .join("; ");
}

/** What a golden hash and the run it pins disagree on: `seed 5 → 6`, ...; empty when they agree. */
function goldenDifferences(
  golden: GoldenFile,
  pinned: GoldenVariant,
  seed: number,
  run: GateRunResult,
): string[] {
  const out: string[] = [];
  if (golden.seed !== seed) out.push(`seed ${golden.seed} → ${seed}`);
  if (pinned.traceHash !== run.traceHash) out.push(`trace hash ${pinned.traceHash} → ${run.traceHash}`);
  if (pinned.events !== run.events) out.push(`events ${pinned.events} → ${run.events}`);
  return out;
}

/** What `--update-golden` changes in a variant's golden hash. */
function updatedMessage(gs: GateScenario, old: GoldenVariant, run: GateRunResult): string {
  const differences =
    gs.golden === null ? [] : goldenDifferences(gs.golden, old, gs.compiled.config.seed, run);
  if (differences.length === 0) return `unchanged: ${run.traceHash}`;
  return `updated in ${gs.goldenFile}: ${differences.join(", ")}`;
}

function judgeExploreCase(b: CaseBuilder, run: GateRunResult | undefined, seed: number): void {
  const label = `explore seed ${seed}`;
  const variant = EXPLORE_VARIANT;
  // Before the report is needed: a run stopped early may have none (the pool's watchdog).
  const stopped = run ? stopCase(run, b.gs.scenario) : null;
  if (run && stopped) {
    b.cases.push(
      makeCase(b, "explore", variant, label, stopped.status, {
        ...stopped,
        wallMs: run.wallMs,
        reproduce: reproduce(b.gs, variant, seed),
      }),
    );
    return;
  }
  if (!run || run.report === null) {
    b.cases.push(
      makeCase(b, "explore", variant, label, "error", {
        message: "the run is missing",
        exitCode: GATE_EXIT.internal,
      }),
    );
    return;
  }
  const report = run.report;
  const judged = exploredProperties(b.gs.scenario);
  const leftOut = exploreLeftOut(b.gs.scenario);
  const failing = judged
    .map((p) => report.verdicts.find((v) => v.property === p))
    .filter((v): v is Verdict => v !== undefined && !v.ok);
  if (failing.length === 0) {
    const hold = judged.length === 1 ? "holds" : "hold";
    const out = leftOut.length === 0 ? "" : ` (left out: ${leftOut.map(leftOutText).join(", and ")})`;
    b.cases.push(
      makeCase(b, "explore", variant, label, "passed", {
        message: `${judged.join(" and ")} ${hold} at seed ${seed}${out}`,
        wallMs: run.wallMs,
      }),
    );
    return;
  }
  b.cases.push(
    makeCase(b, "explore", variant, label, "failed", {
      message: failing.map((v) => `${v.property} fails: ${v.detail}`).join("; "),
      details: runContext(report, b.gs),
      reproduce: reproduce(b.gs, variant, seed),
      exitCode: GATE_EXIT.failed,
      wallMs: run.wallMs,
    }),
  );
}

/**
 * A run that did not reach its horizon: its expectations cannot be judged. Stopped by a limit
 * of its scenario (`limits.maxEvents`, `limits.wallBudget`), it is the scenario's input that
 * must change (exit 2, as `run` and `compare` say); halted, it is the simulator's fault (exit 4).
 */
function stopCase(
  run: GateRunResult,
  scenario: Scenario,
): { status: CaseStatus; message: string; exitCode: number } | null {
  if (!stoppedEarly(run.stopReason)) return null;
  if (stopLimit(run.stopReason) === null) {
    return { status: "error", message: `internal error: ${run.detail}`, exitCode: GATE_EXIT.internal };
  }
  return {
    status: "error",
    message: `the run stopped early (${run.detail}): not judged${stopAdvice(run, scenario)}`,
    exitCode: GATE_EXIT.usage,
  };
}

/**
 * What to do about a run a limit stopped, after `; `: which limit to raise and where `scenario`
 * sets it, as `run` says, or nothing for the stack's, whose detail says what to do
 * (`STACK_OVERFLOW_WHY`).
 */
function stopAdvice(run: Pick<GateRunResult, "stopReason" | "detail">, scenario: Scenario): string {
  const key = stopLimit(run.stopReason);
  if (key === "stack") return "";
  const raise =
    key === null ? "raise the scenario's limits or make it smaller" : lowered(raiseLimitText(key, scenario));
  return `; ${loopAdvice(run.detail) ?? raise}`;
}

function lowered(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** A few words on a run that cascaded, for a failure whose message would not say so. */
function cascadeNote(report: RunReport, saysItAlready: boolean): string {
  if (saysItAlready || !report.metrics.cascade) return "";
  const verdict = report.verdicts.find((v) => v.property === "no-cascade");
  return ` (cascade: ${verdict?.detail ?? `depth ${report.metrics.cascadeDepth}`})`;
}

function runContext(report: RunReport, gs: Pick<GateScenario, "compiled">): string {
  const m = report.metrics;
  // The scheduler the run starts with, and the modules its timeline deploys, which run too.
  const deploys = deployedModules(gs)
    .map((d) => `, deploys ${d.module} at ${isoOf(d.atMs)}`)
    .join("");
  const lines = [
    `run: seed ${report.seed}, ${report.variant.scheduler}${report.variant.fixes.length ? ` with ${report.variant.fixes.join(", ")}` : " (no fixes)"}${deploys}, trace ${report.traceHash}, ${report.events} events`,
    `metrics: cascade depth ${m.cascadeDepth}, panic deaths ${m.panicDeaths}, panics recovered ${m.panicsRecovered}, alert at ${m.alertAt ?? "never"}, late ${m.deliveries.late}, missed ${m.deliveries.missed}, deleted schedules left ${m.deletedSchedulesLeft}`,
  ];
  for (const v of report.verdicts) if (!v.ok) lines.push(`${v.property} fails: ${v.detail}`);
  return lines.join("\n");
}

/**
 * The command that replays the judged run. With a module, `run --scheduler` puts it in place of
 * v2 as the gate does (deploys included), with the variant's fixes: the same trace hash.
 */
function reproduce(gs: GateScenario, variant: string, seed: number): string {
  return commandLine(runCommand(gs, variant, seed));
}

/**
 * The `run` command of a variant at a seed: `--variant`, or with a module `--scheduler MODULE`
 * and the fixes the variant gives it (`--variant` would run the bundled v2 in its place).
 */
function runCommand(gs: GateScenario, variant: string, seed: number): (string | number)[] {
  const run = ["aftershock", "run", gs.argument];
  const sub = gs.substitution;
  if (!sub)
    return [...run, "--variant", variant, ...(seed === gs.compiled.config.seed ? [] : ["--seed", seed])];
  const fixes = moduleFixesOf(sub, variant);
  return [
    ...run,
    "--scheduler",
    sub.path,
    ...(fixes.length > 0 ? ["--fix", fixes.join(",")] : []),
    "--seed",
    seed,
  ];
}

/** The command that rewrites the golden hashes of one scenario file, as it was given. */
export function updateGoldenCommand(file: string): string {
  return commandLine(["aftershock", "gate", file, "--update-golden"]);
}

/** The gate of one scenario, with the module in place of v2 if there is one. */
function gateCommand(gs: GateScenario, c: GateConstraints): string {
  const scheduler = c.substitution ? ["--scheduler", c.substitution.path] : [];
  return commandLine(["aftershock", "gate", gs.file, ...scheduler]);
}

interface CaseFields {
  /** Text, or text that names commands (kept apart in `messageParts`). */
  readonly message: string | CommandText;
  readonly details?: string;
  /** The command that replays the case's run: written after `details` as `reproduce: …`. */
  readonly reproduce?: string;
  readonly line?: number | null;
  readonly column?: number | null;
  readonly exitCode?: number;
  readonly wallMs?: number;
}

function makeCase(
  b: CaseBuilder,
  kind: CaseKind,
  variant: string | null,
  label: string,
  status: CaseStatus,
  f: CaseFields,
): GateCase {
  const scenario = b.gs.scenario.name;
  const name = variant === null ? `${scenario} ${label}` : `${scenario} [${variant}] ${label}`;
  return {
    name: uniqueName(b.cases, name),
    classname: variant === null ? scenario : `${scenario}.${variant}`,
    kind,
    variant,
    status,
    ...(typeof f.message === "string"
      ? { message: f.message }
      : { message: commandTextString(f.message), messageParts: f.message }),
    details: [f.details ?? "", f.reproduce === undefined ? "" : `reproduce: ${f.reproduce}`]
      .filter((d) => d !== "")
      .join("\n"),
    ...(f.reproduce === undefined ? {} : { reproduce: f.reproduce }),
    line: f.line ?? null,
    column: f.column ?? null,
    exitCode: status === "passed" || status === "skipped" ? 0 : (f.exitCode ?? GATE_EXIT.failed),
    wallMs: f.wallMs ?? 0,
  };
}

/** Two identical expectations would make two cases of one name: number the later ones. */
function uniqueName(cases: readonly GateCase[], name: string): string {
  if (!cases.some((k) => k.name === name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} #${n}`;
    if (!cases.some((k) => k.name === candidate)) return candidate;
  }
}

/** The name `judgeExpectation` gives an expectation, without a run (for skipped cases). */
export function expectationLabel(e: Expectation): string {
  if (e.kind === "property") return `${e.property}${e.holds ? "" : " fails"}`;
  const value = e.valueText ?? (e.value === null ? "null" : JSON.stringify(e.value));
  return `${e.metric} ${e.op} ${value}`;
}

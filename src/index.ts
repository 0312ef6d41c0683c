/**
 * aftershock's programmatic API: the CLI is one client of it. Everything here returns data
 * (RunReport, Comparison, issues); nothing prints, reads files or touches the real clock
 * unless given one.
 */
import { type Comparison, compareRuns as compareRunsOf } from "./explore/compare.js";
import {
  type ExpectationResult,
  judgeExpectations,
  notJudgedBefore,
  stoppedBeforeEndWhy,
  stoppedEarlyWhy,
} from "./explore/expectations.js";
import { judgedVariant } from "./explore/gate-scheduler.js";
import { scenarioModuleNaming } from "./explore/module-naming.js";
import {
  buildWorld as buildWorldOf,
  type RunInput,
  type RunOptions,
  type RunResult,
  runWorld as runWorldOf,
} from "./explore/run.js";
import { checkRunOptions } from "./explore/run-options-check.js";
import { readOnlySinks } from "./explore/user-sinks.js";
import type { RunReport } from "./report/run-report.js";
import {
  applyVariant,
  asOwnVariant,
  type CompiledScenario,
  checkParsed,
  checkSeed,
  compileParsedScenario,
  withEnd,
  withSeed,
} from "./scenario/compile.js";
import { checkIdRefsAtSeed, parseScenario, type Scenario, type ScenarioIssue } from "./scenario/index.js";
import { jsValueText } from "./scenario/issue.js";
import { moduleFixIssues } from "./scenario/module-fixes.js";
import { checkScenarioValues } from "./scenario/scenario-values.js";
import { isVariantName, VARIANT_NAMES, variantSuggestion } from "./scenario/variants.js";
import { bundledSchedulers } from "./schedulers/index.js";

export type { Metrics, PropertyName, TimelineEntry, Verdict } from "./checks/types.js";
export type { Comparison, Divergence, StoppedFirst } from "./explore/compare.js";
export type { ExpectationResult } from "./explore/expectations.js";
export {
  type ExploreConstraints,
  type ExploreFailure,
  type ExploreOutcome,
  explore,
} from "./explore/explore.js";
export {
  type ExploredModule,
  type ExploreReport,
  type ExploreTarget,
  exploreReport,
  type MergeResult,
  mergeExploreReports,
  type ReportedFailure,
  type ShardStop,
  type WrittenReproducer,
} from "./explore/explore-report.js";
export type { FaultKindTally } from "./explore/fault-tally.js";
/** Generators of scenario documents (fast-check arbitraries) for users' own property tests. */
export * as generators from "./explore/generate/index.js";
export { scenarioModuleNaming } from "./explore/module-naming.js";
export type { RunInput, RunOptions, RunResult } from "./explore/run.js";
export {
  DEFAULT_PROPERTIES,
  type ExploredVariant,
  type GeneratedModule,
  type RunPlan,
  type SchedulerModuleRef,
} from "./explore/run-one.js";
export type { Shard } from "./explore/seeds.js";
export { SinkError, type SinkOption } from "./explore/user-sinks.js";
export type {
  GoroutineBody,
  GoroutineContext,
  Op,
  RunOutcome,
  StopReason,
  TraceEvent,
  TraceSink,
  TraceView,
} from "./kernel/index.js";
export type { RunReport } from "./report/run-report.js";
export {
  applyVariant,
  type CompiledScenario,
  compileScenario,
  withEnd,
  withSeed,
} from "./scenario/compile.js";
export {
  formatIssues,
  parseScenario,
  resolveVariant,
  type Scenario,
  type ScenarioIssue,
  scenarioJsonSchema,
  VARIANT_NAMES,
} from "./scenario/index.js";
export { bundledSchedulers } from "./schedulers/index.js";
// What a step-by-step session of a world (`buildWorld`) performs: see the README's stepping API.
export type { ActionSpec, TimedAction } from "./world/config.js";
export type { EventType, WorldEvent } from "./world/events.js";
// The Runtime port in full (with the kernel's GoroutineBody, GoroutineContext and Op): what a
// user's scheduler module is written against.
export type {
  Account,
  AccountPlan,
  Call,
  Claim,
  DueWork,
  ErrorReporter,
  FaultPoint,
  Fix,
  HttpPort,
  HttpResponse,
  Logger,
  Message,
  Result,
  Runtime,
  ScheduleInfo,
  Scheduler,
  SchedulerFactory,
  StorePort,
  TaskTx,
} from "./world/runtime.js";
export type { SchedulerRegistry } from "./world/world.js";

/** How to run a scenario: which variant, seed and end; schedulers and sinks as for `runWorld`. */
export interface RunScenarioOptions extends RunOptions {
  /** A named variant (`buggy`, `fixed`, `early-return`, `panic-recovery`, `v1`); default: the scenario's own scheduler. */
  readonly variant?: string;
  /** A whole number from 0 to 2^53 - 1 (a RangeError otherwise); default: the scenario's. */
  readonly seed?: number;
  /** Virtual time (whole ms since the epoch) at which to stop: after the start, up to the scenario's end (a RangeError otherwise). */
  readonly untilMs?: number;
}

export type ScenarioSource = string | Scenario;

/** The outcome of running a scenario: the report and the scenario's expectations for its variant. */
export interface ScenarioRun {
  readonly report: RunReport;
  readonly expectations: readonly ExpectationResult[];
}

export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(readonly issues: readonly ScenarioIssue[]) {
    super(
      issues
        .map(
          (i) => `${i.file}:${i.line}:${i.column}: ${i.message}${i.note === undefined ? "" : ` (${i.note})`}`,
        )
        .join("\n"),
    );
  }
}

function toScenario(source: ScenarioSource, fileName: string, seed: number | undefined): Scenario {
  // Its modules are named, and resolved, from the file's folder: a number would name none.
  if (typeof fileName !== "string")
    throw new TypeError(
      `fileName: expected the scenario file's path (text, e.g. "own.yaml"), found ${jsValueText(fileName)}`,
    );
  if (typeof source === "string") {
    // A path where the CLI takes one is an easy slip: as YAML it is one string, which would be
    // refused as `1:1: a scenario is a mapping`, saying nothing of the file. No scenario's text
    // is one line ending so (nor a mapping, `name: x.yaml`, which is one with too few settings).
    if (/^[^\n{]*\.(ya?ml|json)\s*$/i.test(source) && !source.includes(": "))
      throw new TypeError(
        `source: expected a scenario's text or a parsed Scenario, found a file's path (${jsValueText(source.trim())}): the library reads no file, pass its text (readFileSync(path, "utf8")) and the path as fileName`,
      );
    const parsed = parseScenario(source, fileName);
    if (!parsed.ok) throw new ScenarioError(parsed.issues);
    return parsed.scenario;
  }
  // From JavaScript, parseScenario's result in place of its scenario is an easy slip: one with
  // issues throws them, as its text would.
  const given = source as unknown;
  if (given !== null && typeof given === "object" && "ok" in given && given.ok === false && "issues" in given)
    throw new ScenarioError((given as { issues: ScenarioIssue[] }).issues);
  checkParsed(given, "source", "a scenario's text or a parsed Scenario");
  // Varied in code (`{ ...sc, sloMs: 0 }`), it has passed no parser: its values are checked as a
  // file's, its names of generated ids at the seed it runs at.
  checkScenarioValues(given, "source", seed);
  return given;
}

function prepare(scenario: Scenario, o: RunScenarioOptions): CompiledScenario {
  // As the CLI checks `--seed` and `--until`: a report of any other would not read back.
  if (o.seed !== undefined) checkSeed(o.seed);
  // Its modules are named as the CLI names them, by their path from the scenario's folder.
  const naming = scenarioModuleNaming(scenario.source.file);
  // As `run` refuses the file: a fix a registered module does not list would be given to its `create`.
  const fixIssues = moduleFixIssues(scenario, o.schedulers ?? bundledSchedulers(), naming);
  if (fixIssues.length > 0) throw new ScenarioError(fixIssues);
  let compiled = compileParsedScenario(scenario, naming);
  if (o.variant !== undefined) {
    const varied = applyVariant(compiled, o.variant);
    if (!varied)
      throw new RangeError(
        `variant: expected one of ${VARIANT_NAMES.join(", ")}, found ${JSON.stringify(o.variant)}`,
      );
    compiled = varied;
  } else compiled = asOwnVariant(compiled);
  if (o.seed !== undefined && o.seed !== scenario.seed) {
    // Which generated schedules exist depends on the seed: ids the scenario names must exist at this one too.
    const errors = checkIdRefsAtSeed(scenario, o.seed).filter((i) => i.severity !== "warning");
    if (errors.length > 0) throw new ScenarioError(errors);
    compiled = withSeed(compiled, o.seed);
  }
  if (o.untilMs !== undefined) compiled = withEnd(compiled, o.untilMs);
  return compiled;
}

/**
 * Runs a scenario (its text, or a parsed Scenario) once. Throws `ScenarioError` with every
 * issue when the text is not a valid scenario.
 */
export function runScenario(
  source: ScenarioSource,
  options: RunScenarioOptions = {},
  fileName = "<scenario>",
): ScenarioRun {
  checkRunOptions(options);
  const scenario = toScenario(source, fileName, options.seed);
  const compiled = prepare(scenario, options);
  const { report } = runWorldOf(compiled, readOnlySinks(options));
  // A module's run is judged as `run` and the gate judge it (`judgedVariant`).
  const judgedAs = judgedVariant(compiled, options.schedulers ?? bundledSchedulers());
  const judged =
    judgedAs === null ? [] : judgeExpectations(scenario.expect, judgedAs, report.metrics, report.verdicts);
  // As `run` does: the expectations speak of the whole run, so one cut short judges none.
  const cutShort =
    options.untilMs !== undefined && options.untilMs < scenario.endMs
      ? stoppedBeforeEndWhy("untilMs")
      : !report.run.judged
        ? stoppedEarlyWhy(report.run)
        : null;
  return { report, expectations: cutShort === null ? judged : notJudgedBefore(judged, cutShort) };
}

/** Runs named variants of one scenario on the same world and finds where each later one first parts from the first. */
export function compareVariants(
  source: ScenarioSource,
  variants: readonly string[] = ["buggy", "fixed"],
  options: Omit<RunScenarioOptions, "variant"> = {},
  fileName = "<scenario>",
): Comparison {
  if (!Array.isArray(variants))
    throw new TypeError(
      `variants: expected a list of variant names, e.g. ["buggy", "fixed"], found ${JSON.stringify(variants)}`,
    );
  if (variants.length === 0) throw new RangeError("variants: name at least one variant, e.g. buggy, fixed");
  checkRunOptions(options, "argument");
  const unknown = variants.find((v) => typeof v !== "string" || !isVariantName(v));
  if (unknown !== undefined)
    throw new RangeError(
      `variants: expected names from ${VARIANT_NAMES.join(", ")}, found ${JSON.stringify(unknown) ?? String(unknown)}${variantSuggestion(unknown)}`,
    );
  const scenario = toScenario(source, fileName, options.seed);
  const inputs = variants.map((variant) => prepare(scenario, { ...options, variant }));
  return compareRunsOf(inputs, readOnlySinks(options));
}

// A caller's `sinks` and `watchers` are given every event frozen (`readOnlySinks`): each sink is
// handed the same object the checks read after it, so a write would change the report but not
// the trace hash. The CLI calls the unwrapped functions with its own sinks.

/** The world a run input describes, with its faults scheduled and sinks attached, not yet started. */
export function buildWorld(input: RunInput, options: RunOptions = {}): ReturnType<typeof buildWorldOf> {
  return buildWorldOf(input, readOnlySinks(options));
}

/** Runs one world to its horizon and measures it from its trace. */
export function runWorld(input: RunInput, options: RunOptions = {}): RunResult {
  return runWorldOf(input, readOnlySinks(options));
}

/** Runs compiled worlds one after the other and finds where each later one first parts from the first. */
export function compareRuns(inputs: readonly RunInput[], options: RunOptions = {}): Comparison {
  return compareRunsOf(inputs, readOnlySinks(options));
}

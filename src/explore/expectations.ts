import type { Metrics, Verdict } from "../checks/types.js";
import { formatDuration } from "../kernel/index.js";
import { formatDurationText } from "../scenario/duration.js";
import type { Expectation } from "../scenario/types.js";
import { METRIC_KINDS } from "../scenario/vocabulary.js";

/** The outcome of one expectation against one run. */
export interface ExpectationResult {
  readonly expectation: Expectation;
  /** Index of the expectation in the scenario's `expect` list (to locate its line). */
  readonly index: number;
  /** False only when the expectation failed: one that was not judged (`skipped`) does not fail. */
  readonly ok: boolean;
  /** Not judged by this run (a property one run cannot judge, such as `deterministic`). */
  readonly skipped: boolean;
  /** `cascadeDepth >= 4` */
  readonly name: string;
  /** What was measured, as text. */
  readonly actual: string;
  /** What was expected, as text. */
  readonly expected: string;
  readonly message: string;
  /** Met only because the run never gave the property a chance to fail (its verdict not exercised). */
  readonly notExercised?: true;
  /** Why this run judges none of its expectations (`notJudgedBefore`); `actual` is still measured. */
  readonly notJudged?: string;
}

/**
 * Properties a single run cannot judge, with who judges them: determinism takes two runs of the
 * same inputs, which `aftershock gate` makes for every variant it gates.
 */
export const JUDGED_BY_GATE: Readonly<Record<string, string>> = {
  deterministic:
    "one run cannot judge determinism: `aftershock gate` runs the variant twice and compares the traces",
};

/** Looks up a dotted metric path (`deliveries.late`). */
export function metricValue(metrics: Metrics, path: string): unknown {
  let value: unknown = metrics;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asComparable(value: unknown): number | boolean | null | undefined {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function show(value: unknown): string {
  return value === null ? "null" : typeof value === "string" ? value : JSON.stringify(value);
}

function compare(actual: number | boolean | null, op: string, expected: number | boolean | null): boolean {
  if (op === "==") return actual === expected;
  if (op === "!=") return actual !== expected;
  if (typeof actual !== "number" || typeof expected !== "number") return false;
  switch (op) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    default:
      return false;
  }
}

/** Judges one expectation against a run's metrics and verdicts. */
export function judgeExpectation(
  expectation: Expectation,
  index: number,
  metrics: Metrics,
  verdicts: readonly Verdict[],
): ExpectationResult {
  if (expectation.kind === "property") {
    const verdict = verdicts.find((v) => v.property === expectation.property);
    const name = `${expectation.property}${expectation.holds ? "" : " fails"}`;
    const elsewhere = JUDGED_BY_GATE[expectation.property];
    if (!verdict && elsewhere !== undefined) {
      return {
        expectation,
        index,
        ok: true,
        skipped: true,
        name,
        actual: "not judged",
        expected: expectation.holds ? "holds" : "fails",
        message: `not judged: ${elsewhere}`,
      };
    }
    if (!verdict) {
      return {
        expectation,
        index,
        ok: false,
        skipped: false,
        name,
        actual: "not judged",
        expected: expectation.holds ? "holds" : "fails",
        message: `property ${expectation.property} was not judged in this run`,
      };
    }
    const ok = verdict.ok === expectation.holds;
    // A property the run gave no chance to fail holds, but proves nothing: an expectation that
    // passes so says it, as `run` marks such a verdict, so a gate green on it is not read as a check made.
    const vacuous = ok && verdict.ok && verdict.exercised === false;
    return {
      expectation,
      index,
      ok,
      skipped: false,
      name,
      actual: verdict.ok ? `holds${vacuous ? " (not exercised)" : ""}` : "fails",
      expected: expectation.holds ? "holds" : "fails",
      ...(vacuous ? { notExercised: true as const } : {}),
      message: vacuous
        ? `${expectation.property} holds as expected, but was not exercised in this run: ${verdict.detail.replace(/^not exercised: /, "")}`
        : ok
          ? `${expectation.property} ${verdict.ok ? "holds" : "fails"} as expected`
          : `expected ${expectation.property} to ${expectation.holds ? "hold" : "fail"}, but it ${verdict.ok ? "holds" : "fails"}: ${verdict.detail}`,
    };
  }
  const raw = metricValue(metrics, expectation.metric);
  const actual = asComparable(raw);
  const expectedText = expectation.valueText ?? show(expectation.value);
  const name = `${expectation.metric} ${expectation.op} ${expectedText}`;
  if (actual === undefined) {
    return {
      expectation,
      index,
      ok: false,
      skipped: false,
      name,
      actual: show(raw),
      expected: `${expectation.op} ${expectedText}`,
      message: `metric ${expectation.metric} is not measured (found ${show(raw)})`,
    };
  }
  const ok = compare(actual, expectation.op, expectation.value);
  // A duration metric is measured in ms; beside a bound written as a duration (`15m`) it reads as
  // one too, as the report's own figures do, and as ms beside a bound written as a number of them.
  const shown =
    METRIC_KINDS[expectation.metric] === "duration" &&
    expectation.valueText !== null &&
    typeof raw === "number"
      ? durationBeside(raw, expectation.value)
      : show(raw);
  return {
    expectation,
    index,
    ok,
    skipped: false,
    name,
    actual: shown,
    expected: `${expectation.op} ${expectedText}`,
    message: ok
      ? `${expectation.metric} = ${shown} (${expectation.op} ${expectedText})`
      : `expected ${expectation.metric} ${expectation.op} ${expectedText}, measured ${raw === null ? measuredText(expectation.metric, raw) : shown}`,
  };
}

/**
 * `ms` as a short duration (`10m34s`), or exactly as a scenario writes one (`10m34s107ms`) where
 * the short one rounds it onto the bound's own words, and so would read as equal to a bound it is not.
 */
function durationBeside(ms: number, bound: number | boolean | null): string {
  const short = formatDuration(ms);
  return typeof bound === "number" && ms !== bound && short === formatDuration(bound)
    ? formatDurationText(Math.round(ms))
    : short;
}

/**
 * What a failed expectation measured, as a person reads it: a time metric that is null never
 * came in the run (`alertAt`: no alert fired; `recoveredAt`: no fix deploy, or the lag never
 * came back for good), which `null` alone does not say.
 */
function measuredText(metric: string, raw: unknown): string {
  if (raw !== null) return show(raw);
  if (metric === "alertAt") return "null (no alert fired)";
  if (metric === "recoveredAt")
    return "null (no fix deploy, or the lag never came back within the SLO for good)";
  if (metric === "fixDeployAt") return "null (no deploy brought the fleet a fix)";
  if (metric === "firstPanicAt") return "null (no task panicked)";
  if (metric === "deletionAt") return "null (no account was deleted)";
  return "null (it did not happen in this run)";
}

/**
 * Why the expectations of a run stopped before its scenario's end are not judged, naming what
 * stopped it as its caller spells it (`--until 09:40`, `untilMs`) and, if known, the end in words.
 */
export function stoppedBeforeEndWhy(stopper: string, endWord?: string): string {
  return `${stopper} stops the run before the scenario's end${endWord === undefined ? "" : ` at ${endWord}`}, and the expectations are for the whole run`;
}

/**
 * A run that `--until` ended before the scenario's end cannot judge the expectations, which are
 * written for the whole run (`recoveredAt <= 10:11` in a run stopped at 09:50 is unknown, not
 * false): each keeps what the run measured, is marked not judged, and decides nothing, as in a run a
 * limit stopped.
 */
export function notJudgedBefore(results: readonly ExpectationResult[], why: string): ExpectationResult[] {
  return results.map((r) => ({
    expectation: r.expectation,
    index: r.index,
    ok: true,
    skipped: true,
    name: r.name,
    actual: r.actual,
    expected: r.expected,
    message: `measured ${r.actual}; not judged: ${why}`,
    notJudged: why,
  }));
}

/**
 * Why the expectations of a run that stopped early are not judged: a limit stopped it, or the
 * simulator halted it at a broken invariant (`stopReason` `halted`); `detail` says what stopped it.
 */
export function stoppedEarlyWhy(run: { readonly stopReason: string; readonly detail: string }): string {
  const stopped =
    run.stopReason === "halted" ? "the simulator halted the run early" : "a limit stopped the run early";
  return `${stopped} (${run.detail}), and the expectations are for the whole run`;
}

/**
 * The expectations as a run's machine output gives them: each judged, or, for a run a limit
 * stopped or the simulator halted early (`judged` false, which decides nothing but exit 2), each
 * marked not judged with why, unless it already says why it is not (`--until`).
 */
export function expectationsOfRun(
  results: readonly ExpectationResult[],
  run: { readonly judged: boolean; readonly stopReason: string; readonly detail: string },
): readonly ExpectationResult[] {
  if (run.judged || results.every((r) => r.notJudged !== undefined)) return results;
  return notJudgedBefore(results, stoppedEarlyWhy(run));
}

/** Judges the expectations a scenario sets for one variant. */
export function judgeExpectations(
  expectations: readonly Expectation[],
  variant: string,
  metrics: Metrics,
  verdicts: readonly Verdict[],
): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  expectations.forEach((e, index) => {
    if (e.variant === variant) out.push(judgeExpectation(e, index, metrics, verdicts));
  });
  return out;
}

/** A property a sweep of a scenario's seeds does not judge: an expectation says it fails there. */
export interface PropertyLeftOut {
  readonly property: string;
  /** The expectation's index in the scenario's `expect` list (to locate its line). */
  readonly index: number;
  /** The variant explored, which the expectation names. */
  readonly variant: string;
}

/**
 * The properties of `properties` that the scenario expects not to hold for `variant` (`{ variant,
 * property, holds: false }`): a scenario that models a bad deploy expects the fixed variant to
 * cascade, so a sweep of its seeds (`explore`, `gate --explore`) that judged them would report
 * as failures what the scenario says happens. Each once, at its first such expectation.
 */
export function propertiesExpectedToFail(
  expect: readonly Expectation[],
  variant: string,
  properties: readonly string[],
): PropertyLeftOut[] {
  const out: PropertyLeftOut[] = [];
  expect.forEach((x, index) => {
    if (x.kind !== "property" || x.holds || x.variant !== variant || !properties.includes(x.property)) return;
    if (!out.some((p) => p.property === x.property)) out.push({ property: x.property, index, variant });
  });
  return out;
}

/** `expect[1] expects no-cascade not to hold for the fixed variant`: why a sweep leaves it out. */
export function leftOutText(p: PropertyLeftOut): string {
  return `expect[${p.index}] expects ${p.property} not to hold for the ${p.variant} variant`;
}
